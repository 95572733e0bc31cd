"""稳控: key persons and their task forces (包保), contacts (一日三见面), protection periods (零滞留、
零登记、有事报情况无事报平安), the 五不 incident register and the rebound watch (已化解·防反弹, 回访).

Who reads what: the office, the town's leaders and supervision read the town's whole register; a
village its own village's; a grid worker the key persons of their grid or kept by them; a department
none, unless linked by a case it handles or kept by one of its people; the county reads across towns.
"""

from django.db import models

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.cases.models import CASE_PART_SCOPE, CASE_READERS, Case, Petitioner, _department_cases
from xinfang.cases.models import _hidden as _case_hidden
from xinfang.core.scoping import Scope, scope

from .choices import (
    ContactWay,
    FoundStatus,
    IncidentKind,
    IncidentLevel,
    KeeperDuty,
    KeyPersonStatus,
    PeriodLevel,
    PetitionerState,
    RegistrationLevel,
    WatchStatus,
)

READERS = frozenset(WORK_ROLES)


def _kept_by(user, prefix: str) -> models.Q:
    if not user.person_id:
        return models.Q(pk__in=[])
    kept = KeyPersonKeeper.objects.filter(person_id=user.person_id).values("key_person_id")
    return models.Q(**{f"{prefix}pk__in": kept})


def _department(user, prefix: str = "") -> models.Q:
    """A department: key persons of the cases it handles (as the case's scope says), or kept by one
    of its people."""
    handled = scope(Case.objects.all(), user).values("pk")
    return models.Q(**{f"{prefix}case__in": handled}) | _kept_by(user, prefix)


def _grid(user, prefix: str = "") -> models.Q:
    """A grid worker: the key persons of their grid and those they keep."""
    own = models.Q(**{f"{prefix}grid_id": user.grid_id}) if user.grid_id else models.Q(pk__in=[])
    return own | _kept_by(user, prefix)


def _hidden(user, prefix: str = "") -> models.Q | None:
    """A petitioner hidden from the reader (an accuser of the reader's unit) stays hidden here."""
    rule = Petitioner.scope.hide
    hidden = rule(user) if rule is not None else None
    if hidden is None:
        return None
    return models.Q(**{f"{prefix}petitioner__in": Petitioner.objects.filter(hidden).values("pk")})


def key_person_scope(prefix: str = "") -> Scope:
    """The scope of a key person, or of what hangs off one through `prefix` ("key_person__")."""
    return Scope(
        town=f"{prefix}town",
        village=f"{prefix}village",
        roles=READERS,
        extra={
            Role.DEPARTMENT: lambda user: _department(user, prefix),
            Role.GRID: lambda user: _grid(user, prefix),
        },
        hide=lambda user: _hidden(user, prefix),
    )


class KeyPerson(models.Model):
    """重点人员: a petitioner kept under watch, with a risk level from the town's configuration."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    petitioner = models.ForeignKey(
        "cases.Petitioner", on_delete=models.PROTECT, related_name="key_persons", verbose_name="信访人"
    )
    # Copied from the petitioner when registered, so that scoping needs no join through it.
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在村（居）",
    )
    grid = models.ForeignKey(
        "org.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在网格",
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="相关信访事项",
    )
    level = models.CharField("风险等级", max_length=40, help_text="镇配置 stability.risk_levels 的代码")
    reasons = models.TextField("列管原因")
    group = models.CharField(
        "涉众群体", max_length=60, blank=True, help_text="同一群体的重点人员填写相同名称，可一并查看"
    )
    tags = models.JSONField("标签", default=list, blank=True)
    measures = models.TextField("稳控措施", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=KeyPersonStatus.choices, default=KeyPersonStatus.IN_CONTROL
    )
    status_reason = models.CharField("状态说明", max_length=200, blank=True)
    last_contact_at = models.DateTimeField("最近见面", null=True, blank=True)
    last_found = models.CharField("最近见面状态", max_length=20, choices=FoundStatus.choices, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="列管人"
    )
    created_at = models.DateTimeField("列管时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope = key_person_scope()

    class Meta:
        verbose_name = "重点人员"
        verbose_name_plural = "重点人员"
        ordering = ["town", "village", "id"]
        indexes = [models.Index(fields=["town", "status"], name="key_person_town_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["petitioner"],
                condition=~models.Q(status="revoked"),
                name="key_person_once_per_petitioner",
            )
        ]

    def __str__(self):
        return self.petitioner.name

    @property
    def audit_label(self) -> str:
        return f"重点人员 {self.pk}"

    @property
    def level_name(self) -> str:
        for level in (self.town.stability or {}).get("risk_levels", []):
            if level["code"] == self.level:
                return level["name"]
        return self.level


class KeyPersonKeeper(models.Model):
    """One member of a key person's task force (包保专班)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="keepers")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    duty = models.CharField("包保职责", max_length=20, choices=KeeperDuty.choices)

    scope = key_person_scope("key_person__")

    class Meta:
        verbose_name = "包保人员"
        verbose_name_plural = "包保人员"
        ordering = ["key_person", "duty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key_person", "person"], name="keeper_once_per_key_person")
        ]

    def __str__(self):
        return f"{self.get_duty_display()} {self.person.name}"


