"""A petition registered from a reception page is linked to its reception day (cases sends the
registration's origin; it knows nothing of receptions)."""

from django.dispatch import receiver

from xinfang.cases.signals import petition_registered


@receiver(petition_registered, dispatch_uid="meetings_reception_link")
def petition_stored(sender, petition, origin="", acting_user=None, **kwargs):
    if origin:
        from .services import reception_registered

        reception_registered(petition=petition, origin=origin, acting_user=acting_user)
