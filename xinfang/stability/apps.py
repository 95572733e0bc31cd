from django.apps import AppConfig


class StabilityConfig(AppConfig):
    name = "xinfang.stability"
    verbose_name = "稳控"

    def ready(self):
        # A petition from a watched petitioner or a key person in a protection period is found as
        # the petitioners are linked to it (see signals).
        from . import signals  # noqa: F401
