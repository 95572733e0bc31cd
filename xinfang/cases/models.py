from django.db import models
from django.db.models.functions import Right

from xinfang.accounts.choices import WORK_ROLES, Role
from xinfang.core.scoping import Scope, scope

from .choices import (
    CaseEventType,
    CaseState,
    Channel,
    Decision,
    DeliveryWay,
    Level,
    PetitionKind,
    Rating,
    Resolution,
)

# Cases are work: the three administrators never read them (三员分立).
CASE_READERS = frozenset(WORK_ROLES)


def _department_cases(user, prefix: str = "") -> models.Q:
    """A department sees the cases of the categories it leads (☆) or supports, and the cases
    assigned to it as lead or supporting department."""
    from xinfang.org.models import Category

    lines = Category.objects.filter(
        models.Q(lead=user.department_id) | models.Q(supporting=user.department_id)
    )
    supported = Case.supporting_departments.through.objects.filter(department_id=user.department_id)
    return (
        models.Q(**{f"{prefix}category__in": lines.values("pk")})
        | models.Q(**{f"{prefix}lead_department": user.department_id})
        | models.Q(**{f"{prefix}pk__in": supported.values("case_id")})
    )


def _accused(user, prefix: str = "") -> models.Q | None:
    """Cases that accuse the user or the user's unit: hidden from them whatever their role.

    An uncorrelated `IN (SELECT …)`: the database reads the few accusations once, not per case."""
    rows = []
    if user.person_id:
        rows.append(Case.accused_persons.through.objects.filter(person_id=user.person_id))
    if user.department_id:
        rows.append(Case.accused_departments.through.objects.filter(department_id=user.department_id))
    if user.village_id:
        rows.append(Case.accused_villages.through.objects.filter(village_id=user.village_id))
    hidden = models.Q()
    for queryset in rows:
        hidden |= models.Q(**{f"{prefix}pk__in": queryset.values("case_id")})
    return hidden or None


# Who handles an accusation sees it: the office, the town's leaders and supervision, and the unit it
# was assigned to (the discipline body). Villages, grid workers and other departments do not, whoever
# it accuses: 检举控告 material stays with those who handle it (《信访工作条例》第三十条).
ACCUSATION_CONFINED = frozenset({Role.VILLAGE, Role.GRID, Role.DEPARTMENT})


def _hidden(user, prefix: str = "") -> models.Q | None:
    """What the reader must not see: cases that accuse them or their unit, and accusations they do
    not handle."""
    hidden = _accused(user, prefix)
    if user.role in ACCUSATION_CONFINED:
        confined = models.Q(**{f"{prefix}kind": PetitionKind.ACCUSATION})
        if user.department_id:
            confined &= ~models.Q(**{f"{prefix}lead_department": user.department_id})
        hidden = confined if hidden is None else hidden | confined
    return hidden


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
    hide=lambda user: _hidden(user, prefix="case__"),
)


def _accusers_hidden(user) -> models.Q | None:
    """The petitioners of cases that accuse the user or the user's unit (《信访工作条例》第三十条),
    unless the user also sees them on a case of their own: a resident who accused the village and
    also asks it about a road stays the village's petitioner on the road, while the accusation stays
    out of sight like its case. Hiding such a person altogether would single them out instead."""
    accusing = _accused(user)
    # One small query first: most readers are accused of nothing, and then need no subquery over
    # every petition they may see.
    if accusing is None or not Case.objects.filter(accusing).exists():
        return None
    link = Petition.petitioners.through.objects
    accusers = link.filter(_accused(user, prefix="petition__case__")).values("petitioner_id")
    seen = link.filter(petitioner_id__in=accusers, petition__in=scope(Petition.objects.all(), user))
    return models.Q(pk__in=accusers) & ~models.Q(pk__in=seen.values("petitioner_id"))


