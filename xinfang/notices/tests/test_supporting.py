"""Supporting departments (配合部门) are sent an assignment notice of their own, marked 配合 in the
notice, its Word document and the inbox; their heads are among the responsible persons
(涉及部门相关负责人, issue 9 item 6)."""

import io

import pytest
from docx import Document

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.cases.transitions import case_accept, case_assign
from xinfang.notices.models import AssignmentNotice
from xinfang.notices.services import notice_acknowledge
from xinfang.org.models import Category, Department

from .conftest import SENT, at, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_by_the_rules(cast):
    """A 城乡建设类 case of village1 assigned as the rules propose: 镇建设和生态环境局 leads, its four
    supporting departments help."""
    case = register(cast)
    with at(SENT):
        case_accept(case_id=case.pk, acting_user=cast["office"])
        return case_assign(case_id=case.pk, acting_user=cast["office"])


@pytest.fixture
def enforcement(cast):
    """A user of 镇综合执法局, one of the supporting departments of 城乡建设类."""
    department = Department.objects.get(town=cast["office"].town, code="zonghezhifa")
    user = User(username="zhifa", town=department.town, role=Role.DEPARTMENT, department=department)
    user.set_password("Cast@2026pw")
    user.save()
    return user


def test_each_supporting_department_gets_a_notice_marked_supporting(cast, assigned_by_the_rules):
    case = assigned_by_the_rules
    category = Category.objects.get(town=case.town, code="chengxiang")
    notices = AssignmentNotice.objects.filter(case=case)
    lead = notices.get(supporting=False, target="department")
    assert lead.department == category.lead and lead.target_label == "条线（部门）"
    helpers = notices.filter(supporting=True)
    assert {n.department for n in helpers} == set(category.supporting.all())
    for notice in helpers:
        assert notice.target == "department" and notice.target_label == "配合（部门）"
        assert notice.requirements.startswith(
            "配合办理：请你单位作为配合部门，按照职责配合牵头部门镇建设和生态环境局"
        )
    assert notices.filter(target="village").count() == 1
    texts = [e.data["text"] for e in case.events.filter(kind="notice_sent")]
    assert sum("（配合（部门））" in t for t in texts) == 4


def test_the_responsible_persons_include_every_involved_departments_head(cast, assigned_by_the_rules):
    case = assigned_by_the_rules
    category = Category.objects.get(town=case.town, code="chengxiang")
    heads = {d.head for d in [category.lead, *category.supporting.all()]}
    assert heads <= set(case.responsible_persons.all())
    for head in heads:
        assert head.name in case.responsible_label


def test_the_supporting_department_finds_it_in_its_inbox_and_signs_it(
    client, cast, assigned_by_the_rules, enforcement
):
    client.force_login(enforcement)
    with at(SENT):
        page = client.get("/notices/").content.decode()
        api = client.get("/api/v1/notices").json()
    assert assigned_by_the_rules.number in page and "配合（部门）" in page
    [item] = api["items"]
    assert item["supporting"] is True and item["target_label"] == "配合（部门）"
    assert item["unit"] == "镇综合执法局"
    with at(SENT):
        signed = notice_acknowledge(notice_id=item["id"], acting_user=enforcement)
    assert signed.acknowledged_by == enforcement
    # dept1 leads and sees its own line notice, not the helpers' as its inbox
    lead_items = client_as_items(cast, "dept1")
    assert [i["supporting"] for i in lead_items] == [False]


def client_as_items(cast, username):
    from django.test import Client

    c = Client()
    c.force_login(cast[username])
    with at(SENT):
        return c.get("/api/v1/notices").json()["items"]


def test_the_word_notice_says_supporting_and_names_the_lead(client, cast, assigned_by_the_rules, enforcement):
    notice = AssignmentNotice.objects.get(case=assigned_by_the_rules, department=enforcement.department)
    client.force_login(enforcement)
    response = client.get(f"/notices/{notice.pk}/document.docx")
    assert response.status_code == 200
    assert "%EF%BC%88%E9%85%8D%E5%90%88%EF%BC%89.docx" in response["Content-Disposition"]  # （配合）.docx
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text.strip()]
    assert text[1] == f"{assigned_by_the_rules.number}（配合）"
    assert text[2] == "镇综合执法局："
    assert text[3] == "根据双向交办的要求，现将下列信访事项交你单位配合镇建设和生态环境局办理。"
    assert "六、配合部门：辖区自然资源和规划部门、镇综合执法局、镇农业农村局、辖区市场监管部门。" in text
    assert any(t.startswith("九、办理要求（配合办理）：请你单位作为配合部门") for t in text)


def test_the_office_sees_the_supporting_notices_on_the_case_page(client_as, cast, assigned_by_the_rules):
    with at(SENT):
        page = client_as("office").get(f"/cases/{assigned_by_the_rules.pk}/").content.decode()
    card = page.split('id="notices"')[1].split("</table>")[0]
    assert card.count("配合（部门）") == 4 and "镇综合执法局" in card
