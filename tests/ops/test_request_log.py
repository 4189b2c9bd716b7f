"""One log line per request, a request id on every line of it, JSON on demand,
and error reports to Sentry when it is configured."""

import importlib.util
import json
import logging
import sys
import types

import pytest

from catalog.views import FilmDetailView
from ops import sentry
from ops.logging import JsonFormatter, RequestIdFilter, request_id
from tests.factories import make_film
from tests.logs import captured as logged
from tests.ops.test_operations import SETUP, run_python


def captured(name: str):
    """The records a logger emits, with the request id the site's handler adds."""
    return logged(name, RequestIdFilter())


@pytest.mark.django_db
def test_each_request_is_logged_once_with_what_happened(client):
    """A request gives one line: method, path, status, duration, user, bytes,
    and the id the response carries back in X-Request-ID."""
    make_film(title="Jung_E", slug="jung-e")
    with captured("ops.request") as records:
        response = client.get("/films/jung-e/")
    assert response.status_code == 200
    [record] = records
    assert (record.method, record.path, record.status) == ("GET", "/films/jung-e/", 200)
    assert record.user == "anonymous"
    assert record.bytes == len(response.content)
    assert record.duration_ms > 0
    assert record.request_id == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_page_cache_hit_is_logged_without_a_query(client, django_assert_num_queries):
    """Pages served from the cache are logged too, and logging them costs no
    query."""
    make_film(title="Jung_E", slug="jung-e")
    client.get("/films/jung-e/")
    with captured("ops.request") as records, django_assert_num_queries(0):
        response = client.get("/films/jung-e/")
    assert response.status_code == 200
    [record] = records
    assert record.status == 200
    assert record.user == "anonymous"
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_logged_in_user_is_logged_by_id(client, admin_user):
    """Staff requests name the user by id, never by name."""
    client.force_login(admin_user)
    with captured("ops.request") as records:
        client.get("/admin/")
    assert [record.user for record in records] == [str(admin_user.pk)]


def test_a_client_cannot_choose_the_request_id_without_a_proxy(client, settings):
    """X-Request-ID from the client is ignored unless a trusted proxy sets it."""
    settings.BEHIND_PROXY = False
    response = client.get("/csp-report/", HTTP_X_REQUEST_ID="chosen-by-client")
    assert response["X-Request-ID"] != "chosen-by-client"


def test_the_proxys_request_id_is_kept(client, settings):
    """Behind the proxy its id is used, so its log and ours match; an id that
    does not look like one is replaced."""
    settings.BEHIND_PROXY = True
    with captured("ops.request") as records:
        response = client.get("/csp-report/", HTTP_X_REQUEST_ID="lb-7f3a9c")
    assert response["X-Request-ID"] == "lb-7f3a9c"
    assert records[0].request_id == "lb-7f3a9c"
    for bad in ["has spaces", "x" * 200, "new\nline"]:
        response = client.get("/csp-report/", HTTP_X_REQUEST_ID=bad)
        assert response["X-Request-ID"] != bad


@pytest.mark.django_db
def test_django_s_not_found_line_carries_the_request_id(client):
    """Django logs a 404 after the middleware has returned: it still carries
    the request's id, and the next line outside a request carries none."""
    with captured("django.request") as records:
        response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    assert [record.request_id for record in records] == [response["X-Request-ID"]]
    assert request_id.get() == "-"


def test_successful_probes_are_not_logged(client):
    """Load balancers probe every few seconds: a healthy answer is no news."""
    with captured("ops.request") as records:
        client.get("/healthz")
    assert records == []


def test_nothing_is_built_when_the_level_filters_it_out(client, monkeypatch):
    """With the request logger above INFO, no line is built at all."""
    logger = logging.getLogger("ops.request")
    built = []
    monkeypatch.setattr("ops.middleware.user_label", lambda request: built.append(1))
    level = logger.level
    logger.setLevel(logging.WARNING)  # clears the loggers' isEnabledFor cache
    try:
        response = client.get("/csp-report/")
    finally:
        logger.setLevel(level)
    assert response.status_code == 405
    assert built == []


