from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "xinfang.alerts"
    verbose_name = "提醒"
