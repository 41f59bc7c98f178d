"""Background mails of the password lifecycle (django-tasks; in production `krisenwissen db_worker`).

The one-time links are made when the mail is written, so no token ever lies in the task table.
Links use ``KRISENWISSEN_BASE_URL`` (no request is at hand in a worker, and a forged Host header
must not choose where a reset link points).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Municipality, User
from .tokens import invitation_token_generator


def _absolute(path: str) -> str:
    return settings.KRISENWISSEN_BASE_URL.rstrip("/") + path


def _send(user: User, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"user": user, "base_url": settings.KRISENWISSEN_BASE_URL.rstrip("/"), **context})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@task()
def send_password_reset(user_ids: list[int]) -> int:
    """Mail a one-time reset link to each active person with a usable password; returns the count."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = _absolute(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}))
        _send(user, _("krisenwissen: Passwort zurücksetzen"), "accounts/email/password_reset.txt",
              {"link": link, "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)})
        sent += 1
    return sent


@task()
def send_invitation(user_id: int, municipality_id: int | None) -> bool:
    """Mail the invitation link (set the first password) to a person who has none yet."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or user.has_usable_password():
        return False
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = _absolute(reverse("accounts:invitation_confirm", kwargs={"uidb64": uid, "token": invitation_token_generator.make_token(user)}))
    _send(user, _("Einladung zu krisenwissen"), "accounts/email/invitation.txt",
          {"link": link, "municipality": municipality, "valid_days": settings.KRISENWISSEN_INVITATION_TIMEOUT_DAYS,
           "login_link": _absolute(reverse("accounts:login"))})
    return True
