from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "xinfang.screening"
    label = "screening"
    verbose_name = "排查研判"

    def ready(self):
        # The warning engine never imports this app: its rules are registered here.
        from . import warning_rules  # noqa: F401
