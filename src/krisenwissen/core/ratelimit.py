"""Per-client rate limits that hold across worker processes: counters in the database.

``hit(scope, address, scope_key=...)`` counts one request of ``address`` in the current fixed
window of ``scope`` and raises :class:`RateLimited` (German message, seconds until the window
ends) when the count exceeds the limit. Limits come from ``settings.KRISENWISSEN_RATE_LIMITS``
(``{"scope": (requests, seconds)}``; a missing scope or 0 requests: no limit).

Why not django-ratelimit: it counts with ``cache.incr``; the only cache every gunicorn worker
shares without a new service is Django's DatabaseCache, whose ``incr`` is a read followed by
a write, so parallel requests are lost. Here one ``UPDATE ... SET count = count + 1`` (or an
``INSERT`` guarded by a unique constraint) increments the counter; the row stays locked until
the transaction ends, so the count read back is exactly this request's number: N parallel
requests get the numbers 1..N and only the first ``limit`` pass. Refused requests count too.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RateCounter


class RateLimited(Exception):
    def __init__(self, scope: str, retry_after: int):
        self.scope = scope
        self.retry_after = max(1, int(retry_after))
        minutes = (self.retry_after + 59) // 60
        if self.retry_after < 60:
            wait = _("in %(n)s Sekunden") % {"n": self.retry_after}
        else:
            wait = _("in %(n)s Minuten") % {"n": minutes} if minutes > 1 else _("in einer Minute")
        super().__init__(_("Zu viele Anfragen von dieser Adresse. Bitte versuchen Sie es %(wait)s noch einmal.")
                         % {"wait": wait})


def limit_for(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) for ``scope``, or None when it is not limited."""
    value = getattr(settings, "KRISENWISSEN_RATE_LIMITS", {}).get(scope)
    if not value:
        return None
    requests, seconds = int(value[0]), int(value[1])
    if requests <= 0 or seconds <= 0:
        return None
    return requests, seconds


def hit(scope: str, address: str | None, *, scope_key: object = "", now: float | None = None,
        limit: tuple[int, int] | None = None) -> int:
    """Count one request; returns its number in the window or raises :class:`RateLimited`.

    ``limit`` ((requests, seconds)) overrides the scope's entry in ``KRISENWISSEN_RATE_LIMITS``
    for limits that have settings of their own (e.g. password-reset links).
    """
    limit = limit_for(scope) if limit is None else limit
    if limit is None:
        return 0
    requests, seconds = limit
    now = time.time() if now is None else now
    window = int(now // seconds) * seconds
    key = f"{scope}:{scope_key}:{address or 'unbekannt'}"[:200]
    with transaction.atomic():
        rows = RateCounter.objects.filter(key=key, window=window)
        if not rows.update(count=F("count") + 1):
            expires = datetime.datetime.fromtimestamp(window + seconds, tz=datetime.UTC)
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window=window, count=1, expires=expires)
            except IntegrityError:  # a parallel request created it first
                rows.update(count=F("count") + 1)
            else:
                RateCounter.objects.filter(expires__lt=timezone.now()).delete()  # old windows
        count = rows.values_list("count", flat=True).get()
    if count > requests:
        raise RateLimited(scope, window + seconds - now)
    return count
