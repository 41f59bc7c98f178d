"""State changes of the Rückführung: hand tasks over, confirm decisions and archive, notify the
members, deactivate single functions or the whole staff (scheduling the hot debrief), activate
it again.

Every step runs in one transaction on the locked staff row, checks ``stab.run_closing`` /
``stab.deactivate_staff`` (``closing_rules``), writes an ETB entry (``journal.record_in_log``)
and an audit row. Nothing is ever deleted: re-activation keeps the checklist, the handovers,
the ended assignments and the ETB (its numbering continues).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import SYSTEM, person, require_perm

from . import closing_selectors as sel
from .closing_events import ClosingEvent as E
from .journal import record_in_log
from .lifecycles import STAFF_LIFECYCLE as STAFF_STATUS
from .models import (
    LEITUNG_CODES,
    ClosingChecklist,
    LogCategory,
    Staff,
    StaffAssignment,
    StaffFunction,
    Task,
    TaskHandover,
)

RUN = "stab.run_closing"
NOT_LEADING = gettext_lazy("Die Rückführung führen die Leitung des Stabes und die Administration der Kommune durch.")
MAX_NOTE = 2000
MIN_JUSTIFICATION = 10
DEBRIEF_DELAY_DAYS = 1
# A step repeated within this time with the same input is a double submit: stored once.
REPEAT_WINDOW = dt.timedelta(seconds=60)


def _just_done(when, *, same: bool) -> bool:
    return bool(same and when and abs(timezone.now() - when) < REPEAT_WINDOW)


def _clean(text, *, limit: int, field: str) -> str:
    text = "".join(ch for ch in str(text or "").replace("\r\n", "\n") if ch in "\n\t" or ch.isprintable()).strip()
    if len(text) > limit:
        raise ValidationError({field: _("Der Text ist zu lang (höchstens %(max)s Zeichen).") % {"max": limit}})
    return text


def _lock_active(staff: Staff) -> Staff:
    locked = Staff.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=staff.pk)
    if not locked.is_active:
        raise ValidationError(_("Der Stab ist deaktiviert; die Rückführung ist abgeschlossen."))
    return locked


def _checklist(staff: Staff, *, acting_user) -> ClosingChecklist:
    """The staff's open Rückführung (started by the first step)."""
    checklist = sel.open_checklist(staff)
    if checklist is None:
        checklist = ClosingChecklist.objects.create(staff=staff, started_by=person(acting_user))
    return checklist


@transaction.atomic
def do_hand_over_task(task: Task, *, owner_text: str = "", owner_person=None, owner_organisation=None, acting_user, at=None) -> TaskHandover:
    """Hand an open task to the regular organisation: a free-text Dienststelle/person and/or a
    person or organisation of the staff's municipality (a second handover changes the owner)."""
    require_perm(acting_user, RUN, task.staff, message=NOT_LEADING)
    staff = _lock_active(task.staff)
    task = Task.objects.get(pk=task.pk, staff=staff)
    if task.status not in sel.OPEN_TASK_STATES:
        raise ValidationError(_("Dieser Auftrag ist nicht mehr offen; er wird nicht übergeben."))
    owner_text = _clean(owner_text, limit=300, field="owner_text")
    for obj, field in ((owner_person, "owner_person"), (owner_organisation, "owner_organisation")):
        if obj is not None and obj.municipality_id != staff.municipality_id:
            raise ValidationError({field: _("Übergeben wird nur an die Regelorganisation der eigenen Kommune.")})
    if not (owner_text or owner_person or owner_organisation):
        raise ValidationError({"owner_text": _("Bitte nennen Sie, wer den Auftrag übernimmt (Dienststelle, Person oder Organisation).")})
    checklist = _checklist(staff, acting_user=acting_user)
    existing = checklist.handovers.filter(task=task).first()
    if existing is not None and (existing.owner_text, existing.owner_person_id, existing.owner_organisation_id) == (
            owner_text, getattr(owner_person, "pk", None), getattr(owner_organisation, "pk", None)):
        return existing  # the same handover again (double submit): nothing new
    handover, created = TaskHandover.objects.update_or_create(
        checklist=checklist, task=task,
        defaults={"owner_text": owner_text, "owner_person": owner_person, "owner_organisation": owner_organisation,
                  "handed_at": at or timezone.now(), "handed_by": person(acting_user)},
    )
    template = (_("Rückführung: Auftrag Nr. %(n)s „%(title)s“ an die Regelorganisation übergeben: %(owner)s") if created
                else _("Rückführung: Übergabe von Auftrag Nr. %(n)s „%(title)s“ geändert, übernimmt jetzt: %(owner)s"))
    record_in_log(staff, category=LogCategory.AUFTRAG, acting_user=acting_user, event_at=at,
                  text=template % {"n": task.number, "title": task.title, "owner": handover.owner_label})
    record(E.TASK_HANDED_OVER, acting_user=acting_user, obj=staff, municipality=staff.municipality, task=task.number, changed=not created)
    return handover


