"""扬言 at registration (every way in: the API, the page, the Excel import share one service), on the
case page and in the ledger, and the office's false positive (误报)."""

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case, CaseEvent, Petition
from xinfang.cases.signals import petition_threat_cleared
from xinfang.org.models import Town

pytestmark = pytest.mark.django_db

ID_OK = "110101199003074514"
THREAT = "村里占了我家承包地三年不给补偿，再不解决，我就去北京上访，到时候别怪我。"
NEGATED = "补偿款已经谈妥，我不会去北京，也保证不再去省里上访。"
HEARSAY = "听说隔壁村有人跳楼才解决了问题，我们不想那样，只求依法办理。"


def body(cast, **over):
    data = {
        "channel": "visit",
        "received_at": "2026-11-20T09:30:00+08:00",
        "petitioner": {"name": "赵某某", "id_number": ID_OK, "village": cast["village1"].village.name},
        "title": "承包地补偿纠纷",
        "content": THREAT,
        "category": "农业农村类",
    }
    data.update(over)
    return data


def post(client, data):
    return client.post("/api/v1/petitions", data, content_type="application/json")


def register(client_as, cast, **over) -> dict:
    response = post(client_as("office"), body(cast, **over))
    assert response.status_code == 201, response.json()
    return response.json()


def dismiss(client, petition_id, index=0, reason="信访人转述他人说法，本人无此意图"):
    return client.post(
        f"/api/v1/petitions/{petition_id}/threat-hits/{index}/dismiss",
        {"reason": reason},
        content_type="application/json",
    )


# --- registration ---------------------------------------------------------------------------------


def test_threat_language_through_the_api_flags_and_stores_the_hits(client_as, cast):
    out = register(client_as, cast)
    assert out["case"]["has_threat"] is True
    assert out["case"]["prominent"] is True  # the town's prominent rule `threat`
    petition = out["petition"]
    assert petition["has_threat"] is True and petition["threat_marked"] is False
    (hit,) = petition["threat_hits"]
    assert hit["phrase"] == "去北京" and hit["kind"] == "越级进京赴省" and hit["field"] == "content"
    assert THREAT[hit["start"] : hit["end"]] == "去北京"
    assert hit["sentence"] == THREAT  # one sentence
    assert hit["dismissed"] is None
    assert any("扬言事项，立即办理" in w for w in out["warnings"])

    stored = Petition.objects.get(pk=petition["id"])
    assert stored.has_threat and stored.threat_hits[0]["phrase"] == "去北京"
    assert Case.objects.get(pk=out["case"]["id"]).has_threat
    event = CaseEvent.objects.get(case_id=out["case"]["id"], kind="registered")
    assert event.data["threat"] == ["去北京"] and "扬言：去北京" in event.summary()
    audit = AuditEvent.objects.get(event="create", target_type="信访事项", target_id=str(out["case"]["id"]))
    assert audit.new_values["threat"] == {"marked": False, "hits": ["去北京"]}


@pytest.mark.parametrize("content", [NEGATED, HEARSAY])
def test_negations_and_hearsay_register_without_the_flag(client_as, cast, content):
    out = register(client_as, cast, content=content)
    assert out["case"]["has_threat"] is False
    assert out["petition"]["has_threat"] is False and out["petition"]["threat_hits"] == []
    assert not any("扬言" in w for w in out["warnings"])


def test_the_title_is_read_too(client_as, cast):
    out = register(client_as, cast, title="信访人扬言进京上访", content="要求解决拖欠的征地补偿款。")
    assert [(h["field"], h["phrase"]) for h in out["petition"]["threat_hits"]] == [("title", "进京")]


def test_the_clerks_tick_stands_without_a_hit(client_as, cast):
    out = register(client_as, cast, content="要求解决拖欠的征地补偿款。", has_threat=True)
    assert out["case"]["has_threat"] is True
    assert out["petition"]["threat_marked"] is True and out["petition"]["threat_hits"] == []


def test_a_repeat_petition_with_a_threat_flags_the_case(client_as, cast):
    first = register(client_as, cast, content="要求解决拖欠的征地补偿款。")
    assert first["case"]["has_threat"] is False and first["case"]["prominent"] is False
    again = register(client_as, cast, case=first["case"]["id"], content=THREAT)
    assert again["case"]["id"] == first["case"]["id"]
    assert again["case"]["has_threat"] is True and again["case"]["prominent"] is True


def test_a_town_that_turned_detection_off_keeps_only_the_tick(client_as, cast):
    town = cast["office"].town
    Town.objects.filter(pk=town.pk).update(threat={**town.threat, "enabled": False})
    out = register(client_as, cast)
    assert out["case"]["has_threat"] is False and out["petition"]["threat_hits"] == []


def test_a_town_without_a_threat_section_gets_the_default_lexicon(client_as, cast):
    Town.objects.filter(pk=cast["office"].town_id).update(threat={})
    assert register(client_as, cast)["case"]["has_threat"] is True


