"""Every state change of the Lagebild: one transaction, permission checked, one audit row."""

from __future__ import annotations

import math
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.policy import PermissionDenied, has_perm, person, require_perm

from . import importers, parsing, sharing
from .events import SituationEvent
from .models import (
    Area,
    FollowedArea,
    ImportRun,
    Indicator,
    NoteKind,
    Observation,
    ObservationRevision,
    RuleSet,
    StaffNote,
)
from .rules_engine import RuleFileError, load_ruleset, ruleset_to_data

OPEN_DATA_FORMATS = {"districts", "districts-ref", "divi-districts", "intensivregister", "rki-landkreise",
                     "rki-deutschland", parsing.RKI_WORKBOOK}

IN_MUNICIPALITY = gettext_lazy("Dafür fehlt Ihnen die Berechtigung in dieser Kommune.")
OPEN_DATA_EDITORS_ONLY = gettext_lazy(
    "Kreis-, Landes- und Bundesdaten (RKI, DIVI) nutzen alle Kommunen gemeinsam; importieren und korrigieren "
    "darf sie nur die Plattform-Datenpflege (Gruppe „Plattform-Daten“). Es wurde nichts gespeichert. Eigene "
    "Werte Ihrer Kommune importieren Sie über eigene Indikatoren.")


def do_import_file(data: bytes, *, filename: str, fmt: str | None = None, acting_user,
                   max_date: date | None = None) -> ImportRun:
    """Validate a whole file, then write it in one transaction; a rejected file writes nothing.

    Importing needs ``situation.import_data``; shared area data (RKI/DIVI formats: districts,
    states, Germany) the platform data role ``situation.import_shared_data``; in the generic
    CSV format each row needs ``situation.record_value`` on its indicator (rows without it are
    rejected one by one; values of shared indicators need the platform data role too).
    The command line and demo loaders act as ``core.policy.SYSTEM``.

    Changed values are kept as revisions (old → new, by this run: who, when). A run that
    revises shared values writes a ``shared_data_revised`` audit row and tells each
    municipality whose rule status the revision changes (audit row + notification).
    """
    user = acting_user
    require_perm(user, "situation.import_data")
    if fmt in OPEN_DATA_FORMATS:
        require_perm(user, "situation.import_shared_data", message=OPEN_DATA_EDITORS_ONLY)
    known_indicators = None
    allowed_indicators = None
    detected = fmt
    if fmt in (None, "generic"):
        indicators = list(Indicator.objects.filter(derived=False))
        known_indicators = {i.key for i in indicators}
        allowed_indicators = {i.key for i in indicators if has_perm(user, "situation.record_value", i)}
    if fmt in ("districts", "divi-districts") and parsing.ags_from_filename(filename):
        # One area per file: look up only that key (the bulk import reads 412 files).
        known = importers.known_ags([parsing.ags_from_filename(filename)])
    else:
        known = importers.known_ags()
    parsed = parsing.parse(data, fmt=fmt, filename=filename, known_ags=known,
                           known_indicators=known_indicators, max_date=max_date)
    detected = parsed.fmt or detected
    if parsed.ok and detected in OPEN_DATA_FORMATS:
        require_perm(user, "situation.import_shared_data", message=OPEN_DATA_EDITORS_ONLY)
    if parsed.ok and detected == "generic" and allowed_indicators is not None:
        lines = parsed.meta.get("lines") or [0] * len(parsed.rows)
        kept = []
        for row, line in zip(parsed.rows, lines, strict=True):
            if row[1] in allowed_indicators:
                kept.append(row)
            else:
                parsed.reject(line, _("Keine Berechtigung, Werte des Indikators „%(key)s“ zu schreiben")
                              % {"key": row[1]})
        parsed.errors.sort(key=lambda e: e.line)
        parsed.rows = kept
    with transaction.atomic():
        # Rule status of the municipalities' areas before the file (only areas that hold values).
        candidates = sharing.candidate_areas(parsed) if _may_revise_shared(parsed, detected, user) else {}
        before = sharing.snapshot(candidates) if candidates else {}
        run = ImportRun.objects.create(fmt=detected or "unbekannt", filename=filename[:300],
                                       user=person(user), data_as_of=_data_as_of(parsed))
        result = None
        if parsed.ok:
            result = importers.WriteResult()
            if parsed.areas:
                importers.write_areas(parsed, result)
            importers.write_observations(parsed, run, result)
        importers.finish_run(run, parsed, result)
        record(SituationEvent.DATA_IMPORTED, acting_user=user, obj=run, format=run.fmt, created=run.created,
               updated=run.updated, rejected=run.rejected, status=run.status)
        if result is not None and (result.revisions or result.area_changes):
            _audit_and_notify_revisions(run, result, candidates, before, acting_user=user)
    return run


