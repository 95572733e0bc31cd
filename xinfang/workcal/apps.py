from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "xinfang.workcal"
    verbose_name = "工作日历"