@pytest.mark.django_db
def test_an_error_is_logged_and_shown_with_the_request_id(client, monkeypatch):
    """The traceback's log line carries the request's id, and the 500 page
    shows it so that a reader can quote it."""

    def fail(self):
        raise RuntimeError("the template tag broke")

    monkeypatch.setattr(FilmDetailView, "get_queryset", fail)
    client.raise_request_exception = False
    with captured("django.request") as errors, captured("ops.request") as lines:
        response = client.get("/films/jung-e/")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    assert rid in response.content.decode()
    assert [record.request_id for record in errors] == [rid]
    assert errors[0].exc_info[0] is RuntimeError
    assert [(record.status, record.request_id) for record in lines] == [(500, rid)]


def test_json_lines_hold_the_fields_and_the_traceback():
    """The JSON formatter writes one object a line, extra fields included."""
    record = logging.LogRecord(
        "ops.request", logging.INFO, "", 0, "GET %s", ("/",), None
    )
    record.request_id, record.status, record.duration_ms = "abc", 200, 1.5
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "ops.request"
    assert entry["request_id"] == "abc"
    assert (entry["status"], entry["duration_ms"]) == (200, 1.5)
    assert entry["time"].endswith("Z")

    try:
        raise ValueError("broken")
    except ValueError:
        error = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(error))
    assert "ValueError: broken" in entry["exception"]
    assert entry["request_id"] == "-"


def test_plain_lines_by_default_and_json_one_setting_away():
    """Without DJANGO_LOG_FORMAT the lines are plain text; with json, each
    request is one JSON object on standard error."""
    code = SETUP + (
        "from django.test import Client; "
        "Client().get('/csp-report/', HTTP_HOST='localhost')"
    )
    env = {
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_PAGE_CACHE": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    plain = run_python(code, **env)
    assert plain.returncode == 0, plain.stderr
    assert "INFO ops.request [" in plain.stderr
    assert "GET /csp-report/ 405" in plain.stderr

    result = run_python(code, DJANGO_LOG_FORMAT="json", **env)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if '"ops.request"' in line]
    entry = json.loads(line)
    assert entry["method"] == "GET"
    assert entry["path"] == "/csp-report/"
    assert entry["status"] == 405
    assert entry["user"] == "anonymous"
    assert len(entry["request_id"]) == 32
    # Django's own warning for the 405 carries the same id.
    [warning] = [
        line for line in result.stderr.splitlines() if '"django.request"' in line
    ]
    assert json.loads(warning)["request_id"] == entry["request_id"]

    wrong = run_python(SETUP, DJANGO_LOG_FORMAT="xml", **env)
    assert "DJANGO_LOG_FORMAT must be plain or json" in wrong.stderr


def test_sentry_is_started_with_the_dsn_and_tags_the_request_id(monkeypatch):
    """With sentry-sdk installed, SENTRY_DSN starts it; events carry the id."""
    calls = []
    fake = types.ModuleType("sentry_sdk")
    fake.init = lambda **options: calls.append(options)
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)

    assert sentry.init_sentry("https://key@errors.example/1") is True
    [options] = calls
    assert options["dsn"] == "https://key@errors.example/1"
    assert options["send_default_pii"] is False
    token = request_id.set("abc123")
    try:
        event = options["before_send"]({"message": "boom"}, {})
    finally:
        request_id.reset(token)
    assert event["tags"]["request_id"] == "abc123"


def test_the_site_runs_without_sentry_and_says_so():
    """SENTRY_DSN without sentry-sdk: the site starts, and the checks warn."""
    result = run_python(
        SETUP + "from django.core import checks; "
        "print([m.id for m in checks.run_checks()])",
        DJANGO_SECRET_KEY="k" * 60,
        SENTRY_DSN="https://key@errors.example/1",
    )
    assert result.returncode == 0, result.stderr
    installed = importlib.util.find_spec("sentry_sdk") is not None
    assert ("ops.W001" in result.stdout) is not installed
