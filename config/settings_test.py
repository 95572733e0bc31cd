"""Test settings: the same as production but for speed knobs that change no behaviour under test."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

# Still Argon2, with a small cost so that a cast of users is made in milliseconds.
PASSWORD_HASHERS = ["xinfang.accounts.hashers.FastArgon2PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# Static files are served from the finders in tests; no collectstatic run is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
# Attachments of test cases go to a directory of their own, never to the data directory.
XINFANG_ATTACHMENT_DIR = Path(tempfile.mkdtemp(prefix="xinfang-attachments-"))

# On SQLite the test database is a file, not Django's shared in-memory one: concurrent clerks in
# threads then queue on the write lock as they do in production, instead of failing with
# "database table is locked" (shared-cache mode knows no busy timeout).
if DATABASES["default"]["ENGINE"].endswith("sqlite"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"xinfang-test-{os.getpid()}.sqlite3")
    }
