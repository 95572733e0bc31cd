"""The engine: idempotent scans, safe when two run at once, a failing rule does not stop the others,
and a rule registered by another app runs with the built-in ones."""

import datetime as dt

import pytest
from django.core.management import call_command

from xinfang.alerts.models import Alert
from xinfang.cases.models import Case
from xinfang.warnings import engine
from xinfang.warnings.models import Warning
from xinfang.warnings.registry import RULES, Finding, rule

from .conftest import at, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_town(cast, make_key_person):
    """A few cases in various clocks, a repeat, a skip-level petition, a lost key person."""
    with at("2026-05-01 09:00"):
        cases = [register(cast, name=f"幂等{i}某").case for i in range(4)]
        register(cast, name="越级某", skip_level="province")
        kp = make_key_person("幂等失联某")
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        state="handling", accepted_on=dt.date(2026, 5, 1), handling_due=dt.date(2026, 5, 5)
    )
    with at("2026-05-02 09:00"):
        register(cast, name="幂等0某", case_id=cases[0].pk)
        from xinfang.stability.services import contact_log

        contact_log(
            key_person_id=kp.pk, acting_user=cast["grid1"], way="phone", found="abnormal", note="情绪激动"
        )
    return cases


def _snapshot():
    return (
        sorted(Warning.objects.values_list("rule", "subject", "state", "level")),
        sorted(Alert.objects.filter(warning__isnull=False).values_list("warning__subject", "recipient_id")),
    )


def test_a_scan_run_twice_gives_the_same_warnings(busy_town, scan):
    with at("2026-05-03 10:00"):
        first = scan()
        after_first = _snapshot()
        second = scan()
    assert first.new > 0 and second.new == 0 and second.found == first.found
    assert _snapshot() == after_first
    rules = {r for r, *_ in after_first[0]}
    assert {"case_clock", "repeat_petition", "skip_level", "key_person_lost"} <= rules


def test_two_scans_at_the_same_moment_store_and_send_each_finding_once(busy_town, scan, monkeypatch):
    """The second scan read the stored pairs before the first one wrote: its insert meets the unique
    constraint, stores nothing and sends nothing."""
    with at("2026-05-03 10:00"):
        scan()
        before = _snapshot()
        real = Warning.objects.filter

        def blind_filter(*args, **kwargs):
            qs = real(*args, **kwargs)
            return qs.none() if "batch" not in kwargs else qs

        monkeypatch.setattr(Warning.objects, "filter", blind_filter)
        result = scan()
    assert result.new == 0
    assert _snapshot() == before


def test_a_failing_rule_is_logged_and_the_others_still_run(busy_town, scan, caplog):
    @rule("test_broken", "测试：出错的规则")
    def broken(town, now):
        raise RuntimeError("boom")
        yield

    try:
        with at("2026-05-03 10:00"):
            result = scan()
    finally:
        RULES.pop("test_broken")
    assert result.failed == ["test_broken"] and result.new > 0
    assert "test_broken" in caplog.text


def test_a_rule_registered_by_another_app_runs_and_reaches_its_named_people(cast, scan):
    village = cast["village2"].village

    @rule("test_screening_missing", "测试：排查未报送", level="yellow", roles=("village",), cadence="daily")
    def missing(town, now):
        yield Finding(
            subject=f"round:1:village:{village.pk}",
            state="missing",
            text=f"{village.name}未报送排查结果",
            village_id=village.pk,
            user_ids=(cast["supervisor"].pk, cast["h_office"].pk),  # another town's user is never told
        )

    try:
        with at("2026-05-03 10:00"):
            assert scan(cadence="often").per_rule.get("test_screening_missing") is None
            scan(cadence="daily")
            scan(cadence="daily")
    finally:
        RULES.pop("test_screening_missing")
    [w] = Warning.objects.filter(rule="test_screening_missing")
    assert w.level == "yellow"
    assert set(w.inbox.values_list("recipient__username", flat=True)) == {"village2", "supervisor"}


def test_the_command_scans_and_says_so_in_chinese(busy_town, capsys):
    with at("2026-05-03 10:00"):
        call_command("scan_warnings", "--town", "fenjie")
        call_command("scan_warnings", "--town", "fenjie")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("预警扫描完成：发现") and "新增 0 条" in out[1]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有这些预警规则"):
        call_command("scan_warnings", "--rule", "nonsense")
    with pytest.raises(CommandError, match="没有代码为"):
        call_command("scan_warnings", "--town", "nowhere")


def test_the_directory_gives_unit_roles_only_for_their_unit(cast):
    d = engine.Directory(cast["office"].town)
    f = Finding(subject="x", state="y", text="t", village_id=cast["village1"].village_id)
    users = {u for u in d.recipients(("village", "grid", "department", "office"), f)}
    names = {cast[n].pk: n for n in cast}
    assert {names[u] for u in users if u in names} == {"village1", "grid1", "office"}