def test_the_registration_page_detects_and_the_case_page_highlights(client_as, cast):
    office = client_as("office")
    category = cast["office"].town.categories.order_by("order", "id").first()
    response = office.post(
        "/cases/new/",
        {
            "channel": "visit",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "钱某",
            "village": cast["village1"].village.pk,
            "persons_count": 1,
            "kind": "claim",
            "category": category.pk,
            "matter": category.matters[0],
            "title": "工资拖欠",
            "content": "老板拖欠工资半年，如果再不处理，我就喝农药死在厂门口。",
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.has_threat and [h["phrase"] for h in petition.threat_hits] == ["喝农药"]
    page = office.get(response.url)
    html = page.content.decode()
    assert "扬言事项，立即办理" in html
    assert '<mark class="bg-warning fw-semibold px-1">喝农药</mark>' in html
    assert "如果再不处理，我就" in html and "标为误报" in html
    assert any("扬言事项，立即办理" in str(m) for m in page.context["messages"])


def test_the_excel_import_detects_too(cast):
    """The import calls the same service; a row's content is read like a typed one."""
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    petition = petition_register(
        data=PetitionIn(
            channel="letter",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="孙某"),
            title="拆迁补偿",
            content="拆迁补偿不公平，我们已经商量好了，要去北京上访。",
        ),
        acting_user=cast["office"],
    )
    assert petition.has_threat and petition.threat_hits[0]["phrase"] == "要去北京上访"


def test_units_see_the_hits_but_no_dismiss_button(client_as, cast):
    out = register(client_as, cast)
    Case.objects.filter(pk=out["case"]["id"]).update(village=cast["village1"].village)
    html = client_as("village1").get(f"/cases/{out['case']['id']}/").content.decode()
    assert "扬言事项，立即办理" in html and "<mark" in html
    assert "标为误报" not in html


def test_the_case_api_carries_the_hits(client_as, cast):
    out = register(client_as, cast)
    detail = client_as("office").get(f"/api/v1/cases/{out['case']['id']}").json()
    assert detail["has_threat"] is True
    assert detail["petitions"][0]["threat_hits"][0]["phrase"] == "去北京"


# --- the ledger -----------------------------------------------------------------------------------


def test_the_ledger_badges_and_sorts_threats_first(client_as, cast):
    plain = register(client_as, cast, content="要求解决拖欠的征地补偿款。")
    threat = register(client_as, cast, petitioner={"name": "李某"}, content=THREAT)
    later = register(client_as, cast, petitioner={"name": "周某"}, content="要求修路。")
    office = client_as("office")
    items = office.get("/api/v1/cases?sort=threat").json()["items"]
    assert [c["id"] for c in items][0] == threat["case"]["id"]
    assert {c["id"] for c in items} >= {plain["case"]["id"], later["case"]["id"]}
    html = office.get("/cases/?sort=threat").content.decode()
    assert html.index(threat["case"]["number"]) < html.index(later["case"]["number"])
    assert "立即办理</span>" in html


# --- 误报 -----------------------------------------------------------------------------------------


def test_the_office_marks_a_false_positive_and_the_flag_clears(client_as, cast):
    out = register(client_as, cast)
    received = []

    def listener(sender, petition, case_cleared, **kwargs):
        received.append((petition.pk, case_cleared))

    petition_threat_cleared.connect(listener)
    try:
        response = dismiss(client_as("office"), out["petition"]["id"])
    finally:
        petition_threat_cleared.disconnect(listener)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["case"]["has_threat"] is False and answer["petition"]["has_threat"] is False
    assert answer["case"]["prominent"] is False  # on the ledger for the threat alone: it never was
    assert answer["case"]["version"] == out["case"]["version"] + 1
    dismissed = answer["petition"]["threat_hits"][0]["dismissed"]
    assert dismissed["reason"] == "信访人转述他人说法，本人无此意图" and dismissed["by"]
    assert received == [(out["petition"]["id"], True)]
    case = Case.objects.get(pk=out["case"]["id"])
    assert not case.has_threat and case.ledger_from is None
    event = CaseEvent.objects.get(case=case, kind="threat_dismissed")
    assert event.data["threat"] == "去北京" and event.user == cast["office"]
    audit = AuditEvent.objects.get(event="update", target_type="信访事项", target_id=str(case.pk))
    assert audit.old_values["has_threat"] is True and audit.new_values["has_threat"] is False
    assert "信访人转述他人说法" in audit.detail
    html = client_as("office").get(f"/cases/{case.pk}/").content.decode()
    assert "扬言事项，立即办理" not in html and "扬言识别误报 1 条" in html


def test_another_petitions_real_threat_keeps_the_case_flagged(client_as, cast):
    first = register(client_as, cast)
    second = register(
        client_as, cast, case=first["case"]["id"], content="再不解决，我们就组织村民去县里上访。"
    )
    answer = dismiss(client_as("office"), first["petition"]["id"]).json()
    assert answer["petition"]["has_threat"] is False
    assert answer["case"]["has_threat"] is True
    assert Petition.objects.get(pk=second["petition"]["id"]).has_threat


def test_the_clerks_tick_survives_a_false_positive(client_as, cast):
    out = register(client_as, cast, has_threat=True)
    answer = dismiss(client_as("office"), out["petition"]["id"]).json()
    assert answer["petition"]["has_threat"] is True and answer["case"]["has_threat"] is True
    assert answer["petition"]["threat_hits"][0]["dismissed"] is not None


def test_one_of_two_hits_dismissed_leaves_the_petition_flagged(client_as, cast):
    out = register(client_as, cast, content="不解决我就去北京，找媒体曝光。")
    assert len(out["petition"]["threat_hits"]) == 2
    answer = dismiss(client_as("office"), out["petition"]["id"], index=1).json()
    assert answer["petition"]["has_threat"] is True
    answer = dismiss(client_as("office"), out["petition"]["id"], index=0).json()
    assert answer["petition"]["has_threat"] is False and answer["case"]["has_threat"] is False


@pytest.mark.parametrize(
    ("index", "reason", "field", "message"),
    [
        (0, "", "reason", "请写明误报理由"),
        (0, "   ", "reason", "请写明误报理由"),
        (5, "理由", "index", "没有这条扬言识别结果"),
    ],
)
def test_bad_dismissals_are_refused_in_chinese(client_as, cast, index, reason, field, message):
    out = register(client_as, cast)
    response = dismiss(client_as("office"), out["petition"]["id"], index=index, reason=reason)
    assert response.status_code == 422
    assert any(e["field"] == field and message in e["message"] for e in response.json()["errors"])
    assert Petition.objects.get(pk=out["petition"]["id"]).has_threat


def test_a_hit_is_dismissed_once(client_as, cast):
    out = register(client_as, cast, has_threat=True)
    assert dismiss(client_as("office"), out["petition"]["id"]).status_code == 200
    again = dismiss(client_as("office"), out["petition"]["id"])
    assert again.status_code == 422 and "已被标为误报" in again.json()["detail"]
    assert CaseEvent.objects.filter(kind="threat_dismissed").count() == 1


def test_a_huge_reason_is_refused(client_as, cast):
    out = register(client_as, cast)
    response = dismiss(client_as("office"), out["petition"]["id"], reason="理" * 501)
    assert response.status_code == 422


ROLES = [
    "leader1",
    "dept1",
    "village1",
    "grid1",
    "supervisor",
    "county",
    "sysadmin",
    "secadmin",
    "auditadmin",
]


@pytest.mark.parametrize("username", ROLES)
def test_only_the_office_dismisses_through_the_api(client_as, cast, username):
    out = register(client_as, cast)
    response = dismiss(client_as(username), out["petition"]["id"])
    assert response.status_code == 403
    assert "只有镇信访联席办" in response.json()["detail"]
    assert Petition.objects.get(pk=out["petition"]["id"]).has_threat


@pytest.mark.parametrize("username", ROLES)
def test_only_the_office_dismisses_on_the_page(client_as, cast, username):
    out = register(client_as, cast)
    url = f"/cases/{out['case']['id']}/petitions/{out['petition']['id']}/threat/0/dismiss/"
    response = client_as(username).post(url, {"reason": "误报"})
    assert response.status_code == 403
    assert Petition.objects.get(pk=out["petition"]["id"]).has_threat


def test_the_office_dismisses_on_the_page(client_as, cast):
    out = register(client_as, cast)
    office = client_as("office")
    url = f"/cases/{out['case']['id']}/petitions/{out['petition']['id']}/threat/0/dismiss/"
    response = office.post(url, {"reason": "信访人说的是亲戚去北京看病"}, follow=True)
    assert response.status_code == 200
    assert "已将“去北京”标为误报，事项已不再标记为扬言事项。" in response.content.decode()
    assert not Petition.objects.get(pk=out["petition"]["id"]).has_threat
    refused = office.post(url, {"reason": ""}, follow=True)
    assert "标为误报未完成" in refused.content.decode()


def test_another_towns_office_sees_nothing(client_as, cast):
    out = register(client_as, cast)
    assert dismiss(client_as("h_office"), out["petition"]["id"]).status_code == 404
    url = f"/cases/{out['case']['id']}/petitions/{out['petition']['id']}/threat/0/dismiss/"
    assert client_as("h_office").post(url, {"reason": "误报"}).status_code == 404
    assert Petition.objects.get(pk=out["petition"]["id"]).has_threat


def test_a_petition_of_another_case_is_not_dismissed_through_this_one(client_as, cast):
    one = register(client_as, cast)
    other = register(client_as, cast, petitioner={"name": "吴某"}, content="要求修路。")
    url = f"/cases/{other['case']['id']}/petitions/{one['petition']['id']}/threat/0/dismiss/"
    assert client_as("office").post(url, {"reason": "误报"}).status_code == 404
    assert Petition.objects.get(pk=one["petition"]["id"]).has_threat
