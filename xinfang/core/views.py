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


def forbidden(request, exception=None):
    return render(request, "web/forbidden.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/not_found.html", status=404)


def server_error(request):
    return render(request, "web/server_error.html", status=500)
