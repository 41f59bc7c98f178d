"""In-app notifications and the e-mails that go with them.

``notify`` is the one way apps tell people something (a new ordinance version, an action
falling due, a review waiting). The caller chooses the recipients and is responsible for only
naming things they may read; ``notify`` stores one notification per active recipient and
queues the e-mails for after the commit, so a rolled-back action mails nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .policy import require_perm
from .tasks import send_notification_mails


def absolute_url(path: str) -> str:
    """``path`` on the configured base URL (for e-mails, which have no request)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.KRISENWISSEN_BASE_URL.rstrip("/") + path


def notify(recipients: Iterable, *, subject: str, body: str, url: str = "", send_email: bool = True) -> list[Notification]:
    """Create a notification for each distinct active recipient and e-mail those with an address.

    Returns the created notifications. E-mails are sent by a background task after the
    surrounding transaction commits.
    """
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    subject = subject.strip()[:200]
    created = Notification.objects.bulk_create(
        [Notification(recipient=user, subject=subject, body=body, url=url[:500]) for user in people.values()]
    )
    if send_email:
        addresses = sorted({user.email for user in people.values() if user.email})
        if addresses:
            text = body + (f"\n\n{absolute_url(url)}" if url else "") + "\n\n-- krisenwissen\n"
            transaction.on_commit(lambda: send_notification_mails.enqueue(subject, text, addresses))
    return created


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def do_mark_notifications_read(ids: Iterable[int] | None = None, *, acting_user) -> int:
    """Mark the acting user's notifications (all, or the given ids) as read; returns how many.

    Reading one's own notifications is not audited: it changes nothing anyone else sees.
    """
    require_perm(acting_user, "core.mark_notifications_read")
    unread = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
