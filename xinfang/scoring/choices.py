from django.db import models


class Measure(models.TextChoices):
    """问责方式, lightest first."""

    TALK = "talk", "约谈"
    CRITICISM = "criticism", "通报批评"
    ADMONISH = "admonish", "诫勉谈话"
    SELF_CHECK = "self_check", "责令书面检查"
    ORGANISATIONAL = "organisational", "组织处理"
    DISCIPLINE = "discipline", "党纪政务处分"
    OTHER = "other", "其他"


class UnitKind(models.TextChoices):
    VILLAGE = "village", "村（居）"
    DEPARTMENT = "department", "部门（条线）"
