import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots", action="store_true", help="browser tests also write docs/screenshots/*.png"
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Both towns and the cast are loaded once per session; each test rolls back its own changes."""
    from django.core.management import call_command

    from xinfang.core.testing import cast_ensure
    from xinfang.workcal.services import calendar_seed

    with django_db_blocker.unblock():
        # The rate limits count in the database cache when there is no Redis, as `make run` sets up.
        call_command("createcachetable", verbosity=0)
        calendar_seed()
        cast_ensure()


@pytest.fixture
def cast(db):
    from xinfang.core.testing import cast_ensure

    return cast_ensure()


@pytest.fixture
def fenjie(db):
    from xinfang.org.models import Town

    return Town.objects.get(code="fenjie")


@pytest.fixture
def hetang(db):
    from xinfang.org.models import Town

    return Town.objects.get(code="hetang")


@pytest.fixture
def client_as(cast, client):
    """`client_as("village1")`: a test client signed in as that member of the cast."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(cast[username])
        return c

    return make
