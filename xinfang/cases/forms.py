from django import forms
from django.utils import timezone

from xinfang.accounts.choices import Role
from xinfang.core.inputs import CONTENT_MAX, no_control_characters, received_in_range, valid_phone
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Department, Person, Town, Village

from .choices import CaseState, Channel, Level, PetitionKind, Resolution
from .imports import MAX_BYTES, MAX_PERSONS, NOT_XLSX
from .models import Case
from .numbering import case_number_normalize
from .selectors import last_channel
from .services import PetitionerIn

LEVEL_CHOICES = [("", "—"), *Level.choices]
REPRESENTATIVE_PLACEHOLDERS = {"name": "姓名", "id_number": "身份证号", "phone": "手机号"}


ORIGIN_PATTERN = r"^[a-z_]{1,20}:[0-9]{1,12}$"
# What the registration page says about where it was opened from.
ORIGIN_LABELS = {"reception": "领导接访日"}


class PetitionForm(forms.Form):
    """The registration form. Its checks beyond the field types live in the service."""

    channel = forms.ChoiceField(label="信访渠道", choices=Channel.choices)
    # Where the registration was opened from ("reception:12", a leader's reception day): passed on
    # with petition_registered for the app that keeps such links; cases reads nothing from it.
    origin = forms.RegexField(
        regex=ORIGIN_PATTERN,
        max_length=40,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "登记来源不正确，请从原页面重新打开登记。"},
    )
    referral_level = forms.ChoiceField(label="交转办层级", choices=LEVEL_CHOICES, required=False)
    received_at = forms.DateTimeField(
        label="收到时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写收到时间。", "invalid": "收到时间格式不正确。"},
        validators=[received_in_range],
    )
    name = forms.CharField(
        label="信访人姓名",
        max_length=40,
        error_messages={"required": "请填写信访人姓名。"},
        validators=[no_control_characters],
    )
    id_number = forms.CharField(
        label="身份证号", max_length=20, required=False, validators=[no_control_characters]
    )
    phone = forms.CharField(label="手机号", max_length=20, required=False, validators=[valid_phone])
    address = forms.CharField(
        label="住址", max_length=200, required=False, validators=[no_control_characters]
    )
    village = forms.ModelChoiceField(label="所在村（居）", queryset=Village.objects.none(), required=False)
    update_petitioner = forms.BooleanField(
        label="以本次填写更新信访人信息",
        required=False,
        help_text="信访人已登记、而手机号、住址或村（居）有变化时勾选；不勾选则保留原登记信息。",
    )
    persons_count = forms.IntegerField(
        label="人数",
        min_value=1,
        max_value=MAX_PERSONS,
        initial=1,
        error_messages={
            "min_value": "人数至少为 1。",
            "max_value": f"人数最多为 {MAX_PERSONS}，请核对。",
            "invalid": "人数应为整数。",
        },
    )
    kind = forms.ChoiceField(label="事项性质", choices=PetitionKind.choices, initial=PetitionKind.CLAIM)
    category = forms.ModelChoiceField(label="问题类别", queryset=Category.objects.none(), required=False)
    matter = forms.ChoiceField(label="具体事项", required=False)
    title = forms.CharField(
        label="事项（一句话）",
        max_length=200,
        error_messages={"required": "请填写信访事项。"},
        validators=[no_control_characters],
    )
    content = forms.CharField(
        label="诉求内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写诉求内容。",
            "max_length": f"诉求内容最多 {CONTENT_MAX} 字（现有 %(show_value)d 字），"
            "较长的材料请作为附件上传。",
        },
        validators=[no_control_characters],
    )
    skip_level = forms.ChoiceField(label="越级去向", choices=LEVEL_CHOICES, required=False)
    has_threat = forms.BooleanField(label="扬言", required=False)
    law_related = forms.BooleanField(label="涉法涉诉", required=False)
    case = forms.CharField(
        label="重复信访：所属事项编号",
        max_length=40,
        required=False,
    )
    # The candidate the clerk ticked in the list the form offers (radio buttons, see _candidates.html).
    candidate = forms.ModelChoiceField(queryset=Case.objects.none(), required=False, widget=forms.HiddenInput)
    # 被检举控告对象 (检举控告类 only): they will not see the case nor its petitioners.
    accused_persons = forms.ModelMultipleChoiceField(
        label="被检举控告人", queryset=Person.objects.none(), required=False
    )
    accused_departments = forms.ModelMultipleChoiceField(
        label="被检举控告部门", queryset=Department.objects.none(), required=False
    )
    accused_villages = forms.ModelMultipleChoiceField(
        label="被检举控告村（居）", queryset=Village.objects.none(), required=False
    )

    # Rows for the representatives a group sends besides the petitioner above: a few more than the
    # town allows, so that a larger group can be recorded (and pointed out) as it came.
    EXTRA_REPRESENTATIVE_ROWS = 4

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.origin_label = ""
        origin = str(self["origin"].value() or "")
        if origin and (kind := origin.split(":", 1)[0]) in ORIGIN_LABELS:
            self.origin_label = ORIGIN_LABELS[kind]
        self.representative_rows = []
        for i in range(user.town.max_representatives - 1 + self.EXTRA_REPRESENTATIVE_ROWS):
            row = {
                # Labels read out for row i, worded apart from the petitioner's own 身份证号 and 手机号.
                "name": forms.CharField(label=f"第{i + 2}位代表：姓名", max_length=40, required=False),
                "id_number": forms.CharField(label=f"第{i + 2}位代表：身份证", max_length=20, required=False),
                "phone": forms.CharField(label=f"第{i + 2}位代表：手机", max_length=20, required=False),
            }
            for part, field in row.items():
                field.widget.attrs["placeholder"] = REPRESENTATIVE_PLACEHOLDERS[part]
                self.fields[f"rep_{part}_{i}"] = field
            self.representative_rows.append([f"rep_{part}_{i}" for part in row])
        self.fields["village"].queryset = scope(Village.objects.all(), user)
        self.fields["accused_persons"].queryset = scope(Person.objects.all(), user).order_by(
            "-is_leader", "village__order", "id"
        )
        self.fields["accused_departments"].queryset = scope(Department.objects.all(), user)
        self.fields["accused_villages"].queryset = scope(Village.objects.all(), user)
        self.fields["category"].queryset = scope(Category.objects.all(), user)
        self.fields["matter"].choices = [("", "—")] + [
            (c.name, [(m, m) for m in c.matters]) for c in self.fields["category"].queryset
        ]
        self.user = user
        self.cases = scope(Case.objects.all(), user)
        self.fields["candidate"].queryset = self.cases
        self.fields["case"].widget.attrs["placeholder"] = "不填则登记为新事项"
        example = f"{user.town.case_number_prefix}〔{timezone.localdate().year}〕0012号"
        hint = f"上面没有列出时，按受理告知书上的编号填写，如 {example}；本年的也可只填序号 12。"
        self.fields["case"].help_text = hint
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("channel", last_channel(user=user))
        # The matters are grouped by category (the group's label is the category's name); the page's
        # script shows only the chosen category's group. The service checks the pair in any case.
        self.fields["category"].widget.attrs["data-matters-for"] = "id_matter"
        # A group's representatives: the page opens their table as soon as more than one person came.
        self.fields["persons_count"].widget.attrs["data-opens"] = "representatives"
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.SelectMultiple):
                widget.attrs.update({"class": "form-select", "size": "5"})
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            widget.attrs.setdefault("id", f"id_{name}")

    @property
    def representative_fields(self) -> list[list]:
        return [[self[name] for name in row] for row in self.representative_rows]

    def representatives(self) -> list[PetitionerIn]:
        """The filled rows of the representatives' table, in order (a row with only a phone is kept,
        so that the service can say the name is missing)."""
        d = self.cleaned_data
        found = []
        for name, id_number, phone in self.representative_rows:
            if d.get(name) or d.get(id_number) or d.get(phone):
                found.append(PetitionerIn(name=d[name], id_number=d[id_number], phone=d[phone]))
        return found

    def representative_field(self, index: int, part: str) -> str:
        """The form field of the index-th filled row (as `representatives()` numbers them)."""
        d = self.cleaned_data
        filled = [r for r in self.representative_rows if any(d.get(f) for f in r)]
        if index >= len(filled):
            return ""
        return dict(zip(("name", "id_number", "phone"), filled[index], strict=True)).get(part, "")

    def clean_case(self) -> Case | None:
        """The case a repeat petition belongs to, by its number as the clerk types it."""
        text = self.cleaned_data["case"].strip()
        if not text:
            return None
        year = timezone.localdate().year
        number = case_number_normalize(text, prefix=self.user.town.case_number_prefix, year=year)
        case = self.cases.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(
                f"没有找到编号为“{number}”的信访事项。请核对受理告知书上的编号（如 "
                f"{self.user.town.case_number_prefix}〔{year}〕0012号），或留空登记为新事项。"
            )
        return case

    def add_error(self, field, error):
        super().add_error(field, error)
        # Bootstrap marks a field red by its class: the field the message is about gets it.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


