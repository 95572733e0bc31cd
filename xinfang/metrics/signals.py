"""The count tables follow every change, in the change's own transaction: a case step or a
registration (cases.signals.case_changed), a 五不 incident recorded, changed or removed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from xinfang.cases.signals import case_changed
from xinfang.stability.models import Incident

from .counting import case_refresh, incident_refresh


@receiver(case_changed, dispatch_uid="metrics_case_changed")
def case_counted(sender, case, **kwargs):
    case_refresh(case)


@receiver(post_save, sender=Incident, dispatch_uid="metrics_incident_saved")
def incident_counted(sender, instance, raw=False, **kwargs):
    if not raw:
        incident_refresh(instance.pk)


@receiver(post_delete, sender=Incident, dispatch_uid="metrics_incident_deleted")
def incident_uncounted(sender, instance, **kwargs):
    incident_refresh(instance.pk, deleted=True)
