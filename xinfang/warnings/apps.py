from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "xinfang.warnings"
    label = "warnings"
    verbose_name = "预警"

    def ready(self):
        # The built-in rules register themselves; the threat warning follows each registration.
        from . import rules, signals  # noqa: F401
