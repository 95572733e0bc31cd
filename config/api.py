"""The API at /api/v1/, assembled from every app's router; what they stand on is in xinfang/core/api.py."""

from ninja import NinjaAPI

from xinfang.accounts.api import router as accounts_router
from xinfang.alerts.api import router as alerts_router
from xinfang.attachments.api import router as attachments_router
from xinfang.cases.api import router as cases_router
from xinfang.core.api import BearerToken, SessionAuth, error_handlers_register
from xinfang.notices.api import router as notices_router
from xinfang.org.api import router as org_router
from xinfang.plans.api import router as plans_router
from xinfang.relief.api import router as relief_router
from xinfang.stability.api import router as stability_router

api = NinjaAPI(
    title="信访工作平台 API",
    version="1",
    description="乡镇信访工作平台接口。所有读取都按调用者的角色与单位限定范围；范围外的对象一律返回 404。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    # No Swagger page: its interface is English and it is for developers, who read openapi.json.
    docs_url=None,
)
error_handlers_register(api)

api.add_router("/", accounts_router)
api.add_router("/config/", org_router)
api.add_router("/", cases_router)
api.add_router("/", attachments_router)
api.add_router("/", notices_router)
api.add_router("/", relief_router)
api.add_router("/", plans_router)
api.add_router("/", alerts_router)
api.add_router("/", stability_router)
