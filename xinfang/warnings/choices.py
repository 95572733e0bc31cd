from django.db import models


class Level(models.TextChoices):
    """预警等级, lowest first: the order is the severity."""

    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"
