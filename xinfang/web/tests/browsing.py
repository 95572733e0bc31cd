"""The browser the page tests drive: Debian's Chromium through Playwright, never a downloaded one.
Its fixtures live in the root conftest.py, so that every app's browser tests share one Playwright
(two sync Playwrights in one test session refuse to start)."""

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
