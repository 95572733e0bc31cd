from django.db import models


class AlertKind(models.TextChoices):
    REBOUND = "rebound", "化解后反弹"
