"""The leak matrix (issue 8): every member of the cast × every list, detail, page, export, document,
attachment, petitioner page and search, of the API and the pages, over objects each reader must not
see: a case of another village, one of another department's category, one of another town, and
accusations against the reader (a leader, a department, a village); and 稳控, where the petitioners of
the first three are key persons (of village2, of village1 through another department's case, of
another town) with a contact, a protection period's board and an incident. 0 leaks.

The data is built once, in the one test below; every row of the table is a request. A detail answers
anything but 2xx to a reader who may not see its object; a list, search or export never contains the
object's markers (its title, its petitioner's name, its attachment's file name). Positive rows check
that each object does show to the readers who may see it, so that an empty page cannot pass for a
safe one. `docs/reliability.md` (泄露矩阵) quotes the figures asserted at the end.
"""

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from xinfang.attachments.services import attachment_add
from xinfang.attachments.tests.files import pdf_bytes
from xinfang.cases.models import Case
from xinfang.cases.ownership import ownership_propose
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.transitions import case_accept, case_assign
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, Village
from xinfang.plans.services import milestone_add, plan_save, task_force_set
from xinfang.relief.services import relief_record
from xinfang.stability.services import contact_log, incident_record, key_person_create, period_create

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 8, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CAST = [
    "office",
    "leader1",
    "dept1",
    "village1",
    "village2",
    "grid1",
    "supervisor",
    "county",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "h_office",
    "h_village",
    "h_sysadmin",
    "h_secadmin",
    "h_auditadmin",
]
ADMINS = {"sysadmin", "secadmin", "auditadmin", "h_sysadmin", "h_secadmin", "h_auditadmin"}
HETANG = {"h_office", "h_village"}
# ID numbers with a right check digit, one per petitioner.
IDS = ["110101199003074514", "110101199003074645", "110101199003074776", "110101199003074901"]
IDS += ["110101199003075031", "110101199003075162"]


@dataclass
class Secret:
    """One object some readers must not see, with what would betray it."""

    key: str
    what: str
    forbidden: set[str]
    allowed: set[str]  # readers it must show to (the positive rows)
    case: Case | None = None
    petitioner_id: int = 0
    id_number: str = ""
    attachment_id: int = 0
    notice_ids: list[int] = field(default_factory=list)
    # 稳控: its petitioner a key person, shown (positive rows) to these readers
    key_person_readers: set[str] = field(default_factory=set)
    key_person_id: int = 0

    @property
    def markers(self) -> list[str]:
        return [f"泄露{self.key}号事项", f"泄露{self.key}某", f"泄露{self.key}材料"]


SECRETS = [
    Secret(
        "甲",
        "另一个村（居）的事项",
        {"village1", "grid1", "dept1", *ADMINS, *HETANG},
        {"office", "leader1", "village2", "supervisor", "county"},
        key_person_readers={"office", "leader1", "village2", "supervisor", "county"},
    ),
    Secret(
        "乙",
        "另一个部门类别的事项",
        {"dept1", "village2", *ADMINS, *HETANG},
        {"office", "village1", "grid1", "supervisor", "county"},
        key_person_readers={"office", "leader1", "village1", "supervisor", "county"},
    ),
    Secret(
        "丙",
        "另一个镇的事项",
        {c for c in CAST if c not in HETANG and c != "county"} | {"h_sysadmin", "h_secadmin", "h_auditadmin"},
        {"h_office", "h_village", "county"},
        key_person_readers={"h_office", "h_village", "county"},
    ),
    Secret(
        "丁一",
        "检举控告镇领导（leader1）",
        # accusations stay with who handles them: not even the petitioner's own village sees it
        {"leader1", "village1", "village2", "grid1", "dept1", *ADMINS, *HETANG},
        {"office", "supervisor", "county"},
    ),
    Secret(
        "丁二",
        "检举控告部门（dept1）",
        {"dept1", "village1", "grid1", "village2", *ADMINS, *HETANG},
        {"office", "leader1", "supervisor", "county"},
    ),
    Secret(
        "丁三",
        "检举控告村（居）（village1）",
        {"village1", "grid1", "village2", "dept1", *ADMINS, *HETANG},
        {"office", "leader1", "supervisor", "county"},
    ),
]


