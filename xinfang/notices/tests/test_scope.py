"""A notice is seen when its case is, and by the unit it is addressed to; another town gets 404."""

import pytest

from xinfang.accounts.choices import VILLAGE_ROLES, WORK_ROLES, Role
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, Department

from .conftest import assign, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def everywhere(cast):
    """Notices of three cases: village1 in dept1's line; village2 outside dept1's lines but assigned
    to dept1 all the same; one of 荷塘镇."""
    assign(cast, register(cast))
    assign(
        cast,
        register(cast, village_of="village2", category="劳动保障类", title="拖欠工资"),
        department=cast["dept1"].department,
    )
    hetang_department = Department.objects.filter(town=cast["h_office"].town).order_by("order").first()
    assign(
        cast,
        register(cast, clerk="h_office", village_of="h_village", category=None, title="荷塘镇道路积水"),
        clerk="h_office",
        department=hetang_department,
    )
    return list(AssignmentNotice.objects.select_related("case"))


def visible(user, notice) -> bool:
    """Worked out from the organisation, not from the scoping function under test."""
    case = notice.case
    if user.role not in WORK_ROLES:
        return False
    if user.role == Role.COUNTY:
        return True
    if case.town_id != user.town_id:
        return False
    if user.role in VILLAGE_ROLES:
        return case.village_id == user.village_id
    if user.role == Role.DEPARTMENT:
        lines = Category.objects.filter(lead=user.department) | user.department.supported_categories.all()
        assigned = case.lead_department_id == user.department_id or (
            case.supporting_departments.filter(pk=user.department_id).exists()
        )
        return (
            case.category_id in set(lines.values_list("pk", flat=True))
            or assigned
            or notice.department_id == user.department_id
        )
    return True


def in_inbox(user, notice) -> bool:
    if user.role == Role.VILLAGE:
        return notice.village_id == user.village_id
    if user.role == Role.DEPARTMENT:
        return notice.department_id == user.department_id
    return visible(user, notice)


def test_every_user_sees_exactly_the_notices_of_their_scope(cast, client_as, everywhere):
    assert len(everywhere) == 6
    problems = []
    for username in sorted(cast):
        user = cast[username]
        client = client_as(username)
        listed = client.get("/api/v1/notices")
        assert listed.status_code == 200, username
        got = {n["id"] for n in listed.json()["items"]}
        want = {n.pk for n in everywhere if visible(user, n) and in_inbox(user, n)}
        if got != want:
            problems.append(f"{username} inbox: {sorted(got)} != {sorted(want)}")
        for notice in everywhere:
            status = client.get(f"/notices/{notice.pk}/document.docx").status_code
            expected = (200,) if visible(user, notice) else (403, 404)
            if status not in expected:
                problems.append(f"{username} notice {notice.pk}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)


def test_the_department_reaches_a_notice_outside_its_lines(cast, client_as, everywhere):
    notice = next(n for n in everywhere if n.case.title == "拖欠工资" and n.department_id)
    assert client_as("dept1").get(f"/notices/{notice.pk}/document.docx").status_code == 200
    assert notice.pk in {n["id"] for n in client_as("dept1").get("/api/v1/notices").json()["items"]}


def test_another_town_gets_404(client_as, everywhere):
    fenjie = [n for n in everywhere if n.case.town.code == "fenjie"]
    for notice in fenjie:
        for username in ("h_office", "h_village"):
            client = client_as(username)
            assert client.get(f"/notices/{notice.pk}/document.docx").status_code == 404
            assert client.post(f"/api/v1/notices/{notice.pk}/acknowledge").status_code == 404
            assert client.post(f"/notices/{notice.pk}/acknowledge/").status_code in (403, 404)
        assert notice.case.number not in client_as("h_office").get("/notices/").content.decode()


def test_the_administrators_have_no_inbox(client_as, everywhere):
    for username in ("sysadmin", "secadmin", "auditadmin"):
        assert client_as(username).get("/notices/").status_code == 403
        assert client_as(username).get("/api/v1/notices").json()["count"] == 0