@transaction.atomic
def do_confirm_decisions(staff: Staff, *, note: str = "", acting_user, at=None) -> ClosingChecklist:
    """Confirm that the staff's decisions were reviewed (open ones named in the note)."""
    require_perm(acting_user, RUN, staff, message=NOT_LEADING)
    staff = _lock_active(staff)
    note = _clean(note, limit=MAX_NOTE, field="note")
    checklist = _checklist(staff, acting_user=acting_user)
    if _just_done(checklist.decisions_confirmed_at, same=checklist.decisions_note == note):
        return checklist
    count = len(sel.decisions(staff))
    checklist.decisions_confirmed_at = at or timezone.now()
    checklist.decisions_confirmed_by = person(acting_user)
    checklist.decisions_note = note
    checklist.save(update_fields=["decisions_confirmed_at", "decisions_confirmed_by", "decisions_note"])
    text = _("Rückführung: %(n)s Entscheidung(en) des Stabes geprüft; offene Entscheidungen bestätigt.") % {"n": count}
    if note:
        text += " " + _("Vermerk: %(note)s") % {"note": note}
    record_in_log(staff, category=LogCategory.MASSNAHME, text=text, acting_user=acting_user, event_at=at)
    record(E.DECISIONS_CONFIRMED, acting_user=acting_user, obj=staff, municipality=staff.municipality, decisions=count)
    return checklist


@transaction.atomic
def do_confirm_archive(staff: Staff, *, note: str = "", acting_user, at=None) -> ClosingChecklist:
    """Record that the ETB export and the staff's documents were archived (where: ``note``)."""
    require_perm(acting_user, RUN, staff, message=NOT_LEADING)
    staff = _lock_active(staff)
    note = _clean(note, limit=500, field="note")
    checklist = _checklist(staff, acting_user=acting_user)
    if _just_done(checklist.archive_confirmed_at, same=checklist.archive_note == note):
        return checklist
    last = staff.log_entries.order_by("-number").only("number", "hash").first()
    checklist.archive_confirmed_at = at or timezone.now()
    checklist.archive_confirmed_by = person(acting_user)
    checklist.archive_note = note
    checklist.save(update_fields=["archive_confirmed_at", "archive_confirmed_by", "archive_note"])
    text = _("Rückführung: Export des Einsatztagebuchs (bis Nr. %(n)s, Prüfsumme %(hash)s) und Dokumente archiviert.") % {
        "n": last.number if last else 0, "hash": last.hash[:16] if last else "–"}
    if note:
        text += " " + _("Ablage: %(note)s") % {"note": note}
    record_in_log(staff, category=LogCategory.MASSNAHME, text=text, acting_user=acting_user, event_at=at)
    record(E.ARCHIVE_CONFIRMED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
           last_number=last.number if last else 0)
    return checklist


@transaction.atomic
def do_notify_members(staff: Staff, *, message: str = "", acting_user, at=None) -> int:
    """Tell the staff's members (open assignments) about the Rückführung; returns how many."""
    require_perm(acting_user, RUN, staff, message=NOT_LEADING)
    staff = _lock_active(staff)
    message = _clean(message, limit=MAX_NOTE, field="message")
    checklist = _checklist(staff, acting_user=acting_user)
    if _just_done(checklist.members_notified_at, same=True):
        return checklist.members_notified_count  # sent a moment ago (double submit): not twice
    members = sel.staff_members(staff)
    if not members:
        raise ValidationError(_("Der Stab hat keine Mitglieder mit offener Besetzung, die benachrichtigt werden könnten."))
    body = _("Der Stab „%(staff)s“ wird in die Regelorganisation zurückgeführt und demnächst deaktiviert. "
             "Offene Aufträge werden an die zuständigen Stellen übergeben; eine Nachbesprechung folgt.") % {"staff": staff}
    if message:
        body += "\n\n" + message
    sent = notify(members, subject=_("%(staff)s: Rückführung in die Regelorganisation") % {"staff": staff}, body=body,
                  url=reverse("stab:staff_detail", args=[staff.pk]))
    checklist.members_notified_at = at or timezone.now()
    checklist.members_notified_by = person(acting_user)
    checklist.members_notified_count = len(sent)
    checklist.save(update_fields=["members_notified_at", "members_notified_by", "members_notified_count"])
    record_in_log(staff, category=LogCategory.MELDUNG_AUS, acting_user=acting_user, event_at=at,
                  text=_("Rückführung: %(n)s Mitglied(er) des Stabes über die Rückführung benachrichtigt.") % {"n": len(sent)})
    record(E.MEMBERS_NOTIFIED, acting_user=acting_user, obj=staff, municipality=staff.municipality, count=len(sent))
    return len(sent)


