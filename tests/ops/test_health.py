"""/readyz tells whether the site can do its work; a database that cannot be
reached gives visitors a 503 page, and the site recovers by itself."""

import json
import sqlite3
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections

from catalog.views import FilmDetailView
from ops import health
from tests.factories import make_film, make_person
from tests.logs import captured
from tests.ops.tcp_proxy import TcpProxy

SECRETS = ["10.0.0.5", "hunter2", "db.internal"]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def log_records():
    with captured("ops.health") as records:
        yield records


@pytest.mark.django_db
def test_readiness_checks_every_service(client, settings):
    """With everything working, /readyz answers 200 and lists its checks."""
    settings.TASKS = DATABASE_QUEUE
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    summary = response.json()
    assert summary["status"] == "ok"
    assert set(summary["checks"]) == {
        "database",
        "cache:default",
        "cache:pages",
        "media",
        "tasks",
    }
    assert all(check["ok"] for check in summary["checks"].values())
    assert "failed" not in summary


@pytest.mark.django_db
def test_readiness_answers_probes_by_ip_address_over_plain_http(client, settings):
    """Like /healthz, /readyz is answered before the host check and the
    HTTPS redirect: load balancers probe by IP, over HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert client.head("/readyz").status_code == 200


@pytest.mark.django_db
def test_a_page_cache_that_is_down_fails_readiness_by_name(
    client, settings, log_records
):
    """A cache that cannot be reached is named; why is logged, not shown."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    summary = response.json()
    assert summary["status"] == "unavailable"
    assert summary["failed"] == ["cache:pages"]
    assert summary["checks"]["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode()
    assert "Connection" not in response.content.decode()
    [record] = log_records
    assert "cache:pages" in record.getMessage()
    assert record.exc_info is not None


@pytest.mark.django_db
def test_media_that_cannot_be_written_fails_readiness(
    client, settings, tmp_path, log_records
):
    """A media folder that cannot be written to makes the server unready."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["media"]
    assert "not-a-folder" not in response.content.decode()


@pytest.mark.django_db
def test_the_media_check_leaves_nothing_behind(client, media_root):
    """The file the check writes is deleted again."""
    client.get("/readyz")
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_a_database_failure_fails_readiness_without_details(
    client, monkeypatch, log_records
):
    """Connection details of a failing database stay in the log."""

    def fail():
        raise OperationalError(
            "connection to server at db.internal (10.0.0.5) failed: password "
            "hunter2 rejected"
        )

    monkeypatch.setattr(health, "check_database", fail)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    body = response.content.decode()
    assert not [secret for secret in SECRETS if secret in body]
    assert "10.0.0.5" in str(log_records[0].exc_info[1])


@pytest.mark.django_db
def test_an_unreachable_database_shows_the_503_page(client, monkeypatch):
    """Visitors get "temporarily unavailable" with Retry-After, not a 500,
    and nothing of the error."""

    def fail(self):
        raise OperationalError("connection to server at db.internal (10.0.0.5) failed")

    monkeypatch.setattr(FilmDetailView, "get_queryset", fail)
    client.raise_request_exception = False
    response = client.get("/films/jung-e/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert response["X-Request-ID"] in body
    assert not [secret for secret in SECRETS if secret in body]
    assert "Traceback" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("database is locked", 503),
        ("unable to open database file", 503),
        ("no such table: catalog_film", 500),
    ],
)
def test_sqlite_saying_it_is_busy_is_a_503(client, monkeypatch, message, status):
    """SQLite's "database is locked" and "unable to open" pass with time:
    503; a wrong query does not: 500."""

    def fail(self):
        raise OperationalError(message) from sqlite3.OperationalError(message)

    monkeypatch.setattr(FilmDetailView, "get_queryset", fail)
    client.raise_request_exception = False
    assert client.get("/films/jung-e/").status_code == status


@pytest.fixture
def database_through_proxy(transactional_db):
    """The default connection, sent through a TCP proxy the test can cut."""
    db = connections["default"]
    target = (db.settings_dict["HOST"] or "127.0.0.1", int(db.settings_dict["PORT"]))
    proxy = TcpProxy(target)
    proxy.open()
    saved = db.settings_dict["HOST"], db.settings_dict["PORT"]
    db.close()
    db.settings_dict["HOST"], db.settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        proxy.close()
        db.close()
        db.settings_dict["HOST"], db.settings_dict["PORT"] = saved


def wsgi_get(app: WSGIHandler, path: str) -> tuple[int, dict, str]:
    """GET through Django's own WSGI handler, as gunicorn calls it. Unlike the
    test client it opens and closes database connections as production does,
    between requests, which is what recovering from an outage depends on."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    started = []
    result = app(
        environ,
        lambda status, headers, exc_info=None: started.append((status, headers)),
    )
    try:
        body = b"".join(result).decode()
    finally:
        result.close()
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="an unreachable database server is PostgreSQL's case; SQLite is a file",
)
def test_the_site_survives_a_database_outage(database_through_proxy, settings):
    """With the database cut off, cached pages are still served, others get
    the 503 page and /readyz names the database; when it is back, everything
    works again without a restart."""
    settings.TASKS = DATABASE_QUEUE
    proxy = database_through_proxy
    make_film(title="Jung_E", slug="jung-e")
    make_person(name="Kang Soo-yeon", slug="kang-soo-yeon")
    app = WSGIHandler()
    assert wsgi_get(app, "/films/jung-e/")[0] == 200
    assert wsgi_get(app, "/readyz")[0] == 200

    proxy.close()
    assert wsgi_get(app, "/films/jung-e/")[0] == 200  # from the page cache
    status, headers, page = wsgi_get(app, "/people/kang-soo-yeon/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Temporarily unavailable" in page
    status, _, ready = wsgi_get(app, "/readyz")
    assert status == 503
    assert {"database", "tasks"} <= set(json.loads(ready)["failed"])
    for detail in ["127.0.0.1", str(proxy.port), "postgres", "refused", "closed"]:
        assert detail not in ready
        assert detail not in page

    proxy.open()
    assert wsgi_get(app, "/people/kang-soo-yeon/")[0] == 200
    assert wsgi_get(app, "/readyz")[0] == 200
