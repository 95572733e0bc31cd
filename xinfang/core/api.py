"""The API at /api/v1/ with what every router stands on: bearer tokens for integrations, the session
for the pages, Chinese errors. The routers are added at the top, in config/api.py: core imports no app.

Every answer a client can get is Chinese JSON in the shape the OpenAPI document declares: bad input
422 (one entry per field), an unreadable body 400, a body too large 413, a body that is not JSON 415,
no credentials 401, a role refused 403, out of scope 404, somebody else's edit 409, and anything
unexpected 500 with a request id under which the traceback is logged.
"""

import json
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xinfang.accounts.models import ApiToken

from .errors import EditConflict, zh_message
from .schemas import ErrorOut, ServerErrorOut

log = logging.getLogger("xinfang.api")

UNAUTHENTICATED = "未登录或访问令牌无效。请先登录，或在请求头中提供 Authorization: Bearer <令牌>。"
CSRF_FAILED = (
    "请求缺少有效的 CSRF 令牌：用页面登录会话调用写操作时，须在请求头 X-CSRFToken 中带上 csrftoken；"
    "集成系统请改用访问令牌（Authorization: Bearer <令牌>）。"
)
NOT_JSON = "请求体应为 JSON，请把请求头 Content-Type 设为 application/json。"
SERVER_ERROR = "服务器内部错误，请稍后重试；如果问题持续，请把请求编号 {request_id} 告诉系统管理员。"


class BodyRefused(Exception):
    """The body cannot be read as JSON at all; str() is the Chinese reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class StrictJsonParser(Parser):
    """JSON bodies only: declared as JSON, UTF-8, and strict JSON (no NaN or Infinity)."""

    def parse_body(self, request):
        media_type = (request.content_type or "").lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise BodyRefused(415, f"{NOT_JSON}（收到的是 {media_type or '未声明类型'}）")
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BodyRefused(
                400, f"请求体不是 UTF-8 编码的文字（第 {exc.start + 1} 个字节有误），请以 UTF-8 编码发送。"
            ) from None
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise BodyRefused(
                400,
                f"请求体不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列有误，请检查括号、引号和逗号。",
            ) from None


def _refuse_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


class BearerToken(HttpBearer):
    openapi_description = "集成系统使用的访问令牌：python manage.py issue_token 用户名"

    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The pages' own session (with CSRF on writes), as signed in through /login/.

    Without a signed-in session there is nothing to protect from cross-site forgery: the request is
    simply unauthenticated (401), and CSRF is checked only for a session that would be used."""

    param_name = "sessionid"

    def _get_key(self, request):
        key = request.COOKIES.get(self.param_name)
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return key

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if key is not None and user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class XinfangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_errors(schema)
        return schema


api = XinfangAPI(
    title="信访工作平台 API",
    version="1",
    description="乡镇信访工作平台接口。所有读取都按调用者的角色与单位限定范围；范围外的对象一律返回 404。"
    "错误一律以中文 JSON 返回：输入有误 422（errors 逐字段说明）、请求体无法读取 400、请求体过大 413、"
    "请求体不是 JSON 415、未登录 401、角色不允许 403、不存在或无权查看 404、已被他人修改 409；"
    "服务器内部错误 500 带请求编号 request_id。",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    parser=StrictJsonParser(),
    # No Swagger page: its interface is English and it is for developers, who read openapi.json.
    docs_url=None,
)


# Where pydantic names the member of a union that failed ("constrained-int", "function-after[…]"):
# not a field a client sent.
_UNION_TAGS = {"int", "str", "float", "bool", "decimal", "date", "datetime", "list", "dict", "none"}


def _field(loc) -> str:
    loc = tuple(loc)
    loc = loc[1:] if loc[:1] == ("file",) else loc  # an upload's error is at ("file", <field name>)
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "query", "path", "payload", "form")
        and not (isinstance(p, str) and (p.removeprefix("constrained-") in _UNION_TAGS or "[" in p))
    ]
    return ".".join(parts) or "body"


