from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xinfang.reports"
    label = "reports"
    verbose_name = "报表与报告"
