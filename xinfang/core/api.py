"""The API at /api/v1/: bearer tokens for integrations, the session for the pages, Chinese errors."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from xinfang.accounts.models import ApiToken

from .errors import EditConflict, zh_message


class BearerToken(HttpBearer):
    openapi_description = "集成系统使用的访问令牌：python manage.py issue_token 用户名"

    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The pages' own session (with CSRF on writes), as signed in through /login/."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="信访工作平台 API",
    version="1",
    description="乡镇信访工作平台接口。所有读取都按调用者的角色与单位限定范围；范围外的对象一律返回 404。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    # No Swagger page: its interface is English and it is for developers, who read openapi.json.
    docs_url=None,
)


def _field(loc) -> str:
    loc = tuple(loc)
    loc = loc[1:] if loc[:1] == ("file",) else loc  # an upload's error is at ("file", <field name>)
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [{"field": _field(e.get("loc", ())), "message": zh_message(e)} for e in exc.errors]
    summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
    return api.create_response(request, {"detail": f"输入有误：{summary}", "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def on_service_error(request, exc: DjangoValidationError):
    """A service refused the input: 422 with the same shape as a schema error."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    summary = "；".join(e["message"] for e in errors[:5])
    return api.create_response(request, {"detail": f"输入有误：{summary}", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc: PermissionDenied):
    """A service refused the user's role (its message says who may): 403 for every router."""
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=403)


@api.exception_handler(EditConflict)
def on_conflict(request, exc: EditConflict):
    """Somebody else saved since the user read it: 409, nothing written."""
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=409)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    detail = "未登录或访问令牌无效。请先登录，或在请求头中提供 Authorization: Bearer <令牌>。"
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "对象不存在或无权查看。"}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers():
    from xinfang.accounts.api import router as accounts_router
    from xinfang.alerts.api import router as alerts_router
    from xinfang.attachments.api import router as attachments_router
    from xinfang.cases.api import router as cases_router
    from xinfang.notices.api import router as notices_router
    from xinfang.org.api import router as org_router
    from xinfang.plans.api import router as plans_router
    from xinfang.relief.api import router as relief_router

    api.add_router("/", accounts_router)
    api.add_router("/config/", org_router)
    api.add_router("/", cases_router)
    api.add_router("/", attachments_router)
    api.add_router("/", notices_router)
    api.add_router("/", relief_router)
    api.add_router("/", plans_router)
    api.add_router("/", alerts_router)


_register_routers()
