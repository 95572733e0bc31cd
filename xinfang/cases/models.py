from django.db import models

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.core.scoping import Scope

from .choices import CaseEventType, CaseState, Channel, Level, PetitionKind

# Cases are work: the three administrators never read them (三员分立).
CASE_READERS = frozenset(WORK_ROLES)


def _department_cases(user, prefix: str = "") -> models.Q:
    """A department sees the cases of the categories it leads (☆) or supports."""
    from xinfang.org.models import Category

    lines = Category.objects.filter(
        models.Q(lead=user.department_id) | models.Q(supporting=user.department_id)
    )
    return models.Q(**{f"{prefix}category__in": lines.values("pk")})


class CaseNumberSequence(models.Model):
    """The last case number given out in one town and year.

    Numbers are taken inside the transaction that registers the case, so a registration that fails
    gives its number back: numbers stay gap-free.
    """

    town = models.ForeignKey("org.Town", on_delete=models.CASCADE, related_name="+", verbose_name="镇")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "信访事项编号"
        verbose_name_plural = "信访事项编号"
        constraints = [models.UniqueConstraint(fields=["town", "year"], name="case_number_sequence_unique")]

    def __str__(self):
        return f"{self.town} {self.year} 年已编至 {self.last} 号"


# Whatever hangs off a case (its petitions, its events) is seen exactly when the case is.
CASE_PART_SCOPE = Scope(
    town="case__town",
    village="case__village",
    roles=CASE_READERS,
    extra={Role.DEPARTMENT: lambda user: _department_cases(user, prefix="case__")},
)


class Petitioner(models.Model):
    """信访人. One person is found again by the ID number and never entered twice in a town."""

    town = models.ForeignKey(
        "org.Town", on_delete=models.PROTECT, related_name="petitioners", verbose_name="镇"
    )
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitioners",
        verbose_name="所在村（居）",
    )
    grid = models.ForeignKey(
        "org.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitioners",
        verbose_name="所在网格",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = Scope(
        town="town",
        village="village",
        roles=CASE_READERS,
        extra={
            Role.DEPARTMENT: lambda user: models.Q(
                pk__in=Petition.objects.filter(_department_cases(user, prefix="case__")).values("petitioners")
            )
        },
    )

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "id_number"],
                condition=~models.Q(id_number=""),
                name="petitioner_id_number_unique_per_town",
            )
        ]

    def __str__(self):
        return self.name


class Case(models.Model):
    """信访事项: one matter. Its first petition opens it; later petitions on it are repeats."""

    town = models.ForeignKey("org.Town", on_delete=models.PROTECT, related_name="cases", verbose_name="镇")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("编号", max_length=40)
    title = models.CharField("事项", max_length=200)
    content = models.TextField("诉求内容")
    category = models.ForeignKey(
        "org.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="类别",
    )
    village = models.ForeignKey(
        "org.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="属地村（居）",
    )
    state = models.CharField("状态", max_length=20, choices=CaseState.choices, default=CaseState.REGISTERED)
    kind = models.CharField("性质", max_length=20, choices=PetitionKind.choices, default=PetitionKind.CLAIM)
    received_at = models.DateTimeField("首次信访时间")
    route_due = models.DateField("转送交办期限", db_index=True)
    notify_due = models.DateField("告知受理期限", null=True, blank=True, db_index=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    handling_due = models.DateField("办理期限", null=True, blank=True, db_index=True)
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    repeat_count = models.PositiveIntegerField("重复信访次数", default=0)
    is_collective = models.BooleanField("集体访", default=False)
    has_threat = models.BooleanField("扬言", default=False)
    skip_level = models.CharField("越级去向", max_length=20, choices=Level.choices, blank=True)
    law_related = models.BooleanField("涉法涉诉", default=False)
    rebound = models.BooleanField("化解后反弹", default=False)
    version = models.PositiveIntegerField("版本", default=1, help_text="每次修改加一，用于发现并发修改")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = Scope(
        town="town", village="village", roles=CASE_READERS, extra={Role.DEPARTMENT: _department_cases}
    )

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "seq"], name="case_number_unique"),
        ]
        indexes = [models.Index(fields=["town", "state"], name="case_town_state")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.number

    def petitioner_names(self) -> list[str]:
        """Everyone who petitioned on the case, once each, in order (uses prefetched petitions)."""
        names = [person.name for p in self.petitions.all() for person in p.petitioners.all()]
        return list(dict.fromkeys(names))


class Petition(models.Model):
    """一次信访: one letter, visit, call, online post or referral on a case."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="petitions", verbose_name="信访事项"
    )
    petitioners = models.ManyToManyField(Petitioner, related_name="petitions", verbose_name="信访人")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    referral_level = models.CharField("交转办层级", max_length=20, choices=Level.choices, blank=True)
    received_at = models.DateTimeField("收到时间")
    persons_count = models.PositiveIntegerField("人数", default=1)
    kind = models.CharField("性质", max_length=20, choices=PetitionKind.choices)
    title = models.CharField("事项", max_length=200)
    content = models.TextField("诉求内容")
    is_repeat = models.BooleanField("重复信访", default=False)
    is_collective = models.BooleanField("集体访", default=False)
    has_threat = models.BooleanField("扬言", default=False)
    skip_level = models.CharField("越级去向", max_length=20, choices=Level.choices, blank=True)
    law_related = models.BooleanField("涉法涉诉", default=False)
    query_code = models.CharField("查询码", max_length=12, blank=True, db_index=True)
    registered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "信访记录"
        verbose_name_plural = "信访记录"
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d} {self.title}"


class CaseEvent(models.Model):
    """Every change to a case, in order: the timeline, and what warnings and counts will follow."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name="信访事项")
    kind = models.CharField("事件", max_length=30, choices=CaseEventType.choices)
    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="操作人"
    )
    data = models.JSONField("内容", default=dict, blank=True)

    scope = CASE_PART_SCOPE

    class Meta:
        verbose_name = "事项动态"
        verbose_name_plural = "事项动态"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"
