"""Two-factor login for staff: enrolling an authenticator app from the admin,
codes and recovery codes at login, and DJANGO_STAFF_2FA_REQUIRED."""

import re
from binascii import unhexlify

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.twofactor import PENDING_KEY

PASSWORD = "a long staff password"
SETUP = "/admin/two-factor/"
VERIFY = "/admin/two-factor/verify/"


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """Codes can be retried at once (django-otp makes a wrong code wait 1, 2,
    4… seconds before the next is checked)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def editor(db):
    return User.objects.create_user(
        "mina", password=PASSWORD, is_staff=True, is_superuser=True
    )


def password_login(username="mina") -> Client:
    client = Client()
    response = client.post(
        "/admin/login/",
        {"username": username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    return client


def code_for(key_hex: str, offset: int = 0) -> str:
    """The code an authenticator app shows for the key, offset steps of 30 s
    from now."""
    return f"{totp(unhexlify(key_hex), drift=offset):06d}"


def enrol(client) -> list[str]:
    """Set up an authenticator on the setup page; the recovery codes shown."""
    assert client.get(SETUP).status_code == 200
    key = client.session[PENDING_KEY]
    response = client.post(SETUP, {"action": "enrol", "code": code_for(key)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)


def enrolled_editor(editor) -> tuple[TOTPDevice, list[str]]:
    client = password_login()
    codes = enrol(client)
    return TOTPDevice.objects.get(user=editor), codes


def test_the_setup_page_shows_a_qr_code_the_secret_and_the_uri(editor):
    """A logged-in editor sees the account to add as a QR code (an SVG data
    image, which the CSP allows), as a secret to type and as its otpauth URI."""
    client = password_login()
    response = client.get(SETUP)
    assert response.status_code == 200
    key = client.session[PENDING_KEY]
    from base64 import b32encode

    secret = b32encode(unhexlify(key)).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, 32, 4))
    assert grouped in response.text
    assert f"otpauth://totp/Filmsite%3Amina?secret={secret}" in response.text
    assert 'src="data:image/svg+xml;' in response.text
    assert "style=" not in response.text
    # The same secret on a reload, so an app that already scanned it works.
    client.get(SETUP)
    assert client.session[PENDING_KEY] == key
    assert not TOTPDevice.objects.exists()


def test_enrolling_confirms_with_a_code_and_shows_recovery_codes_once(editor):
    """The right code turns two-factor login on and shows ten recovery codes;
    the setup page never shows them again."""
    device, codes = enrolled_editor(editor)
    assert device.confirmed
    assert len(codes) == len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=editor).count() == 10

    client = password_login()
    client.post(VERIFY, {"code": codes[0]})
    response = client.get(SETUP)
    assert "You have 9 unused recovery codes" in response.text
    for code in codes:
        assert code not in response.text


@pytest.mark.parametrize(
    "code",
    ["000000", "12345", "abcdef", "", " ", "1" * 200, "١٢٣٤٥٦", "\x00\x00", "12 34 5"],
)
def test_a_wrong_or_malformed_code_is_a_form_error(editor, code):
    """Enrolling with a wrong or malformed code gets the form back with an
    error, and enrols nothing."""
    client = password_login()
    client.get(SETUP)
    response = client.post(SETUP, {"action": "enrol", "code": code})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not TOTPDevice.objects.exists()


def test_once_enrolled_the_admin_asks_for_a_code_after_the_password(editor):
    """Even with the setting off, an enrolled editor owes a code: every admin
    page sends them to the code page until they give it."""
    device, _ = enrolled_editor(editor)
    client = password_login()
    response = client.get("/admin/catalog/film/", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert "Enter the six-digit code" in response.text

    response = client.post(
        VERIFY, {"code": code_for(device.key, 1), "next": "/admin/catalog/film/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/catalog/film/"
    assert client.get("/admin/catalog/film/").status_code == 200


@pytest.mark.parametrize("code", ["999999", "zzzzzzzz", "hello", "1" * 100, "\x00"])
def test_a_wrong_code_at_login_is_a_form_error(editor, code):
    enrolled_editor(editor)
    client = password_login()
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert client.get("/admin/").status_code == 302


def test_a_code_works_only_once(editor):
    """The code that confirmed the app, or that logged in, cannot log in again."""
    device, _ = enrolled_editor(editor)
    device.refresh_from_db()
    app = TOTP(device.bin_key)
    app.time = device.last_t * 30
    used = f"{app.token():06d}"
    client = password_login()
    response = client.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert "already used" in response.text


def test_each_recovery_code_works_once(editor):
    """A recovery code logs in instead of the app's code, once."""
    _, codes = enrolled_editor(editor)
    client = password_login()
    assert client.post(VERIFY, {"code": codes[3].upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200

    again = password_login()
    response = again.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200
    assert "already used" in response.text
    assert again.post(VERIFY, {"code": codes[4]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(editor):
    """A verified editor can make new recovery codes: the old ones stop working."""
    device, old = enrolled_editor(editor)
    client = password_login()
    client.post(VERIFY, {"code": old[0]})
    response = client.post(SETUP, {"action": "recovery-codes"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(new) == 10

    other = password_login()
    assert other.post(VERIFY, {"code": old[1]}).status_code == 200
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302


def test_a_password_alone_cannot_replace_the_authenticator(editor):
    """An enrolled editor who has not given a code is sent to the code page
    from the setup page; a posted enrolment changes nothing."""
    device, _ = enrolled_editor(editor)
    client = password_login()
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"action": "recovery-codes"})
    assert response.status_code == 302
    assert TOTPDevice.objects.get() == device


def test_the_code_page_can_log_out(editor):
    enrolled_editor(editor)
    client = password_login()
    response = client.post("/admin/two-factor/log-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_next_address_stays_on_the_site(editor):
    device, _ = enrolled_editor(editor)
    client = password_login()
    response = client.post(
        VERIFY, {"code": code_for(device.key, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_the_code_page_sends_others_to_the_login(db):
    assert Client().get(VERIFY)["Location"].startswith("/admin/login/")
    assert Client().get(SETUP)["Location"].startswith("/admin/login/")


class TestRequired:
    """With DJANGO_STAFF_2FA_REQUIRED on, no admin page without a second factor."""

    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.STAFF_2FA_REQUIRED = True

    def test_staff_without_an_authenticator_set_one_up_first(self, editor):
        client = password_login()
        response = client.get("/admin/catalog/film/", follow=True)
        assert response.redirect_chain[-1][0].startswith(SETUP)
        assert "Set up an authenticator app to continue" in response.text
        assert client.get("/admin/").status_code == 302

        codes = enrol(client)
        assert len(codes) == 10
        assert client.get("/admin/catalog/film/").status_code == 200

    def test_force_login_alone_is_not_enough(self, admin_client):
        response = admin_client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_an_enrolled_editor_gives_a_code(self, editor):
        device, codes = enrolled_editor(editor)
        client = password_login()
        assert client.get("/admin/").status_code == 302
        client.post(VERIFY, {"code": codes[0]})
        assert client.get("/admin/").status_code == 200

    def test_non_staff_never_see_the_pages(self, db):
        client = Client()
        client.force_login(User.objects.create_user("reader", password=PASSWORD))
        assert client.get(SETUP)["Location"].startswith("/admin/login/")


def test_the_deploy_check_warns_while_the_second_factor_is_optional(settings):
    """`check --deploy` warns when DJANGO_STAFF_2FA_REQUIRED is off."""
    from core.checks import staff_second_factor

    settings.STAFF_2FA_REQUIRED = False
    assert [w.id for w in staff_second_factor(None)] == ["filmsite.W001"]
    settings.STAFF_2FA_REQUIRED = True
    assert staff_second_factor(None) == []


def test_a_verified_editor_pays_one_query_per_admin_page(editor):
    """Giving a code adds one query to each admin page (the device that
    verified the session); an editor without one pays nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = Client()
    plain.force_login(User.objects.create_user("jae", is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as without:
        assert plain.get("/admin/").status_code == 200

    device, _ = enrolled_editor(editor)
    client = password_login()
    client.post(VERIFY, {"code": code_for(device.key, 1)})
    with CaptureQueriesContext(connection) as verified:
        assert client.get("/admin/").status_code == 200
    assert len(verified) == len(without) + 1


def test_a_superuser_can_remove_a_lost_authenticator_without_seeing_its_key(
    editor, admin_client
):
    """The TOTP devices list and page work for a superuser and never show the
    key; deleting the device lets the editor set up a new one."""
    device, _ = enrolled_editor(editor)
    listing = admin_client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.text
    response = admin_client.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    client = password_login()
    assert client.get(SETUP).status_code == 200


def test_the_login_attempts_are_listed_in_the_admin(editor, admin_client):
    Client().post("/admin/login/", {"username": "mina", "password": "wrong"})
    response = admin_client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "mina" in response.text
