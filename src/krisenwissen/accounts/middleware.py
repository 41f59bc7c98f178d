"""The second sign-in step: people with an authenticator enter a code before any page opens.

Runs after ``django_otp.middleware.OTPMiddleware``. The password step (any login view, Django's
admin login included) signs a person in; until a TOTP code verified the session, every view
except the code page, enrolment and logout redirects to the code page. With
``KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS`` municipal administrators and superusers without an
authenticator are sent to enrolment instead.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

OPEN_VIEWS = {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language"}


def mfa_required(user) -> bool:
    """An authenticator is mandatory for this person (setting on and they administer)."""
    if not settings.KRISENWISSEN_MFA_REQUIRED_FOR_ADMINS:
        return False
    if user.is_superuser:
        return True
    from .models import Role
    from .selectors import municipalities_with_role

    return municipalities_with_role(user, minimum=Role.ADMINISTRATION).exists()


def has_authenticator(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        if has_authenticator(user):
            target = "accounts:otp_verify"
        elif mfa_required(user):
            target = "accounts:otp_setup"
        else:
            return None
        next_url = request.get_full_path()
        if request.method != "GET" or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        return redirect(reverse(target) + (f"?{urlencode({'next': next_url})}" if next_url else ""))