def _refusal(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for e in exc.errors:
        error = {"field": _field(e.get("loc", ())), "message": zh_message(e)}
        if error not in errors:
            errors.append(error)
    summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
    return _refusal(request, 422, f"输入有误：{summary}", errors)


@api.exception_handler(DjangoValidationError)
def on_service_error(request, exc: DjangoValidationError):
    """A service refused the input: 422 with the same shape as a schema error."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    summary = "；".join(e["message"] for e in errors[:5])
    return _refusal(request, 422, f"输入有误：{summary}", errors)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc: PermissionDenied):
    """A service refused the user's role (its message says who may): 403 for every router."""
    return _refusal(request, 403, str(exc) or "您的角色不能进行此操作。")


@api.exception_handler(EditConflict)
def on_conflict(request, exc: EditConflict):
    """Somebody else saved since the user read it: 409, nothing written."""
    return _refusal(request, 409, str(exc))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _refusal(request, 401, UNAUTHENTICATED)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _refusal(request, 404, "对象不存在或无权查看。")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja wraps whatever the body parser raised in its own English HttpError(400).
    if isinstance(exc.__cause__, BodyRefused):
        return _refusal(request, exc.__cause__.status, str(exc.__cause__))
    if exc.status_code == 400:
        return _refusal(request, 400, "请求体无法读取，请以 UTF-8 编码的 JSON 发送。")
    return _refusal(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
    return _refusal(
        request, 413, f"请求体过大，最多 {limit:.1f} MB。附件请用上传接口以 multipart/form-data 发送。"
    )


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc):
    return _refusal(request, 400, "上传的表单数据无法读取，请以 multipart/form-data 重新上传。")


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    return _refusal(request, 400, "请求无法处理（字段过多或格式异常），请检查后重试。")


def server_error_response(request, exc: BaseException | None):
    """500 as JSON with a request id; the traceback goes to the log under the same id."""
    request_id = uuid.uuid4().hex[:16]
    log.error(
        "API 内部错误 request_id=%s %s %s",
        request_id,
        request.method,
        request.get_full_path(),
        exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else True,
    )
    body = {"detail": SERVER_ERROR.format(request_id=request_id), "request_id": request_id}
    response = api.create_response(request, body, status=500)
    response["X-Request-ID"] = request_id
    return response


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    return server_error_response(request, exc)


# --- the errors in the OpenAPI document ------------------------------------------------------------
ERROR_RESPONSES = {
    400: "请求体无法读取（不是合法的 JSON，或不是 UTF-8）",
    401: "未登录或访问令牌无效",
    403: "角色不允许进行此操作",
    404: "对象不存在或无权查看",
    409: "已被他人修改，或当前状态不允许此操作",
    413: "请求体过大",
    415: "请求体不是 JSON",
    422: "输入有误（errors 逐字段说明）",
    500: "服务器内部错误（带请求编号 request_id）",
}
REF = "#/components/schemas/{model}"


def _document_errors(schema: dict) -> None:
    """Each operation lists the errors it can answer, with their schema: 401 and 500 always, 404
    where the path names an object, 422 where there is any input, 400/413/415 where there is a body,
    403 for every write. Responses an operation declares itself are kept as they are."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ServerErrorOut):
        found = model.model_json_schema(ref_template=REF)
        components.update(found.pop("$defs", {}))
        components[model.__name__] = found
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {})
            codes = {401, 500}
            if any(p.get("in") == "path" for p in params):
                codes.add(404)
            if params or body:
                codes.add(422)
            if body:
                codes |= {400, 413}
                if "application/json" in body:
                    codes.add(415)
            if method in ("post", "put", "patch", "delete"):
                codes.add(403)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                if code in responses or str(code) in responses:
                    continue
                model = ServerErrorOut if code == 500 else ErrorOut
                responses[code] = {
                    "description": ERROR_RESPONSES[code],
                    "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
                }
