"""The town's 扬言 lexicon (`threat:`): loaded onto the town, defaulted when absent, and a broken
pattern refused in Chinese with its line."""

import pytest

from xinfang.org.config_schema import threat_default
from xinfang.org.loader import TownConfigError, town_load
from xinfang.org.models import Town

from .test_loader import _broken_copy

pytestmark = pytest.mark.django_db


def test_the_towns_section_is_stored_on_the_town(tmp_path, fenjie):
    path, _ = _broken_copy(tmp_path, "    缠访闹访: [上访到底,", "    缠访闹访: [去县里闹,")
    town_load(path=path)
    fenjie.refresh_from_db()
    assert fenjie.threat["terms"]["缠访闹访"][0] == "去县里闹"
    assert fenjie.threat["negations"] == threat_default()["negations"]


def test_a_town_without_the_section_gets_the_default(hetang):
    # hetang's file has no `threat:` section
    assert Town.objects.get(pk=hetang.pk).threat == threat_default()
    assert "去北京" in threat_default()["terms"]["越级进京赴省"]


def test_a_broken_pattern_is_refused_with_its_line_in_chinese(tmp_path, fenjie):
    before = fenjie.threat
    path, line = _broken_copy(tmp_path, "    - '自杀式'", "    - '自杀(式'")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    message = str(err.value)
    assert f"第 {line} 行" in message
    assert "exclusions（排除（成语、地名等））" in message
    assert "正则表达式“自杀(式”写法有误" in message
    assert Town.objects.get(pk=fenjie.pk).threat == before


def test_an_unknown_key_in_the_section_is_refused(tmp_path):
    path, _ = _broken_copy(tmp_path, "  enabled: true", "  enabled: true\n  terms_extra: [跳楼]")
    with pytest.raises(TownConfigError) as err:
        town_load(path=path)
    assert "terms_extra" in str(err.value)
