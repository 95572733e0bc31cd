"""The outside channels against a local HTTP endpoint: it fails twice, then accepts. The warning is
delivered once, after three attempts, each logged; the body is signed with the shared secret."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xinfang.warnings import channels
from xinfang.warnings.engine import findings_store
from xinfang.warnings.models import Delivery
from xinfang.warnings.registry import Finding

pytestmark = pytest.mark.django_db
SECRET = "测试密钥-s3cret"


class Endpoint:
    """A gateway that answers 503 to the first `failures` requests, then 200."""

    def __init__(self, failures=2):
        self.failures = failures
        self.received = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.received.append((dict(self.headers), body))
                failing = len(endpoint.received) <= endpoint.failures
                self.send_response(503 if failing else 200)
                self.end_headers()
                self.wfile.write(b'{"errcode": 1, "errmsg": "busy"}' if failing else b'{"errcode": 0}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def red_warning(cast, fenjie):
    [pk] = findings_store(
        fenjie,
        "skip_level",
        [Finding(subject="petition:test", state="skip:national", level="red", text="某某越级进京信访")],
    )
    return pk


def test_the_webhook_fails_twice_then_accepts_delivered_once_three_attempts_logged(settings, red_warning):
    sleeps = []
    with Endpoint(failures=2) as hook:
        settings.XINFANG_WEBHOOK_URL, settings.XINFANG_WEBHOOK_SECRET = hook.url, SECRET
        channels.deliver(red_warning, "webhook", backoff=[1, 5], sleep=sleeps.append)
        # Asked again (a retried job): it was delivered, nothing is sent twice.
        channels.deliver(red_warning, "webhook", backoff=[1, 5], sleep=sleeps.append)
    assert len(hook.received) == 3 and sleeps == [1, 5]
    log = list(Delivery.objects.filter(warning_id=red_warning).order_by("attempt"))
    assert [(d.attempt, d.ok) for d in log] == [(1, False), (2, False), (3, True)]
    assert "503" in log[0].response and "200" in log[2].response
    assert sum(d.ok for d in log) == 1
    headers, body = hook.received[-1]
    expected = hmac.new(
        SECRET.encode(), headers["X-Xinfang-Timestamp"].encode() + b"." + body, hashlib.sha256
    )
    assert headers["X-Xinfang-Signature"] == "sha256=" + expected.hexdigest()
    payload = json.loads(body)
    assert (
        payload["warning"]["level"] == "red" and "【红色预警】某某越级进京信访" in payload["text"]["content"]
    )


def test_a_gateway_that_never_accepts_is_given_up_after_the_last_attempt(settings, red_warning):
    with Endpoint(failures=99) as hook:
        settings.XINFANG_WEBHOOK_URL = hook.url
        channels.deliver(red_warning, "webhook", backoff=[0, 0], sleep=lambda s: None)
    assert [d.ok for d in Delivery.objects.filter(warning_id=red_warning)] == [False, False, False]


def test_an_unreachable_gateway_is_logged_in_chinese(settings, red_warning):
    settings.XINFANG_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    channels.deliver(red_warning, "webhook", backoff=[], sleep=lambda s: None)
    [d] = Delivery.objects.filter(warning_id=red_warning)
    assert not d.ok and d.response.startswith("连接失败")


def test_sms_goes_to_each_recipient_with_a_phone(settings, cast, red_warning):
    """The skip-level warning went to the office (no phone on record) and leader1 (a phone)."""
    leader_phone = cast["leader1"].person.phone
    assert leader_phone
    with Endpoint(failures=0) as gateway:
        settings.XINFANG_SMS_URL, settings.XINFANG_SMS_SECRET = gateway.url, SECRET
        channels.deliver(red_warning, "sms", backoff=[0], sleep=lambda s: None)
    bodies = [json.loads(body) for _, body in gateway.received]
    assert [b["to"] for b in bodies] == [leader_phone]
    assert bodies[0]["text"].startswith("【红色预警】")
    assert list(Delivery.objects.filter(channel="sms").values_list("recipient", "ok")) == [
        (leader_phone, True)
    ]


def test_a_new_warning_goes_out_through_the_job_queue_when_its_transaction_commits(
    settings, fenjie, cast, django_capture_on_commit_callbacks
):
    """Scan → commit → the huey task (immediate in the tests) → the webhook. Below the town's level
    (webhook_from_level, yellow by default) nothing goes out."""
    with Endpoint(failures=0) as hook:
        settings.XINFANG_WEBHOOK_URL = hook.url
        settings.XINFANG_DELIVERY_BACKOFF = []
        with django_capture_on_commit_callbacks(execute=True):
            findings_store(
                fenjie,
                "repeat_petition",
                [
                    Finding(subject="q:1", state="s", level="orange", text="橙色的"),
                    Finding(subject="q:2", state="s", level="blue", text="蓝色的"),
                ],
            )
    sent = [json.loads(body)["text"]["content"] for _, body in hook.received]
    assert sent == ["【橙色预警】橙色的"]
