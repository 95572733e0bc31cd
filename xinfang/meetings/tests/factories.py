"""Set-up for the meetings tests: cases of the demo town and meetings recorded straight in the
database (the services have their own tests)."""

import datetime as dt

from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register
from xinfang.meetings.models import Meeting
from xinfang.org.models import Category


def register(cast, *, village_of="village1", threat=False, title="会议测试事项", code="nongcun") -> Case:
    office = cast["office"]
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=timezone.now(),
            petitioner=PetitionerIn(name="会议测试人", village=cast[village_of].village),
            title=title,
            content="反映土地承包问题",
            category=Category.objects.get(town=office.town, code=code),
            has_threat=threat,
        ),
        acting_user=office,
    ).case


def meeting(cast, kind, day: dt.date, *, host=None, town=None) -> Meeting:
    office = cast["office"]
    return Meeting.objects.create(
        town=town or office.town, kind=kind, held_on=day, place="镇会议室", host=host, created_by=office
    )
