"""State changes of Meldungen and Aufträge: each one transaction, permission, audit row, ETB entry."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import SYSTEM, has_perm, is_system, person, require_perm

from .journal import record_in_log
from .models import (
    LEITUNG_CODES,
    PRIORITY_RANK,
    LogCategory,
    Message,
    MessageAcknowledgement,
    MessageChannel,
    MessageDirection,
    MessagePriority,
    MessageSettings,
    MessageStatus,
    Staff,
    StaffAssignment,
    StaffFunction,
    Task,
)
from .msg_events import MsgEvent
from .msg_lifecycles import MESSAGE, TASK
from .msg_selectors import sichter_function
from .msg_text import acknowledged_text, recorded_text, task_created_text
from .rules import staff_codes

# How far back a message's time of transmission may lie, and how far ahead (clock skew).
MESSAGE_BACKDATE_LIMIT = datetime.timedelta(days=14)
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
# A task's due time may lie this little in the past (the form was open for a moment).
DUE_GRACE = datetime.timedelta(minutes=1)
MAX_TEXT = 20_000


def _clean_key(client_key: str) -> str:
    key = (client_key or "").strip()
    if len(key) > 64:
        raise ValidationError(_("Ungültiger Formularschlüssel. Bitte laden Sie das Formular neu."))
    return key


def _required(errors: dict, field: str, value: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = _("Bitte %(label)s angeben.") % {"label": label}
    elif len(value) > max_length:
        errors[field] = _("%(label)s ist zu lang (höchstens %(max)s Zeichen).") % {"label": label, "max": max_length}
    return value


def _next_number(model, staff: Staff) -> int:
    last = model.objects.filter(staff=staff).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _system_time(acting_user, at):
    """A past time of the step: only the system (demo content, imports) may give one."""
    return at if (at is not None and is_system(acting_user)) else None


def _holders(functions, *, except_user=None) -> list:
    users = {a.user for a in StaffAssignment.objects.filter(function__in=list(functions), ended_at__isnull=True).select_related("user")}
    return [u for u in users if getattr(except_user, "pk", None) != u.pk]


def _notify_message(message: Message, functions, *, subject: str, acting_user) -> None:
    """Tell the holders of ``functions`` about ``message`` (e-mail too for Blitz and Sofort).
    The subject names the staff (``str(staff)`` says ÜBUNG for an exercise)."""
    recipients = _holders(functions, except_user=acting_user)
    if recipients:
        notify(recipients, subject=f"{subject} – {message.staff}", body=message.content[:1000],
               url=reverse("stab:msg_detail", args=[message.pk]),
               send_email=message.priority in (MessagePriority.BLITZ, MessagePriority.SOFORT))


def _lock_staff(staff: Staff) -> Staff:
    return Staff.objects.select_for_update().get(pk=staff.pk)


# --- Meldungen -----------------------------------------------------------------------------

def do_record_message(staff: Staff, *, direction: str, channel: str, priority: str, sender: str, recipient: str,
                      content: str, acting_user, transmitted_at=None, client_key: str = "") -> Message:
    """Take in (Eingang) or write out (Ausgang) a message: part 1 of the four-part form.

    Writes an ETB entry „Meldung ein“/„Meldung aus“. The same ``client_key`` twice returns the
    message stored the first time (double submit).
    """
    require_perm(acting_user, "stab.create_message", staff)
    key = _clean_key(client_key)
    now = timezone.now()
    errors: dict = {}
    if direction not in MessageDirection.values:
        errors["direction"] = _("Bitte Eingang oder Ausgang wählen.")
    if channel not in MessageChannel.values:
        errors["channel"] = _("Bitte die Übermittlungsart wählen.")
    if priority not in MessagePriority.values:
        errors["priority"] = _("Bitte den Vorrang wählen (Blitz, Sofort oder Normal).")
    sender = _required(errors, "sender", sender, _("Absender/in"), 200)
    recipient = _required(errors, "recipient", recipient, _("Empfänger/in"), 200)
    content = _required(errors, "content", content, _("den Inhalt"), MAX_TEXT)
    transmitted_at = transmitted_at or now
    if transmitted_at > now + FUTURE_TOLERANCE:
        errors["transmitted_at"] = _("Die Zeit der Übermittlung liegt in der Zukunft.")
    elif transmitted_at < now - MESSAGE_BACKDATE_LIMIT and not is_system(acting_user):
        errors["transmitted_at"] = _("Die Zeit der Übermittlung liegt mehr als %(days)s Tage zurück.") % {"days": MESSAGE_BACKDATE_LIMIT.days}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock_staff(staff)
        if key:
            existing = Message.objects.filter(staff=locked, client_key=key).first()
            if existing is not None:
                return existing
        message = Message.objects.create(
            staff=locked, number=_next_number(Message, locked), direction=direction, channel=channel, priority=priority,
            priority_rank=PRIORITY_RANK[MessagePriority(priority)], sender=sender, recipient=recipient,
            transmitted_at=transmitted_at, content=content, recorded_by=person(acting_user), client_key=key,
            recorded_at=_system_time(acting_user, transmitted_at) or now,
        )
        record(MsgEvent.MESSAGE_RECORDED, acting_user=acting_user, obj=message, municipality=locked.municipality,
               number=message.number, priority=priority, direction=direction)
        record_in_log(locked, category=LogCategory.MELDUNG_AUS if direction == MessageDirection.AUSGANG else LogCategory.MELDUNG_EIN,
                      text=recorded_text(message), event_at=transmitted_at, acting_user=acting_user)
        if message.recorded_at >= now - FUTURE_TOLERANCE and priority != MessagePriority.NORMAL:
            sichter = sichter_function(locked)
            leitung = StaffFunction.objects.filter(staff=locked, code__in=LEITUNG_CODES)
            _notify_message(message, [sichter] if sichter else leitung, acting_user=acting_user,
                            subject=_("%(priority)s: Meldung Nr. %(number)s zur Sichtung") % {
                                "priority": message.get_priority_display(), "number": message.number})
        return message


def do_route_message(message: Message, *, functions, sichter_note: str = "", acting_user, at=None) -> Message:
    """Sichtung and Verteilung (parts 2 and 3): the Sichter notes and routes to functions."""
    require_perm(acting_user, "stab.route_message", message)
    functions = list(functions)
    note = (sichter_note or "").strip()
    if not functions:
        raise ValidationError({"functions": _("Bitte mindestens eine Funktion für den Verteiler wählen.")})
    if len(note) > MAX_TEXT:
        raise ValidationError({"sichter_note": _("Der Sichtervermerk ist zu lang.")})
    if any(f.staff_id != message.staff_id for f in functions):
        raise ValidationError({"functions": _("Der Verteiler darf nur Funktionen dieses Stabes enthalten.")})
    with transaction.atomic():
        locked = Message.objects.select_for_update(of=("self",)).select_related("staff").get(pk=message.pk)
        MESSAGE.check(acting_user, locked, "route")
        locked.sichter_note = note
        locked.routed_by = person(acting_user)
        locked.routed_at = _system_time(acting_user, at) or timezone.now()
        locked._log_event_at = _system_time(acting_user, at)
        locked.distribution.set(functions)
        MESSAGE.apply(locked, "route", acting_user=acting_user, update_fields=["sichter_note", "routed_by", "routed_at"],
                      audit={"functions": sorted(f.code for f in functions)})
        if locked._log_event_at is None:
            _notify_message(locked, functions, acting_user=acting_user, subject=_("%(priority)s: Meldung Nr. %(number)s an Ihre Funktion") % {
                "priority": locked.get_priority_display(), "number": locked.number})
        return locked


def do_acknowledge_message(message: Message, *, acting_user, by=None, at=None) -> list[MessageAcknowledgement]:
    """Kenntnisnahme (part 4) for every function on the Verteiler that ``acting_user`` holds and
    that has not yet taken note. When all have, the message is done.

    ``by``/``at``: only the system (demo content, paper forms typed in later) records the
    Kenntnisnahme of a named member at a past time.
    """
    if is_system(acting_user) and by is not None:
        person_user, at = by, at
    else:
        require_perm(acting_user, "stab.acknowledge_message", message)
        person_user, at = acting_user, None
    with transaction.atomic():
        locked = Message.objects.select_for_update(of=("self",)).select_related("staff").get(pk=message.pk)
        if locked.status != MessageStatus.VERTEILT:
            raise ValidationError(_("Diese Meldung ist nicht (mehr) zur Kenntnisnahme verteilt."))
        codes = staff_codes(person_user, locked.staff)
        done = set(locked.acknowledgements.values_list("function_id", flat=True))
        held = list(locked.distribution.filter(code__in=codes))
        if not held:
            raise ValidationError(_("Sie haben keine Funktion auf dem Verteiler dieser Meldung inne."))
        functions = [f for f in held if f.pk not in done]
        if not functions:
            raise ValidationError(_("Ihre Funktion hat diese Meldung bereits zur Kenntnis genommen."))
        name = person_user.get_full_name() or person_user.get_username()
        when = at or timezone.now()
        acks = [MessageAcknowledgement.objects.create(message=locked, function=f, user=person(person_user), user_name=name, at=when)
                for f in functions]
        record(MsgEvent.MESSAGE_ACKNOWLEDGED, acting_user=acting_user, obj=locked, municipality=locked.staff.municipality,
               functions=sorted(f.code for f in functions))
        record_in_log(locked.staff, category=LogCategory.MELDUNG_AUS if locked.direction == MessageDirection.AUSGANG else LogCategory.MELDUNG_EIN,
                      text=acknowledged_text(locked, functions, name), acting_user=acting_user, event_at=at)
        if not locked.distribution.exclude(pk__in=[*done, *(f.pk for f in functions)]).exists():
            # Everyone on the Verteiler took note: the message is done (by the person if allowed, else the system).
            closer = acting_user if has_perm(acting_user, "stab.complete_message", locked) else SYSTEM
            locked.done_at = when
            locked._log_event_at = at
            MESSAGE.apply(locked, "complete", acting_user=closer, update_fields=["done_at"], audit={"reason": "alle_kenntnis"})
        return acks


def do_complete_message(message: Message, *, acting_user, at=None) -> Message:
    """Close a message by hand (e.g. an outgoing one that needs no Kenntnisnahme)."""
    require_perm(acting_user, "stab.complete_message", message)
    with transaction.atomic():
        locked = Message.objects.select_for_update(of=("self",)).select_related("staff").get(pk=message.pk)
        MESSAGE.check(acting_user, locked, "complete")
        locked.done_at = _system_time(acting_user, at) or timezone.now()
        locked._log_event_at = _system_time(acting_user, at)
        return MESSAGE.apply(locked, "complete", acting_user=acting_user, update_fields=["done_at"])


def do_set_sichter_function(staff: Staff, *, function: StaffFunction | None, acting_user) -> MessageSettings:
    """Choose the staff's sichtende Funktion (None: the default, see ``msg_selectors``)."""
    require_perm(acting_user, "stab.manage_message_settings", staff)
    if function is not None and function.staff_id != staff.pk:
        raise ValidationError({"sichter_function": _("Bitte eine Funktion dieses Stabes wählen.")})
    with transaction.atomic():
        settings_row, _created = MessageSettings.objects.select_for_update().get_or_create(staff=staff)
        settings_row.sichter_function = function
        settings_row.save(update_fields=["sichter_function"])
        staff.__dict__.pop("_krisenwissen_sichter", None)
        record(MsgEvent.MESSAGE_SETTINGS_CHANGED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
               function=function.code if function else "")
        return settings_row


