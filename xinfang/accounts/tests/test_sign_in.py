import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from xinfang.audit.models import AuditEvent
from xinfang.core.testing import PASSWORD
from xinfang.demo.accounts import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_every_demo_account_can_sign_in_and_sees_its_home_page(cast, username):
    client = Client()
    response = _sign_in(client, username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert cast[username].get_role_display() in home.content.decode()


def test_a_wrong_password_says_so_in_chinese_and_counts_down(cast):
    client = Client()
    response = _sign_in(client, "village1", "wrong-Password1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in page
    assert "再错 4 次，账号将被锁定 5 分钟" in page
    assert 'value="village1"' in page  # the form keeps what the user typed


def test_six_wrong_passwords_lock_the_account_until_the_lock_ends(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        for _ in range(6):
            response = _sign_in(client, "village1", "Wrong-pass-1")
        page = response.content.decode()
        assert response.status_code == 403
        assert "账号已锁定" in page and "连续 5 次密码错误已被锁定 5 分钟" in page
        assert "联系安全管理员" in page

        clock.shift(dt.timedelta(minutes=4))
        refused = _sign_in(client, "village1", PASSWORD)
        assert refused.status_code == 403 and "账号已锁定" in refused.content.decode()
        assert "_auth_user_id" not in client.session

        # Another account is not affected by village1's lock.
        assert _sign_in(Client(), "village2", PASSWORD).status_code == 302

        clock.shift(dt.timedelta(minutes=1, seconds=1))
        assert _sign_in(client, "village1", PASSWORD).status_code == 302


def test_sign_ins_failures_and_lock_outs_are_audited(cast):
    client = Client()
    for _ in range(5):
        _sign_in(client, "village1", "Wrong-pass-1")
    _sign_in(Client(), "office", PASSWORD)
    _sign_in(Client(), "nosuchuser", "whatever")
    events = AuditEvent.objects.all()
    assert events.filter(event="login_failure", username="village1", success=False).count() == 5
    assert events.filter(event="lockout", username="village1").count() == 1
    ok = events.get(event="login_success", username="office")
    assert ok.ip_address == "127.0.0.1" and ok.town.code == "fenjie"
    assert events.get(event="login_failure", username="nosuchuser").detail == "用户名不存在"


def test_the_security_administrator_can_lift_a_lock(cast, client_as):
    client = Client()
    for _ in range(5):
        _sign_in(client, "village1", "Wrong-pass-1")
    assert _sign_in(client, "village1", PASSWORD).status_code == 403
    response = client_as("secadmin").post("/accounts/village1/unlock/")
    assert response.status_code == 302
    assert _sign_in(client, "village1", PASSWORD).status_code == 302
    # A security administrator of one town cannot touch another town's accounts.
    assert client_as("secadmin").post("/accounts/h_village/unlock/").status_code == 404


def test_an_idle_session_ends_after_ten_minutes(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        _sign_in(client, "office", PASSWORD)
        clock.shift(dt.timedelta(minutes=9))
        assert client.get("/").status_code == 200  # activity renews the session
        clock.shift(dt.timedelta(minutes=9))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=10, seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("Ab1!", "太短"),
        ("abcdefgh", "至少 3 类"),
        ("abcdefg1", "缺少：大写字母、符号"),
        ("ABCDEFGH1", "缺少：小写字母、符号"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, fragment):
    with pytest.raises(ValidationError) as err:
        validate_password(password)
    assert any(fragment in m for m in err.value.messages), err.value.messages


@pytest.mark.parametrize("password", ["Qmzxrt7v", "hjkuy1!z", "WQPZ!1KR", "Xinfang@2026"])
def test_passwords_with_three_kinds_of_characters_are_accepted(password):
    validate_password(password)


def test_passwords_are_stored_with_argon2(cast):
    assert cast["office"].password.startswith("argon2$")


def test_a_user_changes_their_own_password_and_it_is_audited(client_as, cast):
    client = client_as("village1")
    weak = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert "至少 3 类" in weak.content.decode()
    wrong_old = client.post(
        "/password/", {"old_password": "nope", "new_password1": "Qmzxrt7v!", "new_password2": "Qmzxrt7v!"}
    )
    assert "旧密码不正确" in wrong_old.content.decode()
    done = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Qmzxrt7v!", "new_password2": "Qmzxrt7v!"}
    )
    assert done.status_code == 302
    row = AuditEvent.objects.get(event="update", detail="修改密码")
    assert row.username == "village1" and row.target_id == str(cast["village1"].pk)
    assert "Qmzxrt7v" not in str(row.old_values) + str(row.new_values)
    assert _sign_in(Client(), "village1", "Qmzxrt7v!").status_code == 302


def test_page_views_renew_the_idle_session_at_most_once_a_minute(cast):
    """No write per page view (on SQLite a write waits behind every other), and never signed in
    longer than ten minutes after the last request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes(client) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        _sign_in(client, "office", PASSWORD)
        clock.shift(dt.timedelta(seconds=61))
        assert session_writes(client) == 1  # renewed: expires ten minutes from now
        clock.shift(dt.timedelta(seconds=20))
        assert session_writes(client) == 0  # within the minute: nothing written
        assert session_writes(client) == 0
        clock.shift(dt.timedelta(minutes=10, seconds=1) - dt.timedelta(seconds=20))
        response = client.get("/")  # ten minutes after the renewal, 9 min 41 s after the last view
        assert response.status_code == 302 and response["Location"].startswith("/login/")
