"""Fixtures of the browser tests, shared by every module that drives Chromium: one Playwright and
one browser per session (two sync Playwrights in one session refuse to run)."""

import os
import shutil
from pathlib import Path

import pytest

from xinfang.core.testing import cast_ensure

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
SIZES = {"pc": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

# Playwright's sync API runs an event loop in this thread; the ORM calls made here are plain
# synchronous test set-up, which Django would otherwise refuse next to a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium") or Path(CHROMIUM).exists(), (
        "Debian's chromium is missing: run `make test`"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def town(transactional_db):
    return cast_ensure()


@pytest.fixture
def page_for(browser, live_server, request):
    """A fresh page at a size; every request it makes must stay on the server."""
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
