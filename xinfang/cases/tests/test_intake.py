import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import Resolution
from xinfang.cases.models import Case, CaseEvent, Petition, Petitioner
from xinfang.org.models import Category

pytestmark = pytest.mark.django_db

ID_OK = "110101199003074514"
ID_BAD_CHECKSUM = "110101199003074515"


def body(cast, **over):
    village = cast["village1"].village
    data = {
        "channel": "visit",
        "received_at": "2026-11-20T09:30:00+08:00",
        "petitioner": {"name": "赵某某", "id_number": ID_OK, "phone": "13912345678", "village": village.name},
        "persons_count": 1,
        "title": "宅基地边界纠纷",
        "content": "与邻居就宅基地边界发生纠纷，请求村里调解。",
        "category": "农业农村类",
    }
    for key, value in over.items():
        if key.startswith("petitioner__"):
            data["petitioner"][key.removeprefix("petitioner__")] = value
        else:
            data[key] = value
    return data


def post(client, data):
    return client.post("/api/v1/petitions", data, content_type="application/json")


def test_a_visit_opens_a_numbered_case_with_its_clock(client_as, cast):
    response = post(client_as("office"), body(cast))
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["case"]["number"] == "分信〔2026〕0001号"
    assert out["case"]["state"] == "registered" and out["case"]["state_label"] == "已登记"
    assert out["case"]["route_due"] == "2026-12-07"  # 15 days: 5 December is a Saturday
    assert len(out["petition"]["query_code"]) == 8
    case = Case.objects.get(pk=out["case"]["id"])
    assert case.village == cast["village1"].village and case.category.name == "农业农村类"
    assert CaseEvent.objects.filter(case=case, kind="registered").count() == 1
    assert AuditEvent.objects.filter(event="create", target_type="信访事项", target_id=str(case.pk)).exists()


def test_the_routing_limit_that_ends_in_national_day_moves_past_it(client_as, cast):
    with time_machine.travel(dt.datetime(2026, 9, 17, 10, tzinfo=dt.UTC)):
        out = post(client_as("office"), body(cast, received_at="2026-09-16T10:00:00+08:00")).json()
    assert out["case"]["route_due"] == "2026-10-08"


def test_a_second_petition_of_the_same_person_reuses_the_petitioner_and_can_be_linked(client_as, cast):
    client = client_as("office")
    first = post(client, body(cast)).json()
    second = post(client, body(cast, title="宅基地纠纷仍未解决", channel="phone")).json()
    assert Petitioner.objects.filter(id_number=ID_OK).count() == 1
    assert second["case"]["id"] != first["case"]["id"]
    assert [c["case"]["id"] for c in second["repeat_candidates"]] == [first["case"]["id"]]
    assert second["repeat_candidates"][0]["reason"] == "本人既往事项"

    repeat = post(client, body(cast, case=first["case"]["id"], channel="letter")).json()
    assert repeat["case"]["id"] == first["case"]["id"]
    assert repeat["case"]["repeat_count"] == 1 and repeat["petition"]["is_repeat"] is True
    assert CaseEvent.objects.filter(case_id=first["case"]["id"], kind="repeat").count() == 1


def test_a_petition_on_a_resolved_case_marks_a_rebound(client_as, cast):
    client = client_as("office")
    first = post(client, body(cast)).json()
    Case.objects.filter(pk=first["case"]["id"]).update(resolution=Resolution.RESOLVED)
    again = post(client, body(cast, case=first["case"]["id"])).json()
    assert again["case"]["rebound"] is True
    assert CaseEvent.objects.filter(case_id=first["case"]["id"], kind="rebound").exists()


def test_five_persons_make_a_collective_petition(client_as, cast):
    out = post(client_as("office"), body(cast, persons_count=5)).json()
    assert out["case"]["is_collective"] is True
    assert post(client_as("office"), body(cast, persons_count=4)).json()["case"]["is_collective"] is False


@pytest.mark.parametrize(
    "over, field, fragment",
    [
        ({"petitioner__id_number": ID_BAD_CHECKSUM}, "petitioner.id_number", "校验位不正确"),
        ({"petitioner__id_number": "11010119900307"}, "petitioner.id_number", "应为 18 位"),
        ({"received_at": "2099-01-01T09:00:00+08:00"}, "received_at", "不能晚于现在"),
        ({"content": "   "}, "content", "请填写诉求内容"),
        ({"title": ""}, "title", "请填写信访事项"),
        ({"channel": "fax"}, "channel", "只能是以下之一"),
        ({"category": "不存在的类别"}, "category", "不存在或不在本镇"),
        ({"channel": "referral"}, "referral_level", "须注明交办层级"),
        ({"petitioner__name": "钱某某"}, "petitioner.id_number", "已登记为“赵某某”"),
    ],
)
def test_bad_input_is_explained_per_field_and_nothing_is_stored(client_as, cast, over, field, fragment):
    client = client_as("office")
    if field == "petitioner.id_number" and "已登记" in fragment:
        post(client, body(cast))
    before = (Case.objects.count(), Petition.objects.count(), Petitioner.objects.count())
    response = post(client, body(cast, **over))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and fragment in e["message"] for e in errors), errors
    assert (Case.objects.count(), Petition.objects.count(), Petitioner.objects.count()) == before


