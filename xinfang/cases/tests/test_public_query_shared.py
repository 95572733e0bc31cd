"""The public look-up limit counts every server process's requests, not each worker's own: it is kept
in Django's shared cache (the database table without Redis, Redis with it)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

ANOTHER_WORKER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test.utils import setup_test_environment
    setup_test_environment()
    from django.test import Client
    client = Client()
    codes = [client.get("/query/", {"code": "ZZZZZZZZ"}).status_code for _ in range(int(sys.argv[1]))]
    print(json.dumps(codes))
    """
)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _requests_in_another_process(count: int) -> list[int]:
    """`count` look-ups from a separate Python process on the same database (and Redis, if set)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _database_url(),
        "XINFANG_QUERY_LIMIT": str(settings.XINFANG_QUERY_LIMIT),
    }
    done = subprocess.run(
        [sys.executable, "-c", ANOTHER_WORKER, str(count)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_cache_is_shared_by_every_process():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("db.DatabaseCache", "redis.RedisCache")), backend


@pytest.mark.django_db(transaction=True)
@override_settings(XINFANG_QUERY_LIMIT=6)
def test_the_limit_holds_across_two_processes():
    cache.clear()
    try:
        assert _requests_in_another_process(4) == [200] * 4
        client = Client()
        assert [client.get("/query/", {"code": "ZZZZZZZZ"}).status_code for _ in range(3)] == [200, 200, 429]
    finally:
        cache.clear()
