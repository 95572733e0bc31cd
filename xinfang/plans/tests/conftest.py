import datetime as dt

import pytest
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.cases.transitions import case_mark_prominent
from xinfang.org.models import Category

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


def register(cast, *, village_of: str = "village1", title: str = "土地流转费拖欠（一案一策）") -> Case:
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="钱某某", village=cast[village_of].village),
            title=title,
            content="要求支付拖欠的土地流转费。",
            # led by dept1's department, so that the department sees the case too
            category=Category.objects.filter(lead=cast["dept1"].department).first(),
        ),
        acting_user=cast["office"],
    ).case


def assigned(cast, *, prominent: bool, village_of: str = "village1") -> Case:
    """A case accepted and assigned to the village's contact leader (leader1 for village1)."""
    case = register(cast, village_of=village_of)
    # the override reason is used only where the rules propose another owner
    accept_and_assign(cast, case, village_of=village_of, override_reason="由联系该村的领导包案，便于属地稳控")
    if prominent:
        case_mark_prominent(case_id=case.pk, acting_user=cast["office"], reason="涉及多户")
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def prominent_case(cast):
    return assigned(cast, prominent=True)


@pytest.fixture
def plain_case(cast):
    return assigned(cast, prominent=False)
