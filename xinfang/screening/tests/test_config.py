"""The `screening:` section of a town's file: defaults when absent, Chinese errors when wrong."""

import pytest

from xinfang.core.testing import FENJIE, HETANG
from xinfang.org.loader import TownConfigError, read_config
from xinfang.screening import rules


def test_fenjie_names_the_cadences_and_hetang_takes_the_defaults(cast, fenjie, hetang):
    assert "screening:" not in HETANG.read_text(encoding="utf-8")
    assert rules.config(hetang)["normal_every_days"] == 7
    settings = rules.config(fenjie)
    assert settings["report_units"] == ["village", "grid", "department"]
    assert (settings["wartime_every_days"], settings["normal_every_days"]) == (1, 7)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("normal_every_days: 7 ", "normal_every_days: 0 "),
        ("report_units: [village, grid, department]", "report_units: [village, street]"),
        ("assessment_levels: [grid, village, line, town]", "assessment_levels: []"),
    ],
)
def test_a_wrong_screening_setting_is_explained(tmp_path, old, new):
    text = FENJIE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "town.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(TownConfigError) as exc:
        read_config(path)
    message = str(exc.value) + " ".join(getattr(exc.value, "problems", []))
    assert "排查研判" in message