def test_a_missing_matter_is_a_422_too(client_as, cast):
    data = body(cast)
    del data["content"]
    response = post(client_as("office"), data)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "content", "message": "此项必填，但没有填写"}


def test_each_role_sees_the_cases_of_its_units(client_as, cast):
    office = client_as("office")
    own = post(office, body(cast)).json()["case"]["id"]
    other_village = cast["village2"].village
    other = post(
        office,
        body(
            cast, petitioner__id_number="", petitioner__name="孙某某", petitioner__village=other_village.name
        ),
    ).json()["case"]["id"]
    building = post(
        office,
        body(
            cast, petitioner__id_number="", petitioner__name="周某某", category="城乡建设类", title="拆迁补偿"
        ),
    ).json()["case"]["id"]

    def ids(username):
        return {c["id"] for c in client_as(username).get("/api/v1/cases").json()["items"]}

    assert ids("village1") == {own, building}
    assert ids("village2") == {other}
    assert ids("office") == ids("supervisor") == ids("leader1") == {own, other, building}
    dept = cast["dept1"].department
    expected = {
        c.pk
        for c in Case.objects.filter(pk__in=[own, other, building])
        if c.category in Category.objects.filter(lead=dept) or dept in c.category.supporting.all()
    }
    assert ids("dept1") == expected and building in expected
    assert ids("sysadmin") == set() and ids("h_office") == set()
    assert client_as("village1").get(f"/api/v1/cases/{other}").status_code == 404
    assert client_as("village2").get(f"/api/v1/cases/{other}").json()["petitions"][0]["channel"] == "visit"


def test_a_clerk_cannot_link_a_petition_to_a_case_out_of_scope(client_as, cast):
    h_case = post(
        client_as("h_office"),
        {
            **body(cast, petitioner__village=None, category=None, petitioner__id_number=""),
            "received_at": timezone.now().isoformat(),
        },
    ).json()["case"]["id"]
    response = post(client_as("office"), body(cast, case=h_case))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "case"


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_registering_fifty_petitions_each_get_400_cases_with_gap_free_numbers(cast):
    import threading

    from django.db import connections

    from xinfang.accounts.models import User
    from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

    clerk = User.objects.select_related("town__time_limits").get(username="office")
    village = cast["village1"].village
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def register(n: int):
        try:
            start.wait()
            for i in range(50):
                petition_register(
                    data=PetitionIn(
                        channel="visit",
                        received_at=timezone.now(),
                        petitioner=PetitionerIn(name=f"信访人{n}-{i}", village=village),
                        title=f"并发登记 {n}-{i}",
                        content="并发登记测试",
                    ),
                    acting_user=clerk,
                )
        except BaseException as exc:  # every failure is reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    year = timezone.localdate().year
    numbers = sorted(Case.objects.filter(town=clerk.town).values_list("number", flat=True))
    assert numbers == [f"分信〔{year}〕{i:04d}号" for i in range(1, 401)]
    assert Petition.objects.count() == 400


@pytest.mark.parametrize(
    "number, fragment",
    [
        ("32128319800101123", "应为 18 位"),
        ("32128319800101123A", "格式不正确"),
        ("321283198002301235", "出生日期不存在"),
        ("329999198001011234", "地区代码"),
    ],
)
def test_id_numbers_are_checked_for_length_format_date_region_and_check_digit(number, fragment):
    from stdnum.cn import ric

    from xinfang.cases.services import id_number_problem

    if len(number) == 18 and number.isdigit():
        number = number[:17] + ric.calc_check_digit(number)  # only the checked part is wrong
    assert fragment in id_number_problem(number)


def test_an_older_resident_of_a_renamed_county_is_accepted():
    # 泰兴市 has had code 321283 since 1996; a resident born in 1958 carries it on a new card.
    from stdnum.cn import ric

    from xinfang.cases.services import id_number_problem

    body = "32128319580412123"
    assert id_number_problem(body + ric.calc_check_digit(body + "0")) is None
