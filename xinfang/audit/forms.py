from django import forms

from .choices import AuditEventType


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    username = forms.CharField(label="用户名", required=False, max_length=150)
    event = forms.ChoiceField(
        label="事件", required=False, choices=[("", "全部事件"), *AuditEventType.choices]
    )
    success = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部结果"), ("1", "成功"), ("0", "失败")]
    )
    q = forms.CharField(label="对象、说明或地址包含", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = (
                f"{css} form-select-sm" if css == "form-select" else f"{css} form-control-sm"
            )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期，请调换两个日期。")
        return data
