"""The channels beyond the inbox, behind one interface: an SMS gateway over HTTP and the webhook of a
government chat bot. Each is a URL and a secret (Django settings from the environment); the JSON body
is signed with HMAC-SHA256 over "<timestamp>.<body>" so that the receiver can check it came from us.
Every attempt is logged (Delivery); a failed one is retried after the configured pauses."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .choices import Level
from .models import Channel, Delivery, Warning

USER_AGENT = "xinfang-warnings/1"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post_signed(url: str, secret: str, payload: dict, timeout: float) -> tuple[bool, str]:
    """One signed POST; (accepted, what the other side said)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Xinfang-Timestamp": timestamp,
            "X-Xinfang-Signature": "sha256=" + sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return (
                200 <= response.status < 300,
                f"HTTP {response.status} {response.read(300).decode(errors='replace')}",
            )
    except urllib.error.HTTPError as e:
        return False, f"HTTP {e.code} {e.read(300).decode(errors='replace')}"
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        return False, f"连接失败：{getattr(e, 'reason', e)}"


def _text(warning: Warning) -> str:
    return f"【{Level(warning.level).label}预警】{warning.text}"


@dataclass(frozen=True)
class OutChannel:
    key: str
    url_setting: str
    secret_setting: str
    floor_setting: str  # the town's warnings.<…>_from_level
    default_floor: str

    def url(self) -> str:
        return getattr(settings, self.url_setting, "")

    def configured(self) -> bool:
        return bool(self.url())

    def messages(self, warning: Warning) -> list[tuple[str, dict]]:
        """(recipient, payload) for each request the warning needs."""
        raise NotImplementedError


class SmsChannel(OutChannel):
    def messages(self, warning):
        # One text per recipient with a phone on record (an account's person).
        phones = (
            warning.inbox.filter(recipient__person__phone__gt="")
            .values_list("recipient__person__phone", flat=True)
            .distinct()
        )
        return [
            (phone, {"to": phone, "text": _text(warning), "ref": f"warning-{warning.pk}"}) for phone in phones
        ]


class WebhookChannel(OutChannel):
    def messages(self, warning):
        payload = {
            "msgtype": "text",
            "text": {"content": _text(warning)},
            "warning": {
                "id": warning.pk,
                "town": warning.town_id,
                "rule": warning.rule,
                "level": warning.level,
                "created_at": warning.created_at.isoformat(),
                "url": f"/warnings/{warning.pk}/",
            },
        }
        return [("webhook", payload)]


CHANNELS = {
    Channel.SMS: SmsChannel(Channel.SMS, "XINFANG_SMS_URL", "XINFANG_SMS_SECRET", "sms_from_level", "orange"),
    Channel.WEBHOOK: WebhookChannel(
        Channel.WEBHOOK, "XINFANG_WEBHOOK_URL", "XINFANG_WEBHOOK_SECRET", "webhook_from_level", "yellow"
    ),
}


def deliver(warning_id: int, channel_key: str, *, backoff=None, sleep=time.sleep) -> list[Delivery]:
    """Sends one warning over one channel: each message tried until accepted or out of attempts
    (1 + len(backoff)), each attempt logged. Already delivered messages are not sent again."""
    channel = CHANNELS[channel_key]
    if not channel.configured():
        return []
    backoff = list(settings.XINFANG_DELIVERY_BACKOFF if backoff is None else backoff)
    warning = Warning.objects.get(pk=warning_id)
    done = set(
        Delivery.objects.filter(warning=warning, channel=channel_key, ok=True).values_list(
            "recipient", flat=True
        )
    )
    logged = []
    for recipient, payload in channel.messages(warning):
        if recipient in done:
            continue
        tried = Delivery.objects.filter(warning=warning, channel=channel_key, recipient=recipient).count()
        for pause in [None, *backoff]:
            if pause:
                sleep(pause)
            ok, response = post_signed(
                channel.url(),
                getattr(settings, channel.secret_setting, ""),
                payload,
                settings.XINFANG_DELIVERY_TIMEOUT,
            )
            tried += 1
            logged.append(
                Delivery.objects.create(
                    warning=warning,
                    channel=channel_key,
                    recipient=recipient[:100],
                    attempt=tried,
                    ok=ok,
                    response=response[:500],
                    at=timezone.now(),
                )
            )
            if ok:
                break
    return logged


def enqueue(channel_key: str, warning_ids: list[int]) -> None:
    from .tasks import deliver_task

    for start in range(0, len(warning_ids), 200):
        deliver_task(channel_key, warning_ids[start : start + 200])
