from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xinfang.org"
    verbose_name = "组织与配置"
