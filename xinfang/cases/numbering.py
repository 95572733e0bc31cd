"""Case numbers like 分信〔2026〕0001号: unique and gap-free per town and year, under concurrency.

The counter row is incremented with a single UPDATE inside the caller's transaction. PostgreSQL
locks the row until commit; SQLite (transaction_mode IMMEDIATE) holds the database's write lock from
BEGIN. Either way a second clerk waits for the first to commit, and a rollback returns the number.
"""

import re

from django.db import IntegrityError, transaction

from .models import CaseNumberSequence

CASE_NUMBER = re.compile(r"^(?P<prefix>.+?)[〔\[【（(](?P<year>\d{4})[〕\]】）)]0*(?P<seq>\d+)号?$")


def case_number_format(*, prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq:04d}号"


def case_number_normalize(text: str, *, prefix: str | None = None, year: int | None = None) -> str:
    """分信[2026]1号, 分信〔2026〕0001 and the like, written the one way the system numbers cases;
    with the town's prefix and a year given, a bare sequence number (12, 0012) too."""
    text = re.sub(r"\s+", "", text)
    if prefix and year and text.isdigit():
        return case_number_format(prefix=prefix, year=year, seq=int(text))
    match = CASE_NUMBER.match(text)
    if not match:
        return text
    return case_number_format(prefix=match["prefix"], year=int(match["year"]), seq=int(match["seq"]))


def _next(town, year: int) -> int | None:
    """Increments the counter and reads it back in one statement (PostgreSQL and SQLite 3.35+ both
    know RETURNING); None when the town has no counter for the year yet."""
    table = CaseNumberSequence._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "last" = "last" + 1 WHERE "town_id" = %s AND "year" = %s RETURNING "last"',
            [town.pk, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def case_number_allocate(*, town, year: int) -> tuple[int, str]:
    """The next (sequence, number) of the town and year. Call inside the registering transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case numbers are taken inside the transaction that registers the case")
    seq = _next(town, year)
    if seq is None:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(town=town, year=year, last=1)
            seq = 1
        except IntegrityError:
            # Another clerk opened the year at the same instant: take the next number after theirs.
            seq = _next(town, year)
    return seq, case_number_format(prefix=town.case_number_prefix, year=year, seq=seq)
