import pytest

from xinfang.stability.tests.conftest import (  # noqa: F401 (fixtures)
    at,
    make_key_person,
    police,
    register,
    storage,
)


@pytest.fixture
def scan():
    """warnings_scan for the demo town only (the second town has no data), under the frozen clock."""
    from xinfang.org.models import Town
    from xinfang.warnings.engine import warnings_scan

    def run(**kwargs):
        kwargs.setdefault("towns", [Town.objects.get(code="fenjie")])
        return warnings_scan(**kwargs)

    return run


def inbox_of(warning) -> set[str]:
    return set(warning.inbox.values_list("recipient__username", flat=True))