@transaction.atomic
def do_deactivate_function(function: StaffFunction, *, acting_user) -> StaffFunction:
    """Partial deactivation: one function ends (its assignments end) while the staff stays active."""
    require_perm(acting_user, RUN, function.staff, message=NOT_LEADING)
    staff = _lock_active(function.staff)
    function = StaffFunction.objects.get(pk=function.pk, staff=staff)
    if not function.active:
        raise ValidationError(_("Diese Funktion ist bereits deaktiviert."))
    if function.code in LEITUNG_CODES:
        raise ValidationError(_("Die Leitung endet erst mit der Deaktivierung des ganzen Stabes."))
    now = timezone.now()
    ended = StaffAssignment.objects.filter(function=function, ended_at__isnull=True).update(ended_at=now)
    function.active = False
    function.save(update_fields=["active"])
    record_in_log(staff, category=LogCategory.MASSNAHME, acting_user=acting_user,
                  text=_("Teildeaktivierung: Funktion „%(name)s“ deaktiviert, %(n)s Besetzung(en) beendet. Der Stab bleibt aktiv.")
                  % {"name": function.name, "n": ended})
    record(E.FUNCTION_DEACTIVATED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
           function=function.code, assignments_ended=ended)
    return function


def _schedule_debrief(staff: Staff, checklist: ClosingChecklist, *, at: dt.datetime, acting_user):
    """The hot debrief: a Nachbesprechung (Reflexionsraum) of the staff's municipality, led by the
    staff's Leitung and the person deactivating, with the ETB's timeline prefilled.

    The platform schedules it (as ``SYSTEM``, through the workshops app's own actions) as the
    consequence of the permitted deactivation: a staff's Leitung need not hold the Moderation
    role that creating a workshop otherwise asks for.
    """
    from krisenwissen.workshops import actions as workshop_actions
    from krisenwissen.workshops.models import Attribution, WorkshopKind

    facilitators = sel.staff_leaders(staff)
    actor = person(acting_user)
    if actor is not None and actor not in facilitators:
        facilitators.append(actor)
    day = timezone.localtime(at).date() + dt.timedelta(days=DEBRIEF_DELAY_DAYS)
    workshop = workshop_actions.do_create_workshop(
        host=staff.municipality, facilitators=facilitators, acting_user=SYSTEM,
        fields={"title": (_("Nachbesprechung: %(staff)s") % {"staff": staff})[:300], "kind": WorkshopKind.NACHBESPRECHUNG,
                "crisis": staff.crisis, "start_date": day, "attribution": Attribution.CHATHAM_HOUSE,
                "focus": (_("Heiße Nachbesprechung des Stabes „%(staff)s“ nach seiner Deaktivierung") % {"staff": staff})[:300]},
    )
    items = sel.debrief_timeline(staff, checklist=checklist, now=at)
    workshop_actions.do_prefill_timeline(workshop, items=items, acting_user=SYSTEM)
    record_in_log(staff, category=LogCategory.MASSNAHME, acting_user=acting_user, event_at=at,
                  text=_("Nachbesprechung (Reflexionsraum) „%(title)s“ für den %(day)s angesetzt; Zeitstrahl mit %(n)s Einträgen aus ETB und Aufträgen vorbelegt.")
                  % {"title": workshop.title, "day": day.strftime("%d.%m.%Y"), "n": len(items)})
    record(E.DEBRIEF_SCHEDULED, acting_user=acting_user, obj=staff, municipality=staff.municipality, workshop=workshop.pk, items=len(items))
    return workshop


