"""The login defence's and two-factor login's pages are valid HTML with nothing
inline that the CSP would block."""

import json
import re
import subprocess
from binascii import unhexlify

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp

from core.twofactor import PENDING_KEY

pytestmark = pytest.mark.browser

PASSWORD = "a long staff password"


def login_pages() -> dict[str, tuple[int, str]]:
    """Each page with its status, as a staff member meets them."""
    User.objects.create_user("mina", password=PASSWORD, is_staff=True)
    pages = {}
    client = Client()
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "mina", "password": "wrong"}
        )
    pages["locked-out"] = response

    User.objects.create_user("jae", password=PASSWORD, is_staff=True)
    client.post("/admin/login/", {"username": "jae", "password": PASSWORD})
    pages["setup"] = client.get("/admin/two-factor/")
    pages["setup-error"] = client.post(
        "/admin/two-factor/", {"action": "enrol", "code": "nope"}
    )
    code = f"{totp(unhexlify(client.session[PENDING_KEY])):06d}"
    pages["recovery-codes"] = client.post(
        "/admin/two-factor/", {"action": "enrol", "code": code}
    )

    client = Client()
    client.post("/admin/login/", {"username": "jae", "password": PASSWORD})
    pages["verify"] = client.get("/admin/two-factor/verify/")
    pages["verify-error"] = client.post("/admin/two-factor/verify/", {"code": "123"})
    return {name: (r.status_code, r.text) for name, r in pages.items()}


def test_login_pages_are_valid_html_without_inline_style_or_script(
    db, vnu_command, tmp_path
):
    pages = login_pages()
    assert pages["locked-out"][0] == 429
    problems = []
    for name, (status, html) in pages.items():
        if name != "locked-out":
            assert status == 200, name
        if re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)", html):
            problems.append(f"{name}: inline style or script")
        (tmp_path / f"{name}.html").write_text(html)

    result = subprocess.run(
        [
            *vnu_command,
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            *(str(tmp_path / f"{name}.html") for name in pages),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    problems += [
        f"{m.get('url', '?').rsplit('/', 1)[-1]} line {m.get('lastLine')}: "
        f"{m.get('message')}"
        for m in messages
    ]
    assert not problems, "\n".join(problems)
