from django.urls import include, path

from config.api import api
from xinfang.cases.public import query_progress
from xinfang.core.admin_site import manage_site
from xinfang.core.views import healthz
from xinfang.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("", include("xinfang.accounts.urls")),
    path("cases/", include("xinfang.cases.urls")),
    path("cases/<int:case_pk>/attachments/", include("xinfang.attachments.urls")),
    path("notices/", include("xinfang.notices.urls")),
    path("alerts/", include("xinfang.alerts.urls")),
    path("stability/", include("xinfang.stability.urls")),
    path("warnings/", include("xinfang.warnings.urls")),
    path("screening/", include("xinfang.screening.urls")),
    path("meetings/", include("xinfang.meetings.urls")),
    path("supervision/", include("xinfang.supervision.urls")),
    path("metrics/", include("xinfang.metrics.urls")),
    path("scoring/", include("xinfang.scoring.urls")),
    path("reports/", include("xinfang.reports.urls")),
    path("", include("xinfang.relief.urls")),
    path("", include("xinfang.plans.urls")),
    path("query/", query_progress, name="public-query"),
    path("org/", include("xinfang.org.urls")),
    path("audit/", include("xinfang.audit.urls")),
    path("manage/", manage_site.urls),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]

handler400 = "xinfang.core.views.bad_request"
handler403 = "xinfang.core.views.forbidden"
handler404 = "xinfang.core.views.not_found"
handler500 = "xinfang.core.views.server_error"
