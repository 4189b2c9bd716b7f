"""Logins: the client's address as django-axes sees it, the page a locked-out
editor gets, and one log line for every login event (logger `filmsite.logins`)."""

import ipaddress
import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest
from django.template.response import TemplateResponse

logger = logging.getLogger("filmsite.logins")


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: behind a proxy (DJANGO_BEHIND_PROXY), the last one
    in X-Forwarded-For, which our proxy added; anything before it came from the
    client and may be forged. Otherwise, the connection's own address."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = _valid_address(forwarded.rsplit(",", 1)[-1])
        if address:
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def lockout_response(request, original_response=None, credentials=None):
    """The admin-styled page for a username locked out from this address."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response.render()


def log_login(sender, request, user, **kwargs) -> None:
    logger.info("Login as %r from %s", user.get_username(), _address(request))


def log_failed_login(sender, credentials, request=None, **kwargs) -> None:
    locked = getattr(request, "axes_locked_out", False)
    logger.warning(
        "Failed login as %r from %s%s",
        credentials.get("username"),
        _address(request),
        " (locked out)" if locked else "",
    )


def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning(
        "Locked out %r from %s for %s after %d failed logins",
        username,
        ip_address,
        settings.AXES_COOLOFF_TIME,
        settings.AXES_FAILURE_LIMIT,
    )


def log_second_factor(request: HttpRequest, event: str) -> None:
    """One line for a second-factor event: a code accepted or refused, an
    enrolment, new recovery codes."""
    logger.log(
        logging.WARNING if event.startswith("Wrong") else logging.INFO,
        "%s for %r from %s",
        event,
        request.user.get_username(),
        _address(request),
    )


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return "no request"
    return client_ip_address(request) or "an unknown address"


def connect_signals() -> None:
    from axes.signals import user_locked_out

    from core import twofactor

    user_logged_in.connect(log_login, dispatch_uid="filmsite.logins.login")
    user_login_failed.connect(log_failed_login, dispatch_uid="filmsite.logins.failed")
    user_locked_out.connect(log_lockout, dispatch_uid="filmsite.logins.lockout")
    user_logged_in.connect(
        twofactor.remember_devices, dispatch_uid="filmsite.logins.devices"
    )
