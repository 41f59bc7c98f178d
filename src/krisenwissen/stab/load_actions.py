"""State changes of the load part: sign in/out, roster, limits, strain check, handover."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.policy import PermissionDenied, person, require_perm

from .journal import record_in_log
from .load_events import LoadEvent
from .load_selectors import handover_content, handover_since
from .models import (
    HandoverBrief,
    LoadSettings,
    LogCategory,
    Presence,
    Shift,
    StaffAssignment,
    StrainAnswer,
)
from .rules import is_staff_member

MAX_SHIFT_LENGTH_HOURS = 24


def _require_member(staff, user) -> None:
    """Members only, also for superusers (who pass every ``require_perm``)."""
    if not is_staff_member(user, staff):
        raise PermissionDenied(_("Nur Mitglieder des Stabes können sich an- und abmelden und Übergaben übernehmen."))


def do_sign_in(staff, *, function=None, acting_user, now=None) -> Presence:
    """Sign the acting user in (for one of their functions). Signing in twice is absorbed."""
    require_perm(acting_user, "stab.sign_in_out", staff)
    _require_member(staff, acting_user)
    now = now or timezone.now()
    if function is not None and not StaffAssignment.objects.filter(function=function, function__staff=staff, user=acting_user, ended_at__isnull=True).exists():
        raise ValidationError(_("Sie haben diese Funktion im Stab nicht inne."))
    with transaction.atomic():
        existing = Presence.objects.select_for_update().filter(staff=staff, user=acting_user, ended_at__isnull=True).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                presence = Presence.objects.create(staff=staff, user=acting_user, function=function, started_at=now)
        except IntegrityError:  # a concurrent sign-in won
            return Presence.objects.get(staff=staff, user=acting_user, ended_at__isnull=True)
        record(LoadEvent.SIGNED_IN, acting_user=acting_user, obj=staff, municipality=staff.municipality)
        return presence


def do_sign_out(staff, *, acting_user, now=None) -> Presence | None:
    """Sign the acting user out; None when not signed in (absorbed)."""
    require_perm(acting_user, "stab.sign_in_out", staff)
    _require_member(staff, acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        presence = Presence.objects.select_for_update().filter(staff=staff, user=acting_user, ended_at__isnull=True).first()
        if presence is None:
            return None
        presence.ended_at = max(now, presence.started_at)
        presence.save(update_fields=["ended_at"])
        record(LoadEvent.SIGNED_OUT, acting_user=acting_user, obj=staff, municipality=staff.municipality)
        return presence


def do_plan_shift(staff, *, function, user, starts_at, ends_at, note: str = "", acting_user) -> Shift:
    require_perm(acting_user, "stab.manage_roster", staff)
    if function.staff_id != staff.pk:
        raise ValidationError(_("Die Funktion gehört nicht zu diesem Stab."))
    if ends_at <= starts_at:
        raise ValidationError(_("Das Ende der Schicht muss nach ihrem Beginn liegen."))
    if (ends_at - starts_at).total_seconds() > MAX_SHIFT_LENGTH_HOURS * 3600:
        raise ValidationError(_("Eine Schicht darf höchstens %(h)d Stunden dauern.") % {"h": MAX_SHIFT_LENGTH_HOURS})
    if user is not None and not StaffAssignment.objects.filter(function__staff=staff, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("Die Person ist nicht Mitglied dieses Stabes."))
    with transaction.atomic():
        shift = Shift.objects.create(staff=staff, function=function, user=user, starts_at=starts_at, ends_at=ends_at, note=note[:200])
        record(LoadEvent.SHIFT_PLANNED, acting_user=acting_user, obj=staff, municipality=staff.municipality, shift=shift.pk)
        return shift


def do_remove_shift(shift, *, acting_user) -> None:
    require_perm(acting_user, "stab.manage_roster", shift.staff)
    with transaction.atomic():
        staff, pk = shift.staff, shift.pk
        shift.delete()
        record(LoadEvent.SHIFT_REMOVED, acting_user=acting_user, obj=staff, municipality=staff.municipality, shift=pk)


def do_set_limits(staff, *, max_shift_hours, max_days_without_break, acting_user) -> LoadSettings:
    require_perm(acting_user, "stab.configure_load", staff)
    for value, top in ((max_shift_hours, 24), (max_days_without_break, 60)):
        if value is not None and not (1 <= value <= top):
            raise ValidationError(_("Grenzwert außerhalb des zulässigen Bereichs."))
    with transaction.atomic():
        obj, _created = LoadSettings.objects.update_or_create(
            staff=staff, defaults={"max_shift_hours": max_shift_hours, "max_days_without_break": max_days_without_break})
        record(LoadEvent.LIMITS_CHANGED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
               max_shift_hours=max_shift_hours, max_days_without_break=max_days_without_break)
        return obj


def do_answer_strain_check(staff, *, value: int, acting_user, today=None) -> None:
    """Store an anonymous answer: staff, day and value only — no person, no time, no audit row
    naming the person (the permission is checked, then the person is forgotten)."""
    require_perm(acting_user, "stab.answer_strain_check", staff)
    _require_member(staff, acting_user)
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(_("Bitte einen Wert von 1 bis 5 wählen."))
    StrainAnswer.objects.create(staff=staff, day=today or timezone.localdate(), value=value)


def do_create_handover_brief(staff, *, acting_user, now=None) -> HandoverBrief:
    """Generate the brief for the incoming acting user (content frozen at creation)."""
    require_perm(acting_user, "stab.create_handover", staff)
    _require_member(staff, acting_user)
    now = now or timezone.now()
    since = handover_since(staff=staff, user=acting_user, now=now)
    with transaction.atomic():
        brief = HandoverBrief.objects.create(staff=staff, user=acting_user, since=since, created_at=now,
                                             content=handover_content(staff=staff, user=acting_user, since=since, now=now))
        record(LoadEvent.HANDOVER_CREATED, acting_user=acting_user, obj=staff, municipality=staff.municipality, brief=brief.pk)
        return brief


def do_acknowledge_handover(brief, *, acting_user) -> HandoverBrief:
    """The incoming person acknowledges the brief: an ETB entry of category Schichtwechsel.
    A second acknowledgement is absorbed (the brief and its entry stay as they are)."""
    require_perm(acting_user, "stab.acknowledge_handover", brief)
    if brief.user_id != getattr(acting_user, "pk", None):
        raise PermissionDenied(_("Nur die übernehmende Person kann die Übergabe bestätigen."))
    with transaction.atomic():
        locked = HandoverBrief.objects.select_for_update(of=("self",)).select_related("staff").get(pk=brief.pk)
        if locked.acknowledged_at is not None:
            return locked
        c = locked.content or {}
        name = person(acting_user).get_full_name() or acting_user.get_username()
        text = _("Schichtwechsel: %(name)s hat die Übergabe übernommen (Stand seit %(since)s: %(tasks)d offene Aufträge, "
                 "%(entries)d Entscheidungen/Meldungen/Aufträge, Lagebild: %(lage)s).") % {
            "name": name, "since": c.get("since_text", ""), "tasks": len(c.get("tasks", [])), "entries": len(c.get("entries", [])),
            "lage": c.get("lagebild", {}).get("empty_text") or _("Änderungen siehe Übergabebrief")}
        entry = record_in_log(locked.staff, category=LogCategory.SCHICHTWECHSEL, text=text, acting_user=acting_user)
        locked.acknowledged_at = timezone.now()
        locked.log_entry = entry
        locked.save(update_fields=["acknowledged_at", "log_entry"])
        record(LoadEvent.HANDOVER_ACKNOWLEDGED, acting_user=acting_user, obj=locked.staff, municipality=locked.staff.municipality, brief=locked.pk)
        return locked