def _data_as_of(parsed):
    """The file's own Datenstand (German local time), if it names one."""
    text = parsed.meta.get("data_as_of") if parsed.ok else None
    if not text:
        return None
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Berlin"))


def _may_revise_shared(parsed, detected, user) -> bool:
    """Whether a parsed file can change shared values (then rule statuses are compared)."""
    if not parsed.ok or not has_perm(user, "situation.import_shared_data"):
        return False
    if detected in OPEN_DATA_FORMATS or parsed.areas or parsed.series:
        return True
    keys = {row[1] for row in parsed.rows}
    return Indicator.objects.filter(key__in=keys, municipality__isnull=True).exists()


def _audit_and_notify_revisions(run: ImportRun, result, candidates, before, *, acting_user) -> None:
    """Audit every revision of shared values and tell the municipalities whose rule status changed.

    Revisions of a municipality's own indicators are its own business (audited by the import row).
    """
    shared_ids = set(Indicator.objects.filter(municipality__isnull=True).values_list("pk", flat=True))
    shared = [r for r in result.revisions if r[1] in shared_ids]
    if not shared and not result.area_changes:
        return
    rows = sharing.revision_rows(shared)
    areas = [{"ags": ags, "field": name, "old": old, "new": new}
             for ags, name, old, new in result.area_changes[:sharing.MAX_LISTED]]
    changes = sharing.status_changes(candidates, before, sharing.snapshot(candidates)) if candidates else []
    record(SituationEvent.SHARED_DATA_REVISED, acting_user=acting_user, obj=run, values_changed=len(shared),
           values=rows, areas_changed=len(result.area_changes), areas=areas,
           municipalities_notified=sorted(c.area.municipality.ags for c in changes))
    for change in changes:
        sent = sharing.notify_status_change(change, run=run, rows=rows, acting_user=acting_user)
        record(SituationEvent.RULE_STATUS_CHANGED, acting_user=acting_user, obj=run,
               municipality=change.area.municipality, area=change.area.ags, as_of=change.as_of.isoformat(),
               rules=[{"rule": "/".join(k), "before": sharing.state_json(change.before.get(k)),
                       "after": sharing.state_json(change.after.get(k))} for k in change.changed_rules],
               values=[r for r in rows if r["ags"] == change.area.ags][:sharing.MAX_IN_MESSAGE],
               notified=len(sent))


@transaction.atomic
def do_create_indicator(*, municipality, name: str, unit: str = "", definition: str = "",
                        higher_is_worse: bool = True, visibility: str = "intern", acting_user) -> Indicator:
    require_perm(acting_user, "situation.manage_indicator", municipality, message=IN_MUNICIPALITY)
    base = slugify(f"{municipality.ags}-{name}")[:70] or f"{municipality.ags}-indikator"
    key, n = base, 1
    while Indicator.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    indicator = Indicator(key=key, name=name, unit=unit, definition=definition, higher_is_worse=higher_is_worse,
                          municipality=municipality, visibility=visibility, source=municipality.name,
                          created_by=person(acting_user), decimals=1)
    indicator.full_clean()
    indicator.save()
    record(SituationEvent.INDICATOR_CREATED, acting_user=acting_user, obj=indicator, municipality=municipality)
    return indicator