@transaction.atomic
def do_deactivate_staff(staff: Staff, *, justification: str = "", acting_user, at: dt.datetime | None = None) -> ClosingChecklist:
    """Deactivate the staff: allowed with the Rückführung complete, or with a justification
    ("trotzdem deaktivieren, weil …"). Schedules the hot debrief, notifies the members of it,
    ends all open assignments (kept as history). ``at``: the time of the deactivation (demo
    content; default now)."""
    require_perm(acting_user, "stab.deactivate_staff", staff, message=STAFF_STATUS["deactivate"].permission_message)
    staff = _lock_active(staff)
    justification = _clean(justification, limit=MAX_NOTE, field="justification")
    checklist = _checklist(staff, acting_user=acting_user)
    state = sel.checklist_state(staff, checklist)
    if not state["complete"] and len(justification) < MIN_JUSTIFICATION:
        raise ValidationError({"justification": _(
            "Die Rückführungs-Checkliste ist noch nicht vollständig (%(n)s Punkt(e) offen). Schließen Sie sie ab "
            "oder begründen Sie, warum der Stab trotzdem deaktiviert wird (mindestens %(min)s Zeichen).")
            % {"n": state["open_count"], "min": MIN_JUSTIFICATION}})
    at = at or timezone.now()
    members = sel.staff_members(staff)
    workshop = _schedule_debrief(staff, checklist, at=at, acting_user=acting_user)
    text = (_("Stab deaktiviert; Rückführung vollständig.") if state["complete"]
            else _("Stab trotz offener Punkte der Rückführung deaktiviert. Begründung: %(why)s") % {"why": justification})
    record_in_log(staff, category=LogCategory.MASSNAHME, text=text, acting_user=acting_user, event_at=at)
    staff.deactivated_at = at
    STAFF_STATUS.apply(staff, "deactivate", acting_user=acting_user, update_fields=["deactivated_at"],
                       complete=state["complete"], justified=bool(justification and not state["complete"]))
    StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).update(ended_at=at)
    checklist.closed_at = at
    checklist.closed_by = person(acting_user)
    checklist.complete_at_close = state["complete"]
    checklist.justification = "" if state["complete"] else justification
    checklist.debrief = workshop
    checklist.save(update_fields=["closed_at", "closed_by", "complete_at_close", "justification", "debrief"])
    notify(members, subject=_("%(staff)s: Stab deaktiviert – Nachbesprechung am %(day)s") % {
        "staff": staff, "day": workshop.start_date.strftime("%d.%m.%Y")},
        body=_("Der Stab „%(staff)s“ ist deaktiviert. Zur Nachbesprechung (Reflexionsraum „%(title)s“) sind alle Mitglieder "
               "eingeladen; der Zeitstrahl ist mit den Einträgen des Einsatztagebuchs vorbelegt.") % {"staff": staff, "title": workshop.title},
        url=reverse("workshops:join", args=[workshop.join_token]))
    return checklist


@transaction.atomic
def do_reactivate_staff(staff: Staff, *, acting_user) -> Staff:
    """Activate a deactivated staff again, keeping its whole history: the assignments that the
    deactivation ended start anew (new rows, in functions still active), the ETB continues."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=staff.pk)
    require_perm(acting_user, "stab.deactivate_staff", staff, message=STAFF_STATUS["reactivate"].permission_message)
    ended_at = staff.deactivated_at
    STAFF_STATUS.apply(staff, "reactivate", acting_user=acting_user)
    now = timezone.now()
    previous = (StaffAssignment.objects.filter(function__staff=staff, function__active=True, ended_at=ended_at)
                if ended_at else StaffAssignment.objects.none())
    renewed = StaffAssignment.objects.bulk_create([
        StaffAssignment(function_id=a.function_id, user_id=a.user_id, role=a.role, started_at=now, assigned_by=person(acting_user))
        for a in previous
    ])
    staff.deactivated_at = None
    staff.save(update_fields=["deactivated_at"])
    ClosingChecklist.objects.filter(staff=staff, closed_at=ended_at, reopened_at__isnull=True).update(reopened_at=now)
    record_in_log(staff, category=LogCategory.MASSNAHME, acting_user=acting_user,
                  text=_("Stab wieder aktiviert; %(n)s Besetzung(en) der Deaktivierung neu begonnen. Die Historie bleibt erhalten.")
                  % {"n": len(renewed)})
    return staff
