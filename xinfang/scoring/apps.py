from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "xinfang.scoring"
    label = "scoring"
    verbose_name = "考核问责"

    def ready(self):
        from xinfang.org.signals import town_loaded

        from .services import rules_store

        # The town's file carries the scoring rules; org never imports this app, it only tells.
        town_loaded.connect(rules_store, dispatch_uid="scoring_rules_store")
