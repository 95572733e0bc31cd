import sys

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import health_report


@never_cache
def healthz(request):
    report = health_report()
    return JsonResponse(
        report, status=200 if report["status"] == "ok" else 503, json_dumps_params={"ensure_ascii": False}
    )


def _api(request) -> bool:
    """The API answers in JSON even when Django itself handles the error (outside django-ninja)."""
    return request.path.startswith("/api/")


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, "errors": []}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request, exception=None):
    if _api(request):
        return _json("请求无法处理（格式异常或过大），请检查后重试。", 400)
    return render(request, "web/bad_request.html", status=400)


def forbidden(request, exception=None):
    if _api(request):
        return _json("您的角色不能进行此操作。", 403)
    return render(request, "web/forbidden.html", status=403)


def not_found(request, exception=None):
    if _api(request):
        return _json("对象不存在或无权查看。", 404)
    return render(request, "web/not_found.html", status=404)


def server_error(request):
    if _api(request):
        from .api import server_error_response

        return server_error_response(request, sys.exc_info()[1])
    return render(request, "web/server_error.html", status=500)
