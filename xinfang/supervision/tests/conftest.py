import datetime as dt

import pytest

from xinfang.stability.tests.conftest import SHANGHAI, at, register  # noqa: F401
from xinfang.supervision.services import notice_issue


@pytest.fixture(autouse=True)
def storage(tmp_path, settings):
    settings.XINFANG_ATTACHMENT_DIR = tmp_path


@pytest.fixture
def case(cast):
    with at("2026-11-02 09:00"):
        return register(cast, name="周某某").case


@pytest.fixture
def issue(cast, case):
    """issue(unit="village1"|"dept1", due=date, **over): a notice the supervisor issued on 2026-11-02."""

    def make(unit="village1", due=dt.date(2026, 11, 9), subject="case", **over):
        user = cast[unit]
        kind = "village" if user.role == "village" else "department"
        with at(over.pop("when", "2026-11-02 10:00")):
            return notice_issue(
                acting_user=cast["supervisor"],
                unit_kind=kind,
                unit_id=user.village_id if kind == "village" else user.department_id,
                subject=subject,
                case_id=case.pk if subject == "case" else None,
                theme=over.pop("theme", "化稳方案未按节点推进"),
                requirements=over.pop("requirements", "请于期限内报告化解进展及下一步措施。"),
                reply_due=due,
                **over,
            )

    return make
