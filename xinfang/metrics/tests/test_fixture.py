"""Every metric on a small history (tests/town.py) against values worked out by hand.

The period is the first half of 2026 (2026-01-01 to 2026-06-30), read on 2026-07-01. The cases, all
in village1's village and dept1's line unless said otherwise:

  F 2025-03-01 skip-level (city) by 己某 · G 2025-04-01 collective (6) · H 2025-05-01 threat
      — last year's three prominent cases; only registered.
  A 2026-01-05 visit; accepted 01-06 (notice limit 01-20); opinion 02-10 (handling limit 03-07),
      delivered 02-10; rated 02-15: office 满意, unit 基本满意. Not prominent.
  B 2026-02-01 online, skip-level (county) by 乙某 → prominent from 02-01; accepted 03-05 (notice
      limit 15 days, moved past the Spring Festival to 02-24: late); repeat online petition 03-10;
      stabilised 03-15; no opinion by its handling limit (60 days, early May) → late since.
  C 2026-03-02 letter; accepted 03-03; opinion 03-20, delivered 03-20; rated 03-25: office 不满意,
      unit 满意; resolved (协议 03-31, 对账销号 04-01), never repeated.
  E 2026-04-01 in village2's village; 不予受理 04-05 (limit 04-16: in time).
  I 2026-04-20; accepted and assigned 04-20; opinion 05-01 delivered 05-01; never rated: the rating
      window closed 05-31, overdue from 06-01.
  D 2026-05-20 collective (6) → prominent from 05-20; never accepted: late from 06-05.
  Key persons K (乙某, B) and K2 (丙某, C), listed 04-08; an extreme incident 04-10 in village1 with
  K; protection period 06-10–06-12 with K2, found away (not in place) on 06-05.
"""

import datetime as dt

import pytest

from xinfang.cases.models import Case
from xinfang.cases.testing import on
from xinfang.metrics import counting, selectors

from .town import build

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.fixture
def town(cast, settings, tmp_path):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path
    return build(cast)


def read(user, **unit) -> dict:
    with on("2026-07-01"):
        return {m.key: m for m in selectors.metrics_for(user, START, END, **unit)}


def near(value):
    return pytest.approx(value, abs=1e-4)


def test_every_metric_of_the_town(cast, town):
    m = read(cast["office"])
    # 突出问题发生量: B (02-01) and D (05-20) came on the ledger this half-year; F, G and H last year.
    # 2 ≤ 3 × (1 − 10%) = 2.7: a marked decline, met.
    assert (m["prominent_cases"].value, m["prominent_cases"].last_year) == (2, 3)
    assert m["prominent_cases"].status == "达标"
    # 重复信访占比: 7 petitions (A, B, B's repeat, C, E, I, D), one a repeat: 1/7. Last year 0 of 3:
    # from nothing to something is missed.
    assert (m["repeat_share"].numerator, m["repeat_share"].denominator) == (1, 7)
    assert m["repeat_share"].value == near(1 / 7) and m["repeat_share"].last_year == 0
    assert m["repeat_share"].status == "未达标"
    # 越级上访人数: 乙某 (B) this year, 己某 (F) last year: 1 against 1, not lower.
    assert (m["skip_level_persons"].value, m["skip_level_persons"].last_year) == (1, 1)
    assert m["skip_level_persons"].status == "未达标"
    # 初次信访一次性化解率: concluded A (02-10), C (03-20), I (05-01); only C resolved without a
    # repeat: 1/3, short of 90% by more than the 2-point margin.
    assert (m["first_time_resolution_rate"].numerator, m["first_time_resolution_rate"].denominator) == (1, 3)
    assert m["first_time_resolution_rate"].status == "未达标"
    assert m["first_time_resolution_rate"].last_year is None  # nothing concluded last year
    # 化解稳定率: prominent B and D; B stabilised, D in hand: 1/2.
    assert (m["resolution_stability_rate"].numerator, m["resolution_stability_rate"].denominator) == (1, 2)
    # 群众满意率 (by the unit rating; 基本满意 counts; overdue left out): A 基本满意, C 满意 → 2/2.
    assert (m["satisfaction_rate"].numerator, m["satisfaction_rate"].denominator) == (2, 2)
    assert m["satisfaction_rate"].status == "达标"
    # 重复信访率（网上信访）: B's two petitions were online, one a repeat: 1/2 > 10%.
    assert (m["online_repeat_rate"].numerator, m["online_repeat_rate"].denominator) == (1, 2)
    assert m["online_repeat_rate"].status == "未达标"
    # 重点人员稳定率: K had the extreme incident, K2 none: 1/2.
    assert (m["key_person_stability_rate"].numerator, m["key_person_stability_rate"].denominator) == (1, 2)
    # 活动前滞留: K2 not in place before the period of 06-10: 1 person, target zero.
    assert m["pre_event_stranded"].value == 1 and m["pre_event_stranded"].status == "未达标"
    # 活动期间登记: nobody registered during the period.
    assert m["event_registrations"].value == 0 and m["event_registrations"].status == "达标"
    # 五不: one extreme incident; nothing else.
    assert m["extreme_incidents"].value == 1 and m["extreme_incidents"].status == "未达标"
    for key in (
        "beijing_province_visits",
        "provincial_collective_visits",
        "negative_hype",
        "stopped_petitioner_rebound",
    ):
        assert m[key].value == 0 and m[key].status == "达标", key
    # 及时受理率: decided A 01-06, C 03-03, I 04-20 (accepted) and E 04-05 (不予受理) in time; B
    # late (03-05 > 02-24); D undecided past 06-04: 4/6.
    assert Case.objects.get(pk=town["B"].pk).notify_due < dt.date(2026, 3, 5)
    assert (m["timely_acceptance_rate"].numerator, m["timely_acceptance_rate"].denominator) == (4, 6)
    assert m["timely_acceptance_rate"].status == "无目标"
    # 按期办结率: A, C, I gave their opinion in time; B did not by its limit in May: 3/4.
    assert Case.objects.get(pk=town["B"].pk).handling_due < END
    assert (m["on_time_rate"].numerator, m["on_time_rate"].denominator) == (3, 4)
    # 参评率: A and C rated, I overdue: 2/3.
    assert (m["participation_rate"].numerator, m["participation_rate"].denominator) == (2, 3)
    # 满意率（信访部门）: A 满意, C 不满意: 1/2. （办理单位）: A 基本满意 (counts), C 满意: 2/2.
    assert (m["office_satisfaction_rate"].numerator, m["office_satisfaction_rate"].denominator) == (1, 2)
    assert (m["unit_satisfaction_rate"].numerator, m["unit_satisfaction_rate"].denominator) == (2, 2)
    # 重复信访率: six cases received this half-year (A, B, C, E, I, D), B petitioned again: 1/6.
    assert (m["case_repeat_rate"].numerator, m["case_repeat_rate"].denominator) == (1, 6)
    # The plan's grouping.
    assert m["resolution_stability_rate"].area == "实体化解质效"
    assert m["key_person_stability_rate"].group == "四升"
    assert m["timely_acceptance_rate"].group == "国家指标"
    with on("2026-07-01"):
        assert counting.check() == []