# --- Aufträge ------------------------------------------------------------------------------

def do_create_task(staff: Staff, *, title: str, owner_function: StaffFunction | None, due_at, description: str = "",
                   acting_user, client_key: str = "", issued_at=None) -> Task:
    """Give a task (Auftrag) to a function of ``staff``; writes an ETB entry „Auftrag“.

    Called by the task form and by the meeting's decisions. A due time in the past is refused;
    the same ``client_key`` twice returns the task stored the first time.
    """
    require_perm(acting_user, "stab.create_task", staff)
    key = _clean_key(client_key)
    errors: dict = {}
    title = _required(errors, "title", title, _("den Auftrag"), 300)
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        errors["description"] = _("Die Beschreibung ist zu lang.")
    if owner_function is None:
        errors["owner_function"] = _("Bitte die zuständige Funktion wählen.")
    elif owner_function.staff_id != staff.pk:
        errors["owner_function"] = _("Bitte eine Funktion dieses Stabes wählen.")
    issued_at = _system_time(acting_user, issued_at)
    if due_at is not None and due_at < (issued_at or timezone.now()) - DUE_GRACE:
        errors["due_at"] = _("Die Fälligkeit liegt in der Vergangenheit. Bitte einen künftigen Zeitpunkt angeben.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock_staff(staff)
        if key:
            existing = Task.objects.filter(staff=locked, client_key=key).first()
            if existing is not None:
                return existing
        task = Task.objects.create(staff=locked, number=_next_number(Task, locked), title=title, description=description,
                                   owner_function=owner_function, due_at=due_at, created_by=person(acting_user), client_key=key,
                                   created_at=issued_at or timezone.now())
        record(MsgEvent.TASK_CREATED, acting_user=acting_user, obj=task, municipality=locked.municipality,
               number=task.number, function=owner_function.code)
        record_in_log(locked, category=LogCategory.AUFTRAG, text=task_created_text(task), acting_user=acting_user, event_at=issued_at)
        return task


def do_start_task(task: Task, *, acting_user) -> Task:
    require_perm(acting_user, "stab.work_task", task)
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).select_related("staff", "owner_function").get(pk=task.pk)
        return TASK.apply(locked, "start", acting_user=acting_user)


