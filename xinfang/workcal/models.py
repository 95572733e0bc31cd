from django.db import models

from xinfang.accounts.choices import Role
from xinfang.core.scoping import Scope


class DaySource(models.TextChoices):
    LIBRARY = "library", "国务院办公厅通知（随软件更新）"
    MANUAL = "manual", "手工录入"


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a holiday on a weekday, or a make-up working
    weekend day (调休). Every other day is a working day exactly when it is Monday to Friday.

    The calendar is national, so it belongs to no town. Days come from the `chinesecalendar` library
    (`manage.py seed_calendar`); a year the library does not know yet is entered by hand, and a
    re-seed never overwrites a hand-entered day.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="节假日不勾选；周末调休上班勾选")
    name = models.CharField("名称", max_length=40, blank=True, help_text="如：国庆节、国庆节调休上班")
    source = models.CharField("来源", max_length=10, choices=DaySource.choices, default=DaySource.MANUAL)

    scope = Scope(town=None, roles=frozenset(Role.values))

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name or ('上班' if self.is_workday else '休息')}"
