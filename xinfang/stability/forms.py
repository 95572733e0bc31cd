"""Forms of the pages. They only carry and label the fields: the services check them."""

from django import forms

from .choices import ContactWay, FoundStatus, IncidentKind, IncidentLevel, PeriodLevel, PetitionerState

SELECT = forms.Select(attrs={"class": "form-select"})


class ContactForm(forms.Form):
    way = forms.ChoiceField(
        label="方式", choices=ContactWay.choices, widget=forms.RadioSelect, initial="in_person"
    )
    found = forms.ChoiceField(
        label="见面状态", choices=FoundStatus.choices, widget=forms.RadioSelect, initial="home"
    )
    place = forms.CharField(label="地点", required=False, max_length=100)
    note = forms.CharField(
        label="情况说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(label="照片（可不拍）", required=False)


class PeriodForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label="级别", choices=PeriodLevel.choices, widget=SELECT)
    contacts_per_day = forms.IntegerField(label="每日见面次数", min_value=1, max_value=10, required=False)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=IncidentKind.choices, widget=SELECT)
    occurred_at = forms.DateTimeField(
        label="发生时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    level_reached = forms.ChoiceField(label="到达层级", choices=IncidentLevel.choices, widget=SELECT)
    place = forms.CharField(label="地点", required=False, max_length=100)
    persons_count = forms.IntegerField(label="人数", min_value=1, initial=1)
    persons = forms.CharField(label="涉及人员", required=False, max_length=300)
    handling = forms.CharField(label="处置情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    state = forms.ChoiceField(label="信访人状态", choices=PetitionerState.choices)
    note = forms.CharField(label="回访情况", max_length=500)
