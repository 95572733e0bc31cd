"""A group's representatives (issue 9, item 5): recorded at registration, linked or created as
petitioners of the petition; more than the town's `settings.max_representatives` on a visit is
pointed out to the clerk and recorded, but not refused (the statute says a group "should" send at
most 5)."""

import pytest
from django.utils import timezone

from xinfang.cases.models import CaseEvent, Petition, Petitioner
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db

# Valid ID numbers (check digit right), one per representative.
IDS = [
    "110101199003074514",
    "110101199003074645",
    "110101199003074776",
    "110101199003074901",
    "110101199003075031",
    "110101199003075162",
    "110101199003075293",
    "110101199003075429",
]


def people(n: int, start: int = 1) -> list[dict]:
    return [
        {"name": f"代表{i}", "id_number": IDS[i], "phone": f"1390000{i:04d}"} for i in range(start, start + n)
    ]


def body(cast, *, reps, persons=20, channel="visit", **over):
    return {
        "channel": channel,
        "received_at": timezone.now().isoformat(),
        "petitioner": {"name": "代表0", "id_number": IDS[0], "village": cast["village1"].village.pk},
        "persons_count": persons,
        "title": "村道改线补偿",
        "content": "二十余户群众反映村道改线占地补偿。",
        "representatives": reps,
        **over,
    }


def post(client, data):
    return client.post("/api/v1/petitions", data, content_type="application/json")


def test_a_visit_with_more_representatives_than_allowed_is_registered_pointed_out_and_recorded(
    client_as, cast
):
    response = post(client_as("office"), body(cast, reps=people(5)))
    assert response.status_code == 201, response.json()
    out = response.json()
    warning = "本次来访代表 6 人，超过规定的 5 人（多人走访应推选代表，代表人数不超过 5 人）"
    assert any(warning in w for w in out["warnings"]), out["warnings"]
    petition = Petition.objects.get(pk=out["petition"]["id"])
    assert sorted(p.name for p in petition.petitioners.all()) == [f"代表{i}" for i in range(6)]
    assert all(p.village == cast["village1"].village for p in petition.petitioners.all())
    event = CaseEvent.objects.get(case_id=out["case"]["id"], kind="registered")
    assert event.data["representatives_over"] == 5
    assert event.data["representatives"] == [f"代表{i}" for i in range(6)]
    assert warning in event.summary()  # the case's timeline shows it
    assert out["case"]["petitioners"] == "、".join(f"代表{i}" for i in range(6))


def test_as_many_as_allowed_raise_no_warning(client_as, cast):
    out = post(client_as("office"), body(cast, reps=people(4))).json()
    assert out["warnings"] == []
    assert "representatives_over" not in CaseEvent.objects.get(case_id=out["case"]["id"]).data


def test_the_limit_is_the_towns_setting(client_as, cast):
    town = cast["office"].town
    town.max_representatives = 3
    town.save(update_fields=["max_representatives"])
    out = post(client_as("office"), body(cast, reps=people(3))).json()
    assert any("本次来访代表 4 人，超过规定的 3 人" in w for w in out["warnings"])


def test_a_joint_letter_is_not_a_visit_and_has_no_limit(client_as, cast):
    out = post(client_as("office"), body(cast, reps=people(6), channel="letter")).json()
    assert out["warnings"] == [] and Petition.objects.get(pk=out["petition"]["id"]).petitioners.count() == 7


def test_a_representative_on_file_is_linked_not_duplicated_nor_rewritten(client_as, cast):
    known = petition_register(
        data=PetitionIn(
            channel="phone",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="代表1", id_number=IDS[1], phone="13712345678"),
            title="t",
            content="c",
        ),
        acting_user=cast["office"],
    ).petitioners.get()
    out = post(client_as("office"), body(cast, reps=people(2))).json()
    assert Petitioner.objects.filter(id_number=IDS[1]).count() == 1
    assert known in Petition.objects.get(pk=out["petition"]["id"]).petitioners.all()
    known.refresh_from_db()
    assert known.phone == "13712345678"
    assert any("信访人代表1已在本镇登记" in w and "已保留原登记信息" in w for w in out["warnings"])


@pytest.mark.parametrize(
    "reps, persons, field, fragment",
    [
        (people(3), 3, "representatives", "代表 4 人（含信访人），多于信访人数 3 人"),
        ([{"name": "代表1", "id_number": IDS[0]}], 5, "representatives.0.id_number", "同一人只需填写一次"),
        ([{"name": "", "phone": "13900000001"}], 5, "representatives.0.name", "第 1 位代表：请填写姓名"),
        (
            [{"name": "代表1", "id_number": "110101199003074515"}],
            5,
            "representatives.0.id_number",
            "第 1 位代表：身份证号校验位不正确",
        ),
    ],
)
def test_bad_representatives_are_explained_and_nothing_is_stored(
    client_as, cast, reps, persons, field, fragment
):
    before = (Petition.objects.count(), Petitioner.objects.count())
    response = post(client_as("office"), body(cast, reps=reps, persons=persons))
    assert response.status_code == 422
    assert any(e["field"] == field and fragment in e["message"] for e in response.json()["errors"]), (
        response.json()
    )
    assert (Petition.objects.count(), Petitioner.objects.count()) == before


def form(cast, **rows):
    data = {
        "channel": "visit",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "name": "代表0",
        "id_number": IDS[0],
        "village": cast["village1"].village.pk,
        "persons_count": 30,
        "kind": "claim",
        "title": "村道改线补偿",
        "content": "二十余户群众反映村道改线占地补偿。",
    }
    data.update(rows)
    return data


def test_the_page_records_representatives_and_warns_when_there_are_too_many(client_as, cast):
    client = client_as("office")
    page = client.get("/cases/new/").content.decode()
    assert "多人信访的代表" in page and "本镇规定来访代表不超过 5 人" in page
    assert page.count('name="rep_name_') == 8  # 4 more than the petitioner and 4 others allowed
    rows = {}
    for i, rep in enumerate(people(5)):
        rows.update({f"rep_name_{i}": rep["name"], f"rep_id_number_{i}": rep["id_number"]})
    done = client.post("/cases/new/", form(cast, **rows), follow=True)
    text = done.content.decode()
    assert "已登记为新事项" in text and "本次来访代表 6 人，超过规定的 5 人" in text
    petition = Petition.objects.order_by("-id").first()
    assert petition.petitioners.count() == 6


def test_the_page_puts_a_representatives_problem_next_to_its_row(client_as, cast):
    client = client_as("office")
    # the first row left empty: the problem belongs to the row the clerk filled
    rows = {"rep_name_1": "代表1", "rep_id_number_1": "110101199003074515"}
    page = client.post("/cases/new/", form(cast, **rows))
    assert page.status_code == 200
    assert page.context["form"].errors["rep_id_number_1"] == [
        "第 1 位代表：身份证号校验位不正确，请逐位核对（最后一位可能是 X）。"
    ]
    assert not Petition.objects.exists()
