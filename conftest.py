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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session (see xinfang/web/tests/browsing.py)."""
    import shutil
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from xinfang.web.tests.browsing import CHROMIUM, FLAGS

    assert shutil.which("chromium") or Path(CHROMIUM).exists(), (
        "Debian's chromium is missing: run `make test`"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page_for(browser, live_server, request):
    """A fresh page at a size; every request it makes must stay on the server."""
    from xinfang.web.tests.browsing import SIZES

    contexts = []
    outside = []

    def make(size="pc"):
        context = browser.new_context(viewport=SIZES[size], base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((live_server.url, "data:", "blob:")) else outside.append(r.url)
            ),
        )
        return page

    yield make
    for c in contexts:
        c.close()
    assert not outside, f"pages asked for something outside the server: {outside}"


@pytest.fixture
def as_(cast):
    """`as_("office")`: a client signed in now (under a frozen clock, the frozen now: sessions time
    out when idle), for `xinfang.cases.testing.act`."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(cast[username])
        return c

    return make


@pytest.fixture
def town(transactional_db):
    """The two towns and the cast, in a database the live server's threads can see."""
    from xinfang.core.testing import cast_ensure

    return cast_ensure()
