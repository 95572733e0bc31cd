"""Case numbers like 分信〔2026〕0001号: unique and gap-free per town and year, under concurrency.

The counter row is incremented with a single UPDATE inside the caller's transaction. PostgreSQL
locks the row until commit; SQLite (transaction_mode IMMEDIATE) holds the database's write lock from
BEGIN. Either way a second clerk waits for the first to commit, and a rollback returns the number.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import CaseNumberSequence


def case_number_format(*, prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq:04d}号"


def case_number_allocate(*, town, year: int) -> tuple[int, str]:
    """The next (sequence, number) of the town and year. Call inside the registering transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case numbers are taken inside the transaction that registers the case")
    updated = CaseNumberSequence.objects.filter(town=town, year=year).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(town=town, year=year, last=1)
        except IntegrityError:
            # Another clerk opened the year at the same instant: take the next number after theirs.
            CaseNumberSequence.objects.filter(town=town, year=year).update(last=F("last") + 1)
    seq = CaseNumberSequence.objects.filter(town=town, year=year).values_list("last", flat=True).get()
    return seq, case_number_format(prefix=town.case_number_prefix, year=year, seq=seq)
