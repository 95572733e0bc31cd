"""Who owns a case (属地管理、谁主管谁负责), proposed from the town's configuration and explained.

1. Special or major matters (the town's `joint_meeting_when`: collective, skip-level to a given
   level, threat, marked by the office) wait for the joint meeting to name the owner.
2. A matter within the village's powers (the category's `within_village_powers`, less its
   `matters_outside_village_powers`): the village's contact leader owns it.
3. Otherwise the leader heading the category's lead line owns it; the village cooperates and keeps
   the petitioner stable.
Responsible persons: the village's party head, its assigned town cadre, the heads of the lead and
of every supporting department (涉及部门相关负责人). Nothing here names a town: every branch reads
configuration.

An accusation (检举控告类) goes first of all to the discipline route the town configures
(`ownership.accusation_route`: the discipline body as lead department, and its leader), whatever
else applies; and no proposal, of any kind, names a person or unit the case accuses as owner,
responsible person, lead or supporting department: they must not even see the case
(《信访工作条例》第三十条).
"""

from dataclasses import dataclass, field

from xinfang.org.models import Department, Person

from .choices import Level, PetitionKind

VILLAGE, LINE, JOINT_MEETING, OVERRIDE, NONE = "village", "line", "joint_meeting", "override", "none"
ACCUSATION = "accusation"
# The joint meeting named the owner of a case that waited for it (cases.transitions
# .case_owner_from_joint_meeting); the case then goes on to assignment with that owner.
JOINT_DECIDED = "joint_decided"
RULE_LABELS = {
    VILLAGE: "属地包案（联系村领导）",
    LINE: "条线包案（分管领导）",
    JOINT_MEETING: "待联席会议确定",
    JOINT_DECIDED: "联席会议确定",
    ACCUSATION: "检举控告（纪检监察）",
    OVERRIDE: "联席办指定",
    NONE: "无法按规则推荐",
}
SKIP_LEVEL_RULES = {
    Level.COUNTY: "skip_level_county",
    Level.CITY: "skip_level_city",
    Level.PROVINCE: "skip_level_province",
    Level.NATIONAL: "skip_level_beijing",
}


@dataclass
class Proposal:
    rule: str
    explanation: str
    lead_leader: Person | None = None
    lead_department: Department | None = None
    supporting_departments: list[Department] = field(default_factory=list)
    responsible_persons: list[Person] = field(default_factory=list)

    @property
    def waits_for_joint_meeting(self) -> bool:
        return self.rule == JOINT_MEETING

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]


def _special_reasons(case, town) -> list[str]:
    when = set(town.joint_meeting_when or [])
    reasons = []
    if "collective" in when and case.is_collective:
        reasons.append("集体访")
    if case.skip_level and SKIP_LEVEL_RULES.get(case.skip_level) in when:
        reasons.append(f"越级到{Level(case.skip_level).label}")
    if "threat" in when and case.has_threat:
        reasons.append("有扬言")
    if "marked_major" in when and case.major:
        reasons.append("联席办标记为特殊重大事项")
    return reasons


def _line_leader(department: Department | None) -> Person | None:
    if department is None:
        return None
    return department.heading_leaders.filter(is_leader=True).order_by("id").first()


def _names(people) -> str:
    return "、".join(f"{p.title}{p.name}" if p.title else p.name for p in people)


