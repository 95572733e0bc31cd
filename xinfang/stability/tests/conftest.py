import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.accounts.models import User
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.org.models import Category, Department

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


@contextmanager
def at(moment: str):
    """Frozen at a Beijing time: at("2026-05-04 09:00")."""
    when = dt.datetime.fromisoformat(moment).replace(tzinfo=SHANGHAI)
    with time_machine.travel(when, tick=False):
        yield when


def register(cast, *, name="钱某某", village_of="village1", id_number="", case_id=None, **extra):
    return petition_register(
        data=PetitionIn(
            channel=extra.pop("channel", "visit"),
            received_at=timezone.now(),
            petitioner=PetitionerIn(name=name, id_number=id_number, village=cast[village_of].village),
            title=extra.pop("title", f"{name}反映土地流转费拖欠"),
            content="要求支付拖欠的土地流转费。",
            category=Category.objects.filter(lead=cast["dept1"].department).first(),
            case_id=case_id,
            **extra,
        ),
        acting_user=cast["office"],
    )


@pytest.fixture
def police(cast):
    """A police liaison with an account: the head of 分界派出所."""
    station = Department.objects.get(town=cast["office"].town, code="paichusuo")
    user = User(
        username="police1",
        full_name=station.head.name,
        role=Role.DEPARTMENT,
        town=cast["office"].town,
        department=station,
        person=station.head,
    )
    user.set_password("Police@2026pw")
    user.save()
    return user


def keepers(cast, police_user=None) -> list:
    village = cast["village1"].village
    people = [cast["leader1"].person, village.party_head, cast["grid1"].person]
    if police_user is not None:
        people.append(police_user.person)
    return [p.pk for p in people]


@pytest.fixture
def make_key_person(cast):
    from xinfang.stability.services import key_person_create

    def make(
        name="钱某某",
        *,
        village_of="village1",
        level="high",
        with_keepers=True,
        police_user=None,
        case=True,
        id_number="",
    ):
        petition = register(cast, name=name, village_of=village_of, id_number=id_number)
        return key_person_create(
            acting_user=cast["office"],
            petitioner_id=petition.petitioners.get().pk,
            level=level,
            reasons="多次到县上访，诉求未解决",
            keepers=keepers(cast, police_user) if with_keepers else [],
            case_id=petition.case_id if case else None,
        )

    return make
