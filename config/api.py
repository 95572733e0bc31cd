"""The API at /api/v1/, assembled from every app's router; what they stand on (authentication, the
Chinese error answers, the OpenAPI error documentation) is in xinfang/core/api.py."""

from xinfang.accounts.api import router as accounts_router
from xinfang.alerts.api import router as alerts_router
from xinfang.attachments.api import router as attachments_router
from xinfang.cases.api import router as cases_router
from xinfang.core.api import api
from xinfang.meetings.api import router as meetings_router
from xinfang.metrics.api import router as metrics_router
from xinfang.notices.api import router as notices_router
from xinfang.org.api import router as org_router
from xinfang.plans.api import router as plans_router
from xinfang.relief.api import router as relief_router
from xinfang.reports.api import router as reports_router
from xinfang.scoring.api import router as scoring_router
from xinfang.screening.api import router as screening_router
from xinfang.stability.api import router as stability_router
from xinfang.supervision.api import router as supervision_router
from xinfang.warnings.api import router as warnings_router

api.add_router("/", accounts_router)
api.add_router("/config/", org_router)
api.add_router("/", cases_router)
api.add_router("/", attachments_router)
api.add_router("/", notices_router)
api.add_router("/", relief_router)
api.add_router("/", plans_router)
api.add_router("/", alerts_router)
api.add_router("/", stability_router)
api.add_router("/", warnings_router)
api.add_router("/", screening_router)
api.add_router("/", meetings_router)
api.add_router("/", supervision_router)
api.add_router("/", metrics_router)
api.add_router("/", scoring_router)
api.add_router("/", reports_router)

__all__ = ["api"]
