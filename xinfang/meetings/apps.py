from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "xinfang.meetings"
    label = "meetings"
    verbose_name = "会议与接待"
