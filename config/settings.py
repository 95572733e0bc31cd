"""Settings from the environment.

Every knob a deployment may turn is an environment variable, parsed strictly so that a typo fails at
start with a clear message instead of silently falling back.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，当前为 {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true 或 false，当前为 {raw!r}")


DATA_DIR = Path(os.environ.get("XINFANG_DATA_DIR") or BASE_DIR / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A deployment sets XINFANG_SECRET_KEY; a demo keeps a generated key beside its data."""
    if key := os.environ.get("XINFANG_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("XINFANG_DEBUG", False)
HOST = os.environ.get("HOST", "127.0.0.1")
ALLOWED_HOSTS = [h for h in os.environ.get("XINFANG_ALLOWED_HOSTS", "").split(",") if h] or [
    "127.0.0.1",
    "localhost",
    "[::1]",
    HOST,
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "xinfang.core",
    "xinfang.org",
    "xinfang.accounts",
    "xinfang.audit",
    "xinfang.web",
    "xinfang.workcal",
    "xinfang.cases",
    "xinfang.attachments",
    "xinfang.notices",
    "xinfang.relief",
    "xinfang.plans",
    "xinfang.alerts",
    "xinfang.stability",
    "xinfang.warnings",
    "xinfang.screening",
    "xinfang.meetings",
    "xinfang.supervision",
    "xinfang.metrics",
    "xinfang.scoring",
    "xinfang.reports",
    "xinfang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "xinfang.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xinfang.core.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xinfang.core.middleware.RequestContextMiddleware",
    "xinfang.core.middleware.ApiMethodNotAllowedMiddleware",
    # Axes must be last: it turns a lock-out into the Chinese lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinfang.web.context_processors.shell",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
# SQLite by default (one file beside the uploads); PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            # Our SQLite backend only adds the audit-log guard around `flush` (see its docstring).
            "ENGINE": "xinfang.core.db.sqlite",
            "NAME": DATA_DIR / "xinfang.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one clerk writes; IMMEDIATE takes the write lock at
                # BEGIN so that two writers queue on the busy timeout instead of failing mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- job queue --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The test suite runs in parallel workers (pytest-xdist) that share one Redis and one data folder:
# each worker keeps its own queue and cache keys, so no worker reads another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_QUEUE = f"xinfang-{_WORKER}" if _WORKER else "xinfang"
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": _QUEUE, "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": _QUEUE,
        "filename": str(DATA_DIR / f"{_QUEUE}.sqlite3".replace("xinfang", "huey", 1)),
        "immediate": False,
    }

# --- cache (rate limits) ------------------------------------------------------------------------
# Shared by every server process, so that a limit counts every worker's requests: Redis when it is
# there, otherwise a table in the database (`manage.py createcachetable`, run by `make run`).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _WORKER,
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "xinfang_cache"}
    }
XINFANG_QUERY_LIMIT = env_int("XINFANG_QUERY_LIMIT", 20)  # public look-ups per address per 10 minutes
# Where petitioners reach the public progress page, printed on receipts and acceptance notices
# (e.g. https://xf.example.gov.cn/query/). Empty: the address the clerk's browser used.
XINFANG_PUBLIC_QUERY_URL = os.environ.get("XINFANG_PUBLIC_QUERY_URL", "").strip()

# --- accounts and sign-in ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xinfang.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "xinfang.accounts.validators.CharacterClassValidator", "OPTIONS": {"required_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

XINFANG_LOCKOUT_FAILURES = env_int("XINFANG_LOCKOUT_FAILURES", 5)
XINFANG_LOCKOUT_MINUTES = env_int("XINFANG_LOCKOUT_MINUTES", 5)
XINFANG_IDLE_TIMEOUT_SECONDS = env_int("XINFANG_IDLE_TIMEOUT_SECONDS", 600)

AXES_FAILURE_LIMIT = XINFANG_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=XINFANG_LOCKOUT_MINUTES)
# The account is locked, whatever the address: offices share one address behind the intranet's NAT,
# so locking an address would lock a whole office out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "xinfang.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Idle log-out: the session lives XINFANG_IDLE_TIMEOUT_SECONDS after the last request.
SESSION_COOKIE_AGE = XINFANG_IDLE_TIMEOUT_SECONDS
# Renewed by xinfang.core.middleware.IdleSessionMiddleware at most this often, not on every request.
XINFANG_SESSION_REFRESH_SECONDS = min(60, XINFANG_IDLE_TIMEOUT_SECONDS // 10 or 1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("XINFANG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Nothing may come from outside the server: the policy says so to the browser as well.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- the demo ---------------------------------------------------------------------------------
XINFANG_DEMO_PASSWORD = os.environ.get("XINFANG_DEMO_PASSWORD", "Xinfang@2026")

# --- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry at set-up and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/flatpickr", BASE_DIR / "node_modules" / "flatpickr" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"

# --- attachments --------------------------------------------------------------------------------
# Files of cases live outside the database, one file per distinct content (named by its SHA-256).
XINFANG_ATTACHMENT_DIR = Path(os.environ.get("XINFANG_ATTACHMENT_DIR") or DATA_DIR / "attachments").resolve()
# Extensions that may be uploaded, comma-separated; each is checked against the content itself.
XINFANG_ATTACHMENT_TYPES = [
    t.strip().lower().lstrip(".")
    for t in os.environ.get("XINFANG_ATTACHMENT_TYPES", "pdf,jpg,png,docx,xlsx").split(",")
    if t.strip()
]
XINFANG_ATTACHMENT_MAX_MB = env_int("XINFANG_ATTACHMENT_MAX_MB", 20)

# 预警 channels beyond the inbox: an SMS gateway and a government chat bot's webhook, each a URL and a
# secret (the JSON body is signed with HMAC-SHA256). Unset: that channel is off.
XINFANG_SMS_URL = os.environ.get("XINFANG_SMS_URL", "").strip()
XINFANG_SMS_SECRET = os.environ.get("XINFANG_SMS_SECRET", "")
XINFANG_WEBHOOK_URL = os.environ.get("XINFANG_WEBHOOK_URL", "").strip()
XINFANG_WEBHOOK_SECRET = os.environ.get("XINFANG_WEBHOOK_SECRET", "")
# Seconds to wait before each retry: three attempts in all by default.
XINFANG_DELIVERY_BACKOFF = [
    float(x) for x in os.environ.get("XINFANG_DELIVERY_BACKOFF", "5,30").split(",") if x.strip()
]
XINFANG_DELIVERY_TIMEOUT = env_int("XINFANG_DELIVERY_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XINFANG_LOG_LEVEL", "WARNING")},
}
