"""Every page, API and management view, tried by every member of the cast.

Expectations are built here from the organisation itself, not from the scoping function under test:
a user of one town must find nothing of another town, and a village clerk or grid worker nothing of
another village. A URL that this file does not know fails `test_every_url_is_covered`, so a new view
cannot slip past the check.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xinfang.accounts.choices import VILLAGE_ROLES, WORK_ROLES, Role
from xinfang.accounts.models import ApiToken, User
from xinfang.cases.models import Case, Petitioner
from xinfang.core.admin_site import manage_site
from xinfang.org.models import Category, Department, Grid, Person, Town, Village

pytestmark = pytest.mark.django_db

# How each named page is reached. "list": a GET page; "detail": a GET page per object of a model;
# "post_detail": a POST per object; "exempt": checked elsewhere, with the reason.
PAGES = {
    "home": ("list", "/"),
    "org:towns": ("list", "/org/towns/"),
    "org:villages": ("list", "/org/villages/"),
    "org:village": ("detail", Village),
    "org:departments": ("list", "/org/departments/"),
    "org:department": ("detail", Department),
    "org:categories": ("list", "/org/categories/"),
    "org:leaders": ("list", "/org/leaders/"),
    "org:config": ("list", "/org/config/"),
    "org:person-phone": ("post_detail", Person),
    "cases:list": ("list", "/cases/"),
    "cases:new": ("list", "/cases/new/"),
    "cases:candidates": ("list", "/cases/new/candidates/?village=1&category=1"),
    "cases:export": (
        "exempt",
        "an Excel file of the ledger: cases/tests/test_ledger checks its rows per user",
    ),
    "cases:import": ("list", "/cases/import/"),
    "cases:import-template": (
        "exempt",
        "an Excel file of the town's villages and categories: cases/tests/test_import checks other towns'",
    ),
    "cases:detail": ("detail", Case),
    "cases:receipt": ("detail", Case),
    "cases:petitioner": ("detail", Petitioner),
    "cases:document": ("exempt", "a file per case: cases/tests/test_documents checks other towns get 404"),
    "cases:action": ("exempt", "a POST on a case: cases/tests/test_transitions checks other towns get 404"),
    "attachments:download": (
        "exempt",
        "a file per attachment: attachments/tests/test_scope checks every user against the case page",
    ),
    "attachments:upload": (
        "exempt",
        "a POST on a case: attachments/tests/test_pages checks other towns get 404",
    ),
    "notices:inbox": ("list", "/notices/?overdue=1"),
    "notices:acknowledge": (
        "exempt",
        "a POST on a notice: notices/tests/test_scope checks other towns and villages get 404",
    ),
    "notices:document": (
        "exempt",
        "a Word file per notice: notices/tests/test_scope checks every user against the notice's scope",
    ),
    "relief:record": ("exempt", "a POST on a case: relief/tests/test_pages checks other towns get 404"),
    "relief:totals": ("list", "/relief/?period=year"),
    "relief:export": (
        "exempt",
        "an Excel file of a period: relief/tests/test_totals checks its rows per user",
    ),
    "plans:incomplete": ("list", "/plans/incomplete/"),
    "plans:incomplete-export": (
        "exempt",
        "an Excel file of the list: plans/tests/test_one_plan checks another town's rows stay out",
    ),
    "plans:plan": ("exempt", "a POST on a case: plans/tests/test_pages checks other towns get 404"),
    "plans:task-force": ("exempt", "a POST on a case: plans/tests/test_pages checks other towns get 404"),
    "plans:milestone-add": ("exempt", "a POST on a case: plans/tests/test_pages checks other towns get 404"),
    "plans:milestone-done": (
        "exempt",
        "a POST on a milestone: plans/tests/test_pages checks other towns get 404",
    ),
    "plans:milestone-progress": (
        "exempt",
        "a POST on a milestone: plans/tests/test_pages checks other towns get 404",
    ),
    "alerts:inbox": ("list", "/alerts/"),
    "alerts:open": ("exempt", "a POST on one's own alert: alerts/tests checks another user's answers 404"),
    "alerts:read-all": ("exempt", "a POST that marks only one's own alerts: alerts/tests"),
    "warnings:board": ("list", "/warnings/"),
    "warnings:detail": (
        "exempt",
        "a page per warning: warnings/tests/test_access checks other villages and towns get 404",
    ),
    "warnings:ack": ("exempt", "a POST per warning: warnings/tests/test_access"),
    "warnings:handle": ("exempt", "a POST per warning: warnings/tests/test_access"),
    "stability:key-persons": ("list", "/stability/key-persons/?status="),
    "stability:key-person-new": ("list", "/stability/key-persons/new/"),
    "stability:key-person": (
        "exempt",
        "a page per key person: stability/tests/test_scope checks each reader",
    ),
    "stability:contact": (
        "exempt",
        "a form per key person: stability/tests/test_scope checks other villages get 404",
    ),
    "stability:alarm-step": ("exempt", "a POST per alarm: stability/tests/test_scope, as its key person"),
    "stability:periods": ("list", "/stability/periods/"),
    "stability:period": (
        "exempt",
        "a board per period: stability/tests/test_scope checks other towns get 404",
    ),
    "stability:stay": ("exempt", "a POST per period and key person: stability/tests/test_pages"),
    "stability:report": ("exempt", "a POST for the user's own village: stability/tests/test_pages"),
    "stability:registration": ("exempt", "a POST per period: stability/tests/test_pages"),
    "stability:incidents": ("list", "/stability/incidents/"),
    "stability:follow-ups": ("list", "/stability/follow-ups/?due=0"),
    "stability:follow-up": (
        "exempt",
        "a POST per follow-up: stability/tests/test_scope checks other villages",
    ),
    "supervision:notices": ("list", "/supervision/"),
    "supervision:notice-new": ("list", "/supervision/new/"),
    "supervision:visits": ("list", "/supervision/visits/"),
    "supervision:notice": (
        "exempt",
        "a page per notice: supervision/tests/test_notices checks every role and the other town",
    ),
    "supervision:document": ("exempt", "a Word file per notice: supervision/tests/test_notices, as its page"),
    "supervision:reply": ("exempt", "a POST per notice: supervision/tests/test_notices checks 404 and 403"),
    "supervision:close": ("exempt", "a POST per notice: supervision/tests/test_notices checks 403"),
    "scoring:ranking": ("list", "/scoring/?period=2026-11"),
    "scoring:export": ("exempt", "an Excel file of the ranking: scoring/tests/test_scores checks its rows"),
    "scoring:facts": (
        "exempt",
        "a page per unit and item: scoring/tests/test_scores checks the other town's units answer 404",
    ),
    "scoring:accountability": ("list", "/scoring/accountability/"),
    "meetings:list": ("list", "/meetings/"),
    "meetings:new": ("list", "/meetings/new/"),
    "meetings:cadence": ("list", "/meetings/cadence/?view=year"),
    "meetings:detail": (
        "exempt",
        "a page per meeting: meetings/tests/test_api_and_pages checks other towns and villages",
    ),
    "meetings:minutes": (
        "exempt",
        "a file per meeting: meetings/tests/test_api_and_pages checks other towns",
    ),
    "meetings:task-done": ("exempt", "a POST per task: meetings/tests/test_meetings checks who may"),
    "meetings:receptions": ("list", "/meetings/receptions/"),
    "meetings:reception": (
        "exempt",
        "a page per reception day: meetings/tests/test_receptions checks other towns",
    ),
    "cases:batch-assign": ("list", "/cases/batch-assign/"),
    "reports:index": ("list", "/reports/"),
    "reports:dashboard": ("list", "/reports/dashboard/"),
    "reports:new": ("exempt", "a POST that asks for a report: reports/tests/test_reports checks who may"),
    "reports:job": ("exempt", "a row per job, its owner's alone: reports/tests/test_reports checks 404"),
    "reports:download": (
        "exempt",
        "a file per job, its owner's alone: reports/tests/test_reports checks 404",
    ),
    "reports:delete": ("exempt", "a POST per job, its owner's alone: reports/tests/test_reports checks 404"),
    "cases:threat-dismiss": ("exempt", "a POST per threat hit: cases/tests/test_threat checks 403 and 404"),
    "screening:rounds": ("list", "/screening/rounds/"),
    "screening:assessments": ("list", "/screening/assessments/"),
    "screening:missing-assessments": ("list", "/screening/assessments/missing/"),
    "screening:assessment-new": ("list", "/screening/assessments/new/"),
    "screening:round": ("exempt", "a page per round: screening/tests/test_pages checks other towns get 404"),
    "screening:report": ("exempt", "the user's own unit's form: screening/tests/test_pages checks who may"),
    "screening:cross": ("exempt", "a page per round: screening/tests/test_pages checks each reader's units"),
    "screening:item": ("exempt", "a page per item: screening/tests/test_items checks villages and towns"),
    "screening:item-outcome": ("exempt", "a POST per item by the office: screening/tests/test_items"),
    "screening:assessment": ("exempt", "a page per assessment: screening/tests/test_pages checks 404"),
    "metrics:items": ("list", "/metrics/prominent_cases/?from=2026-01-01&to=2026-12-31"),
    "audit:list": ("list", "/audit/"),
    "audit:export": ("exempt", "an Excel file: xinfang/audit/tests checks its rows"),
    "login": ("exempt", "public sign-in page, shows no data"),
    "logout": ("exempt", "ends the session, shows no data"),
    "password-change": ("list", "/password/"),
    "account-unlock": ("exempt", "a POST by name: accounts/tests/test_sign_in checks it across towns"),
    "healthz": ("exempt", "reports only the database and queue state"),
    "public-query": (
        "exempt",
        "public by an unguessable code, shows no personal data: cases/tests/test_public_query",
    ),
}


def _named_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):
                continue  # checked below through their own registries
            ns = f"{p.namespace}:" if p.namespace else prefix
            yield from _named_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{prefix}{p.name}" if p.name else str(p.pattern)


def test_every_url_is_covered():
    names = set(_named_patterns(get_resolver().url_patterns))
    missing = names - set(PAGES)
    assert not missing, f"new URLs need a line in PAGES so that the scoping test covers them: {missing}"


class Expectation:
    """What one user must never find, and which objects must answer 404 to them."""

    def __init__(self, user: User):
        self.user = user
        town = user.town
        county = user.role == Role.COUNTY
        village_bound = user.role in VILLAGE_ROLES

        def outside(obj_town_id, obj_village_id=None):
            if county:
                return False
            if obj_town_id != user.town_id:
                return True
            return village_bound and obj_village_id is not None and obj_village_id != user.village_id

        def case_outside(case):
            if user.role not in WORK_ROLES:
                return True  # the three administrators read no cases
            if outside(case.town_id, case.village_id):
                return True
            if user.role == Role.DEPARTMENT:
                lines = {c.pk for c in Category.objects.filter(lead=user.department)}
                lines |= {c.pk for c in user.department.supported_categories.all()}
                assigned = case.lead_department_id == user.department_id or (
                    case.supporting_departments.filter(pk=user.department_id).exists()
                )
                return case.category_id not in lines and not assigned
            return False

        def petitioner_outside(person):
            if user.role not in WORK_ROLES:
                return True
            if outside(person.town_id, person.village_id):
                return True
            if user.role == Role.DEPARTMENT:
                return all(case_outside(c) for c in Case.objects.filter(petitions__petitioners=person))
            return False

        # Each model: whether an object is outside the user's reach, and the text that names it.
        placed = {
            Village: (lambda o: outside(o.town_id, o.pk), "name"),
            Person: (lambda o: outside(o.town_id, o.village_id), "name"),
            Department: (lambda o: outside(o.town_id), "name"),
            Category: (lambda o: outside(o.town_id), "name"),
            Case: (case_outside, "title"),
            Petitioner: (petitioner_outside, "name"),
        }
        self.hidden = {model: set() for model in placed}
        forbidden = set()
        visible = set()
        for model, (is_outside, label) in placed.items():
            for obj in model.objects.all():
                if is_outside(obj):
                    self.hidden[model].add(obj.pk)
                    forbidden.add(getattr(obj, label))
                else:
                    visible.add(getattr(obj, label))
        for t in Town.objects.all():
            (forbidden if not county and t.pk != user.town_id else visible).add(t.name)
        if town is not None and town.code == "fenjie":
            forbidden |= set(User.objects.filter(town__code="hetang").values_list("full_name", flat=True))
        # The unit that issues the office's notices and receipts in the user's own town.
        if town is not None:
            visible.add(f"{town.name}信访工作联席会议办公室")
        # A name that also belongs to something the user may see (two towns may both have a
        # 镇财政局) proves nothing either way.
        self.forbidden = {n for n in forbidden - visible if n}
        # Nor does one found only inside a longer name the user may see (Fenjie's department
        # 镇信访工作联席会议办公室 inside 荷塘镇信访工作联席会议办公室).
        self.within = {n: [v for v in visible if v and n in v and v != n] for n in self.forbidden}

    def leaks(self, text: str) -> list[str]:
        found = []
        for n in self.forbidden:
            rest = text
            for longer in self.within[n]:
                rest = rest.replace(longer, "")
            if n in rest:
                found.append(n)
        return sorted(found)


CASES = [
    # (registering user, village of the petitioner, category, title): titles are unique on purpose.
    ("office", "village1", "农业农村类", "青松村宅基地边界纠纷（范围测试）"),
    ("office", "village2", "城乡建设类", "红旗村拆迁补偿争议（范围测试）"),
    ("office", "village2", "劳动保障类", "红旗村拖欠工资（范围测试）"),
    ("h_office", "h_village", None, "荷塘镇道路积水（范围测试）"),
]


@pytest.fixture
def some_activity_in_both_towns(cast):
    from django.utils import timezone

    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    for username, village_of, category, title in CASES:
        clerk = cast[username]
        petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name=f"{title[:2]}信访人", village=cast[village_of].village),
                title=title,
                content=title,
                category=Category.objects.filter(town=clerk.town, name=category).first()
                if category
                else None,
            ),
            acting_user=clerk,
        )
    for username in ("h_village", "h_office", "village2", "office"):
        c = Client()
        c.force_login(cast[username])
        c.get("/")
    Client().post("/login/", {"username": "h_village", "password": "wrong"})


def _users(cast):
    return sorted(cast.values(), key=lambda u: u.username)


def test_no_page_shows_anything_out_of_scope(cast, some_activity_in_both_towns):
    problems = []
    for user in _users(cast):
        expect = Expectation(user)
        client = Client()
        client.force_login(user)
        for name, (kind, target) in PAGES.items():
            if kind == "list":
                response = client.get(target)
                # A metric's list asks the county which town it means (400, in Chinese).
                allowed = (
                    (200, 403, 400) if user.role == Role.COUNTY and name == "metrics:items" else (200, 403)
                )
                assert response.status_code in allowed, (user.username, target, response.status_code)
                if leaks := expect.leaks(response.content.decode()):
                    problems.append(f"{user.username} {target}: {leaks[:5]}")
            elif kind in ("detail", "post_detail"):
                model = target
                for obj in model.objects.all():
                    url = reverse(name, args=[obj.pk])
                    if kind == "post_detail":
                        response = client.post(url)
                    else:
                        response = client.get(url)
                    if obj.pk in expect.hidden[model]:
                        if response.status_code not in (403, 404):
                            problems.append(f"{user.username} {url}: {response.status_code}, expected 404")
                    elif response.status_code == 200 and (leaks := expect.leaks(response.content.decode())):
                        problems.append(f"{user.username} {url}: {leaks[:5]}")
    assert not problems, "\n".join(problems)


def test_village_clerks_see_their_own_village_and_not_the_other(client_as, cast):
    own, other = cast["village1"].village, cast["village2"].village
    page = client_as("village1").get("/org/villages/").content.decode()
    assert own.name in page and own.party_head.name in page
    assert other.name not in page and other.party_head.name not in page
    assert client_as("village1").get(f"/org/villages/{other.pk}/").status_code == 404
    assert client_as("village2").get(f"/org/villages/{other.pk}/").status_code == 200


def test_the_county_bureau_reads_across_towns(client_as):
    page = client_as("county").get("/org/villages/").content.decode()
    assert "分界镇" in page and "荷塘镇" in page


def test_the_system_administrator_cannot_open_the_audit_log(client_as):
    response = client_as("sysadmin").get("/audit/")
    assert response.status_code == 403
    assert "不能使用此功能" in response.content.decode()
    assert client_as("sysadmin").get("/audit/export/").status_code == 403
    assert client_as("auditadmin").get("/audit/").status_code == 200


def _api_paths():
    from config.api import api

    schema = api.get_openapi_schema()
    return [(path, ops) for path, ops in schema["paths"].items()]


def test_no_api_answer_shows_anything_out_of_scope(cast, some_activity_in_both_towns):
    covered = {
        "/api/v1/me",
        "/api/v1/config/categories",
        "/api/v1/config/villages",
        "/api/v1/config/villages/{village_id}",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/petitions",  # a POST: linking out of scope is refused in cases/tests/test_intake.py
        "/api/v1/cases/{case_id}/actions/{action}",  # a POST: cases/tests/test_transitions
        "/api/v1/cases/{case_id}/ownership",
        "/api/v1/cases/{case_id}/attachments",  # attachments/tests/test_scope: as the case, per user
        "/api/v1/attachments/{attachment_id}/content",  # attachments/tests/test_scope
        "/api/v1/notices",
        "/api/v1/notices/{notice_id}/acknowledge",  # a POST: notices/tests/test_scope
        "/api/v1/cases/{case_id}/reliefs",  # relief/tests/test_scope: as the case, per user
        "/api/v1/reliefs/totals",  # relief/tests/test_scope: per user, other towns' reliefs never counted
        "/api/v1/cases/{case_id}/plan",  # plans/tests/test_api: other towns and villages get 404
        "/api/v1/cases/{case_id}/task-force",  # plans/tests/test_api
        "/api/v1/cases/{case_id}/milestones",  # a POST: plans/tests/test_api
        "/api/v1/milestones/{milestone_id}/progress",  # a POST: plans/tests/test_api
        "/api/v1/milestones/{milestone_id}/done",  # a POST: plans/tests/test_api
        "/api/v1/alerts",  # each user's own: alerts/tests checks nobody reads another's
        "/api/v1/alerts/{alert_id}/read",  # a POST: alerts/tests, another user's alert answers 404
        # 预警: warnings/tests/test_access checks each user sees only their own, others' answer 404
        "/api/v1/warnings",
        "/api/v1/warnings/{warning_id}",
        "/api/v1/warnings/{warning_id}/ack",  # a POST
        "/api/v1/warnings/{warning_id}/handle",  # a POST
        # 稳控: stability/tests/test_scope checks each reader against each key person and list
        "/api/v1/petitioners",
        "/api/v1/key-persons",
        "/api/v1/key-persons/{key_person_id}",
        "/api/v1/key-persons/{key_person_id}/contacts",  # a POST: stability/tests/test_scope
        "/api/v1/protection-periods",
        "/api/v1/protection-periods/{period_id}/board",
        "/api/v1/incidents",
        "/api/v1/follow-ups",
        "/api/v1/follow-ups/{follow_up_id}",  # a POST: stability/tests/test_scope
        # 督查督办 and 考核问责: supervision/tests and scoring/tests check each role and the other town
        "/api/v1/supervision-notices",
        "/api/v1/supervision-notices/{notice_id}",
        "/api/v1/supervision-notices/{notice_id}/replies",  # a POST: supervision/tests/test_notices
        "/api/v1/supervision-notices/{notice_id}/close",  # a POST: supervision/tests/test_notices
        "/api/v1/supervision-visits",
        "/api/v1/scores",  # scoring/tests/test_scores: another town's office gets its own units only
        "/api/v1/scores/{kind}/{unit_id}/{key}",  # scoring/tests/test_scores: another town's unit 404
        "/api/v1/accountability",
        # 会议与接访: meetings/tests checks other towns get 404 and villages see only their cases
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/minutes",
        "/api/v1/meeting-tasks/{task_id}/done",  # a POST: meetings/tests/test_meetings
        "/api/v1/meeting-cadence",  # the user's own town; the county names one it reads
        "/api/v1/receptions",
        "/api/v1/receptions/{reception_id}/petitions",  # a POST: meetings/tests/test_receptions
        "/api/v1/cases/batch-assign",  # a POST by the office: meetings/tests/test_batch_assign
        # 报表: each job its owner's alone (reports/tests/test_reports: another user and town get 404)
        "/api/v1/reports",
        "/api/v1/reports/{report_id}",
        "/api/v1/reports/{report_id}/file",
        "/api/v1/petitions/{petition_id}/threat-hits/{index}/dismiss",  # a POST: cases/tests/test_threat
        # 排查与研判: the lists are read by every user below; screening/tests check each object's readers
        "/api/v1/screening-rounds",
        "/api/v1/screening-rounds/{round_id}",  # screening/tests/test_api: other towns get 404
        "/api/v1/screening-rounds/{round_id}/reports",  # a POST for the user's own unit
        "/api/v1/screening-items",
        "/api/v1/screening-items/{item_id}/outcome",  # a POST by the office: screening/tests/test_items
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}/complete",  # a POST: screening/tests/test_assessments
        "/api/v1/assessments/{assessment_id}/escalate",  # a POST: screening/tests/test_assessments
        "/api/v1/assessments/missing",
        # 三降四升五不: read by every user below; metrics/tests/test_scope checks numbers per reader
        "/api/v1/metrics",
        "/api/v1/metrics/{key}/items",
        "/api/v1/metrics/{key}/monthly",
    }
    paths = dict(_api_paths())
    assert set(paths) == covered, f"new API paths need a check here: {set(paths) - covered}"
    problems = []
    for user in _users(cast):
        expect = Expectation(user)
        client = Client()
        client.force_login(user)
        for path in (
            "/api/v1/me",
            "/api/v1/config/categories",
            "/api/v1/config/villages",
            "/api/v1/cases",
            "/api/v1/notices",
            "/api/v1/supervision-notices",
            "/api/v1/supervision-visits",
            "/api/v1/accountability",
        ):
            response = client.get(path)
            assert response.status_code == 200, (user.username, path)
            if leaks := expect.leaks(response.content.decode()):
                problems.append(f"{user.username} {path}: {leaks[:5]}")
        # Lists some roles may not read at all (403): what the others get must stay in their scope.
        for path in (
            "/api/v1/screening-rounds",
            "/api/v1/screening-items",
            "/api/v1/assessments",
            "/api/v1/assessments/missing",
            "/api/v1/metrics?from=2026-01-01&to=2026-12-31",
            "/api/v1/metrics/prominent_cases/items?from=2026-01-01&to=2026-12-31",
            "/api/v1/metrics/prominent_cases/monthly?year=2026",
        ):
            response = client.get(path)
            assert response.status_code in (200, 403, 422), (user.username, path, response.status_code)
            if leaks := expect.leaks(response.content.decode()):
                problems.append(f"{user.username} {path}: {leaks[:5]}")
        for village in Village.objects.all():
            response = client.get(f"/api/v1/config/villages/{village.pk}")
            # The audit administrator reads no organisation data at all.
            reads_org = user.role != Role.AUDITADMIN
            expected = 200 if reads_org and village.pk not in expect.hidden[Village] else 404
            if response.status_code != expected:
                problems.append(
                    f"{user.username} village {village.pk}: {response.status_code}, expected {expected}"
                )
        for case in Case.objects.all():
            response = client.get(f"/api/v1/cases/{case.pk}/ownership")
            expected = 404 if case.pk in expect.hidden[Case] else 200
            if response.status_code != expected:
                problems.append(
                    f"{user.username} ownership {case.pk}: {response.status_code}, expected {expected}"
                )
            elif leaks := expect.leaks(response.content.decode()):
                problems.append(f"{user.username} ownership {case.pk}: {leaks[:5]}")
    assert not problems, "\n".join(problems)


class _Request:
    def __init__(self, user):
        self.user = user


def _owning_town(obj):
    if isinstance(obj, Town):
        return obj.pk
    if isinstance(obj, Grid):
        return obj.village.town_id
    if isinstance(obj, ApiToken):
        return obj.user.town_id
    # National data (the working calendar) belongs to no town and is shown to every town.
    return getattr(obj, "town_id", None)


def test_the_management_site_shows_each_administrator_only_their_town(cast):
    problems = []
    admins = [u for u in _users(cast) if u.role in (Role.SYSADMIN, Role.SECADMIN)]
    for user in admins:
        expect = Expectation(user)
        client = Client()
        client.force_login(user)
        for model, model_admin in manage_site._registry.items():
            opts = model._meta
            changelist = f"/manage/{opts.app_label}/{opts.model_name}/"
            response = client.get(changelist)
            allowed = user.role in model_admin.roles
            if not allowed:
                if response.status_code not in (302, 403):
                    problems.append(f"{user.username} {changelist}: {response.status_code}, expected refusal")
                continue
            assert response.status_code == 200, (user.username, changelist)
            if leaks := expect.leaks(response.content.decode()):
                problems.append(f"{user.username} {changelist}: {leaks[:5]}")
            # Forms offer choices (villages, people, departments): none of another town's.
            own = model_admin.get_queryset(_Request(user)).first()
            forms = [f"{changelist}{own.pk}/change/"] if own else []
            if model_admin.has_add_permission(_Request(user)):
                forms.append(f"{changelist}add/")
            for url in forms:
                form = client.get(url)
                assert form.status_code == 200, (user.username, url)
                if leaks := expect.leaks(form.content.decode()):
                    problems.append(f"{user.username} {url}: {leaks[:5]}")
            for obj in model._default_manager.all():
                owner = _owning_town(obj)
                if owner is not None and owner != user.town_id:
                    change = f"{changelist}{obj.pk}/change/"
                    status = client.get(change).status_code
                    if status != 404:
                        problems.append(f"{user.username} {change}: {status}, expected 404")
    assert not problems, "\n".join(problems)


def test_work_roles_cannot_open_the_management_site(client_as):
    for username in ("office", "village1", "auditadmin", "supervisor"):
        assert client_as(username).get("/manage/").status_code == 403
