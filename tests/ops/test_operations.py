import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import ProgrammingError
from django.http import HttpResponse

from catalog.views import FilmDetailView
from ops.middleware import HeadResponseMiddleware, HealthCheckMiddleware
from tests.logs import captured

BASE_DIR = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with only the given environment."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_ENV_FILE": "", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'filmsite.settings'; "
    "django.setup(); from django.conf import settings; "
)


def test_a_missing_secret_key_stops_the_site():
    """Without DJANGO_SECRET_KEY the site refuses to start, loudly."""
    result = run_python(SETUP + "print('started')")
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr
    assert "started" not in result.stdout


def test_debug_is_off_unless_asked_for():
    """DEBUG is off when the environment does not turn it on."""
    result = run_python(SETUP + "print(settings.DEBUG)", DJANGO_SECRET_KEY="k" * 60)
    assert result.stdout.strip() == "False", result.stderr


def test_the_secret_key_rotates_without_logging_everyone_out():
    """A value signed with the old key is still accepted while the old key is
    listed in DJANGO_SECRET_KEY_FALLBACKS, and refused once it is dropped."""
    signed = run_python(
        SETUP + "from django.core import signing; print(signing.dumps('editor'))",
        DJANGO_SECRET_KEY="old" * 20,
    ).stdout.strip()
    check = SETUP + f"from django.core import signing; print(signing.loads({signed!r}))"
    rotated = run_python(
        check,
        DJANGO_SECRET_KEY="new" * 20,
        DJANGO_SECRET_KEY_FALLBACKS="old" * 20 + ",older" * 12,
    )
    assert rotated.stdout.strip() == "editor", rotated.stderr
    dropped = run_python(check, DJANGO_SECRET_KEY="new" * 20)
    assert "BadSignature" in dropped.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    """Every page is sent with a strict content policy and browser protections."""
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]:
        assert directive in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_liveness_probe_answers_any_host_without_the_database(client):
    """/healthz answers 200 for any Host header and without a database."""
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_head_requests_get_headers_without_a_body(rf):
    """HEAD answers with GET's headers, Content-Length included, and no body
    (the test client drops HEAD bodies itself, so the middleware is called
    directly here; tests/ops/test_production_server.py checks it over HTTP)."""

    def page(request):
        response = HttpResponse("<p>The page</p>")
        response["Content-Length"] = "15"
        return response

    head = HeadResponseMiddleware(page)(rf.head("/films/"))
    assert head.content == b""
    assert head["Content-Length"] == "15"
    assert HeadResponseMiddleware(page)(rf.get("/films/")).content == b"<p>The page</p>"
    assert HealthCheckMiddleware(page)(rf.head("/healthz")).content == b""


@pytest.mark.django_db
def test_an_unknown_host_is_refused(client):
    """A request for a host the site does not serve gets 400, not a page."""
    response = client.get("/films/", HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_database_failure_shows_the_error_page_without_details(client, monkeypatch):
    """When a query fails, visitors see the 500 page and no internals (a
    database that cannot be reached is the 503 page: tests/ops/test_health.py)."""

    def fail(self):
        raise ProgrammingError('relation "secret_table" does not exist')

    monkeypatch.setattr(FilmDetailView, "get_queryset", fail)
    client.raise_request_exception = False
    response = client.get("/films/jung-e/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "secret" not in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_create_admin_makes_one_account_and_prints_its_password_once(capsys):
    """The demo admin gets a generated password, shown once; reruns keep it."""
    from django.contrib.auth import get_user_model

    call_command("create_admin")
    first = capsys.readouterr().out
    admin = get_user_model().objects.get(username="admin")
    password = first.split("with the password ")[1].split()[0]
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(password)
    assert len(password) >= 20

    call_command("create_admin")
    second = capsys.readouterr().out
    admin.refresh_from_db()
    assert admin.check_password(password)
    assert password not in second
    assert "already exists" in second


@pytest.mark.django_db
def test_an_unknown_host_is_logged_as_one_warning_line(client):
    """A request for another host is a warning in the log, not an error with a
    traceback."""
    with captured("django.security.DisallowedHost") as records:
        client.get("/", HTTP_HOST="evil.example")
    assert [record.levelname for record in records] == ["WARNING"]
    assert records[0].exc_info is None
    assert "evil.example" in records[0].getMessage()


def test_media_can_live_in_s3_compatible_storage_behind_a_cdn():
    """With DJANGO_MEDIA_STORAGE=s3, uploads go to the bucket, URLs are public
    and unsigned, and the page policy allows pictures from the media host."""
    result = run_python(
        SETUP + "import json; print(json.dumps([settings.STORAGES['default'], "
        "settings.SECURE_CSP['img-src']]))",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_MEDIA_STORAGE="s3",
        DJANGO_S3_BUCKET="filmsite-media",
        DJANGO_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        DJANGO_S3_SECRET_ACCESS_KEY="not-a-real-secret",
        DJANGO_S3_ENDPOINT_URL="https://s3.example.net",
        DJANGO_S3_CUSTOM_DOMAIN="media.filmsite.example",
        DJANGO_MEDIA_URL="https://media.filmsite.example/",
    )
    assert result.returncode == 0, result.stderr
    storage, img_src = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "filmsite-media"
    assert storage["OPTIONS"]["custom_domain"] == "media.filmsite.example"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert "https://media.filmsite.example" in img_src


def test_media_stays_on_this_machine_by_default():
    result = run_python(
        SETUP + "import json; print(json.dumps([settings.STORAGES['default'], "
        "settings.SECURE_CSP['img-src'], settings.MEDIA_URL]))",
        DJANGO_SECRET_KEY="k" * 60,
    )
    storage, img_src, media_url = json.loads(result.stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert img_src == ["'self'", "data:"]
    assert media_url == "/media/"
