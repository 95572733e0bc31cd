"""Reads of attachments, always through the scoping function."""

from xinfang.core.scoping import get_scoped_or_404, scope

from .choices import EVIDENCE_KINDS
from .models import Attachment


def attachment_list(*, user, case_id: int):
    return scope(Attachment.objects.filter(case_id=case_id), user).select_related("uploaded_by", "case")


def attachment_get(*, user, pk: int, case_id: int | None = None) -> Attachment:
    """One attachment the user may see (Http404 otherwise); on the given case when one is named."""
    queryset = Attachment.objects.select_related("case__town", "uploaded_by")
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    return get_scoped_or_404(queryset, user, pk=pk)


def evidence_exists(*, case_id: int) -> bool:
    """Whether a mediation agreement or a commitment to stop petitioning is on the case.

    Not scoped: for a transition that has already found the case through the user's scope.
    """
    return Attachment.objects.filter(case_id=case_id, kind__in=EVIDENCE_KINDS).exists()
