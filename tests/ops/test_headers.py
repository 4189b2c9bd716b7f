"""The headers beyond Django's own, the CSP report endpoint, and the page for
a form refused by the CSRF check."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from ops import views
from tests.factories import make_film
from tests.logs import captured

DENIED = ["camera", "microphone", "geolocation", "payment", "usb"]


@pytest.fixture
def csp_logs():
    with captured("ops.csp") as records:
        yield records


@pytest.mark.django_db
def test_pages_deny_unused_features_and_other_origins(client):
    """Pages, rendered or from the cache, deny the browser features the site
    never uses, may be loaded by this origin only, and say where CSP reports
    go."""
    make_film(title="Jung_E", slug="jung-e")
    for _ in range(2):  # rendered, then from the page cache
        response = client.get("/films/jung-e/")
        assert response.status_code == 200
        policy = response["Permissions-Policy"]
        for feature in DENIED:
            assert f"{feature}=()" in policy
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        csp = response["Content-Security-Policy"]
        assert "report-uri /csp-report/" in csp
        assert "report-to csp" in csp
        assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'


def test_static_and_media_files_may_be_used_across_the_site(client):
    """Static and media files may be loaded by other origins of the same site
    (a media or admin host on a subdomain), not by other sites."""
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert static["Cross-Origin-Resource-Policy"] == "same-site"
    media = client.get("/media/images/none.jpg")
    assert media["Cross-Origin-Resource-Policy"] == "same-site"


def report_uri_body(**fields) -> str:
    return json.dumps(
        {
            "csp-report": {
                "document-uri": "https://films.example/films/jung-e/",
                "violated-directive": "style-src-attr",
                "effective-directive": "style-src-attr",
                "blocked-uri": "inline",
                "line-number": 12,
                **fields,
            }
        }
    )


def test_violation_reports_are_logged(csp_logs):
    """A report in either format, posted without a CSRF token, is logged."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/csp-report/", report_uri_body(), content_type="application/csp-report"
    )
    assert response.status_code == 204
    reporting_api = [
        {
            "type": "csp-violation",
            "url": "https://films.example/",
            "body": {
                "documentURL": "https://films.example/",
                "effectiveDirective": "script-src-elem",
                "blockedURL": "https://evil.example/x.js",
                "sourceFile": "https://films.example/",
                "lineNumber": 3,
            },
        },
        {"type": "deprecation", "body": {}},
    ]
    response = client.post(
        "/csp-report/",
        json.dumps(reporting_api),
        content_type="application/reports+json",
    )
    assert response.status_code == 204
    assert [record.csp["directive"] for record in csp_logs] == [
        "style-src-attr",
        "script-src-elem",
    ]
    assert csp_logs[1].csp["blocked"] == "https://evil.example/x.js"
    assert "https://films.example/films/jung-e/" in csp_logs[0].getMessage()


def test_reports_are_posted_only(client):
    assert client.get("/csp-report/").status_code == 405


def test_a_large_report_is_refused_unread(client, csp_logs):
    """Bodies over 8 KB get 413 and are not logged."""
    body = report_uri_body(sample="x" * 9000)
    response = client.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 413
    assert csp_logs == []


def test_a_report_that_is_not_one_is_refused(client):
    for body in ["not json", "[1, 2]", '{"other": 1}']:
        response = client.post("/csp-report/", body, content_type="application/json")
        assert response.status_code == 400, body


def test_long_fields_are_cut_in_the_log(client, csp_logs):
    client.post(
        "/csp-report/",
        report_uri_body(**{"blocked-uri": "https://x.example/" + "a" * 5000}),
        content_type="application/csp-report",
    )
    assert len(csp_logs[0].csp["blocked"]) == views.CSP_REPORT_FIELD_LENGTH


def test_reports_are_rate_limited_per_client_address(client, monkeypatch, settings):
    """Each address may send a few reports a minute; others are not held up.
    Behind the proxy, the address is the one it added last."""
    monkeypatch.setattr(views, "CSP_REPORTS_PER_MINUTE", 3)

    def post(**extra):
        return client.post(
            "/csp-report/",
            report_uri_body(),
            content_type="application/csp-report",
            **extra,
        ).status_code

    assert [post(REMOTE_ADDR="192.0.2.1") for _ in range(4)] == [204, 204, 204, 429]
    assert post(REMOTE_ADDR="192.0.2.2") == 204

    settings.BEHIND_PROXY = True
    proxied = {"REMOTE_ADDR": "10.0.0.1"}
    statuses = [
        post(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9", **proxied)
        for n in range(4)
    ]
    assert statuses == [204, 204, 204, 429]
    assert post(HTTP_X_FORWARDED_FOR="203.0.113.10", **proxied) == 204


@pytest.mark.django_db
def test_a_refused_form_gets_the_sites_page_within_its_csp():
    """A post failing the CSRF check gets a page in the site's style that
    says what to do, with no inline style for the CSP to block."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/films/", {"q": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form could not be sent" in body
    assert "reload the page" in body
    assert "<style" not in body
    assert " style=" not in body
    assert "Content-Security-Policy" in response


def test_no_template_has_inline_style_or_script():
    """The CSP allows styles and scripts from files only: no template may
    carry a <style> element, a style attribute or an inline <script>."""
    inline = re.compile(
        r"<style|\sstyle=|<script(?![^>]*\ssrc=)(?![^>]*application/ld\+json)"
    )
    templates = Path(settings.BASE_DIR, "templates")
    found = [
        f"{path.relative_to(templates)}: {match.group()}"
        for path in sorted(templates.rglob("*.html"))
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
