"""Login defence: a username is locked out from one address after five failed
logins, for the cool-off, without a password being checked meanwhile."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from core import generation

LOGIN = "/admin/login/"
PASSWORD = "a long staff password"


@pytest.fixture
def editor(db):
    return User.objects.create_user(
        "mina", "mina@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def log_in(client, password, username="mina", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        **headers,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def hasher_checks(monkeypatch):
    """How many times a password was checked against a hash."""
    calls = []
    original = MD5PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting)
    return calls


@pytest.fixture
def login_log(caplog):
    logger = logging.getLogger("filmsite.logins")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="filmsite.logins")
    yield caplog
    logger.removeHandler(caplog.handler)


def test_the_fifth_failure_locks_out_and_the_right_password_is_refused(editor):
    """Four wrong passwords get the login form back; the fifth, and the right
    password after it, get the locked-out page (429) and no login."""
    client = Client()
    for _ in range(4):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username" in response.text
    response = log_in(client, "wrong")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    assert "blocked for 15 minutes" in response.text
    assert "<strong>mina</strong>" in response.text
    assert "ask an administrator" in response.text

    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_a_locked_out_guess_costs_no_password_hash(editor, hasher_checks):
    """Before the lockout every guess is checked against the hash; once it
    applies, guesses (the right password too) are refused before any check."""
    client = Client()
    for _ in range(5):
        log_in(client, "wrong")
    assert len(hasher_checks) == 5
    for password in ["wrong", "also wrong", PASSWORD]:
        assert log_in(client, password).status_code == 429
    assert len(hasher_checks) == 5


def test_the_lockout_is_for_this_username_from_this_address(editor):
    """The same editor from another address, and another username from the
    locked-out address, can still log in."""
    User.objects.create_user("jae", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(5):
        log_in(client, "wrong")

    other_place = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(other_place, PASSWORD).status_code == 302
    assert logged_in(other_place)

    same_place = Client()
    assert log_in(same_place, PASSWORD, username="jae").status_code == 302
    assert logged_in(same_place)


def test_the_lockout_ends_after_the_cool_off(editor, settings):
    """Fifteen minutes after the failure that locked it, the login works again;
    attempts made while locked out do not extend it."""
    client = Client()
    for _ in range(7):
        log_in(client, "wrong")
    attempt = AccessAttempt.objects.get(username="mina")
    assert attempt.failures_since_start == 5
    attempt.attempt_time -= datetime.timedelta(minutes=16)
    attempt.save()

    assert log_in(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_starts_the_count_again(editor):
    """Four typos, a success, four more typos: not locked out."""
    client = Client()
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(editor, settings):
    """With DJANGO_BEHIND_PROXY on, the client's address is the last one in
    X-Forwarded-For: rotating what the client put before it changes nothing,
    and another real client is not locked out."""
    settings.BEHIND_PROXY = True
    client = Client(REMOTE_ADDR="10.0.0.1")  # the proxy
    for n in range(5):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    response = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"

    response = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 302


def test_without_the_proxy_setting_the_header_is_ignored(editor, settings):
    """Off a proxy, X-Forwarded-For is the client's own word: it is ignored,
    so rotating it does not escape the lockout."""
    settings.BEHIND_PROXY = False
    client = Client()
    for n in range(5):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    "forwarded", ["", "not an address", "203.0.113.5, ", "\x00", "1" * 5000]
)
def test_a_malformed_forwarded_header_falls_back_to_the_connection(
    editor, settings, forwarded
):
    """Garbage in X-Forwarded-For is never an error: the connection's address
    is used."""
    settings.BEHIND_PROXY = True
    response = log_in(Client(), "wrong", HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_axes_reset_username_unlocks_at_once(editor):
    """`manage.py axes_reset_username mina` lifts the lockout before the
    cool-off ends."""
    client = Client()
    for _ in range(5):
        log_in(client, "wrong")
    call_command("axes_reset_username", "mina")
    assert log_in(client, PASSWORD).status_code == 302


def test_logins_are_logged_with_the_username_and_address(editor, login_log):
    """filmsite.logins logs each failure, the lockout and each success."""
    client = Client()
    log_in(client, PASSWORD)
    client.logout()
    for _ in range(5):
        log_in(client, "wrong")
    log_in(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD)

    lines = [r.getMessage() for r in login_log.records if r.name == "filmsite.logins"]
    assert lines[0] == "Login as 'mina' from 127.0.0.1"
    assert lines[1:5] == ["Failed login as 'mina' from 127.0.0.1"] * 4
    assert "Locked out 'mina' from 127.0.0.1 for 0:15:00" in lines[5]
    assert lines[6] == "Failed login as 'mina' from 127.0.0.1 (locked out)"
    assert lines[7] == "Login as 'mina' from 198.51.100.7"
    assert PASSWORD not in " ".join(lines)


def test_failed_logins_do_not_empty_the_page_cache(editor):
    """Login attempts are written to tables no public page shows: a flood of
    failures leaves the cached pages current."""
    before = generation.store().call("get", generation.TOKEN_KEY)
    client = Client()
    for _ in range(6):
        log_in(client, "wrong")
    assert generation.store().call("get", generation.TOKEN_KEY) == before


def test_force_login_still_reaches_the_admin(admin_client):
    """The axes backend does not stand in the way of tests' force_login."""
    assert admin_client.get("/admin/").status_code == 200
