"""Reads of the Rückführung: the checklist's state, open tasks and decisions, the debrief timeline."""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.policy import require_perm

from .models import (
    LEITUNG_CODES,
    ClosingChecklist,
    LogCategory,
    LogEntry,
    Staff,
    StaffAssignment,
    Task,
    TaskStatus,
)

OPEN_TASK_STATES = (TaskStatus.OFFEN, TaskStatus.IN_ARBEIT)
# Bounds of what a page or the debrief timeline shows (a staff may log 10,000 entries).
MAX_LISTED = 300
MAX_DEBRIEF_DECISIONS = 120
MAX_DEBRIEF_SITUATION = 40
MAX_DEBRIEF_SHIFT_DAYS = 30
MAX_DEBRIEF_TASKS = 60


def open_checklist(staff: Staff) -> ClosingChecklist | None:
    return ClosingChecklist.objects.filter(staff=staff, closed_at__isnull=True).first()


def last_closed_checklist(staff: Staff) -> ClosingChecklist | None:
    return (ClosingChecklist.objects.filter(staff=staff, closed_at__isnull=False).select_related("debrief")
            .order_by("-closed_at").first())


def open_tasks(staff: Staff):
    return Task.objects.filter(staff=staff, status__in=OPEN_TASK_STATES).select_related("owner_function").order_by("number")


def staff_members(staff: Staff) -> list:
    """The accounts holding an open assignment of the staff (holders and deputies)."""
    assignments = StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).select_related("user")
    return list({a.user_id: a.user for a in assignments}.values())


def staff_leaders(staff: Staff) -> list:
    assignments = StaffAssignment.objects.filter(function__staff=staff, function__code__in=LEITUNG_CODES,
                                                 ended_at__isnull=True).select_related("user")
    return list({a.user_id: a.user for a in assignments}.values())


def _corrected_texts(staff: Staff, numbers) -> dict[int, str]:
    """For corrected entries: the text of their latest correction (by corrected entry's number)."""
    wanted = set(numbers)
    latest: dict[int, str] = {}
    # All corrections of the staff (few), matched here: no IN list as long as the log.
    for corrected, text in (LogEntry.objects.filter(staff=staff, corrects__isnull=False)
                            .order_by("number").values_list("corrects__number", "text")):
        if corrected in wanted:
            latest[corrected] = text
    return latest


def decisions(staff: Staff, *, limit: int = MAX_LISTED) -> list[dict]:
    """The staff's decisions from its ETB (category Entscheidung), with their latest correction."""
    entries = list(LogEntry.objects.filter(staff=staff, category=LogCategory.ENTSCHEIDUNG).order_by("number")[:limit])
    corrected = _corrected_texts(staff, [e.number for e in entries])
    return [{"entry": e, "text": corrected.get(e.number, e.text), "corrected": e.number in corrected} for e in entries]


def etb_export_url(staff: Staff) -> str:
    """The ETB export page (the ETB part's), or "" while it does not exist."""
    try:
        return reverse("stab:etb_export", args=[staff.pk])
    except NoReverseMatch:
        return ""


def checklist_state(staff: Staff, checklist: ClosingChecklist | None) -> dict:
    """Which items of the Rückführung are done: tasks handed over, decisions, archive, notification."""
    tasks = list(open_tasks(staff)[:MAX_LISTED])
    handovers = {h.task_id: h for h in checklist.handovers.select_related("owner_person", "owner_organisation")} if checklist else {}
    rows = [{"task": t, "handover": handovers.get(t.pk)} for t in tasks]
    items = {
        "tasks": all(r["handover"] is not None for r in rows),
        "decisions": bool(checklist and checklist.decisions_confirmed_at),
        "archive": bool(checklist and checklist.archive_confirmed_at),
        "notify": bool(checklist and checklist.members_notified_at),
    }
    return {"task_rows": rows, "items": items, "complete": all(items.values()),
            "open_count": sum(1 for done in items.values() if not done)}