class Contact(models.Model):
    """见面记录: one contact with a key person, as the keeper logged it (often from a phone)."""

    key_person = models.ForeignKey(
        KeyPerson, on_delete=models.CASCADE, related_name="contacts", verbose_name="重点人员"
    )
    at = models.DateTimeField("见面时间", db_index=True)
    day = models.DateField("日期", help_text="见面时间所在的一天（北京时间），按日统计见面次数")
    way = models.CharField("方式", max_length=20, choices=ContactWay.choices)
    found = models.CharField("见面状态", max_length=20, choices=FoundStatus.choices)
    place = models.CharField("地点", max_length=100, blank=True)
    note = models.CharField("情况说明", max_length=500, blank=True)
    photo_path = models.CharField("照片", max_length=80, blank=True)
    photo_sha256 = models.CharField("照片校验值", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = key_person_scope("key_person__")

    class Meta:
        verbose_name = "见面记录"
        verbose_name_plural = "见面记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key_person", "day"], name="contact_key_person_day")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_way_display()} {self.get_found_display()}"

    @property
    def audit_label(self) -> str:
        return f"见面记录 {self.pk}"


class Alarm(models.Model):
    """失联 or 异常 found at a contact: told at once, followed until closed (警信联动)."""

    key_person = models.ForeignKey(
        KeyPerson, on_delete=models.CASCADE, related_name="alarms", verbose_name="重点人员"
    )
    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="alarm", verbose_name="见面记录"
    )
    opened_at = models.DateTimeField("发现时间")
    steps = models.JSONField("处置经过", default=list, blank=True)
    closed_at = models.DateTimeField("处置完毕", null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    scope = key_person_scope("key_person__")

    class Meta:
        verbose_name = "失联异常处置"
        verbose_name_plural = "失联异常处置"
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"{self.key_person} {self.contact.get_found_display()}"

    @property
    def audit_label(self) -> str:
        return f"失联异常处置 {self.pk}"


class ProtectionPeriod(models.Model):
    """重大活动、敏感节点保障期."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    name = models.CharField("名称", max_length=100)
    start = models.DateField("开始日期", db_index=True)
    end = models.DateField("结束日期", db_index=True)
    level = models.CharField("级别", max_length=20, choices=PeriodLevel.choices)
    contacts_per_day = models.PositiveSmallIntegerField("每日见面次数", default=3)
    key_persons = models.ManyToManyField(
        KeyPerson, blank=True, related_name="periods", verbose_name="纳入的重点人员"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="设立人"
    )
    created_at = models.DateTimeField("设立时间", auto_now_add=True)

    # The period itself is town-wide: every work role of the town sees that one is in force (the
    # board lists only the key persons each reader may see).
    scope = Scope(town="town", roles=READERS)

    class Meta:
        verbose_name = "保障期"
        verbose_name_plural = "保障期"
        ordering = ["-start", "-id"]

    def __str__(self):
        return self.name

    @property
    def audit_label(self) -> str:
        return f"保障期 {self.pk}"


class StayCheck(models.Model):
    """零滞留: before the period starts, a key person confirmed in place, and by whom."""

    period = models.ForeignKey(
        ProtectionPeriod, on_delete=models.CASCADE, related_name="stay_checks", verbose_name="保障期"
    )
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="+")
    in_place = models.BooleanField("在当地", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="确认人"
    )
    confirmed_at = models.DateTimeField("确认时间")

    scope = key_person_scope("key_person__")

    class Meta:
        verbose_name = "零滞留确认"
        verbose_name_plural = "零滞留确认"
        constraints = [models.UniqueConstraint(fields=["period", "key_person"], name="stay_check_once")]


class Registration(models.Model):
    """零登记: a key person registered at a higher level during a period. Each raises an incident."""

    period = models.ForeignKey(
        ProtectionPeriod, on_delete=models.CASCADE, related_name="registrations", verbose_name="保障期"
    )
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="+")
    level = models.CharField("登记层级", max_length=20, choices=RegistrationLevel.choices)
    at = models.DateTimeField("登记时间")
    place = models.CharField("登记地点或部门", max_length=100, blank=True)
    petition = models.ForeignKey(
        "cases.Petition", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    incident = models.OneToOneField(
        "Incident", on_delete=models.PROTECT, related_name="registration", verbose_name="事件"
    )

    scope = key_person_scope("key_person__")

    class Meta:
        verbose_name = "保障期登记"
        verbose_name_plural = "保障期登记"
        ordering = ["-at"]


class DailyReport(models.Model):
    """有事报情况、无事报平安: a village's report for a day of a period; a zero report counts."""

    period = models.ForeignKey(
        ProtectionPeriod, on_delete=models.CASCADE, related_name="daily_reports", verbose_name="保障期"
    )
    village = models.ForeignKey("org.Village", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    all_quiet = models.BooleanField("无事（报平安）", default=True)
    text = models.CharField("情况", max_length=500, blank=True)
    reported_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("上报时间")

    scope = Scope(town="period__town", village="village", roles=READERS)

    class Meta:
        verbose_name = "每日报告"
        verbose_name_plural = "每日报告"
        constraints = [models.UniqueConstraint(fields=["period", "village", "day"], name="daily_report_once")]


def _incident_department(user) -> models.Q:
    handled = scope(Case.objects.all(), user).values("pk")
    return models.Q(pk__in=Incident.cases.through.objects.filter(case__in=handled).values("incident_id"))


def _incident_grid(user) -> models.Q:
    kept = scope(KeyPerson.objects.all(), user).values("pk")
    return models.Q(
        pk__in=Incident.key_persons.through.objects.filter(keyperson__in=kept).values("incident_id")
    )


class Incident(models.Model):
    """五不 and 五个不发生: one event, with whom it concerns and what was done."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    kind = models.CharField("类型", max_length=40, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField("发生时间", db_index=True)
    place = models.CharField("地点", max_length=100, blank=True)
    persons_count = models.PositiveIntegerField("人数", default=1)
    persons = models.CharField("涉及人员", max_length=300, blank=True)
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    key_persons = models.ManyToManyField(
        KeyPerson, blank=True, related_name="incidents", verbose_name="重点人员"
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name="信访事项")
    level_reached = models.CharField("到达层级", max_length=20, choices=IncidentLevel.choices)
    handling = models.TextField("处置情况", blank=True)
    period = models.ForeignKey(
        ProtectionPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name="保障期",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = Scope(
        town="town",
        village="village",
        roles=READERS,
        extra={Role.DEPARTMENT: _incident_department, Role.GRID: _incident_grid},
    )

    class Meta:
        verbose_name = "五不事件"
        verbose_name_plural = "五不事件"
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def audit_label(self) -> str:
        return f"五不事件 {self.pk}"


class Watch(models.Model):
    """已化解·防反弹: a resolved case under follow-ups for a while after its 对账销号."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="+", verbose_name="镇")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name="信访事项"
    )
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="村（居）",
    )
    resolved_on = models.DateField("化解销号日期")
    status = models.CharField("状态", max_length=20, choices=WatchStatus.choices, default=WatchStatus.ACTIVE)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="反弹事件"
    )
    created_at = models.DateTimeField("列入时间", auto_now_add=True)

    # Seen exactly when its case is.
    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "防反弹回访"
        verbose_name_plural = "防反弹回访"
        ordering = ["-resolved_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "resolved_on"], name="watch_once_per_resolution")
        ]

    def __str__(self):
        return f"{self.case.number} 防反弹"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number} 防反弹"


class FollowUp(models.Model):
    """回访: one scheduled visit to a resolved case's petitioner."""

    watch = models.ForeignKey(
        Watch, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="防反弹"
    )
    seq = models.PositiveSmallIntegerField("第几次")
    due_on = models.DateField("应回访日期", db_index=True)
    done_on = models.DateField("回访日期", null=True, blank=True)
    state = models.CharField("信访人状态", max_length=20, choices=PetitionerState.choices, blank=True)
    note = models.CharField("回访情况", max_length=500, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    told_at = models.DateTimeField("到期提醒时间", null=True, blank=True)

    scope = Scope(
        town="watch__case__town",
        village="watch__case__village",
        roles=CASE_READERS,
        extra={Role.DEPARTMENT: lambda user: _department_cases(user, prefix="watch__case__")},
        hide=lambda user: _case_hidden(user, prefix="watch__case__"),
    )

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="follow_up_open_due")]

    def __str__(self):
        return f"{self.watch.case.number} 第 {self.seq} 次回访"

    @property
    def audit_label(self) -> str:
        return f"{self.watch.case.number} 回访 {self.seq}"
