"""Background jobs of the learning loop (django-tasks; in production `krisenwissen db_worker`).

``send_action_reminders`` is enqueued by the management command ``send_reminders``, which
cron (or a systemd timer) runs once a day; see docs/learning.md.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

REMIND_DAYS_BEFORE = 7


def _redaktion_of(municipality_id) -> list:
    """Active members of the municipality with Redaktion or a higher role."""
    from krisenwissen.accounts.models import Role
    from krisenwissen.accounts.selectors import members_with_role

    return list(members_with_role(municipality_id, minimum=Role.REDAKTION))


def collect_reminders(today: dt.date, days_before: int = REMIND_DAYS_BEFORE) -> list[tuple]:
    """(action, kind) pairs that are due for a reminder and were not reminded for this due date."""
    from .models import OPEN_STATUSES, Action, ReminderKind, ReminderLog

    sent = set(ReminderLog.objects.filter(action__status__in=OPEN_STATUSES).values_list("action_id", "kind", "due"))
    result = []
    for action in (Action.objects.filter(status__in=OPEN_STATUSES, due__lte=today + dt.timedelta(days=days_before))
                   .select_related("owner", "municipality").order_by("due", "pk")):
        kind = ReminderKind.UEBERFAELLIG if action.due < today else ReminderKind.BALD_FAELLIG
        if (action.pk, kind, action.due) not in sent:
            result.append((action, kind))
    return result


def send_reminders_now(today: dt.date | None = None) -> dict[str, int]:
    """Notify owners (in-app and by e-mail) of actions due soon or overdue; returns counts.

    The owner is reminded only while still an active member of the action's municipality,
    so the message only names what they may read; otherwise (or without a personal owner)
    the Redaktion of the municipality is. Each (action, kind, due date) is reminded once.
    """
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from krisenwissen.accounts.models import Role
    from krisenwissen.accounts.selectors import has_role
    from krisenwissen.core.audit import record
    from krisenwissen.core.notifications import notify

    from .models import ReminderKind, ReminderLog

    today = today or timezone.localdate()
    counts = {"bald_faellig": 0, "ueberfaellig": 0, "empfaenger": 0}
    for action, kind in collect_reminders(today):
        owner = action.owner
        if owner and owner.is_active and has_role(owner, municipality_id=action.municipality_id, minimum=Role.LESER):
            recipients = [owner]
        else:
            recipients = _redaktion_of(action.municipality_id)
        if not recipients:
            continue
        due = action.due.strftime("%d.%m.%Y")
        if kind == ReminderKind.UEBERFAELLIG:
            days = (today - action.due).days
            subject = f"Maßnahme überfällig: {action.title}"
            body = (f"Guten Tag,\n\ndie Maßnahme „{action.title}“ ({action.municipality.name}) war am {due} fällig "
                    f"und ist seit {days} Tag(en) überfällig. Status: {action.get_status_display()}.\n\n"
                    f"Bitte tragen Sie den Stand ein oder begründen Sie eine Verzögerung.")
        else:
            days = (action.due - today).days
            subject = f"Maßnahme bald fällig: {action.title}"
            body = (f"Guten Tag,\n\ndie Maßnahme „{action.title}“ ({action.municipality.name}) ist am {due} fällig "
                    f"(in {days} Tag(en)). Status: {action.get_status_display()}.")
        try:
            with transaction.atomic():
                ReminderLog.objects.create(action=action, kind=kind, due=action.due,
                                           recipient=", ".join(u.email for u in recipients if u.email)[:254])
                notify(recipients, subject=subject, body=body, url=action.get_absolute_url())
                record("massnahme_erinnerung", acting_user=None, obj=action, art=str(kind), empfaenger=len(recipients))
        except IntegrityError:  # another worker sent it meanwhile
            continue
        counts[str(kind)] += 1
        counts["empfaenger"] += len(recipients)
    counts["wiederholungspruefung"] = _remind_rechecks(today)
    return counts


def _remind_rechecks(today: dt.date, days_before: int = REMIND_DAYS_BEFORE) -> int:
    """Tell the Redaktion of a municipality when an embedded lesson is due for its re-check."""
    from django.db import IntegrityError, transaction

    from krisenwissen.core.audit import record
    from krisenwissen.core.notifications import notify
    from krisenwissen.knowledge.models import Lesson, LessonStatus

    from .models import RecheckReminder

    sent = 0
    for lesson in (Lesson.objects.filter(status=LessonStatus.VERANKERT, recheck_due__lte=today + dt.timedelta(days=days_before))
                   .select_related("municipality")):
        if RecheckReminder.objects.filter(lesson=lesson, due=lesson.recheck_due).exists():
            continue
        people = _redaktion_of(lesson.municipality_id)
        if not people:
            continue
        try:
            with transaction.atomic():
                RecheckReminder.objects.create(lesson=lesson, due=lesson.recheck_due)
                notify(people, subject=f"Wiederholungsprüfung fällig: {lesson.title}", url=lesson.get_absolute_url(),
                       body=(f"Guten Tag,\n\ndie Erkenntnis „{lesson.title}“ ({lesson.municipality.name}) gilt als verankert; "
                             f"die nächste Überprüfung ist am {lesson.recheck_due:%d.%m.%Y} fällig. Bitte prüfen Sie, ob die "
                             "Veränderung hält, und tragen Sie das Ergebnis ein."))
                record("erkenntnis_pruefung_erinnert", acting_user=None, obj=lesson, faellig=lesson.recheck_due.isoformat())
        except IntegrityError:
            continue
        sent += 1
    return sent


@task()
def send_action_reminders(today_iso: str | None = None) -> dict[str, int]:
    """The scheduled job: remind owners before due dates and on overdue actions."""
    today = dt.date.fromisoformat(today_iso) if today_iso else None
    return send_reminders_now(today)
