from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "xinfang.screening"
    label = "screening"
    verbose_name = "排查研判"