def closing_overview(staff: Staff, *, user) -> dict:
    """Everything the Rückführung page shows (for people allowed ``stab.run_closing``)."""
    require_perm(user, "stab.run_closing", staff)
    checklist = open_checklist(staff) if staff.is_active else None
    state = checklist_state(staff, checklist)
    return {
        "staff": staff,
        "checklist": checklist,
        "state": state,
        "decisions": decisions(staff),
        "etb_export_url": etb_export_url(staff),
        "functions": list(staff.functions.order_by("order", "name")),
        "members": staff_members(staff),
        "last_closing": last_closed_checklist(staff),
        "history": list(ClosingChecklist.objects.filter(staff=staff, closed_at__isnull=False).select_related("debrief", "closed_by")
                        .order_by("-closed_at")[:20]),
    }


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _even_sample(items: list, limit: int) -> list:
    """At most ``limit`` items spread evenly over ``items`` (first and last kept)."""
    if len(items) <= limit:
        return items
    if limit <= 1:
        return items[:limit]
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


def debrief_timeline(staff: Staff, *, checklist: ClosingChecklist | None = None, now=None) -> list[dict]:
    """The items prefilled on the debrief's timeline wall (``workshops.actions.do_prefill_timeline``):
    the ETB's decisions and special incidents, a sample of the situation entries, one summary per
    day of shift changes, and the tasks still open (overdue ones marked, with their new owner)."""
    now = now or timezone.now()
    prefix = f"stab-{staff.uuid}"
    categories = (LogCategory.LAGE, LogCategory.ENTSCHEIDUNG, LogCategory.VORKOMMNIS, LogCategory.SCHICHTWECHSEL)
    entries = list(LogEntry.objects.filter(staff=staff, category__in=categories).order_by("number")
                   .only("number", "category", "text", "event_at")[:20000])
    corrected = _corrected_texts(staff, [e.number for e in entries if e.category != LogCategory.SCHICHTWECHSEL])
    labels = {LogCategory.LAGE: _("Lage"), LogCategory.ENTSCHEIDUNG: _("Entscheidung"), LogCategory.VORKOMMNIS: _("Besonderes Vorkommnis")}
    key_entries = [e for e in entries if e.category in (LogCategory.ENTSCHEIDUNG, LogCategory.VORKOMMNIS)][:MAX_DEBRIEF_DECISIONS]
    situation = _even_sample([e for e in entries if e.category == LogCategory.LAGE], MAX_DEBRIEF_SITUATION)
    items = []
    for e in sorted(key_entries + situation, key=lambda e: e.number):
        text = corrected.get(e.number, e.text)
        note = _(" (berichtigt)") if e.number in corrected else ""
        items.append({"key": f"{prefix}-etb-{e.number}", "when": _local_date(e.event_at),
                      "text": f"{labels[e.category]} (ETB Nr. {e.number}){note}: {text}"})
    shifts: dict = defaultdict(int)
    for e in entries:
        if e.category == LogCategory.SCHICHTWECHSEL:
            shifts[_local_date(e.event_at)] += 1
    for day in _even_sample(sorted(shifts), MAX_DEBRIEF_SHIFT_DAYS):
        items.append({"key": f"{prefix}-shift-{day.isoformat()}", "when": day,
                      "text": _("Schichtwechsel am %(day)s: %(n)s Übergabe(n) im ETB") % {"day": day.strftime("%d.%m.%Y"), "n": shifts[day]}})
    handovers = {h.task_id: h for h in checklist.handovers.select_related("owner_person", "owner_organisation")} if checklist else {}
    for task in open_tasks(staff)[:MAX_DEBRIEF_TASKS]:
        overdue = bool(task.due_at and task.due_at < now)
        text = (_("Überfälliger Auftrag Nr. %(n)s: %(title)s") if overdue else _("Offener Auftrag Nr. %(n)s: %(title)s")) % {
            "n": task.number, "title": task.title}
        if task.due_at:
            text += " " + _("(fällig %(due)s)") % {"due": timezone.localtime(task.due_at).strftime("%d.%m.%Y %H:%M")}
        if task.pk in handovers:
            text += " – " + _("übergeben an %(owner)s") % {"owner": handovers[task.pk].owner_label}
        items.append({"key": f"{prefix}-task-{task.number}", "when": _local_date(task.due_at or task.created_at), "text": text})
    return items
