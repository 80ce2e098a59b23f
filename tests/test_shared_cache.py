"""Two app servers sharing one Redis: an edit is visible on both at once.

Needs PostgreSQL (a database both servers can reach; .ci/run's second pass) and Redis on
127.0.0.1:6379 (REDIS_TEST_URL overrides). Skipped elsewhere, with the reason.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from tests.factories import make_class, make_drug

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_is_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = [
    # Shares Redis and Varnish with the other files in this group: one process runs them all.
    pytest.mark.xdist_group("services"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the app servers need a shared PostgreSQL"
    ),
    pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379"),
]

SHARED_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


@pytest.fixture
def app_servers(tmp_path_factory):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "shared-cache-test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "0",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    env.pop("DJANGO_DEBUG", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cancerhealth.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@override_settings(CACHES=SHARED_CACHE)
def test_an_edit_is_visible_on_every_app_server_at_once(app_servers):
    caches["default"].clear()
    drug = make_drug("Pomalyst", classes=[make_class("Immunotherapy")], dosage="Old dosage.")
    for port in app_servers:
        assert "Old dosage." in fetch(port, "/drug/pomalyst/")
        assert "Old dosage." in fetch(port, "/drug/pomalyst/")  # now from the shared cache

    # Each server now keeps a copy of the page and serves it without asking Redis; an edit
    # must still show on the very next request to either of them, however often it happens.
    for edit in range(10):
        drug.dosage = f"Dosage number {edit}."
        drug.save()  # a third process (an editor's request, an import) commits the edit
        for port in app_servers:
            assert f"Dosage number {edit}." in fetch(port, "/drug/pomalyst/")
            assert f"Dosage number {edit}." in fetch(port, "/drug/pomalyst/")
    caches["default"].clear()
