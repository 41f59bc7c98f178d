"""Background jobs shared by all apps."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_notification_mails(subject: str, body: str, addresses: list[str]) -> int:
    """One e-mail per address (no shared To: line, so recipients do not learn each other)."""
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)
