"""What a typed-in value may be, whoever receives it: the API's schemas and the pages' forms check the
same rules with the same Chinese messages.

Plain functions return the problem as a sentence (or None); `FormValidator` wraps one for a Django
form field, and `xinfang.core.schemas` wraps them for the API.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# The largest value a BigAutoField holds, on SQLite and PostgreSQL alike: a larger id can exist nowhere,
# and passing one to the database fails instead of finding nothing.
MAX_ID = 2**63 - 1
# How far a list may be paged. Far beyond any town's data, far below what overflows a LIMIT/OFFSET.
MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 500
# The longest petition text that is kept (a long letter is some thousands of characters).
CONTENT_MAX = 20_000
# Nothing the town records happened before this; an earlier date is a typing slip (or 0001-01-01,
# which overflows every date calculation).
EARLIEST = dt.date(2000, 1, 1)
# The last day a planned date (a deadline, a milestone) may fall on: far enough for any plan, near
# enough that adding a statutory time limit to it stays within the calendar.
LATEST = dt.date(2099, 12, 31)

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls. NUL is refused by
# PostgreSQL in text; the others are invisible on a page and in a printed notice.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "含有不可见的控制字符（如空字符 NUL），请删除后重新填写"

_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")
PHONE_MESSAGE = "电话号码格式不正确：手机号为 11 位数字，如 13912345678；固定电话须带区号，如 0523-12345678"


def control_problem(value: str) -> str | None:
    if _CONTROL.search(value):
        return CONTROL_MESSAGE
    return None


def phone_problem(value: str) -> str | None:
    """A mainland mobile number (spaces and hyphens between the digits allowed, +86 in front allowed)
    or a landline with its area code (0523-12345678, 052312345678, with an extension after a hyphen)."""
    text = value.strip()
    if not text:
        return None
    if _LANDLINE.fullmatch(text) or _MOBILE.fullmatch(re.sub(r"[\s-]", "", text)):
        return None
    return PHONE_MESSAGE


def latest_moment() -> dt.date:
    """The last day a received time may fall on: a year ahead. The services refuse the future with
    their own message; this bound only keeps absurd years out of every date calculation."""
    return timezone.localdate() + dt.timedelta(days=366)


def day_problem(value: dt.date, latest: dt.date) -> str | None:
    if value < EARLIEST:
        return f"日期不能早于 {EARLIEST:%Y-%m-%d}，请核对年份"
    if value > latest:
        return f"日期不能晚于 {latest:%Y-%m-%d}，请核对年份"
    return None


def moment_problem(value: dt.datetime) -> str | None:
    try:
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    except OverflowError:  # 0001-01-01T00:00+14:00 is a day before the first day of the calendar
        day = value.date()
    if day > latest_moment():
        return "收到时间不能晚于现在，请核对日期和时间"
    return day_problem(day, latest_moment())


class FormValidator:
    """A problem function as a Django form field validator (the message ends with a full stop)."""

    def __init__(self, problem, code: str):
        self.problem = problem
        self.code = code

    def __call__(self, value):
        if value in (None, ""):
            return
        if message := self.problem(value):
            raise ValidationError(f"{message}。", code=self.code)

    def __eq__(self, other):
        return isinstance(other, FormValidator) and (self.problem, self.code) == (other.problem, other.code)


no_control_characters = FormValidator(control_problem, "control_characters")
valid_phone = FormValidator(phone_problem, "phone")
received_in_range = FormValidator(moment_problem, "out_of_range")


def text_clean(value, field: str, limit: int, required: str | None = None) -> str:
    """A service's free text: trimmed, `required` (the message) when it must not be empty, at most
    `limit` characters, no control characters. Raises ValidationError on `field`."""
    value = (value or "").strip()
    if not value and required:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: f"内容过长（{len(value)} 字），请控制在 {limit} 字以内。"})
    if problem := control_problem(value):
        raise ValidationError({field: f"{problem}。"})
    return value
