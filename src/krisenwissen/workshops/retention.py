"""Retention of the workshops app (declared as ``WorkshopsConfig.retention``, see ``core.retention``).

``periods["workshops"]`` days after the last day of a workshop that has ended (status
dokumentiert, validiert or veröffentlicht; ``end_date``, else ``start_date``):

- its participants keep no name and no account link (pseudonymised: the cards, votes and the
  municipality/department statistics stay, the knowledge is kept);
- its photos are deleted, the rows and the image and preview files in storage (after the
  transaction commits, so a rolled-back run deletes no file);
- author names in the board's event log are blanked (only ``namentlich`` workshops had them).

A workshop still planned or running keeps its data: the moderation ends it (docs/datenschutz.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .actions import _forget_author_names
from .models import Participant, Photo, Workshop, WorkshopStatus

ENDED = (WorkshopStatus.DOKUMENTIERT, WorkshopStatus.VALIDIERT, WorkshopStatus.VEROEFFENTLICHT)


def expired_workshops(*, now: dt.datetime, days: int):
    """Ended workshops whose last day is more than ``days`` days before ``now`` (local date)."""
    last_day = timezone.localdate(now) - dt.timedelta(days=days)
    return Workshop.objects.filter(status__in=ENDED).filter(
        Q(end_date__lt=last_day) | Q(end_date__isnull=True, start_date__lt=last_day))


def _delete_files(names: list[tuple]) -> None:
    for storage, name in names:
        if name:
            storage.delete(name)


def apply(*, now, periods: dict[str, int]) -> dict[str, int]:
    days = periods.get("workshops", 0)
    if not days or days <= 0:
        return {}
    workshops = expired_workshops(now=now, days=days)
    named = Participant.objects.filter(workshop__in=workshops).exclude(display_name="", user=None)
    participants = named.update(display_name="", user=None)
    photos = list(Photo.objects.filter(workshop__in=workshops))
    files = [(field.storage, field.name) for photo in photos for field in (photo.image, photo.thumbnail)]
    Photo.objects.filter(pk__in=[p.pk for p in photos]).delete()
    transaction.on_commit(lambda: _delete_files(files))
    events = sum(_forget_author_names(w) for w in workshops.filter(attribution="namentlich"))
    return {"workshop_teilnehmende": participants, "workshop_fotos": len(photos), "workshop_ereignisse": events}
