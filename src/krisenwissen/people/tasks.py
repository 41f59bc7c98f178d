"""Background jobs of Köpfe kennen (django-tasks; in production `krisenwissen db_worker`).

``send_confirm_reminders`` is enqueued daily by ``krisenwissen koepfe erinnern`` (cron or the
systemd timer, like ``send_reminders``): people whose entry has not been confirmed for
``KRISENWISSEN_PEOPLE_CONFIRM_MONTHS`` get a notification (in-app and e-mail) to confirm it;
entries without an account remind whoever maintains them. Each stale entry is reminded at most
once per interval (``Person.reminded_at``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import SYSTEM

from .events import PeopleEvent
from .models import Person
from .selectors import stale_before, stale_q


def send_confirm_reminders_now(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = stale_before(now)
    due = (Person.objects.filter(stale_q(now))
           .filter(leaving_on__isnull=True)
           .exclude(reminded_at__gte=cutoff)
           .select_related("account", "maintained_by", "municipality"))
    counts = {"erinnert": 0, "ohne_empfaenger": 0}
    for person in due.iterator():
        recipient = person.account if person.account_id else person.maintained_by
        if recipient is None or not recipient.is_active:
            counts["ohne_empfaenger"] += 1
            continue
        own = person.account_id == recipient.pk
        subject = "Bitte bestätigen Sie Ihren Eintrag in „Köpfe kennen“" if own else f"Bitte Eintrag bestätigen: {person.display_name}"
        body = ("Guten Tag,\n\n"
                + ("Ihr Eintrag" if own else f"der Eintrag „{person.display_name}“")
                + f" im Verzeichnis „Köpfe kennen“ ({person.municipality.name}) wurde seit mehr als "
                "der vorgesehenen Zeit nicht bestätigt. Bitte prüfen Sie Funktion, Erreichbarkeit und Kompetenzen "
                "und bestätigen Sie den Eintrag, damit er in der Krise stimmt.")
        with transaction.atomic():
            Person.objects.filter(pk=person.pk).update(reminded_at=now)
            notify([recipient], subject=subject, body=body, url=reverse("people:detail", args=[person.pk]))
        counts["erinnert"] += 1
    if counts["erinnert"]:
        record(PeopleEvent.CONFIRM_REMINDERS_SENT, acting_user=SYSTEM, **counts)
    return counts


@task()
def send_confirm_reminders() -> dict[str, int]:
    return send_confirm_reminders_now()
