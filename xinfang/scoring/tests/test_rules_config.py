"""The `scoring:` section of a town's file: stored when the file is loaded, defaults for a file
without it, a bad section refused with the line and a Chinese reason."""

import pytest
import yaml

from xinfang.core.testing import FENJIE, HETANG
from xinfang.org.loader import TownConfigError, read_config, town_load
from xinfang.scoring.models import ScoringRules
from xinfang.scoring.selectors import rules_for

pytestmark = pytest.mark.django_db


def test_loading_a_file_stores_its_scoring_section(fenjie, tmp_path):
    data = yaml.safe_load(FENJIE.read_text(encoding="utf-8"))
    data["scoring"] = {"base": 60, "items": [{"key": "incidents", "points": 10}]}
    path = tmp_path / "fenjie.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    town_load(path=path)
    rules = rules_for(fenjie)
    assert rules.base == 60 and [(i.key, i.points, i.cap) for i in rules.items] == [("incidents", 10, None)]


def test_the_shipped_file_and_a_file_without_the_section(fenjie, hetang):
    shipped = read_config(FENJIE).scoring
    assert rules_for(fenjie) == shipped and shipped.base == 70 and len(shipped.items) == 9
    assert "scoring" not in yaml.safe_load(HETANG.read_text(encoding="utf-8"))
    assert ScoringRules.objects.get(town=hetang).rules == read_config(HETANG).scoring.model_dump()
    assert [i.key for i in rules_for(hetang).items] == [i.key for i in shipped.items]


@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([{"key": "incidents", "points": 5}, {"key": "incidents", "points": 3}], "重复出现"),
        ([{"key": "parking", "points": 5}], "只能是以下之一"),
        ([{"key": "incidents", "points": -1}], "应不小于"),
    ],
)
def test_a_bad_scoring_section_is_refused_in_chinese(tmp_path, items, words):
    data = yaml.safe_load(FENJIE.read_text(encoding="utf-8"))
    data["scoring"] = {"items": items}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TownConfigError) as refused:
        read_config(path)
    text = " ".join(refused.value.problems)
    assert words in text and "考核" in text, text
