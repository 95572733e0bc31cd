from django.db import models


class RoundKind(models.TextChoices):
    CAMPAIGN = "campaign", "集中排查"
    ROLLING = "rolling", "滚动排查"


class UnitKind(models.TextChoices):
    """Who reports in a round (一件不漏、清仓见底: every one of them, a zero report included)."""

    VILLAGE = "village", "村（居）"
    GRID = "grid", "网格"
    DEPARTMENT = "department", "部门（条线）"


class ItemKind(models.TextChoices):
    DISPUTE = "dispute", "矛盾纠纷"
    HAZARD = "hazard", "风险隐患"
    MOVEMENT = "movement", "重点人员动向"


class Outcome(models.TextChoices):
    OPEN = "open", "待处理"
    CASE = "case", "已转信访事项"
    KEY_PERSON = "key_person", "已列为重点人员"
    CLOSED = "closed", "已销号（不予转办）"


class AssessmentLevel(models.TextChoices):
    """四级研判, lowest first: escalation goes to the next one."""

    GRID = "grid", "网格研判"
    VILLAGE = "village", "村（居）研判"
    LINE = "line", "条线研判"
    TOWN = "town", "镇级研判"


LEVEL_ORDER = [AssessmentLevel.GRID, AssessmentLevel.VILLAGE, AssessmentLevel.LINE, AssessmentLevel.TOWN]


class AssessmentStatus(models.TextChoices):
    PENDING = "pending", "待研判"
    DONE = "done", "已研判"


class Cadence(models.TextChoices):
    WARTIME = "wartime", "战时研判"
    NORMAL = "normal", "常态研判"
