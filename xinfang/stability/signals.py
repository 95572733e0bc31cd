"""The cases app says when a petition and its petitioners are stored (in the registration's
transaction, whichever way it came: page, API, Excel import); stability follows it."""

from django.dispatch import receiver

from xinfang.cases.signals import petition_registered


@receiver(petition_registered, dispatch_uid="stability_petition_seen")
def petition_stored(sender, petition, petitioner_ids, **kwargs):
    from .services import petition_seen

    if petitioner_ids:
        petition_seen(petition, set(petitioner_ids))
