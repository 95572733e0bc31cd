"""Rounds, reports, zero reports and the missing list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xinfang.core.errors import EditConflict
from xinfang.org.models import Department, Grid, Village
from xinfang.screening import selectors, services
from xinfang.screening.models import ScreeningItem, ScreeningRound, UnitReport

from .conftest import ID_A, at, item, report_of


def test_round_names_every_village_grid_and_department(cast, rnd):
    town = cast["office"].town
    reports = UnitReport.objects.filter(round=rnd)
    assert reports.filter(unit_kind="village").count() == Village.objects.filter(town=town).count()
    assert reports.filter(unit_kind="grid").count() == Grid.objects.filter(village__town=town).count()
    assert reports.filter(unit_kind="department").count() == Department.objects.filter(town=town).count()
    assert not reports.exclude(submitted_at=None).exists()


@pytest.mark.parametrize(
    "username", ["leader1", "dept1", "village1", "grid1", "supervisor", "county", "sysadmin"]
)
def test_only_the_office_opens_a_round(cast, username):
    with pytest.raises(PermissionDenied) as exc:
        services.round_create(
            acting_user=cast[username], name="排查", start="2026-05-04", end="2026-05-10", due="2026-05-10"
        )
    assert "联席办" in str(exc.value)
    assert not ScreeningRound.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "名称"),
        ({"end": "2026-05-01"}, "end", "早于开始"),
        ({"due": "2026-05-01"}, "due", "早于"),
        ({"start": "0001-01-01"}, "start", "核对年份"),
        ({"start": "五月四日"}, "start", "格式"),
        ({"kind": "weekly"}, "kind", "排查类型"),
        ({"name": "排" * 101}, "name", "过长"),
        ({"name": "排查\x00"}, "name", "控制字符"),
    ],
)
def test_round_input_is_checked_in_chinese(cast, fields, field, words):
    data = {"name": "排查", "start": "2026-05-04", "end": "2026-05-10", "due": "2026-05-10", **fields}
    with pytest.raises(ValidationError) as exc:
        services.round_create(acting_user=cast["office"], **data)
    assert words in exc.value.message_dict[field][0]


def test_zero_report_in_one_step_and_items(cast, rnd):
    with at("2026-05-06 10:00"):
        zero = services.report_submit(
            acting_user=cast["grid1"], report_id=report_of(rnd, cast["grid1"]).pk, zero=True
        )
        assert zero.is_zero and zero.submitted_at and "全面排查" in zero.statement
        mine = report_of(rnd, cast["village1"])
        services.report_submit(
            acting_user=cast["village1"],
            report_id=mine.pk,
            items=[item(person_name="钱某某", person_id_number=ID_A)],
        )
    mine.refresh_from_db()
    assert not mine.is_zero and mine.items.count() == 1
    found = mine.items.get()
    assert found.village_id == cast["village1"].village_id and found.reporter == cast["village1"]
    # A unit that reported items cannot then say it found nothing.
    with pytest.raises(ValidationError) as exc:
        services.report_submit(acting_user=cast["village1"], report_id=mine.pk, zero=True)
    assert "不能再报零报告" in exc.value.message_dict["zero"][0]


def test_a_report_needs_items_or_a_zero_report_and_valid_items(cast, rnd):
    rep = report_of(rnd, cast["village1"])
    with pytest.raises(ValidationError) as exc:
        services.report_submit(acting_user=cast["village1"], report_id=rep.pk)
    assert "零报告" in exc.value.message_dict["items"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_submit(acting_user=cast["village1"], report_id=rep.pk, zero=True, items=[item()])
    assert "零报告" in exc.value.message_dict["zero"][0]
    for bad, field, words in [
        ({"kind": "rumour"}, "items.0.kind", "类型"),
        ({"risk_level": "extreme"}, "items.0.risk_level", "风险等级"),
        ({"title": ""}, "items.0.title", "请填写"),
        (
            {"person_name": "钱某", "person_id_number": "321283198001010011"},
            "items.0.person_id_number",
            "校验位",
        ),
        ({"persons_count": 0}, "items.0.persons_count", "人数"),
        ({"village_id": cast["h_village"].village_id}, "items.0.village", "本村"),
        ({"village_id": cast["village2"].village_id}, "items.0.village", "本村"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.report_submit(acting_user=cast["village1"], report_id=rep.pk, items=[item(**bad)])
        assert words in exc.value.message_dict[field][0], bad
    assert not ScreeningItem.objects.exists()
    rep.refresh_from_db()
    assert rep.submitted_at is None


def test_each_unit_reports_for_itself_only(cast, rnd):
    other_village = report_of(rnd, cast["village2"])
    # Another village's report: not even told it exists.
    with pytest.raises(ValidationError):
        services.report_submit(acting_user=cast["village1"], report_id=other_village.pk, zero=True)
    # The village's own grid: seen, but the grid worker reports it.
    with pytest.raises(PermissionDenied):
        services.report_submit(
            acting_user=cast["village1"], report_id=report_of(rnd, cast["grid1"]).pk, zero=True
        )
    with pytest.raises(ValidationError):
        services.report_submit(
            acting_user=cast["grid1"], report_id=report_of(rnd, cast["village1"]).pk, zero=True
        )
    with pytest.raises(ValidationError):
        services.report_submit(acting_user=cast["dept1"], report_id=other_village.pk, zero=True)
    for username in ("office", "leader1", "supervisor", "county"):
        with pytest.raises(PermissionDenied):
            services.report_submit(acting_user=cast[username], report_id=other_village.pk, zero=True)
    # Another town's user: the report does not exist for them.
    with pytest.raises(ValidationError):
        services.report_submit(acting_user=cast["h_village"], report_id=other_village.pk, zero=True)
    other_village.refresh_from_db()
    assert other_village.submitted_at is None


def test_stale_version_is_refused(cast, rnd):
    rep = report_of(rnd, cast["village1"])
    services.report_submit(
        acting_user=cast["village1"], report_id=rep.pk, items=[item()], version=rep.version
    )
    with pytest.raises(EditConflict) as exc:
        services.report_submit(
            acting_user=cast["village1"], report_id=rep.pk, items=[item()], version=rep.version
        )
    assert "刷新" in str(exc.value)
    assert rep.items.count() == 1


def test_missing_reports_after_the_due_day(cast, rnd):
    town = cast["office"].town
    total = UnitReport.objects.filter(round=rnd).count()
    with at("2026-05-10 22:00"):
        services.report_submit(
            acting_user=cast["village1"], report_id=report_of(rnd, cast["village1"]).pk, zero=True
        )
        # Not missing while the due day lasts.
        assert selectors.missing_reports(town, dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == []
    with at("2026-05-11 08:00"):
        services.report_submit(
            acting_user=cast["grid1"], report_id=report_of(rnd, cast["grid1"]).pk, zero=True
        )
        missing = selectors.missing_reports(town, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    units = {(m["unit_kind"], m["village_id"], m["grid_id"], m["department_id"]) for m in missing}
    assert ("village", cast["village1"].village_id, None, None) not in units
    # Reported a day late: still missing for the round, with the time it came.
    late = [m for m in missing if m["grid_id"] == cast["grid1"].grid_id]
    assert len(late) == 1 and late[0]["submitted_at"] is not None
    assert len(missing) == total - 1
    assert {m["due"] for m in missing} == {dt.date(2026, 5, 10)}
    assert all(m["round_id"] == rnd.pk for m in missing)
    # Outside the range asked: nothing.
    assert (
        selectors.missing_reports(town, dt.date(2026, 6, 1), dt.date(2026, 6, 30), today=dt.date(2026, 7, 1))
        == []
    )


def test_rolling_round_is_opened_once_per_week(cast):
    town = cast["office"].town
    first = services.rolling_round_ensure(town=town, today=dt.date(2026, 5, 6))
    again = services.rolling_round_ensure(town=town, today=dt.date(2026, 5, 9))
    assert first.pk == again.pk
    assert (first.start, first.end, first.due) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 10),
        dt.date(2026, 5, 10),
    )
    nxt = services.rolling_round_ensure(town=town, today=dt.date(2026, 5, 11))
    assert nxt.pk != first.pk and nxt.start == dt.date(2026, 5, 11)
    assert ScreeningRound.objects.filter(kind="rolling").count() == 2
    assert UnitReport.objects.filter(round=nxt).count() == UnitReport.objects.filter(round=first).count() > 0


def test_rolling_job_opens_one_round_per_town_and_block(cast):
    from xinfang.screening.tasks import rolling_rounds_open

    first = rolling_rounds_open(today=dt.date(2026, 5, 6))
    again = rolling_rounds_open(today=dt.date(2026, 5, 7))
    assert {r.pk for r in first} == {r.pk for r in again}
    assert {r.town.code for r in first} == {"fenjie", "hetang"}
    town = cast["office"].town
    town.screening = {**town.screening, "rolling": False}
    town.save()
    assert [r.town.code for r in rolling_rounds_open(today=dt.date(2026, 5, 12))] == ["hetang"]


def test_a_department_reports_about_any_village_of_its_town_only(cast, rnd):
    rep = report_of(rnd, cast["dept1"])
    with pytest.raises(ValidationError) as exc:
        services.report_submit(
            acting_user=cast["dept1"], report_id=rep.pk, items=[item(village_id=cast["h_village"].village_id)]
        )
    assert "不属于本镇" in exc.value.message_dict["items.0.village"][0]
    services.report_submit(
        acting_user=cast["dept1"], report_id=rep.pk, items=[item(village_id=cast["village2"].village_id)]
    )
    made = rep.items.get()
    assert (
        made.village_id == cast["village2"].village_id and made.department_id == cast["dept1"].department_id
    )
