"""Who owns a case (属地管理、谁主管谁负责), proposed from the town's configuration and explained.

1. Special or major matters (the town's `joint_meeting_when`: collective, skip-level to a given
   level, threat, marked by the office) wait for the joint meeting to name the owner.
2. A matter within the village's powers (the category's `within_village_powers`, less its
   `matters_outside_village_powers`): the village's contact leader owns it.
3. Otherwise the leader heading the category's lead line owns it; the village cooperates and keeps
   the petitioner stable.
Responsible persons: the village's party head, its assigned town cadre, the head of the lead
department. Nothing here names a town: every branch reads configuration.
"""

from dataclasses import dataclass, field

from xinfang.org.models import Department, Person

from .choices import Level

VILLAGE, LINE, JOINT_MEETING, OVERRIDE, NONE = "village", "line", "joint_meeting", "override", "none"
RULE_LABELS = {
    VILLAGE: "属地包案（联系村领导）",
    LINE: "条线包案（分管领导）",
    JOINT_MEETING: "待联席会议确定",
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


def responsible_for(village, lead_department) -> list[Person]:
    """The village's party head and assigned cadre, and the head of the lead department."""
    people = [p for p in (village.party_head, village.cadre) if p] if village else []
    if lead_department is not None and lead_department.head is not None:
        people.append(lead_department.head)
    return list(dict.fromkeys(people))


def ownership_propose(case) -> Proposal:
    """The owner, responsible persons and departments the rules give this case, with the reason."""
    category, village = case.category, case.village
    lead_department = category.lead if category else None
    responsible = responsible_for(village, lead_department)
    rule, leader, explanation = ownership_decide(
        case,
        town=case.town,
        village=village,
        category=category,
        line_leader=_line_leader(lead_department),
        responsible=responsible,
    )
    return Proposal(
        rule=rule,
        explanation=explanation,
        lead_leader=leader,
        lead_department=lead_department,
        supporting_departments=list(category.supporting.all()) if category else [],
        responsible_persons=responsible,
    )
