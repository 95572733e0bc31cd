"""A few dozen demo petitions for the demo town, registered through the same service as real ones,
so that a newcomer finds a living list (repeats, collective visits, threats, every channel)."""

import datetime as dt
import random

from django.utils import timezone
from stdnum.cn import ric

from xinfang.org.models import Category, Village

from .choices import Channel, Level
from .models import Case
from .services import PetitionerIn, PetitionIn, petition_register

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
REGION = "321283"  # 泰兴市


def _id_number(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 45 * 365))
    body = f"{REGION}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def demo_petitions_ensure(*, town, clerk, count: int = 80, seed: int = 2026) -> int:
    """Registers `count` demo petitions unless the town already has cases; returns how many."""
    if Case.objects.filter(town=town).exists():
        return 0
    rng = random.Random(seed)
    villages = list(Village.objects.filter(town=town))
    categories = list(Category.objects.filter(town=town))
    now = timezone.now()
    people: list[tuple[PetitionerIn, Case | None]] = []
    times = sorted(now - dt.timedelta(minutes=rng.randrange(60, 75 * 24 * 60)) for _ in range(count))
    for received_at in times:
        repeat = people and rng.random() < 0.2
        if repeat:
            petitioner, case = rng.choice(people)
            category = case.category if case else None
            matter = case.title if case else "原反映问题"
        else:
            village = rng.choice(villages)
            category = rng.choice(categories)
            matter = rng.choice(category.matters)
            petitioner = PetitionerIn(
                name=f"{rng.choice(SURNAMES)}某某",
                id_number=_id_number(rng),
                phone=f"1380000{rng.randrange(0, 10000):04d}",
                address=f"{village.name}{rng.randrange(1, 12)}组",
                village=village,
            )
            case = None
        persons = rng.choice([1] * 12 + [2, 3, 6, 12])
        channel = rng.choice(
            [Channel.VISIT] * 4 + [Channel.LETTER, Channel.PHONE, Channel.ONLINE] * 2 + [Channel.REFERRAL]
        )
        petition = petition_register(
            data=PetitionIn(
                channel=channel,
                referral_level=rng.choice([Level.COUNTY, Level.CITY]) if channel == Channel.REFERRAL else "",
                received_at=received_at,
                petitioner=petitioner,
                persons_count=persons,
                title=f"反映{matter}问题" if not repeat else matter,
                content=f"信访人反映{matter}方面的问题，要求尽快解决。（演示数据）",
                category=category,
                case_id=case.pk if case else None,
                has_threat=rng.random() < 0.04,
                skip_level=rng.choice([Level.COUNTY, Level.CITY]) if rng.random() < 0.05 else "",
            ),
            acting_user=clerk,
        )
        if not repeat:
            people.append((petitioner, petition.case))
    return count
