"""Schemas every API router answers with."""

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """A refusal: a Chinese sentence, and for bad input one entry per field."""

    detail: str
    errors: list[FieldError] = []