# Says what the ledger's search box looks in (selectors.ledger: number, title, names, ID number, phone).
SEARCH_PLACEHOLDER = "编号、事项、姓名、身份证号或手机号后四位"

LEDGER_VIEWS = [("all", "全部事项"), ("prominent", "突出问题台账"), ("resolved", "已化解·防反弹")]
FLAG_CHOICES = [
    ("", "全部标记"),
    ("repeat", "重复信访"),
    ("collective", "集体访"),
    ("skip_level", "越级访"),
    ("threat", "扬言"),
    ("rebound", "化解后反弹"),
    ("backlog", "积案"),
    ("concluded_unresolved", "已办结未化解"),
    ("law_related", "涉法涉诉"),
    ("five_haves", "突出问题“五有”未齐全"),
]
SORT_CHOICES = [
    ("-number", "编号（新→旧）"),
    ("number", "编号（旧→新）"),
    ("due", "期限（近→远）"),
    ("-received", "首次信访（新→旧）"),
    ("received", "首次信访（旧→新）"),
    ("village", "村（居）"),
    ("state", "状态"),
    ("-repeat", "重复次数（多→少）"),
    ("threat", "扬言优先（立即办理）"),
]


class CaseFilterForm(forms.Form):
    """The ledger's filters. The same names are the API's query parameters."""

    view = forms.ChoiceField(label="台账", choices=LEDGER_VIEWS, required=False)
    q = forms.CharField(
        label="查找",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": SEARCH_PLACEHOLDER, "title": SEARCH_PLACEHOLDER}),
    )
    state = forms.ChoiceField(label="办理状态", required=False)
    resolution = forms.ChoiceField(
        label="化解状态", choices=[("", "全部化解状态"), *Resolution.choices], required=False
    )
    # Only the county bureau reads several towns: the field is dropped for everyone else.
    town = forms.ModelChoiceField(label="镇", queryset=Town.objects.none(), required=False)
    village = forms.ModelChoiceField(label="村（居）", queryset=Village.objects.none(), required=False)
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.none(), required=False)
    owner = forms.ModelChoiceField(label="包案领导", queryset=Person.objects.none(), required=False)
    department = forms.ModelChoiceField(label="牵头部门", queryset=Department.objects.none(), required=False)
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部渠道"), *Channel.choices], required=False)
    flag = forms.ChoiceField(label="标记", choices=FLAG_CHOICES, required=False)
    overdue = forms.BooleanField(label="只看超期", required=False)
    # The dashboard's and the desk's numbers open the ledger with these (a period, a week's deadlines).
    received_from = forms.DateField(
        label="信访日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="信访日期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_by = forms.DateField(
        label="当前期限不晚于", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="排序", choices=SORT_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", "全部状态"),
            ("open", "在办（法定程序未完结，或突出问题未化解）"),
            *CaseState.choices,
        ]
        if user.role == Role.COUNTY:
            self.fields["town"].queryset = scope(Town.objects.all(), user).order_by("name")
            self.fields["town"].empty_label = "全部镇"
        else:
            del self.fields["town"]
        self.fields["village"].queryset = scope(Village.objects.all(), user)
        self.fields["village"].empty_label = "全部村（居）"
        self.fields["category"].queryset = scope(Category.objects.all(), user)
        self.fields["category"].empty_label = "全部类别"
        self.fields["owner"].queryset = scope(Person.objects.filter(is_leader=True), user)
        self.fields["owner"].empty_label = "全部包案领导"
        self.fields["department"].queryset = scope(Department.objects.all(), user)
        self.fields["department"].empty_label = "全部部门"
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"

    def filters(self) -> dict:
        """The cleaned filters for `selectors.ledger`; an invalid value is dropped, not an error page."""
        if not self.is_bound:
            data = {}
        elif not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        return {
            "view": data.get("view") or "all",
            "q": (data.get("q") or "").strip(),
            "state": data.get("state") or "",
            "resolution": data.get("resolution") or "",
            "town_id": data["town"].pk if data.get("town") else None,
            "village_id": data["village"].pk if data.get("village") else None,
            "category_id": data["category"].pk if data.get("category") else None,
            "owner_id": data["owner"].pk if data.get("owner") else None,
            "channel": data.get("channel") or "",
            "flag": data.get("flag") or "",
            "overdue": bool(data.get("overdue")),
            "department_id": data["department"].pk if data.get("department") else None,
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "due_by": data.get("due_by"),
            "sort": data.get("sort") or "-number",
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        error_messages={"required": "请选择要导入的 Excel 文件。", "empty": "所选文件是空的。"},
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(NOT_XLSX)
        if upload.size > MAX_BYTES:
            size, limit = upload.size / 1024 / 1024, MAX_BYTES // 1024 // 1024
            raise forms.ValidationError(
                f"文件过大（{size:.1f} MB），一次最多导入 {limit} MB。"
                "请分成几个文件导入，或请系统管理员用 import_petitions 命令导入。"
            )
        return upload
