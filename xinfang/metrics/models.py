"""The count tables behind the metrics.

A case (or a 五不 incident) yields *facts*: (fact key, day) pairs such as "a repeat petition on
2026-03-04" or "concluded on 2026-05-10, within its limit". `Facts` keeps, per object, the facts it
contributed last time and the unit they were counted under; a change to the object recomputes them and
applies only the difference to `Count`, in the same transaction as the change. So `Count` always equals
a recount from the objects (`metrics_check` proves it), and a year's metrics read a few thousand
narrow index entries instead of 100,000 cases.

`Count` is kept per unit *dimension* (the whole town, a village, a line = lead department, an owner =
包案领导), not per combination: one filter at a time reads its own rows. Distinct persons do not add up
over days, so the skip-level petitioners are kept as rows (`PersonFact`) and counted distinct.
"""

from django.db import models

# Dimensions of `Count.dim`.
TOWN, VILLAGE, LINE, OWNER = "t", "v", "l", "o"
DIMS = (TOWN, VILLAGE, LINE, OWNER)


class Count(models.Model):
    """How many facts of one key fell on one day in one unit."""

    town_id = models.PositiveIntegerField("镇")
    dim = models.CharField("统计口径", max_length=1)
    unit = models.PositiveIntegerField("单位", help_text="村（居）、牵头部门或包案领导的 id；全镇为 0")
    key = models.CharField("计数项", max_length=24)
    day = models.DateField("日期")
    # 检举控告类: left out for the readers who may not see accusations (村、网格).
    accusation = models.BooleanField("检举控告类", default=False)
    n = models.IntegerField("数量", default=0)

    class Meta:
        verbose_name = "指标计数"
        verbose_name_plural = "指标计数"
        constraints = [
            models.UniqueConstraint(
                fields=["town_id", "dim", "unit", "key", "day", "accusation"], name="metrics_count_unique"
            )
        ]
        indexes = [
            # Covering: a year of one unit's counts is read from the index alone.
            models.Index(
                fields=["town_id", "dim", "unit", "day", "key", "accusation", "n"], name="metrics_count_read"
            ),
        ]


class PersonFact(models.Model):
    """A petitioner on a skip-level petition (越级上访) on a day: counted distinct."""

    town_id = models.PositiveIntegerField("镇")
    case_id = models.PositiveIntegerField("信访事项", db_index=True)
    petitioner_id = models.PositiveIntegerField("信访人")
    day = models.DateField("日期")
    village = models.PositiveIntegerField("村（居）", default=0)
    line = models.PositiveIntegerField("牵头部门", default=0)
    owner = models.PositiveIntegerField("包案领导", default=0)
    accusation = models.BooleanField("检举控告类", default=False)

    class Meta:
        verbose_name = "越级上访人员"
        verbose_name_plural = "越级上访人员"
        indexes = [models.Index(fields=["town_id", "day"], name="metrics_person_day")]


class Facts(models.Model):
    """What one object counted last time: {"unit": [town, village, line, owner, accusation],
    "facts": [[key, "YYYY-MM-DD", n], …], "persons": [[petitioner, "YYYY-MM-DD"], …]}."""

    CASE, INCIDENT = "case", "incident"
    source = models.CharField("来源", max_length=10)
    object_id = models.PositiveIntegerField("对象")
    data = models.JSONField("计数", default=dict)

    class Meta:
        verbose_name = "计数来源"
        verbose_name_plural = "计数来源"
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="metrics_facts_unique")]
