"""State changes of the crisis staff core: templates, activation, assignments, alert level.

Each ``do_*`` runs in one transaction, enforces its named permission and writes an audit row;
changes a staff's members should find in the log (activation, assignment, release, alert
level) also append an ETB entry through ``journal.record_in_log``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from krisenwissen.accounts.models import Membership
from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import SYSTEM, person, require_perm

from . import journal
from .events import StabEvent
from .models import (
    AlertLevel,
    AssignmentRole,
    LogCategory,
    Staff,
    StaffAssignment,
    StaffFunction,
    StaffKind,
    StaffStatus,
    StaffTemplate,
)
from .templates_schema import validate_template_data

SHIPPED_DIR = "data/templates"
MAX_NAME = 200


# --------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------


def shipped_template_files() -> list[dict]:
    """The shipped templates as stored in the package (``stab/data/templates/*.json``)."""
    folder = resources.files("krisenwissen.stab").joinpath(SHIPPED_DIR)
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            out.append(json.loads(entry.read_text(encoding="utf-8")))
    return out


def ensure_shipped_templates(*, audit: bool = True) -> int:
    """Create or refresh the shipped templates (idempotent, matched by key); returns how many changed.

    Run after every ``migrate`` (``apps.StabConfig``, without an audit row: shipping data with
    the code is installation, not an action), by the demo and the command line. A city never
    edits a shipped template: it copies it (``do_copy_template``).
    """
    changed = 0
    with transaction.atomic():
        for raw in shipped_template_files():
            data = validate_template_data(raw["data"])
            defaults = {"name": raw["name"], "kind": raw.get("kind", StaffKind.VERWALTUNGSSTAB), "hazard": data.get("hazard", ""),
                        "description": data.get("description", ""), "data": data, "active": True}
            template = StaffTemplate.objects.filter(municipality__isnull=True, key=raw["key"]).first()
            if template is None:
                StaffTemplate.objects.create(key=raw["key"], municipality=None, **defaults)
                changed += 1
            elif any(getattr(template, k) != v for k, v in defaults.items()):
                for k, v in defaults.items():
                    setattr(template, k, v)
                template.save()
                changed += 1
        if changed and audit:
            record(StabEvent.TEMPLATES_SHIPPED, acting_user=SYSTEM, count=changed)
    return changed


def _unique_key(municipality, base: str) -> str:
    base = (slugify(base) or "vorlage")[:70]
    key, n = base, 1
    while StaffTemplate.objects.filter(municipality=municipality, key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def do_copy_template(template: StaffTemplate, *, municipality, acting_user, name: str = "") -> StaffTemplate:
    """Copy ``template`` (shipped or another) into ``municipality``'s own templates, to edit it."""
    require_perm(acting_user, "stab.view_template", template)
    require_perm(acting_user, "stab.activate_staff_in", municipality,
                 message=_("Vorlagen kopiert die Administration der Kommune."))
    name = (name or "").strip()[:MAX_NAME] or f"{template.name} ({municipality.name})"
    with transaction.atomic():
        copy = StaffTemplate.objects.create(
            key=_unique_key(municipality, template.key), municipality=municipality, name=name, kind=template.kind,
            hazard=template.hazard, description=template.description, data=validate_template_data(template.data), active=True,
        )
        record(StabEvent.TEMPLATE_COPIED, acting_user=acting_user, obj=copy, municipality=municipality, source=template.pk)
    return copy


def do_update_template(template: StaffTemplate, *, acting_user, name: str, kind: str, data: dict) -> StaffTemplate:
    """Replace a city template's name, kind and content (validated; shipped templates refuse)."""
    require_perm(acting_user, "stab.edit_template", template,
                 message=_("Mitgelieferte Vorlagen werden nicht geändert, sondern kopiert. Eigene Vorlagen ändert die Administration der Kommune."))
    if template.municipality_id is None:
        raise ValidationError(_("Mitgelieferte Vorlagen werden nicht geändert, sondern kopiert."))
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError({"name": _("Bitte eine Bezeichnung mit höchstens 200 Zeichen angeben.")})
    if kind not in StaffKind.values:
        raise ValidationError({"kind": _("Unbekannte Art des Stabes.")})
    clean = validate_template_data(data)
    with transaction.atomic():
        template.name, template.kind, template.data = name, kind, clean
        template.hazard, template.description = clean.get("hazard", ""), clean.get("description", "")
        template.save()
        record(StabEvent.TEMPLATE_UPDATED, acting_user=acting_user, obj=template, municipality=template.municipality)
    return template


# --------------------------------------------------------------------------------------
# Activation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationNotice:
    subject: str
    body: str


def _activation_notice(staff: Staff, function_names: dict) -> ActivationNotice:
    prefix = f"{_('ÜBUNG')} – " if staff.exercise else ""
    subject = prefix + _("Stab aktiviert: %(name)s") % {"name": staff.name}
    lines = [subject, ""]
    if staff.exercise:
        lines.append(_("ÜBUNG – dies ist ein Übungsstab, kein echter Einsatz."))
    lines.append(_("Ihre Funktion(en): %(functions)s") % {"functions": ", ".join(function_names)})
    if staff.next_meeting_at:
        lines.append(_("Erste Lagebesprechung: %(when)s") % {
            "when": timezone.localtime(staff.next_meeting_at).strftime("%d.%m.%Y %H:%M")})
    return ActivationNotice(subject=subject, body="\n".join(lines))


def _staff_url(staff: Staff) -> str:
    from django.urls import reverse

    return reverse("stab:staff_detail", args=[staff.pk])


def _add_assignment(function: StaffFunction, user, role: str, *, acting_user, at) -> StaffAssignment | None:
    if role not in AssignmentRole.values:
        raise ValidationError(_("Unbekannte Rolle „%(role)s“.") % {"role": role})
    if not getattr(user, "is_active", False):
        raise ValidationError(_("%(user)s ist kein aktives Konto.") % {"user": user})
    if not Membership.objects.filter(user=user, municipality_id=function.staff.municipality_id).exists():
        raise ValidationError(_("%(user)s gehört nicht zur Kommune des Stabes.") % {"user": user.get_full_name() or user.get_username()})
    if StaffAssignment.objects.filter(function=function, user=user, ended_at__isnull=True).exists():
        return None
    return StaffAssignment.objects.create(function=function, user=user, role=role, started_at=at, assigned_by=person(acting_user))


def do_activate_staff(template: StaffTemplate | None, *, municipality, crisis=None, name: str = "", exercise: bool = False,
                      alert_level: int = AlertLevel.VOLLAKTIVIERUNG, functions: list[str] | None = None,
                      assignments: dict | None = None, first_meeting_at: datetime | None = None,
                      activated_at: datetime | None = None, submission: uuid.UUID | None = None, acting_user) -> Staff:
    """Activate a staff of ``municipality`` from ``template``.

    ``functions``: codes for a partial activation (None: every function not marked optional);
    the others are copied inactive. ``assignments``: ``{code: [(user, role), ...]}``. Members
    are notified ("ÜBUNG" for an exercise), the first Lagebesprechung is announced
    (``first_meeting_at``, default: in two hours) and the ETB opens with "Stab aktiviert".
    ``activated_at`` (demo, records of a past activation): the time of the activation, also the
    first ETB entry's time of event (its time of entry stays the real one).
    ``submission``: the activation form's one-time key, stored as the staff's uuid: submitting the
    same form twice returns the staff activated by the first submit (nobody is notified twice).
    """
    require_perm(acting_user, "stab.activate_staff_in", municipality,
                 message=_("Einen Stab aktiviert die Administration der Kommune."))
    if submission is not None:
        earlier = Staff.objects.filter(uuid=submission).first()
        if earlier is not None:
            if earlier.municipality_id != municipality.pk:
                raise ValidationError(_("Dieses Formular wurde bereits für eine andere Kommune abgeschickt."))
            return earlier
    if template is not None:
        require_perm(acting_user, "stab.view_template", template)
        if template.municipality_id not in (None, municipality.pk):
            raise ValidationError(_("Die Vorlage gehört zu einer anderen Kommune."))
    data = validate_template_data(template.data) if template is not None else {"functions": [], "meeting_rhythm_hours": 24}
    specs = {f["code"]: f for f in data["functions"]}
    chosen = set(functions) if functions is not None else {c for c, f in specs.items() if not f.get("optional")}
    unknown = sorted(chosen - set(specs))
    if unknown:
        raise ValidationError(_("Unbekannte Funktionen: %(codes)s") % {"codes": ", ".join(unknown)})
    if specs and not chosen:
        raise ValidationError(_("Bitte mindestens eine Funktion aktivieren."))
    assignments = assignments or {}
    not_active = sorted(set(assignments) - chosen)
    if not_active:
        raise ValidationError(_("Besetzung für nicht aktivierte Funktionen: %(codes)s") % {"codes": ", ".join(not_active)})
    if alert_level not in AlertLevel.values:
        raise ValidationError(_("Unbekannte Alarmstufe."))
    name = (name or "").strip()[:MAX_NAME] or (f"{template.name} – {municipality.name}" if template else municipality.name)
    now = activated_at or timezone.now()
    first_meeting_at = first_meeting_at or now + timedelta(hours=2)
    with transaction.atomic():
        staff = Staff.objects.create(
            municipality=municipality, name=name, kind=template.kind if template else StaffKind.VERWALTUNGSSTAB,
            template=template, crisis=crisis, exercise=bool(exercise), alert_level=alert_level,
            meeting_rhythm_hours=data.get("meeting_rhythm_hours", 24), next_meeting_at=first_meeting_at,
            activated_at=now, activated_by=person(acting_user), log_keeper=None,
            **({"uuid": submission} if submission is not None else {}),
        )
        by_code = {}
        for order, spec in enumerate(data["functions"]):
            by_code[spec["code"]] = StaffFunction.objects.create(
                staff=staff, code=spec["code"], name=spec["name"], group=spec["group"], active=spec["code"] in chosen,
                deputies_required=spec["deputies"], first_tasks=spec["first_tasks"], checklist=spec["checklist"], order=order,
            )
        members: dict = {}
        for code, people in assignments.items():
            for user, role in people:
                if _add_assignment(by_code[code], user, role, acting_user=acting_user, at=now) is not None:
                    members.setdefault(user.pk, (user, []))[1].append(by_code[code].name)
        partial = bool(specs) and len(chosen) < len(specs)
        text = _("Stab aktiviert: %(name)s. Alarmstufe: %(level)s.") % {"name": str(staff), "level": AlertLevel(alert_level).label}
        if partial:
            text += " " + _("Teilaktivierung: %(functions)s.") % {
                "functions": ", ".join(f.name for f in by_code.values() if f.active)}
        text += " " + _("Erste Lagebesprechung: %(when)s.") % {"when": timezone.localtime(first_meeting_at).strftime("%d.%m.%Y %H:%M")}
        journal.record_in_log(staff, category=LogCategory.LAGE, text=text, acting_user=acting_user, event_at=activated_at)
        for user, names in members.values():
            notice = _activation_notice(staff, names)
            notify([user], subject=notice.subject, body=notice.body, url=_staff_url(staff))
        record(StabEvent.STAFF_ACTIVATED, acting_user=acting_user, obj=staff, municipality=municipality,
               template=template.pk if template else None, exercise=staff.exercise, functions=sorted(chosen),
               members=len(members))
    return staff


# --------------------------------------------------------------------------------------
# Assignments and alert level
# --------------------------------------------------------------------------------------


def _require_active(staff: Staff) -> None:
    if staff.status != StaffStatus.AKTIV:
        raise ValidationError(_("Der Stab ist deaktiviert."))


def do_assign_function(function: StaffFunction, user, *, role: str = AssignmentRole.INHABER, acting_user) -> StaffAssignment:
    """Assign ``user`` to ``function`` as holder or deputy (activates an inactive function)."""
    staff = function.staff
    require_perm(acting_user, "stab.manage_staff", staff, message=_("Funktionen besetzen die Leitung des Stabes und die Administration der Kommune."))
    _require_active(staff)
    with transaction.atomic():
        assignment = _add_assignment(function, user, role, acting_user=acting_user, at=timezone.now())
        if assignment is None:
            raise ValidationError(_("%(user)s hat diese Funktion bereits.") % {"user": user.get_full_name() or user.get_username()})
        if not function.active:
            function.active = True
            function.save(update_fields=["active"])
        who = user.get_full_name() or user.get_username()
        journal.record_in_log(staff, category=LogCategory.MASSNAHME, acting_user=acting_user,
                              text=_("Funktion %(function)s besetzt: %(user)s (%(role)s).") % {
                                  "function": function.name, "user": who, "role": AssignmentRole(role).label})
        notice_prefix = f"{_('ÜBUNG')} – " if staff.exercise else ""
        notify([user], subject=notice_prefix + _("Stabsfunktion: %(function)s") % {"function": function.name},
               body=notice_prefix + _("Sie sind im Stab %(staff)s als %(role)s der Funktion %(function)s eingeteilt.") % {
                   "staff": str(staff), "role": AssignmentRole(role).label, "function": function.name},
               url=_staff_url(staff))
        user.__dict__.pop("_krisenwissen_stab_codes", None)
        record(StabEvent.FUNCTION_ASSIGNED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
               function=function.code, user=user.pk, role=role)
    return assignment


def do_release_function(assignment: StaffAssignment, *, acting_user) -> StaffAssignment:
    """End an assignment (the history stays)."""
    staff = assignment.function.staff
    require_perm(acting_user, "stab.manage_staff", staff, message=_("Funktionen geben die Leitung des Stabes und die Administration der Kommune frei."))
    with transaction.atomic():
        locked = StaffAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_at is not None:
            return locked
        locked.ended_at = timezone.now()
        locked.save(update_fields=["ended_at"])
        who = locked.user.get_full_name() or locked.user.get_username()
        journal.record_in_log(staff, category=LogCategory.MASSNAHME, acting_user=acting_user,
                              text=_("Funktion %(function)s freigegeben: %(user)s (%(role)s).") % {
                                  "function": locked.function.name, "user": who, "role": AssignmentRole(locked.role).label})
        locked.user.__dict__.pop("_krisenwissen_stab_codes", None)
        record(StabEvent.FUNCTION_RELEASED, acting_user=acting_user, obj=staff, municipality=staff.municipality,
               function=locked.function.code, user=locked.user_id)
    return locked


def do_set_alert_level(staff: Staff, level: int, *, acting_user) -> Staff:
    """Change the staff's alert level (an ETB entry records it)."""
    require_perm(acting_user, "stab.manage_staff", staff, message=_("Die Alarmstufe ändern die Leitung des Stabes und die Administration der Kommune."))
    _require_active(staff)
    try:
        level = AlertLevel(int(level))
    except (TypeError, ValueError):
        raise ValidationError(_("Unbekannte Alarmstufe.")) from None
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        if locked.alert_level == level:
            return locked
        previous = locked.alert_level
        locked.alert_level = level
        locked.save(update_fields=["alert_level"])
        journal.record_in_log(locked, category=LogCategory.ENTSCHEIDUNG, acting_user=acting_user,
                              text=_("Alarmstufe geändert: %(old)s → %(new)s.") % {"old": AlertLevel(previous).label, "new": level.label})
        record(StabEvent.ALERT_LEVEL_SET, acting_user=acting_user, obj=locked, municipality=locked.municipality,
               old=previous, new=int(level))
    staff.alert_level = level
    return locked
