from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xinfang.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self):
        # The warning engine finds the rule in its registry; it never imports this app.
        from . import warning_rules  # noqa: F401
