from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "xinfang.metrics"
    label = "metrics"
    verbose_name = "三降四升五不"

    def ready(self):
        # The count tables are kept in the transaction of each change (see signals).
        from . import signals  # noqa: F401
