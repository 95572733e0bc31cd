"""What every app's router stands on: bearer tokens for integrations, the session for the pages, and
the Chinese error answers. The API itself (its routers and handlers) is assembled in config/api.py."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
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


def _field(loc) -> str:
    loc = tuple(loc)
    loc = loc[1:] if loc[:1] == ("file",) else loc  # an upload's error is at ("file", <field name>)
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "body"


def on_validation_error(api, request, exc: ValidationError):
    errors = [{"field": _field(e.get("loc", ())), "message": zh_message(e)} for e in exc.errors]
    summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
    return api.create_response(request, {"detail": f"输入有误：{summary}", "errors": errors}, status=422)


def on_service_error(api, request, exc: DjangoValidationError):
    """A service refused the input: 422 with the same shape as a schema error."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    summary = "；".join(e["message"] for e in errors[:5])
    return api.create_response(request, {"detail": f"输入有误：{summary}", "errors": errors}, status=422)


def on_forbidden(api, request, exc: PermissionDenied):
    """A service refused the user's role (its message says who may): 403 for every router."""
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=403)


def on_conflict(api, request, exc: EditConflict):
    """Somebody else saved since the user read it: 409, nothing written."""
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=409)


def on_auth_error(api, request, exc):
    detail = "未登录或访问令牌无效。请先登录，或在请求头中提供 Authorization: Bearer <令牌>。"
    return api.create_response(request, {"detail": detail}, status=401)


def on_not_found(api, request, exc):
    return api.create_response(request, {"detail": "对象不存在或无权查看。"}, status=404)


def on_http_error(api, request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


# The answer to each exception any router may raise; every handler takes the API it answers for.
ERROR_HANDLERS = {
    ValidationError: on_validation_error,
    DjangoValidationError: on_service_error,
    PermissionDenied: on_forbidden,
    EditConflict: on_conflict,
    AuthenticationError: on_auth_error,
    Http404: on_not_found,
    HttpError: on_http_error,
}


def error_handlers_register(api) -> None:
    for exc_class, handler in ERROR_HANDLERS.items():
        api.add_exception_handler(exc_class, partial(handler, api))