def _close_task(task: Task, step: str, feedback: str, acting_user, at=None) -> Task:
    feedback = (feedback or "").strip()
    if not feedback:
        message = _("Bitte eine Rückmeldung angeben: was wurde erledigt?") if step == "complete" else _("Bitte den Grund des Abbruchs angeben.")
        raise ValidationError({"feedback": message})
    if len(feedback) > MAX_TEXT:
        raise ValidationError({"feedback": _("Die Rückmeldung ist zu lang.")})
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).select_related("staff", "owner_function").get(pk=task.pk)
        TASK.check(acting_user, locked, step)
        locked.feedback = feedback
        locked.done_at = _system_time(acting_user, at) or timezone.now()
        locked._log_event_at = _system_time(acting_user, at)
        locked.done_by = person(acting_user)
        return TASK.apply(locked, step, acting_user=acting_user, update_fields=["feedback", "done_at", "done_by"])


def do_complete_task(task: Task, *, feedback: str, acting_user, at=None) -> Task:
    """Report a task done; the Rückmeldung is required and goes into the ETB."""
    require_perm(acting_user, "stab.work_task", task)
    return _close_task(task, "complete", feedback, acting_user, at)


def do_abort_task(task: Task, *, feedback: str, acting_user) -> Task:
    """Abort a task; the reason is required and goes into the ETB."""
    require_perm(acting_user, "stab.abort_task", task)
    return _close_task(task, "abort", feedback, acting_user)
