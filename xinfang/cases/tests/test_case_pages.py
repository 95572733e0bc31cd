import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinfang.cases.models import Case, Petition
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db


def form_data(cast, **over):
    data = {
        "channel": "visit",
        "referral_level": "",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "name": "赵某某",
        "id_number": "110101199003074514",
        "phone": "13912345678",
        "address": "青松村三组",
        "village": cast["village1"].village.pk,
        "persons_count": 1,
        "kind": "claim",
        "category": "",
        "title": "宅基地边界纠纷",
        "content": "与邻居就宅基地边界发生纠纷。",
        "skip_level": "",
        "case": "",
    }
    data.update(over)
    return data


def test_the_office_registers_a_visit_and_lands_on_the_case_page(client_as, cast):
    response = client_as("office").post("/cases/new/", form_data(cast), follow=True)
    page = response.content.decode()
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert f"已登记为新事项 {case.number}" in page
    assert "宅基地边界纠纷" in page and "110101********4514" in page and "110101199003074514" not in page


def test_a_bad_id_number_keeps_what_was_typed_and_says_what_is_wrong(client_as, cast):
    response = client_as("office").post("/cases/new/", form_data(cast, id_number="110101199003074515"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "登记未保存" in page and "身份证号校验位不正确" in page
    assert 'value="赵某某"' in page and "与邻居就宅基地边界发生纠纷。" in page
    assert not Case.objects.exists() and not Petition.objects.exists()


def test_a_future_time_and_an_empty_matter_are_refused_in_chinese(client_as, cast):
    later = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = (
        client_as("office")
        .post("/cases/new/", form_data(cast, received_at=later, content=""))
        .content.decode()
    )
    assert "请填写诉求内容" in page
    page = client_as("office").post("/cases/new/", form_data(cast, received_at=later)).content.decode()
    assert "收到时间不能晚于现在" in page
    assert not Case.objects.exists()


def test_only_the_office_registers(client_as):
    assert client_as("village1").get("/cases/new/").status_code == 403
    assert client_as("office").get("/cases/new/").status_code == 200


def _register(cast, n):
    for i in range(n):
        petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name=f"信访人{i}", village=cast["village1"].village),
                title=f"事项{i}",
                content="内容",
            ),
            acting_user=cast["office"],
        )


def test_the_list_costs_the_same_queries_for_3_or_30_cases(client_as, cast):
    client = client_as("office")
    _register(cast, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/cases/").status_code == 200
    _register(cast, 27)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/cases/").content.decode()
    assert page.count('href="/cases/') >= 30
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 14


def test_the_list_shows_time_left_on_the_routing_limit(client_as, cast):
    _register(cast, 1)
    page = client_as("village1").get("/cases/").content.decode()
    assert "剩 " in page and " 天" in page
    assert client_as("village2").get("/cases/").content.decode().count("事项0") == 0


def test_a_repeat_is_linked_by_the_number_the_clerk_types(client_as, cast):
    _register(cast, 3)
    first, second = Case.objects.order_by("received_at")[:2]
    client = client_as("office")
    # As written on the 受理告知书 in other brackets, without the leading zeros.
    loose = first.number.replace("〔", "[").replace("〕", "]").replace(f"{first.seq:04d}", str(first.seq))
    response = client.post("/cases/new/", form_data(cast, case=loose, id_number=""), follow=True)
    assert f"重复信访，已并入 {first.number}" in response.content.decode()
    first.refresh_from_db()
    assert first.repeat_count == 1

    # This year's cases by the sequence number alone.
    response = client.post("/cases/new/", form_data(cast, case=str(second.seq), id_number=""), follow=True)
    assert f"重复信访，已并入 {second.number}" in response.content.decode()

    count = Case.objects.count()
    response = client.post("/cases/new/", form_data(cast, case="分信〔2026〕9999号", title="留着的事项"))
    page = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == count
    assert "没有找到编号为“分信〔2026〕9999号”的信访事项" in page
    assert 'value="分信〔2026〕9999号"' in page and 'value="留着的事项"' in page  # the form keeps it


def test_a_petitioner_who_came_twice_is_named_once_in_the_list(client_as, cast):
    _register(cast, 1)
    first = Case.objects.get()
    petition_register(
        data=PetitionIn(
            channel="phone",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="信访人0", village=cast["village1"].village),
            title="事项0",
            content="内容",
            case_id=first.pk,
        ),
        acting_user=cast["office"],
    )
    page = client_as("office").get("/cases/").content.decode()
    assert page.count("信访人0") == 1


def test_the_petitioner_page_shows_every_case_and_petition_masked(client_as, cast):
    from xinfang.cases.models import Petitioner

    first = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="周某某", id_number="321283198001010010", phone="13812345678"),
            title="宅基地纠纷",
            content="内容",
        ),
        acting_user=cast["office"],
    )
    for title, case_id in (("宅基地纠纷", first.case_id), ("低保申请", None)):
        petition_register(
            data=PetitionIn(
                channel="phone",
                received_at=timezone.now(),
                petitioner=PetitionerIn(name="周某某", id_number="321283198001010010"),
                title=title,
                content="内容",
                case_id=case_id,
            ),
            acting_user=cast["office"],
        )
    person = Petitioner.objects.get(id_number="321283198001010010")
    page = client_as("office").get(f"/cases/petitioners/{person.pk}/").content.decode()
    assert "2 件事项、3 次信访" in page and "宅基地纠纷" in page and "低保申请" in page
    assert "321283198001010010" not in page and "13812345678" not in page
    assert "138****5678" in page
    assert client_as("h_office").get(f"/cases/petitioners/{person.pk}/").status_code == 404


def test_the_form_offers_the_petitioners_own_cases_and_links_the_ticked_one(client_as, cast):
    own = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="吴某某", id_number="321283198001010010"),
            title="宅基地纠纷",
            content="内容",
        ),
        acting_user=cast["office"],
    ).case
    office = client_as("office")
    listed = office.get("/cases/new/candidates/?id_number=321283198001010010").content.decode()
    assert f'value="{own.pk}"' in listed and "本人既往事项" in listed and own.number in listed
    assert office.get("/cases/new/candidates/?id_number=").content.decode().strip() == ""
    assert (
        client_as("h_office").get("/cases/new/candidates/?id_number=321283198001010010").content.strip()
        == b""
    )
    response = office.post(
        "/cases/new/",
        {
            "channel": "phone",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "name": "吴某某",
            "id_number": "321283198001010010",
            "persons_count": 1,
            "kind": "claim",
            "title": "宅基地纠纷",
            "content": "再次反映",
            "candidate": own.pk,
        },
        follow=True,
    )
    assert "重复信访，已并入" in response.content.decode()
    own.refresh_from_db()
    assert own.repeat_count == 1
