from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xinfang.plans"
    verbose_name = "一案一策"
