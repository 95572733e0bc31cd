"""Keeps the current request reachable for the audit log, which records the client address; refuses a
NUL character in a page's query or form before any view sees it; renews idle sessions sparingly."""

import contextvars
import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

current_request: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


class RefuseNulMiddleware:
    """A NUL character never comes from a person typing, and PostgreSQL refuses it in text: a page's
    form or query carrying one is answered 400 here instead of failing (500) when a service saves it.
    The API checks its own input field by field (422)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _carries_nul(request):
            reason = "提交的内容含有不可见的空字符（NUL），请删除后重新填写。"
            return render(request, "web/bad_request.html", {"reason": reason}, status=400)
        return self.get_response(request)


def _carries_nul(request) -> bool:
    def any_nul(data) -> bool:
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())

    if any_nul(request.GET):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any_nul(request.POST)
    return False


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a method an address does not have with an English text 405; the API
    answers every error in Chinese JSON, naming the methods the address has."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith("/api/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        detail = f"此地址不支持 {request.method} 请求" + (
            f"，可用：{allowed.replace(', ', '、')}。" if allowed else "。"
        )
        replaced = JsonResponse(
            {"detail": detail, "errors": []}, status=405, json_dumps_params={"ensure_ascii": False}
        )
        if allowed:
            replaced["Allow"] = allowed
        return replaced


class IdleSessionMiddleware:
    """Idle log-out without a database write on every page view: the session's expiry is pushed on
    at most once a minute (XINFANG_SESSION_REFRESH_SECONDS), so a user is signed out between 9 and
    10 minutes after their last request, never later (等保: log-out on idle, commonly 600 s).
    Saving on every request cost a write transaction per page, which on SQLite queues behind every
    registration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or session.modified or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        if now - session.get(SESSION_TOUCHED, 0) >= settings.XINFANG_SESSION_REFRESH_SECONDS:
            session[SESSION_TOUCHED] = now  # modified: the session middleware saves it, expiry renewed
        return response


SESSION_TOUCHED = "_touched"


def session_touch(sender, request, user, **kwargs):
    request.session[SESSION_TOUCHED] = int(time.time())