def test_a_village_sees_its_own_numbers(cast, town):
    mine = read(cast["village1"])
    # E is village2's: 6 petitions and 5 cases here; acceptance 3/5 (A, C, I in time; B, D late).
    assert (mine["repeat_share"].numerator, mine["repeat_share"].denominator) == (1, 6)
    assert (mine["timely_acceptance_rate"].numerator, mine["timely_acceptance_rate"].denominator) == (3, 5)
    assert mine["extreme_incidents"].value == 1
    other = read(cast["village2"])
    # Village2 has only E: one case, decided in time; nothing prominent either year (0 against 0: met).
    assert (other["timely_acceptance_rate"].numerator, other["timely_acceptance_rate"].denominator) == (1, 1)
    assert (other["prominent_cases"].value, other["prominent_cases"].status) == (0, "达标")
    assert other["extreme_incidents"].value == 0
    assert other["key_person_stability_rate"].value is None  # no key persons there


def test_settings_change_the_reading(cast, town):
    office = cast["office"]
    office.town.metrics = {
        **office.town.metrics,
        "overdue_rating": "satisfied",
        "satisfaction_rating": "office",
    }
    office.town.basic_satisfied_counts = False
    office.town.metrics["marked_decline_percent"] = 40
    office.town.save()
    m = read(office)
    # Overdue counts as rated and satisfied: office A 满意 + I overdue of 3 → 2/3; unit: C 满意 + I
    # (A's 基本满意 no longer counts) → 2/3. 群众满意率 now follows the office rating: 2/3.
    assert (m["office_satisfaction_rate"].numerator, m["office_satisfaction_rate"].denominator) == (2, 3)
    assert (m["unit_satisfaction_rate"].numerator, m["unit_satisfaction_rate"].denominator) == (2, 3)
    assert (m["satisfaction_rate"].numerator, m["satisfaction_rate"].denominator) == (2, 3)
    # 2 against 3 is a decline, but not of 40%: 预警.
    assert m["prominent_cases"].status == "预警"


def test_every_drill_lists_its_numerator(cast, town, client_as):
    for who in ("office", "leader1", "village1", "village2", "dept1", "supervisor", "grid1"):
        with on("2026-07-01"):
            answer = client_as(who).get("/api/v1/metrics?from=2026-01-01&to=2026-06-30")
            assert answer.status_code == 200, answer.json()
            for item in answer.json()["items"]:
                if item["drill"] is None:
                    continue
                listed = client_as(who).get(item["drill"] + "&limit=500").json()
                assert listed["count"] == item["numerator"] == len(listed["items"]), (who, item["key"])
