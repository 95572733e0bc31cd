from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "xinfang.meetings"
    label = "meetings"
    verbose_name = "会议与接待"

    def ready(self):
        # The warning engine (below this app) scans with the rule registered here; a petition
        # registered from a reception day is linked to it as the registration is stored.
        from . import signals, warning_rules  # noqa: F401