@transaction.atomic
def do_record_observation(*, indicator: Indicator, area: Area, day: date, value: float, acting_user) -> Observation:
    """Enter one value of an own indicator by hand (the earlier value is kept as revision)."""
    if indicator.municipality_id is None or indicator.derived:
        raise PermissionDenied(_("Werte offener Daten kommen nur aus Importen."))
    require_perm(acting_user, "situation.record_value", indicator, message=IN_MUNICIPALITY)
    if not math.isfinite(value):
        raise ValidationError(_("Der Wert muss eine endliche Zahl sein."))
    if value < 0:
        raise ValidationError(_("Der Wert darf nicht negativ sein."))
    obs = Observation.objects.filter(area=area, indicator=indicator, date=day).first()
    if obs is None:
        obs = Observation.objects.create(area=area, indicator=indicator, date=day, value=value)
    elif obs.value != value:
        ObservationRevision.objects.create(area=area, indicator=indicator, date=day, value=obs.value,
                                           new_value=value, import_run_id=obs.import_run_id,
                                           known_from=timezone.now())
        Observation.objects.filter(area=area, indicator=indicator, date=day).update(value=value, import_run=None)
        obs.value, obs.import_run = value, None
    record(SituationEvent.VALUE_RECORDED, acting_user=acting_user, obj=obs, municipality=indicator.municipality,
           date=day.isoformat(), value=value)
    return obs


@transaction.atomic
def do_set_followed_areas(areas: list[Area], *, acting_user) -> list[FollowedArea]:
    require_perm(acting_user, "situation.follow_area", message=gettext_lazy("Bitte melden Sie sich an."))
    FollowedArea.objects.filter(user=acting_user).delete()
    rows = [FollowedArea.objects.create(user=acting_user, area=a, position=i) for i, a in enumerate(areas)]
    record(SituationEvent.AREAS_FOLLOWED, acting_user=acting_user, areas=[a.ags for a in areas])
    return rows


@transaction.atomic
def do_create_staff_note(*, municipality, day: date, text: str, kind: str = NoteKind.LAGE,
                         visibility: str = "intern", acting_user) -> StaffNote:
    require_perm(acting_user, "situation.write_note", municipality, message=IN_MUNICIPALITY)
    if visibility == "oeffentlich":
        require_perm(acting_user, "situation.publish_note", municipality,
                     message=gettext_lazy("Nur die Redaktion kann Notizen öffentlich machen."))
    note = StaffNote(municipality=municipality, date=day, text=text.strip(), kind=kind, visibility=visibility,
                     created_by=person(acting_user))
    note.full_clean()
    note.save()
    record(SituationEvent.NOTE_CREATED, acting_user=acting_user, obj=note)
    return note


@transaction.atomic
def do_create_ruleset(*, municipality, text: str, fmt: str = "yaml", acting_user) -> RuleSet:
    """Store a user-written rule set; a file with a syntax error is refused with its position."""
    require_perm(acting_user, "situation.manage_ruleset", municipality, message=IN_MUNICIPALITY)
    try:
        parsed = load_ruleset(text, fmt=fmt)
    except RuleFileError as exc:
        raise ValidationError(str(exc)) from None
    key = slugify(f"{municipality.ags}-{parsed.key}")[:80]
    if RuleSet.objects.filter(key=key).exclude(municipality=municipality).exists():
        raise ValidationError(_("Der Schlüssel ist bereits vergeben."))
    rs, _created = RuleSet.objects.update_or_create(key=key, defaults={
        "name": parsed.name, "description": parsed.description, "definition": ruleset_to_data(parsed),
        "builtin": False, "municipality": municipality, "created_by": person(acting_user)})
    record(SituationEvent.RULESET_SAVED, acting_user=acting_user, obj=rs)
    return rs