def ownership_decide(
    case, *, town, village, category, line_leader, responsible
) -> tuple[str, Person | None, str]:
    """The rule that applies, the owner it names and why, from objects already at hand (no query):
    the one decision behind the proposal and the generated history."""
    if special := _special_reasons(case, town):
        return (
            JOINT_MEETING,
            None,
            f"因该事项{'、'.join(special)}，属于特殊及重大信访事项，包案领导和责任人待联席会议确定（待联席会议确定）。",
        )
    if category is None:
        if village is not None:
            return (
                VILLAGE,
                village.contact_leader,
                f"该事项尚未分类，按属地管理由联系{village.name}的{village.contact_leader.name}包案；分类后可重新推荐。",
            )
        return NONE, None, "该事项既未分类也无属地村（居），无法按规则推荐，请联席办指定。"

    lead_department = category.lead
    outside_matter = case.matter and case.matter in (category.matters_outside_village_powers or [])
    if village is not None and category.within_village_powers and not outside_matter:
        what = f"{category.name}（{case.matter}）" if case.matter else category.name
        return (
            VILLAGE,
            village.contact_leader,
            f"因该事项属于{what}且在村（居）职权范围内，由联系{village.name}的"
            f"{village.contact_leader.name}包案；责任人为{_names(responsible)}。",
        )
    if outside_matter:
        why = f"{case.matter}不属于村（居）职权范围"
    elif village is None:
        why = "信访人不属于本镇村（居）"
    else:
        why = f"{category.name}不属于村（居）职权范围"
    if line_leader is None:
        return (
            NONE,
            None,
            f"因{why}，应由分管{lead_department.name}的领导包案，但配置中没有分管该条线的镇领导，请联席办指定。",
        )
    cooperate = f"，{village.name}配合做好稳控" if village is not None else ""
    return (
        LINE,
        line_leader,
        f"因{why}，由分管{lead_department.name}的{line_leader.name}包案{cooperate}；责任人为{_names(responsible)}。",
    )


def responsible_for(village, lead_department, supporting=()) -> list[Person]:
    """The village's party head and assigned cadre, and the heads of the lead department and of
    each supporting department (涉及部门相关负责人)."""
    people = [p for p in (village.party_head, village.cadre) if p] if village else []
    for department in [lead_department, *supporting]:
        if department is not None and department.head is not None:
            people.append(department.head)
    return list(dict.fromkeys(people))


@dataclass(frozen=True)
class Accused:
    """Whom a case accuses (被检举控告对象), by id, and their names for the case page."""

    persons: frozenset = frozenset()
    departments: frozenset = frozenset()
    villages: frozenset = frozenset()
    names: tuple = ()

    def __bool__(self) -> bool:
        return bool(self.persons or self.departments or self.villages)

    def includes_person(self, person: Person | None) -> bool:
        return person is not None and person.pk in self.persons

    def includes_department(self, department: Department | None) -> bool:
        return department is not None and department.pk in self.departments

    def includes_village(self, village) -> bool:
        return village is not None and village.pk in self.villages

    def conflicts(self, person: Person) -> bool:
        """A person the case must not be given to: accused themselves, heading an accused department,
        or the party head or cadre of an accused village."""
        if self.includes_person(person):
            return True
        if any(d in self.departments for d in person.headed_departments.values_list("pk", flat=True)):
            return True
        return bool(
            self.villages
            and (
                person.village_id in self.villages
                or person.party_head_of.filter(pk__in=self.villages).exists()
                or person.cadre_of.filter(pk__in=self.villages).exists()
            )
        )


def accused_of(case) -> Accused:
    # Only an accusation names the accused (registration refuses them on any other kind): the case
    # page of every other case is spared three queries.
    if case.pk is None or case.kind != PetitionKind.ACCUSATION:
        return Accused()
    persons = list(case.accused_persons.all())
    departments = list(case.accused_departments.all())
    villages = list(case.accused_villages.all())
    return Accused(
        persons=frozenset(p.pk for p in persons),
        departments=frozenset(d.pk for d in departments),
        villages=frozenset(v.pk for v in villages),
        names=tuple(
            [f"{p.name}（{p.title}）" if p.title else p.name for p in persons]
            + [d.name for d in departments]
            + [v.name for v in villages]
        ),
    )


def accused_conflicts(
    case, *, lead_leader=None, lead_department=None, responsible_persons=(), supporting_departments=()
) -> dict[str, str]:
    """What an assignment may not name because the case accuses it: {field: Chinese message}.
    For the assignment service, so that an override cannot give an accusation to the accused."""
    accused = accused_of(case)
    if not accused:
        return {}
    errors = {}
    if lead_leader is not None and accused.conflicts(lead_leader):
        errors["lead_leader"] = (
            f"{lead_leader.name}是本事项的被检举控告对象或其所在单位的负责人，须回避，不能包案。"
        )
    if accused.includes_department(lead_department):
        errors["lead_department"] = f"{lead_department.name}是本事项的被检举控告单位，须回避，不能牵头办理。"
    if bad := [p.name for p in responsible_persons if accused.conflicts(p)]:
        errors["responsible_persons"] = f"{'、'.join(bad)}与被检举控告对象有关，须回避，不能担任责任人。"
    if bad := [d.name for d in supporting_departments if accused.includes_department(d)]:
        errors["supporting_departments"] = f"{'、'.join(bad)}是本事项的被检举控告单位，须回避，不能配合办理。"
    return errors


