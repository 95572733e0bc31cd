"""Reads of cases, always through the scoping function."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from xinfang.core.scoping import get_scoped_or_404, scope

from .choices import OPEN_STATES
from .models import Case, Petition

CANDIDATE_WEEKS = 8


def case_list(*, user, filters: dict | None = None):
    filters = filters or {}
    cases = scope(Case.objects.all(), user).select_related("village", "category")
    for name in ("state", "village_id", "category_id"):
        if filters.get(name):
            cases = cases.filter(**{name: filters[name]})
    return cases


def case_get(*, user, pk: int) -> Case:
    queryset = scope(Case.objects.all(), user).select_related("village", "category", "town")
    return get_scoped_or_404(queryset, user, pk=pk)


def petition_list_for_case(*, user, case: Case):
    return (
        scope(Petition.objects.filter(case=case), user)
        .prefetch_related("petitioners")
        .order_by("received_at")
    )


def repeat_candidates(*, user, id_number: str = "", village=None, category=None, exclude: Case | None = None):
    """Cases a new petition may belong to: the petitioner's own first, then the same village and
    category in recent weeks."""
    cases = scope(Case.objects.all(), user).select_related("village", "category")
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    own = list(cases.filter(petitions__petitioners__id_number=id_number).distinct()[:10]) if id_number else []
    recent = []
    if village is not None and category is not None:
        since = timezone.now() - dt.timedelta(weeks=CANDIDATE_WEEKS)
        recent = list(
            cases.filter(Q(village=village) & Q(category=category), received_at__gte=since)
            .exclude(pk__in=[c.pk for c in own])
            .filter(state__in=OPEN_STATES)
            .order_by("-received_at")[:10]
        )
    return [(c, "本人既往事项") for c in own] + [(c, f"同村同类近{CANDIDATE_WEEKS}周事项") for c in recent]
