from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "xinfang.warnings"
    label = "warnings"
    verbose_name = "预警"
