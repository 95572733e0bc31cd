"""Access tokens follow the account: a locked or deactivated account's token stops working, and every
token, the county bureau's included, can be revoked by the security administrator. A lock-out is
written to the audit log once."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from xinfang.accounts.models import ApiToken, User
from xinfang.audit.models import AuditEvent
from xinfang.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _me(raw: str):
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_a_locked_accounts_token_stops_working_until_the_lock_ends(cast):
    _, raw = ApiToken.issue(user=cast["village1"], name="对接")
    assert _me(raw).status_code == 200
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            _sign_in(Client(), "village1", "Wrong-pass-1")
        refused = _me(raw)
        assert refused.status_code == 401 and "未登录或访问令牌无效" in refused.json()["detail"]
        assert _me(ApiToken.issue(user=cast["village2"])[1]).status_code == 200  # others unaffected
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        assert _me(raw).status_code == 200


def test_the_security_administrator_lifting_a_lock_restores_the_token(cast, client_as):
    _, raw = ApiToken.issue(user=cast["village1"])
    for _ in range(5):
        _sign_in(Client(), "village1", "Wrong-pass-1")
    assert _me(raw).status_code == 401
    client_as("secadmin").post("/accounts/village1/unlock/")
    assert _me(raw).status_code == 200


def test_a_deactivated_accounts_token_stops_working(cast):
    _, raw = ApiToken.issue(user=cast["village1"])
    User.objects.filter(pk=cast["village1"].pk).update(is_active=False)
    assert _me(raw).status_code == 401


def test_the_county_token_is_listed_and_can_be_revoked(cast, client_as):
    token, raw = ApiToken.issue(user=cast["county"], name="县平台对接")
    assert _me(raw).status_code == 200
    admin = client_as("secadmin")
    listing = admin.get("/manage/accounts/apitoken/").content.decode()
    assert token.prefix in listing and "县平台对接" in listing
    now = timezone.localtime()
    response = admin.post(
        f"/manage/accounts/apitoken/{token.pk}/change/",
        {"name": "县平台对接", "revoked_at_0": f"{now:%Y-%m-%d}", "revoked_at_1": f"{now:%H:%M:%S}"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    token.refresh_from_db()
    assert token.revoked_at is not None and token.user == cast["county"]
    assert _me(raw).status_code == 401
    assert AuditEvent.objects.filter(event="update", target_id=str(token.pk), username="secadmin").exists()
    # Another town's tokens stay out of sight.
    other = ApiToken.issue(user=cast["h_office"], name="荷塘对接")[0]
    assert admin.get(f"/manage/accounts/apitoken/{other.pk}/change/").status_code == 404


def test_a_lock_out_is_audited_once_however_often_the_locked_account_is_tried(cast):
    client = Client()
    for _ in range(5):
        _sign_in(client, "village1", "Wrong-pass-1")
    for password in ("Wrong-pass-1", PASSWORD):
        assert _sign_in(client, "village1", password).status_code == 403
    events = AuditEvent.objects.filter(username="village1")
    assert events.filter(event="lockout").count() == 1
    assert events.filter(event="login_failure", detail="账号锁定期间尝试登录").count() == 2
    assert events.filter(event="login_failure", detail="密码错误").count() == 5
