from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "xinfang.metrics"
    label = "metrics"
    verbose_name = "三降四升五不"