def _with_visible_petition(user) -> models.Q:
    """A village sees its residents as petitioners through petitions it may see: a resident whose
    only petition is an accusation it does not handle is not shown to it (a page with nothing on it
    would still say that they petitioned). Correlated, so a page of one person costs one probe."""
    link = Petition.petitioners.through.objects.filter(
        petitioner_id=models.OuterRef("pk"),
        petition__in=scope(Petition.objects.all(), user),
    )
    return models.Q(models.Exists(link))


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
    # The last four characters of the ID number and of the phone, kept by the database itself (every
    # insert, bulk ones included) and indexed: the ledger's search box finds a person by them, and a
    # suffix match (LIKE '%1234') reads every row, while an equality on these reads a handful.
    id_last4 = models.GeneratedField(
        expression=Right("id_number", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name="身份证号后四位",
    )
    phone_last4 = models.GeneratedField(
        expression=Right("phone", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name="手机号后四位",
    )

    scope = Scope(
        town="town",
        village="village",
        roles=CASE_READERS,
        extra={
            Role.DEPARTMENT: lambda user: models.Q(
                pk__in=Petition.objects.filter(_department_cases(user, prefix="case__")).values("petitioners")
            ),
            Role.VILLAGE: lambda user: _with_visible_petition(user),
            Role.GRID: lambda user: _with_visible_petition(user),
        },
        hide=_accusers_hidden,
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
        indexes = [
            # Alone, not behind the town: the county searches across its towns.
            models.Index(fields=["id_last4"], name="petitioner_id_last4"),
            models.Index(fields=["phone_last4"], name="petitioner_phone_last4"),
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
    # One of the category's matters (配置中的“主要事项”): some lie outside a village's powers.
    matter = models.CharField("具体事项", max_length=40, blank=True)
    # Two tracks (两条线): the statutory path and, beside it, the campaign's resolution.
    state = models.CharField(
        "办理状态", max_length=20, choices=CaseState.choices, default=CaseState.REGISTERED
    )
    resolution = models.CharField(
        "化解状态", max_length=20, choices=Resolution.choices, default=Resolution.OPEN
    )
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
    # Kept with the case so that ledgers and exports of many thousands of rows need no join per row.
    petitioner_label = models.CharField("信访人", max_length=200, blank=True)
    responsible_label = models.CharField("责任人", max_length=200, blank=True)
    accused_persons = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name="被检举控告人"
    )
    accused_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name="被检举控告部门"
    )
    accused_villages = models.ManyToManyField(
        "org.Village", blank=True, related_name="+", verbose_name="被检举控告村（居）"
    )

    # Prominent (突出问题): `prominent` holds the rules that do not depend on the day (marked, repeat,
    # collective, skip-level, threat, rebound), from `prominent_since`; a backlog (积案) is found from
    # handling_due.
    prominent = models.BooleanField("突出问题", default=False, db_index=True)
    prominent_since = models.DateField("成为突出问题日期", null=True, blank=True)
    # The day the case is on the ledger from: the day a day-independent rule put it there, or the day
    # after its handling limit when that passed without an opinion (积案, which stays a backlog when
    # the opinion comes late). It leaves the ledger only by 对账销号. One indexed range for the ledger.
    ledger_from = models.DateField("列入台账日期", null=True, blank=True, db_index=True)
    prominent_marked = models.BooleanField("联席办列为突出问题", default=False)
    prominent_note = models.CharField("列为突出问题的理由", max_length=200, blank=True)
    major = models.BooleanField("特殊重大事项（联席办标记）", default=False)

    # Ownership and plan, set when the office assigns the case (一案一责、一案一策).
    lead_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name="牵头部门",
    )
    lead_leader = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name="包案领导",
    )
    responsible_persons = models.ManyToManyField(
        "org.Person", blank=True, related_name="responsible_cases", verbose_name="责任人"
    )
    supporting_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="supported_cases", verbose_name="配合部门"
    )
    # How the owner was found: the rule that applied and its explanation, or the office's override.
    owner_rule = models.CharField("包案依据", max_length=20, blank=True)
    owner_explanation = models.TextField("包案说明", blank=True)
    plan = models.TextField("化稳方案", blank=True)
    resolve_by = models.DateField("解决时限", null=True, blank=True, db_index=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    objection_due = models.DateField("交办异议期限", null=True, blank=True)

    # Handling.
    last_progress = models.CharField("最新进展", max_length=300, blank=True)
    last_progress_on = models.DateField("最新进展日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延期天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.CharField("延期批准人", max_length=40, blank=True)
    extended_on = models.DateField("延期日期", null=True, blank=True)
    paused_since = models.DateField("听证暂停计时起", null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField("听证不计入的天数", default=0)

    # The written opinion (处理意见书) and what follows it.
    replied_on = models.DateField("出具处理意见日期", null=True, blank=True)
    decision = models.CharField("处理意见", max_length=20, choices=Decision.choices, blank=True)
    reply_facts = models.TextField("认定事实及理由", blank=True)
    reply_basis = models.TextField("法律政策依据", blank=True)
    # 送达: the review and rating windows count from the day the petitioner received the opinion.
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_way = models.CharField("送达方式", max_length=20, choices=DeliveryWay.choices, blank=True)
    rating_due = models.DateField("评价期限", null=True, blank=True, db_index=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)
    office_rating = models.CharField("对信访部门的评价", max_length=20, choices=Rating.choices, blank=True)
    unit_rating = models.CharField("对办理单位的评价", max_length=20, choices=Rating.choices, blank=True)
    rating_reason = models.TextField("不满意的理由", blank=True)
    review_stage = models.PositiveSmallIntegerField(
        "复查复核阶段", default=0, help_text="0 未申请，1 复查，2 复核"
    )
    review_request_due = models.DateField("申请复查（复核）期限", null=True, blank=True)
    review_requested_on = models.DateField("申请复查（复核）日期", null=True, blank=True)
    review_due = models.DateField("复查（复核）答复期限", null=True, blank=True, db_index=True)

    # 诉访分离: a matter for the courts, procuratorate or police leaves the petition path for theirs.
    legal_organ = models.CharField("导入的法律程序及机关", max_length=100, blank=True)
    legal_on = models.DateField("导入法律程序日期", null=True, blank=True)

    # The campaign track: stabilised, resolved with evidence, checked by the office.
    stabilized_on = models.DateField("稳控日期", null=True, blank=True)
    resolution_before = models.CharField(
        "报送化解前的化解状态", max_length=20, choices=Resolution.choices, blank=True
    )
    resolution_submitted_on = models.DateField("报送化解日期", null=True, blank=True)
    resolution_signed_on = models.DateField("协议（承诺书）签订日期", null=True, blank=True)
    resolved_on = models.DateField("化解销号日期", null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销号人",
    )
    closed_on = models.DateField("终结日期", null=True, blank=True)
    # The last rebound: evidence for a new 化解 must come after it.
    rebound_at = models.DateTimeField("最近一次反弹时间", null=True, blank=True)

    # The deadline that matters now, whatever the stage: lists sort and warn by it.
    due_on = models.DateField("当前期限", null=True, blank=True, db_index=True)

    version = models.PositiveIntegerField("版本", default=1, help_text="每次修改加一，用于发现并发修改")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = Scope(
        town="town",
        village="village",
        roles=CASE_READERS,
        extra={Role.DEPARTMENT: _department_cases},
        hide=_hidden,
    )

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "seq"], name="case_number_unique"),
        ]
        indexes = [
            models.Index(fields=["town", "state"], name="case_town_state"),
            # The ledger: filtered by town, resolution and ledger date, sorted by deadline or number, all
            # read from the index (100,000 cases: a page in a few milliseconds on SQLite). The repeat
            # count rides along for the 重复信访 view: 8 ms instead of 47 ms to count it at 100k.
            models.Index(
                fields=["town", "resolution", "ledger_from", "due_on", "year", "seq", "repeat_count"],
                name="case_ledger",
            ),
            # The dashboard and the reports count a period's intake by month, category, village and line:
            # all read from this index, never from the rows (100,000 cases: a year grouped in a few ms).
            models.Index(
                fields=["town", "received_at", "category", "village", "lead_department"], name="case_received"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.number


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
    # The clerk's tick (扬言) at registration; detection adds to it and a false positive never clears it.
    threat_marked = models.BooleanField("登记人标记扬言", default=False)
    # What the detector found in the title and content: [{field, phrase, kind, start, end, sentence,
    # sentence_start, dismissed?: {by, at, reason}}]; a dismissed hit is a false positive (误报).
    threat_hits = models.JSONField("扬言识别结果", default=list, blank=True)
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

    SUMMARY_KEYS = [
        ("text", ""),
        ("reason", "理由："),
        ("decision", "意见："),
        ("lead_leader", "包案领导："),
        ("lead_department", "牵头部门："),
        ("responsible_persons", "责任人："),
        ("days", "延期天数："),
        ("approved_by", "批准人："),
        ("office_rating", "对信访部门："),
        ("unit_rating", "对办理单位："),
        ("handling_due", "办理期限至 "),
        ("review_due", "答复期限至 "),
        ("paused_days", "暂停计时天数："),
        ("evidence", "证据："),
        ("name", "文件："),
        ("department", "原牵头部门："),
        ("withdrawn", "撤回交办单："),
        ("threat", "扬言："),
        ("meeting", "会议："),
    ]

    def summary(self) -> str:
        """The event's content in a line, for the timeline."""
        parts = []
        for key, label in self.SUMMARY_KEYS:
            value = (self.data or {}).get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = "、".join(str(v) for v in value)
            parts.append(f"{label}{value}")
        if (self.data or {}).get("not_reaccepted"):
            parts.append("该事项已终结，不再受理，已记录在案")
        return "；".join(parts)
