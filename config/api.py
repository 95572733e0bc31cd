"""The API at /api/v1/, assembled from every app's router; what they stand on (authentication, the
Chinese error answers, the OpenAPI error documentation) is in xinfang/core/api.py."""

from xinfang.accounts.api import router as accounts_router
from xinfang.alerts.api import router as alerts_router
from xinfang.attachments.api import router as attachments_router
from xinfang.cases.api import router as cases_router
from xinfang.core.api import api
from xinfang.notices.api import router as notices_router
from xinfang.org.api import router as org_router
from xinfang.plans.api import router as plans_router
from xinfang.relief.api import router as relief_router
from xinfang.stability.api import router as stability_router

api.add_router("/", accounts_router)
api.add_router("/config/", org_router)
api.add_router("/", cases_router)
api.add_router("/", attachments_router)
api.add_router("/", notices_router)
api.add_router("/", relief_router)
api.add_router("/", plans_router)
api.add_router("/", alerts_router)
api.add_router("/", stability_router)

__all__ = ["api"]
