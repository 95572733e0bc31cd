from django import forms
from django.utils import timezone

from xinfang.core.scoping import scope
from xinfang.org.models import Category, Village

from .choices import Channel, Level, PetitionKind
from .imports import MAX_BYTES, NOT_XLSX
from .models import Case

LEVEL_CHOICES = [("", "—"), *Level.choices]
CASE_CHOICES = 100


class PetitionForm(forms.Form):
    """The registration form. Its checks beyond the field types live in the service."""

    channel = forms.ChoiceField(label="信访渠道", choices=Channel.choices)
    referral_level = forms.ChoiceField(label="交转办层级", choices=LEVEL_CHOICES, required=False)
    received_at = forms.DateTimeField(
        label="收到时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "请填写收到时间。", "invalid": "收到时间格式不正确。"},
    )
    name = forms.CharField(
        label="信访人姓名", max_length=40, error_messages={"required": "请填写信访人姓名。"}
    )
    id_number = forms.CharField(label="身份证号", max_length=20, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    village = forms.ModelChoiceField(label="所在村（居）", queryset=Village.objects.none(), required=False)
    persons_count = forms.IntegerField(label="人数", min_value=1, initial=1)
    kind = forms.ChoiceField(label="事项性质", choices=PetitionKind.choices, initial=PetitionKind.CLAIM)
    category = forms.ModelChoiceField(label="问题类别", queryset=Category.objects.none(), required=False)
    title = forms.CharField(
        label="事项（一句话）", max_length=200, error_messages={"required": "请填写信访事项。"}
    )
    content = forms.CharField(
        label="诉求内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写诉求内容。"},
    )
    skip_level = forms.ChoiceField(label="越级去向", choices=LEVEL_CHOICES, required=False)
    has_threat = forms.BooleanField(label="扬言", required=False)
    law_related = forms.BooleanField(label="涉法涉诉", required=False)
    case = forms.ModelChoiceField(
        label="重复信访：所属事项", queryset=Case.objects.none(), required=False, empty_label="（新事项）"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = scope(Village.objects.all(), user)
        self.fields["category"].queryset = scope(Category.objects.all(), user)
        # Any case in scope validates, but the drop-down offers only the most recent ones: a town with
        # years of cases must not send them all to the browser.
        cases = scope(Case.objects.all(), user)
        self.fields["case"].queryset = cases
        recent = cases.order_by("-received_at").only("id", "number", "title")[:CASE_CHOICES]
        self.fields["case"].widget.choices = [("", "（新事项）")] + [
            (c.pk, f"{c.number} {c.title}") for c in recent
        ]
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            widget.attrs.setdefault("id", f"id_{name}")

    def add_error(self, field, error):
        super().add_error(field, error)
        # Bootstrap marks a field red by its class: the field the message is about gets it.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False)
    village = forms.ModelChoiceField(label="村（居）", queryset=Village.objects.none(), required=False)
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        from .choices import CaseState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "全部状态"), *CaseState.choices]
        self.fields["village"].queryset = scope(Village.objects.all(), user)
        self.fields["village"].empty_label = "全部村（居）"
        self.fields["category"].queryset = scope(Category.objects.all(), user)
        self.fields["category"].empty_label = "全部类别"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


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
