"""Two-factor login for staff: an authenticator app (TOTP) and recovery codes,
kept by django-otp; what the admin site (core.sites) asks before its pages."""

import re
from binascii import unhexlify

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODE_COUNT = 10
# Set at login: whether the user had an authenticator then, so that the
# admin pages need no query to know whether to ask for a code.
HAS_DEVICE_KEY = "filmsite_2fa_has_device"
# The secret of an authenticator being set up, until its first code confirms it.
PENDING_KEY = "filmsite_2fa_pending_key"

TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def remember_devices(sender, request, user, **kwargs) -> None:
    """On login, note in the session whether the user has an authenticator."""
    if request is not None and hasattr(request, "session") and user.is_staff:
        request.session[HAS_DEVICE_KEY] = has_authenticator(user)


def second_factor_pending(request: HttpRequest) -> bool:
    """True while a staff user logged in with a password still owes a code:
    always when DJANGO_STAFF_2FA_REQUIRED is on, otherwise once they enrolled."""
    user = request.user
    if not (user.is_active and user.is_staff) or is_verified(user):
        return False
    if settings.STAFF_2FA_REQUIRED:
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False  # a request built in code, not a browser's
    if HAS_DEVICE_KEY not in session:
        # A session from before two-factor login: asked once, then noted.
        session[HAS_DEVICE_KEY] = has_authenticator(user)
    return session[HAS_DEVICE_KEY]


def is_verified(user) -> bool:
    """Whether the user gave a second factor in this session (django-otp's
    middleware adds is_verified to request.user)."""
    return getattr(user, "is_verified", bool)()


def may_enrol(request: HttpRequest) -> bool:
    """Setting up an authenticator needs the second factor already given, or
    none to give: a password alone never replaces an enrolled one."""
    user = request.user
    return is_verified(user) or not has_authenticator(user)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class VerifyForm(CodeForm):
    """A code from the authenticator app, or one of the recovery codes."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if TOTP_CODE.fullmatch(code):
            model = TOTPDevice
        elif RECOVERY_CODE.fullmatch(code):
            model = StaticDevice
        else:
            raise forms.ValidationError(
                "Enter the six digits your authenticator app shows, or one of "
                "your recovery codes (eight letters and digits)."
            )
        with transaction.atomic():
            devices = model.objects.devices_for_user(self.user, confirmed=True)
            for device in devices.select_for_update():
                allowed, _ = device.verify_is_allowed()
                if not allowed:
                    raise forms.ValidationError(
                        "Too many wrong codes in a row: wait a minute and try "
                        "again with a new code."
                    )
                if device.verify_token(code):
                    self.device = device
                    return code
        raise forms.ValidationError(
            "That code is not right (or was already used). Check the time on "
            "your phone, and try the next code."
        )


class EnrolForm(CodeForm):
    """The first code from a newly added authenticator, which confirms it."""

    def __init__(self, key: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.time_step = None

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not TOTP_CODE.fullmatch(code):
            raise forms.ValidationError(
                "Enter the six digits your authenticator app shows."
            )
        totp = TOTP(unhexlify(self.key))
        if not totp.verify(int(code), tolerance=1):
            raise forms.ValidationError(
                "That code is not right. Check that the app shows this site's "
                "account and that the time on your phone is right."
            )
        self.time_step = totp.t()
        return code


def pending_key(request: HttpRequest) -> str:
    """The secret offered to this session for a new authenticator; the same on
    every reload until it is confirmed, so an app that scanned it still works."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    return key


def unsaved_device(user, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, key=key, name="Authenticator app")


@transaction.atomic
def enrol(user, key: str, time_step: int) -> tuple[TOTPDevice, list[str]]:
    """Replace the user's authenticator with the confirmed one, and give them
    a fresh set of recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = unsaved_device(user, key)
    device.confirmed = True
    device.last_t = time_step  # the confirming code cannot be used again
    device.save()
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Recovery codes for the user, replacing any left: each works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes"}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_authenticator(user) -> bool:
    """Whether the user set up an authenticator app: the second factor that
    counts (recovery codes left without one do not)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
