from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xinfang.notices"
    verbose_name = "交办单"
