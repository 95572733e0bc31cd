from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xinfang.audit.models import AuditEvent
from xinfang.core.testing import FENJIE, HETANG
from xinfang.org.loader import TownConfigError, town_load
from xinfang.org.models import Category, Department, Grid, Person, Target, TimeLimits, Town, Village

pytestmark = pytest.mark.django_db


def _db_state():
    """Everything a load writes, as comparable data."""
    return {
        "towns": list(Town.objects.values_list("code", "name", "collective_threshold").order_by("code")),
        "limits": list(TimeLimits.objects.values_list("town__code", "handling_days").order_by("town__code")),
        "departments": list(Department.objects.values_list("town__code", "code", "name").order_by("pk")),
        "villages": list(Village.objects.values_list("code", "name", "contact_leader__name").order_by("pk")),
        "grids": Grid.objects.count(),
        "people": Person.objects.count(),
        "categories": list(Category.objects.values_list("code", "lead__code").order_by("pk")),
        "targets": list(Target.objects.values_list("code", "threshold").order_by("pk")),
    }


def _broken_copy(tmp_path: Path, old: str, new: str, source: Path = FENJIE) -> tuple[Path, int]:
    text = source.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


def test_it_loads_the_seeds_six_categories_with_their_lead_departments(fenjie):
    leads = dict(Category.objects.filter(town=fenjie).values_list("name", "lead__name"))
    assert leads == {
        "城乡建设类": "镇建设和生态环境局",
        "农业农村类": "镇农业农村局",
        "涉法涉诉类": "镇政法和社会管理局",
        "劳动保障类": "镇为民服务中心",
        "军人事务类": "镇退役军人服务站",
        "民生保障类": "镇政法和社会管理局",
    }
    labour = Category.objects.get(town=fenjie, name="劳动保障类")
    assert {d.name for d in labour.supporting.all()} == {
        "镇党群工作局",
        "镇政法和社会管理局",
        "分界派出所",
        "分界司法所",
    }
    assert fenjie.case_number_prefix == "分信"
    assert fenjie.time_limits.handling_days == 60
    assert fenjie.time_limits.misroute_objection_working_days == 5


def test_it_encodes_the_targets_and_cadences_of_the_plan(fenjie):
    targets = {t.name: t for t in Target.objects.filter(town=fenjie)}
    assert targets["初次信访一次性化解率"].goal_text == "≥ 90%"
    assert targets["化解稳定率"].goal_text == "≥ 95%"
    assert targets["重复信访率（网上信访）"].goal_text == "≤ 10%"
    assert {t.group for t in targets.values()} == {"三降", "四升", "五不"}
    assert Target.objects.filter(town=fenjie, group="五不").count() == 5
    cadences = {c.code: (c.period, c.times) for c in fenjie.cadences.all()}
    assert cadences == {
        "task_force_meeting": ("month", 3),
        "joint_meeting": ("month", 1),
        "party_committee_report": ("quarter", 1),
    }


def test_a_village_has_its_contact_leader_party_head_cadre_and_grids(fenjie):
    assert Village.objects.filter(town=fenjie).count() >= 12
    for village in Village.objects.filter(town=fenjie):
        assert village.contact_leader.is_leader
        assert village.party_head.village == village
        assert village.grids.count() >= 1
        assert all(g.worker.village == village for g in village.grids.all())


def test_a_second_load_updates_and_never_duplicates(fenjie):
    before = _db_state()
    result = town_load(path=FENJIE)
    assert result.created is False
    assert _db_state() == before


def test_a_changed_file_updates_the_town_in_place(tmp_path, fenjie):
    path, _ = _broken_copy(tmp_path, "handling_days: 60", "handling_days: 45")
    town_load(path=path)
    fenjie.refresh_from_db()
    assert TimeLimits.objects.get(town=fenjie).handling_days == 45
    assert Town.objects.filter(code="fenjie").count() == 1


def test_bad_indentation_names_the_line_and_changes_nothing(tmp_path):
    before = _db_state()
    path, line = _broken_copy(tmp_path, "  handling_days: 60", "    handling_days: 60")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    message = str(err.value)
    assert f"第 {line} 行" in message
    assert "缩进" in message
    assert _db_state() == before


def test_an_unknown_lead_department_names_the_line_and_field_and_changes_nothing(tmp_path):
    before = _db_state()
    path, line = _broken_copy(tmp_path, "lead: nongye", "lead: nosuchdept")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    message = str(err.value)
    assert f"第 {line} 行" in message
    assert "lead（牵头部门）" in message
    assert "nosuchdept" in message and "未在 departments 中定义" in message
    assert _db_state() == before


def test_a_wrong_type_and_an_unknown_field_are_explained_in_chinese(tmp_path):
    path, line = _broken_copy(tmp_path, "handling_days: 60", "handling_days: 六十天\n  handing_days: 60")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    problems = err.value.problems
    assert any(
        f"第 {line} 行" in p and "handling_days（办理期限）" in p and "应为整数" in p for p in problems
    )
    assert any(f"第 {line + 1} 行" in p and "handing_days" in p and "不认识的字段" in p for p in problems)


def test_a_failure_late_in_the_file_leaves_nothing_half_loaded(tmp_path):
    # A new town whose last target is broken: not even the town itself may be created.
    text = HETANG.read_text(encoding="utf-8").replace("code: hetang", "code: hetang-copy", 1)
    text = text.replace('unit: "%"', "unit: 百分比", 1)
    path = tmp_path / "copy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TownConfigError):
        town_load(path=path)
    assert not Town.objects.filter(code="hetang-copy").exists()


def test_the_command_prints_chinese_errors_and_exits_non_zero(tmp_path):
    path, line = _broken_copy(tmp_path, "contact_leader: zhenzhang", "contact_leader: nobody")
    with pytest.raises(CommandError) as err:
        call_command("load_town", str(path))
    assert "数据库未作任何修改" in str(err.value)
    assert f"第 {line} 行" in str(err.value)


def test_the_second_town_keeps_its_own_settings(hetang, fenjie):
    assert hetang.collective_threshold == 10
    assert hetang.time_limits.handling_days == 45
    assert hetang.basic_satisfied_counts is False
    assert not Department.objects.filter(town=hetang, code="jianshe").exists()
    assert Category.objects.filter(town=hetang).count() == 4
    assert fenjie.collective_threshold == 5


def test_a_load_is_written_to_the_audit_log(tmp_path, fenjie):
    town_load(path=FENJIE)
    row = AuditEvent.objects.filter(event="load_config", town=fenjie).latest("id")
    assert row.new_values["村（居）"] == Village.objects.filter(town=fenjie).count()
    assert "fenjie.yaml" in row.detail


def test_the_stability_settings_are_loaded_and_a_repeated_level_names_its_line(tmp_path, fenjie):
    levels = {lv["code"]: (lv["name"], lv["contacts"], lv["days"]) for lv in fenjie.stability["risk_levels"]}
    assert levels == {"high": ("高", 1, 1), "medium": ("中", 1, 3), "low": ("低", 1, 7)}
    assert fenjie.stability["period_contacts_per_day"] == 3
    assert (fenjie.stability["follow_up_every_days"], fenjie.stability["follow_up_times"]) == (30, 6)
    path, line = _broken_copy(tmp_path, "{code: low, name: 低", "{code: high, name: 低")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    assert f"第 {line} 行" in str(err.value) and "风险等级代码“high”重复出现" in str(err.value)
