from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xinfang.core"
    verbose_name = "基础"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_touch

        # A session is written at sign-in: its idle clock starts there, not at the next page.
        user_logged_in.connect(session_touch, dispatch_uid="xinfang-session-touch")
