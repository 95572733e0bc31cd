import datetime as dt

import pytest
import time_machine

from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.cases.testing import accept_and_assign
from xinfang.notices.choices import NoticeTarget
from xinfang.notices.models import AssignmentNotice
from xinfang.org.models import Category, Department

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REGISTERED = dt.datetime(2026, 8, 3, 10, tzinfo=SHANGHAI)
SENT = dt.datetime(2026, 8, 4, 10, tzinfo=SHANGHAI)


def at(moment: dt.datetime):
    """Frozen time: the clock does not move inside the block."""
    return time_machine.travel(moment, tick=False)


def register(cast, *, clerk="office", village_of="village1", category="城乡建设类", title="拆迁安置补偿争议"):
    user = cast[clerk]
    with at(REGISTERED):
        return petition_register(
            data=PetitionIn(
                channel="visit",
                received_at=REGISTERED - dt.timedelta(hours=1),
                petitioner=PetitionerIn(
                    name="赵某某", village=cast[village_of].village if village_of else None
                ),
                title=title,
                content="请求按标准补足拆迁安置补偿款。",
                category=Category.objects.filter(town=user.town, name=category).first() if category else None,
            ),
            acting_user=user,
        ).case


def assign(cast, case, *, clerk="office", department=None, moment=SENT, accept=True, supporting=()):
    """The case's village (or the clerk's town's first) owns it; the town's first department leads;
    no supporting department unless given (their 配合 notices are tested on their own)."""
    user = cast[clerk]
    village = case.village or user.town.villages.order_by("order").first()
    department = department or Department.objects.filter(town=user.town).order_by("order", "id").first()
    with at(moment):
        return accept_and_assign(
            cast,
            case,
            clerk=clerk,
            village=village,
            department=department,
            responsible=[village.party_head, village.cadre],
            accept=accept,
            plan="先行核算补偿差额，分期兑付",
            resolve_by=dt.date(2026, 9, 30),
            supporting_departments=list(supporting),
            override_reason="由联系该村的领导包案，便于属地稳控",  # used only where the rules propose another
        )


def notices_of(case) -> dict[str, AssignmentNotice]:
    """The case's latest notice to each target of 双向交办 (the village and the lead department; the
    supporting departments' notices are in `supporting_notices_of`)."""
    notices = AssignmentNotice.objects.filter(case=case, supporting=False).order_by("sent_at", "id")
    return {n.target: n for n in notices}


def supporting_notices_of(case) -> list[AssignmentNotice]:
    return list(AssignmentNotice.objects.filter(case=case, supporting=True).order_by("sent_at", "id"))


@pytest.fixture
def assigned(cast):
    """A case of village1 in dept1's line (城乡建设类), assigned to dept1 at 10:00 on 4 August 2026."""
    return assign(cast, register(cast))


@pytest.fixture
def village_notice(assigned):
    return notices_of(assigned)[NoticeTarget.VILLAGE]


@pytest.fixture
def line_notice(assigned):
    return notices_of(assigned)[NoticeTarget.DEPARTMENT]