def _accusation_proposal(case) -> Proposal:
    town = case.town
    department = town.accusation_department
    if department is None:
        return Proposal(
            rule=NONE,
            explanation="检举控告类事项应交纪检监察机关办理，但本镇配置没有设定检举控告类的办理路径"
            "（ownership.accusation_route），请联席办指定；被检举控告的人员和单位须回避。",
        )
    leader = town.accusation_leader or _line_leader(department)
    responsible = [department.head] if department.head else []
    who = f"由{leader.name}包案" if leader else "包案领导请联席办指定"
    return Proposal(
        rule=ACCUSATION,
        explanation=f"检举控告类事项按本镇配置交{department.name}办理，{who}；"
        f"责任人为{_names(responsible) or '—'}。被检举控告的人员和单位须回避，看不到本事项和信访人。",
        lead_leader=leader,
        lead_department=department,
        responsible_persons=responsible,
    )


def _without_accused(proposal: Proposal, accused: Accused) -> Proposal:
    """The proposal less everyone the case accuses, saying so where it leaves a gap."""
    if not accused:
        return proposal
    notes = []
    if proposal.lead_leader is not None and accused.conflicts(proposal.lead_leader):
        notes.append(
            f"按规则应由{proposal.lead_leader.name}包案，但其与被检举控告对象有关，须回避，请联席办另行指定包案领导"
        )
        proposal.lead_leader = None
        proposal.rule = NONE
    if accused.includes_department(proposal.lead_department):
        notes.append(
            f"按规则应由{proposal.lead_department.name}牵头，但该单位被检举控告，须回避，请联席办另行指定牵头部门"
        )
        proposal.lead_department = None
        proposal.rule = NONE
    proposal.supporting_departments = [
        d for d in proposal.supporting_departments if not accused.includes_department(d)
    ]
    proposal.responsible_persons = [p for p in proposal.responsible_persons if not accused.conflicts(p)]
    if notes:
        proposal.explanation = f"{proposal.explanation}{'；'.join(notes)}。"
    return proposal


def ownership_propose(case) -> Proposal:
    """The owner, responsible persons and departments the rules give this case, with the reason;
    once the joint meeting has named the owner of a case that waited for it, its decision."""
    proposal = _ownership_by_rules(case)
    if case.owner_rule == JOINT_DECIDED and case.lead_leader_id and proposal.rule == JOINT_MEETING:
        decided = list(case.responsible_persons.all())
        return Proposal(
            rule=JOINT_DECIDED,
            explanation=case.owner_explanation,
            lead_leader=case.lead_leader,
            lead_department=case.lead_department or proposal.lead_department,
            supporting_departments=proposal.supporting_departments,
            responsible_persons=decided or proposal.responsible_persons,
        )
    return proposal


def _ownership_by_rules(case) -> Proposal:
    if case.kind == PetitionKind.ACCUSATION:
        return _without_accused(_accusation_proposal(case), accused_of(case))
    category, village = case.category, case.village
    lead_department = category.lead if category else None
    supporting = list(category.supporting.all()) if category else []
    accused = accused_of(case)
    supporting = [d for d in supporting if not accused.includes_department(d)]
    responsible = [
        p for p in responsible_for(village, lead_department, supporting) if not accused.conflicts(p)
    ]
    rule, leader, explanation = ownership_decide(
        case,
        town=case.town,
        village=village,
        category=category,
        line_leader=_line_leader(lead_department),
        responsible=responsible,
    )
    return _without_accused(
        Proposal(
            rule=rule,
            explanation=explanation,
            lead_leader=leader,
            lead_department=lead_department,
            supporting_departments=supporting,
            responsible_persons=responsible,
        ),
        accused,
    )
