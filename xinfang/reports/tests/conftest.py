import datetime as dt

import pytest
from django.utils import timezone

from xinfang.demo.history import history_generate
from xinfang.demo.stability import stability_demo


@pytest.fixture
def history(cast):
    """A small generated history of Fenjie (and a few cases of Hetang, which no Fenjie user may see),
    received over the last 400 days so that this period and last year's both have cases."""
    office = cast["office"]
    history_generate(town=office.town, clerk=office, cases=240, days=400, seed=13, workers=1)
    stability_demo(town=office.town, users=cast)  # key persons, periods and 五不 incidents
    history_generate(
        town=cast["h_office"].town, clerk=cast["h_office"], cases=30, days=400, seed=14, workers=1
    )
    return cast


@pytest.fixture
def report_dir(settings, tmp_path):
    settings.XINFANG_REPORT_DIR = str(tmp_path / "reports")
    return tmp_path / "reports"


@pytest.fixture
def today():
    return timezone.localdate()


def year_ago(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=365)
