"""The German texts of the automatic ETB entries of messages and tasks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _


def when(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def _functions(functions) -> str:
    return ", ".join(f.name for f in functions)


def recorded_text(message) -> str:
    direction = _("Eingang") if message.direction == "eingang" else _("Ausgang")
    return _("Meldung Nr. %(number)s (%(priority)s, %(direction)s per %(channel)s, %(at)s) von %(sender)s an %(recipient)s: %(content)s") % {
        "number": message.number, "priority": message.get_priority_display(), "direction": direction,
        "channel": message.get_channel_display(), "at": when(message.transmitted_at), "sender": message.sender,
        "recipient": message.recipient, "content": message.content}


def routed_text(message) -> str:
    text = _("Meldung Nr. %(number)s gesichtet und verteilt an: %(functions)s.") % {
        "number": message.number, "functions": _functions(message.distribution.all()) or _("(keine Funktion)")}
    if message.sichter_note:
        text += " " + _("Sichtervermerk: %(note)s") % {"note": message.sichter_note}
    return text


def acknowledged_text(message, functions, name: str) -> str:
    return _("Meldung Nr. %(number)s zur Kenntnis genommen: %(functions)s (%(name)s).") % {
        "number": message.number, "functions": _functions(functions), "name": name}


def completed_text(message) -> str:
    return _("Meldung Nr. %(number)s erledigt.") % {"number": message.number}


def task_created_text(task) -> str:
    text = _("Auftrag Nr. %(number)s an %(owner)s: %(title)s") % {
        "number": task.number, "owner": task.owner_function.name if task.owner_function else _("(keine Funktion)"), "title": task.title}
    if task.due_at:
        text += " " + _("(fällig %(due)s)") % {"due": when(task.due_at)}
    return text


def task_closed_text(task) -> str:
    if task.status == "erledigt":
        return _("Auftrag Nr. %(number)s erledigt: %(title)s. Rückmeldung: %(feedback)s") % {
            "number": task.number, "title": task.title, "feedback": task.feedback}
    return _("Auftrag Nr. %(number)s abgebrochen: %(title)s. Grund: %(feedback)s") % {
        "number": task.number, "title": task.title, "feedback": task.feedback}
