"""Every branch of the ownership rules, on two towns' configurations: the proposal and its words."""

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.cases.ownership import ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import TransitionInvalid, case_accept, case_assign
from xinfang.org.models import Category, Village

pytestmark = pytest.mark.django_db


def _case(clerk, *, village, category, matter="", persons=1, skip="", threat=False, major=False) -> Case:
    case = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="规则测试人", village=village),
            title="包案规则测试",
            content="内容",
            category=category,
            matter=matter,
            persons_count=persons,
            skip_level=skip,
            has_threat=threat,
        ),
        acting_user=clerk,
    ).case
    if major:
        Case.objects.filter(pk=case.pk).update(major=True)
        case.refresh_from_db()
    return case


def _line_leader(category):
    return category.lead.heading_leaders.filter(is_leader=True).order_by("id").first()


# (category code, matter, extra petition facts, expected rule, who owns it, words in the explanation)
FENJIE = [
    (
        "nongcun",
        "土地承包",
        {},
        "village",
        "contact",
        ["属于农业农村类（土地承包）且在村（居）职权范围内", "由联系"],
    ),
    ("nongcun", "宅基地审批", {}, "line", "line", ["宅基地审批不属于村（居）职权范围", "配合做好稳控"]),
    (
        "chengxiang",
        "",
        {},
        "line",
        "line",
        ["城乡建设类不属于村（居）职权范围", "由分管镇建设和生态环境局的"],
    ),
    ("nongcun", "土地承包", {"persons": 6}, "joint_meeting", None, ["集体访", "待联席会议确定"]),
    ("nongcun", "土地承包", {"skip": "province"}, "joint_meeting", None, ["越级到省"]),
    ("nongcun", "土地承包", {"skip": "county"}, "village", "contact", ["在村（居）职权范围内"]),
    ("nongcun", "土地承包", {"threat": True}, "joint_meeting", None, ["有扬言"]),
    ("nongcun", "土地承包", {"major": True}, "joint_meeting", None, ["联席办标记为特殊重大事项"]),
]


@pytest.mark.parametrize(("code", "matter", "facts", "rule", "owner", "words"), FENJIE)
def test_fenjie_ownership_rules(cast, code, matter, facts, rule, owner, words):
    town = cast["office"].town
    village = cast["village1"].village
    category = Category.objects.get(town=town, code=code)
    proposal = ownership_propose(
        _case(cast["office"], village=village, category=category, matter=matter, **facts)
    )
    assert proposal.rule == rule
    expected = {"contact": village.contact_leader, "line": _line_leader(category), None: None}[owner]
    assert proposal.lead_leader == expected
    for w in words:
        assert w in proposal.explanation, proposal.explanation
    if expected is not None:
        assert expected.name in proposal.explanation
    assert proposal.lead_department == category.lead
    assert set(proposal.supporting_departments) == set(category.supporting.all())
    # 涉及部门相关负责人: the heads of the supporting departments too, not only the lead's.
    heads = {d.head for d in [category.lead, *category.supporting.all()]}
    wanted = {village.party_head, village.cadre, *heads} - {None}
    assert set(proposal.responsible_persons) == wanted


def test_another_town_reads_its_own_rules(cast):
    """荷塘镇: collectives from 10 persons, and skip-level petitions do not go to the joint meeting."""
    clerk = cast["h_office"]
    village = Village.objects.filter(town=clerk.town).order_by("order").first()
    farming = Category.objects.get(town=clerk.town, name="农业农村类")
    six = ownership_propose(_case(clerk, village=village, category=farming, matter="土地承包", persons=6))
    assert six.rule == "village" and six.lead_leader == village.contact_leader
    ten = ownership_propose(_case(clerk, village=village, category=farming, matter="土地承包", persons=10))
    assert ten.rule == "joint_meeting"
    province = ownership_propose(
        _case(clerk, village=village, category=farming, matter="土地承包", skip="province")
    )
    assert province.rule == "village"  # Fenjie would wait for the joint meeting here
    social = Category.objects.get(town=clerk.town, name="社会事务类")
    line = ownership_propose(_case(clerk, village=village, category=social))
    assert line.rule == "line" and line.lead_leader == _line_leader(social)


def test_no_village_goes_to_the_line_and_no_category_to_the_village(cast):
    town = cast["office"].town
    city = Category.objects.get(town=town, code="chengxiang")
    outsider = ownership_propose(_case(cast["office"], village=None, category=city))
    assert outsider.rule == "line" and "信访人不属于本镇村（居）" in outsider.explanation
    village = cast["village1"].village
    unsorted = ownership_propose(_case(cast["office"], village=village, category=None))
    assert unsorted.rule == "village" and "尚未分类" in unsorted.explanation


def test_assignment_takes_the_proposal_and_an_override_needs_a_reason(cast, client_as):
    town = cast["office"].town
    village = cast["village1"].village
    category = Category.objects.get(town=town, code="chengxiang")
    case = _case(cast["office"], village=village, category=category)
    case_accept(case_id=case.pk, acting_user=cast["office"])
    api = client_as("office").get(f"/api/v1/cases/{case.pk}/ownership").json()
    assert api["rule"] == "line" and api["lead_leader"]["name"] == _line_leader(category).name
    assert api["explanation"].startswith("因城乡建设类不属于村（居）职权范围")
    with pytest.raises(TransitionInvalid) as refused:
        case_assign(case_id=case.pk, acting_user=cast["office"], lead_leader=village.contact_leader)
    assert "请写明改变推荐的理由" in str(refused.value)
    done = case_assign(
        case_id=case.pk,
        acting_user=cast["office"],
        lead_leader=village.contact_leader,
        override_reason="联系领导熟悉该户情况，经书记同意",
    )
    assert done.lead_leader == village.contact_leader and done.owner_rule == "override"
    assert "联系领导熟悉该户情况" in done.owner_explanation and "规则推荐" in done.owner_explanation
    row = AuditEvent.objects.filter(target_type="信访事项", target_id=str(case.pk), event="update").order_by(
        "-id"
    )[0]
    assert row.new_values["override_reason"] == "联系领导熟悉该户情况，经书记同意"


def test_a_joint_meeting_case_cannot_be_assigned_without_an_owner(cast):
    town = cast["office"].town
    category = Category.objects.get(town=town, code="nongcun")
    case = _case(cast["office"], village=cast["village1"].village, category=category, threat=True)
    case_accept(case_id=case.pk, acting_user=cast["office"])
    with pytest.raises(TransitionInvalid) as refused:
        case_assign(case_id=case.pk, acting_user=cast["office"])
    assert "包案领导须由联席会议确定" in refused.value.errors["lead_leader"]
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_a_matter_must_belong_to_its_category(cast):
    town = cast["office"].town
    category = Category.objects.get(town=town, code="chengxiang")
    with pytest.raises(Exception) as refused:
        _case(cast["office"], village=cast["village1"].village, category=category, matter="土地承包")
    assert "“土地承包”不是城乡建设类的事项" in str(refused.value)
