from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "xinfang.attachments"
    verbose_name = "附件"

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings check)