def _build(cast, secret: Secret, *, clerk, village, category, id_number, **accused):
    kind = "accusation" if accused else "claim"
    petition = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=NOW - dt.timedelta(days=3),
            petitioner=PetitionerIn(name=secret.markers[1], id_number=id_number, village=village),
            title=secret.markers[0],
            content=f"{secret.what}：诉求内容。",
            kind=kind,
            category=category,
            has_threat=True,  # prominent: on the ledger, the desk and the five-haves page
            **accused,
        ),
        acting_user=clerk,
    )
    case = petition.case
    proposal = ownership_propose(case)
    leader = proposal.lead_leader or village.contact_leader
    case_accept(case_id=case.pk, acting_user=clerk)
    case_assign(
        case_id=case.pk,
        acting_user=clerk,
        lead_leader=leader,
        lead_department=proposal.lead_department or category.lead,
        override_reason="" if leader == proposal.lead_leader else "经联席会议确定",
        plan="化稳方案",
    )
    person = petition.petitioners.get()
    plan_save(case_id=case.pk, acting_user=clerk, judgement="reasonable", measures="入户走访")
    task_force_set(case_id=case.pk, acting_user=clerk, members=[(leader, "组长", True)])
    milestone_add(case_id=case.pk, acting_user=clerk, title="核实情况", due_on=NOW.date())
    relief_record(
        case_id=case.pk,
        acting_user=clerk,
        kind="temporary",
        amount="1000",
        given_on=NOW.date(),
        approved_by="审批人",
        petitioner=person.pk,
    )
    upload = SimpleUploadedFile(f"{secret.markers[2]}.pdf", pdf_bytes(), content_type="application/pdf")
    secret.attachment_id = attachment_add(case_id=case.pk, acting_user=clerk, file=upload, kind="material").pk
    secret.case, secret.petitioner_id, secret.id_number = case, person.pk, id_number
    secret.notice_ids = list(AssignmentNotice.objects.filter(case=case).values_list("pk", flat=True))
    if secret.key_person_readers:
        kp = key_person_create(
            acting_user=clerk,
            petitioner_id=person.pk,
            level="high",
            reasons=f"{secret.what}的信访人，多次越级上访",
            keepers=[village.party_head_id] if village.party_head_id else [],
            case_id=case.pk,
        )
        contact_log(key_person_id=kp.pk, acting_user=clerk, way="in_person", found="home", note="在家")
        incident_record(
            acting_user=clerk,
            kind="kp_leave",
            occurred_at=NOW - dt.timedelta(days=1),
            level_reached="county",
            key_person_ids=[kp.pk],
            case_ids=[case.pk],
        )
        secret.key_person_id = kp.pk


def build(cast) -> dict:
    """The secrets, and what the town's readers share: a protection period with every kept key person
    (its board lists only those each reader may see)."""
    office, town = cast["office"], cast["office"].town
    village1, village2 = cast["village1"].village, cast["village2"].village
    nongcun = Category.objects.get(town=town, code="nongcun")
    by_key = {s.key: s for s in SECRETS}
    _build(cast, by_key["甲"], clerk=office, village=village2, category=nongcun, id_number=IDS[0])
    junren = Category.objects.get(town=town, code="junren")
    _build(cast, by_key["乙"], clerk=office, village=village1, category=junren, id_number=IDS[1])
    h_office = cast["h_office"]
    _build(
        cast,
        by_key["丙"],
        clerk=h_office,
        village=Village.objects.filter(town=h_office.town).order_by("order").first(),
        category=Category.objects.get(town=h_office.town, name="农业农村类"),
        id_number=IDS[2],
    )
    _build(
        cast,
        by_key["丁一"],
        clerk=office,
        village=village2,
        category=nongcun,
        id_number=IDS[3],
        accused_persons=[cast["leader1"].person],
    )
    _build(
        cast,
        by_key["丁二"],
        clerk=office,
        village=village1,
        category=Category.objects.get(town=town, code="chengxiang"),
        id_number=IDS[4],
        accused_departments=[cast["dept1"].department],
    )
    _build(
        cast,
        by_key["丁三"],
        clerk=office,
        village=village1,
        category=nongcun,
        id_number=IDS[5],
        accused_villages=[village1],
    )
    period = period_create(
        acting_user=office,
        name="国庆保障期",
        start=NOW.date(),
        end=NOW.date() + dt.timedelta(days=7),
        level="national",
    )
    return {"period": period.pk}


