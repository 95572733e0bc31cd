"""The town's `metrics:` settings: loaded with the file, defaults when absent, refused when wrong."""

from pathlib import Path

import pytest
from django.conf import settings

from xinfang.metrics.rules import settings_of
from xinfang.org.loader import TownConfigError, read_config

FENJIE = Path(settings.BASE_DIR) / "configs" / "fenjie.yaml"


def test_the_demo_town_states_every_setting(fenjie):
    s = settings_of(fenjie)
    assert s["overdue_rating"] == "excluded" and s["marked_decline_percent"] == 10
    assert s["satisfaction_rating"] == "unit" and s["resolution_stability_base"] == "period"
    assert s["basic_satisfied_counts"] is True  # settings.basic_satisfied_counts, reused


def test_a_town_without_the_section_gets_the_defaults(hetang):
    assert settings_of(hetang)["warning_margin"] in ("0.02", 0.02)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("  overdue_rating: excluded", "  overdue_rating: sometimes"),
        ("  marked_decline_percent: 10", "  marked_decline_percent: 150"),
        ("  satisfaction_rating: unit", "  satisfaction_rating: everyone"),
    ],
)
def test_a_wrong_setting_is_refused_with_its_line(tmp_path, line, words):
    text = FENJIE.read_text(encoding="utf-8")
    assert line in text
    bad = tmp_path / "town.yaml"
    bad.write_text(text.replace(line, words), encoding="utf-8")
    with pytest.raises(TownConfigError) as err:
        read_config(bad)
    assert "指标口径" in str(err.value) and "行" in str(err.value)
