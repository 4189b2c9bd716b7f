"""The admin site: Django's, with a second factor for staff (core.twofactor).

A staff user who still owes a code (always when DJANGO_STAFF_2FA_REQUIRED is
on, otherwise once they enrolled) has no permission on any admin page: the
login page sends them to the code page, or to set up an authenticator if they
have none yet.
"""

from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST


class FilmsiteAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from core.twofactor import second_factor_pending

        return super().has_permission(request) and not second_factor_pending(request)

    def login(self, request, extra_context=None):
        from core.twofactor import second_factor_pending

        if request.method == "GET" and second_factor_pending(request):
            return self._to(request, "admin:two-factor-verify")
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path(
                "two-factor/",
                self._staff_view(self.two_factor_view),
                name="two-factor",
            ),
            path(
                "two-factor/verify/",
                self._staff_view(self.verify_view),
                name="two-factor-verify",
            ),
            path(
                "two-factor/log-out/",
                require_POST(self._staff_view(self.cancel_view)),
                name="two-factor-log-out",
            ),
            *super().get_urls(),
        ]

    def _staff_view(self, view):
        """For a logged-in staff user, whether or not they gave a code yet."""

        @never_cache
        @csrf_protect
        def inner(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff):
                return self._to(request, "admin:login", request.get_full_path())
            request.current_app = self.name
            return view(request, *args, **kwargs)

        return inner

    def _next(self, request) -> str:
        url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
            REDIRECT_FIELD_NAME, ""
        )
        if url and url_has_allowed_host_and_scheme(
            url, {request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return reverse("admin:index", current_app=self.name)

    def _to(self, request, name: str, next_url: str | None = None):
        url = reverse(name, current_app=self.name)
        query = urlencode({REDIRECT_FIELD_NAME: next_url or self._next(request)})
        return HttpResponseRedirect(f"{url}?{query}")

    def _context(self, request, **context) -> dict:
        return {
            **self.each_context(request),
            "next": self._next(request),
            "next_field": REDIRECT_FIELD_NAME,
            **context,
        }

    def verify_view(self, request):
        """Asks for a code from the authenticator app or a recovery code."""
        from django_otp import login as otp_login

        from core import twofactor
        from core.logins import log_second_factor

        if not twofactor.second_factor_pending(request):
            return HttpResponseRedirect(self._next(request))
        if not twofactor.has_authenticator(request.user):
            if not settings.STAFF_2FA_REQUIRED:
                # The device was removed since login: nothing is owed.
                request.session[twofactor.HAS_DEVICE_KEY] = False
                return HttpResponseRedirect(self._next(request))
            return self._to(request, "admin:two-factor")

        form = twofactor.VerifyForm(request.user, request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                otp_login(request, form.device)
                request.session[twofactor.HAS_DEVICE_KEY] = True
                recovery = isinstance(form.device, twofactor.StaticDevice)
                log_second_factor(
                    request,
                    "Recovery code accepted" if recovery else "Code accepted",
                )
                return HttpResponseRedirect(self._next(request))
            log_second_factor(request, "Wrong second-factor code")
        return TemplateResponse(
            request,
            "admin/two_factor/verify.html",
            self._context(request, title="Two-factor login", form=form),
        )

    def two_factor_view(self, request):
        """Sets up an authenticator app, and makes new recovery codes."""
        from django_otp import login as otp_login

        from core import twofactor
        from core.logins import log_second_factor

        user = request.user
        if not twofactor.may_enrol(request):
            return self._to(request, "admin:two-factor-verify", request.path)

        key = twofactor.pending_key(request)
        form = twofactor.EnrolForm(key)
        if request.method == "POST":
            if request.POST.get("action") == "recovery-codes" and twofactor.is_verified(
                user
            ):
                codes = twofactor.new_recovery_codes(user)
                log_second_factor(request, "New recovery codes")
                return self._codes(request, codes, enrolled=False)
            form = twofactor.EnrolForm(key, request.POST)
            if form.is_valid():
                device, codes = twofactor.enrol(user, key, form.time_step)
                otp_login(request, device)
                del request.session[twofactor.PENDING_KEY]
                request.session[twofactor.HAS_DEVICE_KEY] = True
                log_second_factor(request, "Authenticator app set up")
                return self._codes(request, codes, enrolled=True)

        device = twofactor.unsaved_device(user, key)
        secret = b32encode(unhexlify(key)).decode()
        uri = device.config_url
        qr = qr_code(uri)
        return TemplateResponse(
            request,
            "admin/two_factor/setup.html",
            self._context(
                request,
                title="Two-factor login",
                form=form,
                has_authenticator=twofactor.has_authenticator(user),
                recovery_codes_left=twofactor.recovery_codes_left(user),
                secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                otpauth_uri=uri,
                qr=qr,
            ),
        )

    def _codes(self, request, codes: list[str], enrolled: bool):
        return TemplateResponse(
            request,
            "admin/two_factor/recovery_codes.html",
            self._context(
                request, title="Your recovery codes", codes=codes, enrolled=enrolled
            ),
        )

    def cancel_view(self, request):
        logout(request)
        return redirect("admin:login")


def qr_code(data: str) -> dict:
    """A QR code of data as an SVG data URI for an <img>, with its size: the
    page's CSP allows data: images and nothing inline."""
    import segno

    code = segno.make(data, error="m")
    width, height = code.symbol_size(scale=4)
    return {
        "src": code.svg_data_uri(scale=4, dark="#000", light="#fff"),
        "width": width,
        "height": height,
    }