# Lists, searches and exports: the same for every object, read for its markers.
LISTS = [
    "/api/v1/cases",
    "/api/v1/cases?q=泄露",
    "/api/v1/cases?view=prominent&limit=500",
    "/api/v1/cases?view=all&flag=threat&limit=500",
    "/api/v1/notices?limit=500",
    "/api/v1/reliefs/totals",
    "/",
    "/cases/",
    "/cases/?q=泄露",
    "/cases/?view=prominent",
    "/cases/export.xlsx",
    "/cases/export.xlsx?q=泄露",
    "/notices/",
    "/notices/?overdue=1",
    "/plans/incomplete/",
    "/relief/",
    "/relief/export.xlsx",
    "/audit/",
    "/audit/export/",
    "/api/v1/key-persons?limit=500",
    "/api/v1/key-persons?q=泄露&status=kept",
    "/api/v1/petitioners?q=泄露&limit=500",
    "/api/v1/incidents?limit=500",
    "/api/v1/protection-periods/{period}/board",
    "/stability/key-persons/",
    "/stability/key-persons/?q=泄露",
    "/stability/periods/{period}/",
    "/stability/incidents/",
]
# Details of one object, and searches by what identifies it.
DETAILS = [
    ("api 事项", "/api/v1/cases/{case}"),
    ("api 包案推荐", "/api/v1/cases/{case}/ownership"),
    ("api 附件列表", "/api/v1/cases/{case}/attachments"),
    ("api 附件内容", "/api/v1/attachments/{attachment}/content"),
    ("api 化稳方案", "/api/v1/cases/{case}/plan"),
    ("api 工作专班", "/api/v1/cases/{case}/task-force"),
    ("api 专项救助", "/api/v1/cases/{case}/reliefs"),
    ("事项页", "/cases/{case}/"),
    ("信访人页", "/cases/petitioners/{petitioner}/"),
    ("受理告知书", "/cases/{case}/documents/acceptance.docx"),
    ("附件下载", "/cases/{case}/attachments/{attachment}/"),
]
SEARCHES = [
    ("重复信访候选（身份证号）", "/cases/new/candidates/?id_number={id_number}"),
    ("台账搜索（编号）", "/cases/?q={number}"),
    ("api 搜索（编号）", "/api/v1/cases?q={number}"),
    ("api 信访人查询（身份证号）", "/api/v1/petitioners?q={id_number}"),
    ("api 重点人员搜索（身份证号）", "/api/v1/key-persons?q={id_number}"),
    ("重点人员搜索（身份证号）", "/stability/key-persons/?q={id_number}"),
]
# Details of a secret that is a key person.
KEY_PERSON_DETAILS = [
    ("api 重点人员", "/api/v1/key-persons/{key_person}"),
    ("重点人员页", "/stability/key-persons/{key_person}/"),
    ("见面记录页", "/stability/key-persons/{key_person}/contact/"),
]


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx, docx: the text is in the zipped XML
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8", "replace")


def test_no_reader_sees_anything_out_of_scope(cast, tmp_path):
    with override_settings(XINFANG_ATTACHMENT_DIR=tmp_path), time_machine.travel(NOW):
        shared = build(cast)
        leaks, checks, shown = [], 0, 0
        for username in CAST:
            client = Client()
            client.force_login(cast[username])
            hidden = [s for s in SECRETS if username in s.forbidden]
            visible = [s for s in SECRETS if username in s.allowed]
            assert not {s.key for s in hidden} & {s.key for s in visible}
            for url in LISTS:
                url = url.format(**shared)
                response = client.get(url)
                assert response.status_code < 500, (username, url, response.status_code)
                body = text_of(response)
                for secret in hidden:
                    checks += 1
                    if found := [m for m in secret.markers if m in body]:
                        leaks.append(f"{username} · {url} · {secret.what}：{found}")
            for secret in hidden:
                case = secret.case
                values = {
                    "case": case.pk,
                    "petitioner": secret.petitioner_id,
                    "attachment": secret.attachment_id,
                    "id_number": secret.id_number,
                    "number": case.number,
                    "key_person": secret.key_person_id,
                }
                details = DETAILS + (KEY_PERSON_DETAILS if secret.key_person_id else [])
                rows = [(label, url.format(**values), True) for label, url in details]
                rows += [(label, url.format(**values), False) for label, url in SEARCHES]
                rows += [("交办单（Word）", f"/notices/{pk}/document.docx", True) for pk in secret.notice_ids]
                for label, url, detail in rows:
                    checks += 1
                    response = client.get(url)
                    assert response.status_code < 500, (username, url, response.status_code)
                    if detail and 200 <= response.status_code < 300:
                        leaks.append(f"{username} · {label} {url} · {secret.what}：{response.status_code}")
                    elif found := [m for m in secret.markers if m in text_of(response)]:
                        leaks.append(f"{username} · {label} {url} · {secret.what}：{found}")
            # positive rows: what a reader may see does show, in the list and on its page
            listing = text_of(client.get("/api/v1/cases?q=泄露&limit=500"))
            for secret in visible:
                shown += 1
                assert secret.markers[0] in listing, (username, secret.what)
                assert client.get(f"/api/v1/cases/{secret.case.pk}").status_code == 200, (
                    username,
                    secret.what,
                )
            key_persons = text_of(client.get("/api/v1/key-persons?q=泄露&limit=500"))
            board = text_of(client.get(f"/api/v1/protection-periods/{shared['period']}/board"))
            for secret in SECRETS:
                if username not in secret.key_person_readers:
                    continue
                shown += 1
                assert secret.markers[1] in key_persons, (username, secret.what)
                detail = client.get(f"/api/v1/key-persons/{secret.key_person_id}")
                assert detail.status_code == 200, (username, secret.what)
                if secret.case.town_id == cast["office"].town_id:
                    assert secret.markers[1] in board, (username, secret.what)
    assert not leaks, "泄露：\n" + "\n".join(leaks)
    # The figures docs/reliability.md quotes (泄露矩阵): change both together.
    assert (len(CAST), len(SECRETS), len(LISTS), len(DETAILS) + len(SEARCHES)) == (16, 6, 28, 17)
    assert (len(KEY_PERSON_DETAILS), sum(1 for s in SECRETS if s.key_person_id)) == (3, 3)
    assert (checks, shown) == (EXPECTED_CHECKS, EXPECTED_SHOWN), (checks, shown)


EXPECTED_CHECKS = 3492
EXPECTED_SHOWN = 37
