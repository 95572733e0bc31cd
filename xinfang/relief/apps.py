from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "xinfang.relief"
    verbose_name = "专项救助"
