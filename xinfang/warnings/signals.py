"""扬言: a petition stored with has_threat raises a red warning at once, in the registration's
transaction, to the office and the case's owner (扬言事项立即办理)."""

from django.dispatch import receiver

from xinfang.cases.signals import petition_registered
from xinfang.org.models import Town

from .engine import findings_store
from .registry import setting_for
from .rules import threat_finding


@receiver(petition_registered, dispatch_uid="warnings_threat")
def threat_warn(sender, petition, **kwargs):
    if not petition.has_threat:
        return
    # The town as stored now: its settings may have changed since the caller loaded it.
    town = Town.objects.get(pk=petition.case.town_id)
    if not setting_for(town, "threat").enabled:
        return
    findings_store(town, "threat", [threat_finding(petition)])
