"""The public progress page: a petitioner types the query code (查询码) of a letter or visit and sees
the stage and the dates of the case. No sign-in, no personal data, a limit per address."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from xinfang.core.middleware import client_ip

from .models import Petition

WINDOW_SECONDS = 600


class QueryForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        min_length=8,
        max_length=8,
        error_messages={
            "required": "请输入查询码。",
            "min_length": "查询码为 8 位。",
            "max_length": "查询码为 8 位。",
        },
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autofocus": True}),
    )


def _over_limit(request) -> bool:
    key = f"query-code:{client_ip(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        used = 1
    return used > settings.XINFANG_QUERY_LIMIT


def query_progress(request):
    form = QueryForm(request.GET or None)
    context = {"form": form, "today": timezone.localdate()}
    if form.is_bound:
        if _over_limit(request):
            context["limited"] = True
            return render(request, "cases/public_query.html", context, status=429)
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            petition = (
                Petition.objects.select_related("case")
                .filter(query_code=code)
                .only(
                    "received_at",
                    "channel",
                    "case__number",
                    "case__state",
                    "case__notify_due",
                    "case__handling_due",
                    "case__accepted_on",
                )
                .first()
            )
            if petition is None:
                form.add_error("code", "没有找到这个查询码，请核对后重新输入（字母不区分大小写）。")
            else:
                context["petition"] = petition
                context["case"] = petition.case
    return render(request, "cases/public_query.html", context)
