"""Every page renders for the roles that may use it, in Chinese, and loads nothing from outside."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from xinfang.core.admin_site import manage_site
from xinfang.web.navigation import ITEMS

pytestmark = pytest.mark.django_db

LOCAL_HOSTS = {"testserver", "127.0.0.1", "localhost"}
URL_ATTRS = {"src", "href", "action", "poster", "data", "srcset", "formaction", "manifest"}


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in URL_ATTRS:
                self.urls.extend(v.strip().split(" ")[0] for v in value.split(","))
            if value and name == "style":
                self.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", value))


def external(urls: list[str]) -> list[str]:
    found = []
    for url in sorted(set(urls)):
        if url.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
            host = re.sub(r"^[a-z]*:?//", "", url, flags=re.I).split("/")[0].split(":")[0]
            if host not in LOCAL_HOSTS:
                found.append(url)
    return found


def page_references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    # Inline <style> blocks and scripts may load too.
    parser.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", html))
    parser.urls.extend(re.findall(r"@import\s+['\"]([^'\"]+)", html))
    return parser.urls


def every_page(cast) -> list[tuple[str, str]]:
    """(username or '', url) for every page a user can reach, public pages included."""
    pages = [
        ("", "/login/"),
        ("", "/login/?timeout=1"),
        ("", "/no-such-page/"),
        ("", "/query/?code=ABCDEFGH"),
    ]
    for user in cast.values():
        for item in ITEMS:
            if user.role in item.roles:
                from django.urls import reverse

                pages.append((user.username, reverse(item.url_name)))
    for username in ("sysadmin", "secadmin"):
        for model, model_admin in manage_site._registry.items():
            if cast[username].role in model_admin.roles:
                opts = model._meta
                pages.append((username, f"/manage/{opts.app_label}/{opts.model_name}/"))
                obj = model_admin.get_queryset(_Request(cast[username])).first()
                if obj is not None:
                    pages.append((username, f"/manage/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"))
    village = cast["office"].town.villages.first()
    pages += [("office", f"/org/villages/{village.pk}/"), ("sysadmin", "/audit/")]
    return pages


class _Request:
    def __init__(self, user):
        self.user = user


def test_every_page_renders_and_references_only_the_server(cast):
    clients = {"": Client()}
    problems = []
    for username, url in every_page(cast):
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(cast[username])
        response = clients[username].get(url)
        if response.status_code not in (200, 403, 404):
            problems.append(f"{username or '未登录'} {url}: {response.status_code}")
            continue
        html = response.content.decode()
        if refs := external(page_references(html)):
            problems.append(f"{username or '未登录'} {url} loads from outside: {refs}")
        if "<html" in html and 'lang="zh' not in html:
            problems.append(f"{username} {url}: not marked as Chinese")
        csp = response.get("Content-Security-Policy", "")
        if "default-src 'self'" not in csp:
            problems.append(f"{username} {url}: no same-origin content security policy ({csp!r})")
    assert not problems, "\n".join(problems)


def test_the_checker_itself_catches_outside_references():
    html = '<link href="https://cdn.example.com/x.css"><script src="//cdn.example.com/x.js"></script>'
    html += '<div style="background: url(http://img.example.com/a.png)"></div><a href="/ok">ok</a>'
    assert len(external(page_references(html))) == 3


def test_our_stylesheets_and_scripts_load_nothing_from_outside():
    files = [
        finders.find("css/app.css"),
        finders.find("js/app.js"),
        finders.find("vendor/bootstrap/css/bootstrap.min.css"),
    ]
    files.append(finders.find("vendor/htmx/htmx.min.js"))
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # licence comments name web sites, and load nothing
        assert not external(re.findall(r"url\(['\"]?([^'\")]+)", text)), path
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), path


def test_each_role_sees_only_its_navigation_and_every_link_opens(cast):
    for user in cast.values():
        client = Client()
        client.force_login(user)
        page = client.get("/").content.decode()
        for item in ITEMS:
            shown = f">{item.label}</a>" in page
            assert shown == (user.role in item.roles), (user.username, item.label)
        for url in re.findall(r'class="nav-link[^"]*" href="([^"]+)"', page):
            assert client.get(url).status_code == 200, (user.username, url)


def test_the_pages_speak_chinese(client_as):
    page = client_as("office").get("/").content.decode()
    for english in ("Log out", "Home", "Welcome", "Dashboard"):
        assert english not in page
    assert "退出" in page and "联席办工作台" in page
    assert "报送化解·待对账销号" in page  # the desk (the categories table is on 问题类别 now)
    assert "☆为牵头部门" in client_as("office").get("/org/categories/").content.decode()


def test_settings_send_no_page_outside_the_server():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_only_the_page_one_is_on_is_marked_in_the_navigation(client_as):
    page = client_as("office").get("/cases/new/").content.decode()
    assert re.findall(r'class="nav-link active" href="([^"]+)"', page) == ["/cases/new/"]
