"""The cases app links a petition's petitioners after it has stored the petition and its case (in the
registration's transaction); Django's m2m_changed tells us, so the cases code needs no hook."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from xinfang.cases.models import Petition


@receiver(m2m_changed, sender=Petition.petitioners.through, dispatch_uid="stability_petition_seen")
def petition_petitioners_added(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add" or reverse or not pk_set:
        return
    from .services import petition_seen

    petition_seen(instance, pk_set)
