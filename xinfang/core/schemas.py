"""Schemas every API router answers with, and the bounded types its input schemas are built from.

Every number, date and text a client sends is bounded here, before any service sees it: an id that
no row can have, an offset past the end of the world or the year 0001 would otherwise reach the
database or a date calculation and fail there (a 500) instead of being explained (a 422).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, PlainValidator, Strict, WithJsonSchema, field_validator

from .inputs import (
    CONTENT_MAX,
    EARLIEST,
    LATEST,
    MAX_ID,
    MAX_LIMIT,
    MAX_OFFSET,
    control_problem,
    day_problem,
    moment_problem,
    phone_problem,
)


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """A refusal: a Chinese sentence, and for bad input one entry per field."""

    detail: str
    errors: list[FieldError] = []


class ServerErrorOut(Schema):
    """An unexpected failure: a Chinese sentence and the number under which the server logged it."""

    detail: str
    request_id: str = Field(..., description="请求编号：服务器日志中按此编号可查到出错经过")


def _checked(problem):
    def check(value):
        if isinstance(value, str) and (message := problem(value)):
            raise ValueError(message)
        return value

    return check


def _not_a_number(what: str, example: str):
    """JSON numbers are not dates: pydantic would read 12345 as seconds since 1970."""

    def check(value: Any):
        if isinstance(value, int | float):
            raise ValueError(f"应为{what}文字，如 {example}，不能是数字")
        return value

    return check


def _day_in_range(value: dt.date) -> dt.date:
    if message := day_problem(value, LATEST):
        raise ValueError(message)
    return value


def _moment_in_range(value: dt.datetime) -> dt.datetime:
    if message := moment_problem(value):
        raise ValueError(message)
    return value


# An id of a row: what a BigAutoField can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="编号（id）")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="从第几条开始（0 起）")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"最多返回几条（1–{MAX_LIMIT}）")]
# true or false, nothing else ("yes", 1 and "1" are refused in a JSON body).
Flag = Annotated[bool, Strict()]
# A date the town plans or records.
Day = Annotated[
    dt.date,
    BeforeValidator(_not_a_number("日期", "2026-01-31")),
    AfterValidator(_day_in_range),
    Field(description=f"日期，如 2026-01-31（{EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d}）"),
]
# When a petition was received: from 2000-01-01 to a year ahead (the service refuses the future).
Moment = Annotated[
    dt.datetime,
    BeforeValidator(_not_a_number("日期时间", "2026-01-31T09:30:00+08:00")),
    AfterValidator(_moment_in_range),
]
# Long free text (a letter's content, a plan), stored as typed, without control characters.
LongText = Annotated[str, Field(max_length=CONTENT_MAX), AfterValidator(_checked(control_problem))]
Phone = Annotated[
    str,
    Field(max_length=20, description="手机号（11 位）或带区号的固定电话，如 0523-12345678"),
    AfterValidator(_checked(phone_problem)),
]


NAME_MAX = 40


def _id_or_name(value):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("应为编号（整数）或名称（文字）")
    if isinstance(value, int) and not 1 <= value <= MAX_ID:
        raise ValueError(f"编号应在 1 至 {MAX_ID} 之间")
    if isinstance(value, str) and len(value) > NAME_MAX:
        raise ValueError(f"名称太长了，最多 {NAME_MAX} 个字")
    return value


# A village or a category by its id or by its name: one type (not a union, whose errors would be
# reported once per member).
IdOrName = Annotated[
    int | str,
    PlainValidator(_id_or_name),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                {"type": "string", "maxLength": NAME_MAX},
            ]
        }
    ),
]


def _amount(value):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError('应为金额，如 2000 或 "1500.50"')
    if isinstance(value, str) and len(value) > 40:
        raise ValueError("金额太长了，请核对")
    return value


# Money as a JSON number or as the text a person typed ("2,000.50"): the service reads it and holds it
# to the column (12 digits, 2 of them decimals) with its own Chinese messages.
Amount = Annotated[
    int | float | Decimal | str,
    PlainValidator(_amount),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": 9999999999.99},
                {"type": "string", "maxLength": 40},
            ]
        }
    ),
]


class InSchema(Schema):
    """A request's body or query: no text field may carry control characters (NUL breaks PostgreSQL,
    the others are invisible on a page and in a printed notice)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value):
        texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for text in texts:
            if isinstance(text, str) and (message := control_problem(text)):
                raise ValueError(message)
        return value


__all__ = [
    "Amount",
    "IdOrName",
    "Day",
    "ErrorOut",
    "FieldError",
    "Flag",
    "Id",
    "InSchema",
    "Limit",
    "LongText",
    "Moment",
    "Offset",
    "Phone",
    "ServerErrorOut",
]
