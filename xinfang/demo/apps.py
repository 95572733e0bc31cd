from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo town: its accounts, its generated history, and `make run`'s commands (setup_demo,
    demo_data, serve). It sits at the top: nothing below imports it."""

    name = "xinfang.demo"
    verbose_name = "演示镇"
