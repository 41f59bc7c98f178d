"""Shared area data: who is affected when its values are revised, and telling them.

District, state and federal series are read by every municipality: their rule status
(``selectors.situation`` over the built-in and the municipality's own rule sets) is computed
from them. When the platform data role revises such values, ``do_import_file`` takes a rule
status snapshot of the areas that belong to a municipality before and after writing (in the
same transaction) and tells the municipalities whose status changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import members_with_role
from krisenwissen.core.notifications import notify

from . import display, selectors
from .models import Area, Indicator, Observation, RuleSet

# How many changed values one audit row and one notification name (the full history is kept
# per series and day in ObservationRevision).
MAX_LISTED = 100
MAX_IN_MESSAGE = 10
NOTIFY_MINIMUM_ROLE = Role.REDAKTION

Snapshot = dict[tuple[str, str], tuple]


@dataclass
class StatusChange:
    area: Area
    as_of: date
    before: dict[tuple[str, str], tuple]
    after: dict[tuple[str, str], tuple]
    names: dict[tuple[str, str], str]

    @property
    def changed_rules(self) -> list[tuple[str, str]]:
        return sorted(k for k in self.after.keys() | self.before.keys() if self.before.get(k) != self.after.get(k))


def linked_areas(agss) -> list[Area]:
    """The areas among ``agss`` that belong to a municipality (whose status can change)."""
    return list(Area.objects.filter(ags__in=list(agss), municipality__isnull=False).select_related("municipality"))


def candidate_areas(parsed) -> dict[int, tuple[Area, date]]:
    """Areas of a parsed file that belong to a municipality and already hold values, with the day
    to evaluate on (the later of their last stored day and the file's last day for them)."""
    last_in_file: dict[str, str] = {}
    for ags, _key, day, _value in parsed.rows:
        last_in_file[ags] = max(last_in_file.get(ags, day), day)
    for (ags, _key), items in parsed.series.items():
        if items:
            last_in_file[ags] = max(last_in_file.get(ags, items[-1][0]), max(d for d, _v in items))
    for row in parsed.areas:
        last_in_file.setdefault(row.ags, "")
    areas = {a.pk: a for a in linked_areas(last_in_file)}
    if not areas:
        return {}
    stored = dict(Observation.objects.filter(area_id__in=list(areas)).values("area_id")
                  .annotate(last=Max("date")).values_list("area_id", "last"))
    out = {}
    for pk, area in areas.items():
        if pk not in stored:
            continue  # nothing stored yet: nothing can be revised
        day = stored[pk]
        in_file = last_in_file.get(area.ags) or ""
        if in_file and date.fromisoformat(in_file) > day:
            day = date.fromisoformat(in_file)
        out[pk] = (area, day)
    return out


def rulesets_of(municipality_id: int):
    """The rule sets a municipality's overview shows: built-in ones and its own."""
    return RuleSet.objects.filter(active=True).filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))


def snapshot(candidates: dict[int, tuple[Area, date]]) -> dict[int, tuple[Snapshot, dict]]:
    """Per area: {(rule set, rule): (status, day of the announced change, periods in force)}."""
    out = {}
    for pk, (area, as_of) in candidates.items():
        area.refresh_from_db(fields=["population", "state_code"])
        # On today's values: a correction arriving now cannot change what was known on a past day.
        sits = selectors.situation([area], as_of=as_of, rulesets=list(rulesets_of(area.municipality_id)),
                                   chart_days=0, knowledge=selectors.CURRENT)
        states, names = {}, {}
        for st in sits[0].statuses:
            ev = st.evaluation
            key = (st.ruleset.key, st.rule.key)
            states[key] = (ev.status, ev.change_on, tuple((p.start, p.end) for p in ev.periods))
            names[key] = f"{st.ruleset.name}: {st.rule.name}"
        out[pk] = (states, names)
    return out


def status_changes(candidates, before, after) -> list[StatusChange]:
    changes = []
    for pk, (area, as_of) in candidates.items():
        b, names = before.get(pk, ({}, {}))
        a, names_after = after.get(pk, ({}, {}))
        change = StatusChange(area, as_of, b, a, {**names, **names_after})
        if change.changed_rules:
            changes.append(change)
    return changes


def revision_rows(revisions) -> list[dict]:
    """Readable rows of changed values (bounded): area key, indicator key, day, old → new."""
    rows = revisions[:MAX_LISTED]
    ags = dict(Area.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "ags"))
    keys = dict(Indicator.objects.filter(pk__in={r[1] for r in rows}).values_list("pk", "key"))
    return [{"ags": ags.get(a, str(a)), "indicator": keys.get(i, str(i)), "date": str(d), "old": old, "new": new}
            for a, i, d, old, new in rows]


def state_json(state) -> dict | None:
    """A snapshot entry as JSON for the audit log."""
    if state is None:
        return None
    status, change_on, periods = state
    return {"status": status, "change_on": change_on.isoformat() if change_on else None,
            "periods": [[s.isoformat(), e.isoformat() if e else None] for s, e in periods]}


def _status_text(state) -> str:
    if state is None:
        return _("keine Regel")
    status, change_on, periods = state
    text = str(display.STATUS.get(status, display.STATUS["keine_daten"])[0])
    if change_on:
        text += " " + _("(ab %(day)s)") % {"day": display.d(change_on)}
    if periods:
        text += "; " + _("%(n)s Zeiträume in Kraft, zuletzt ab %(day)s") % {
            "n": len(periods), "day": display.d(periods[-1][0])}
    return text


def notify_status_change(change: StatusChange, *, run, rows: list[dict], acting_user) -> list:
    """Tell the Redaktion (and Administration) of the area's municipality what changed and who did it."""
    area = change.area
    who = acting_user.get_full_name() or getattr(acting_user, "username", "") or str(acting_user)
    own = [r for r in rows if r["ags"] == area.ags][:MAX_IN_MESSAGE]
    lines = [
        _("Gemeinsam genutzte Gebietsdaten für %(area)s wurden korrigiert und ändern den Regelstatus Ihrer "
          "Kommune.") % {"area": area.name},
        _("Import „%(file)s“ von %(who)s am %(when)s.") % {
            "file": run.filename, "who": who, "when": display.d(run.started_at.date())},
        "",
        _("Regelstatus am %(day)s:") % {"day": display.d(change.as_of)},
    ]
    for key in change.changed_rules:
        lines.append(f"- {change.names.get(key, ' / '.join(key))}: {_status_text(change.before.get(key))} → "
                     f"{_status_text(change.after.get(key))}")
    if own:
        lines += ["", _("Geänderte Werte (bisher → neu):")]
        lines += [f"- {r['date']} {r['indicator']}: {display.num(r['old'], 1)} → {display.num(r['new'], 1)}"
                  for r in own]
    lines += ["", _("Die frühere Fassung jedes Werts bleibt in der Gebietsansicht unter „Korrekturen“ sichtbar.")]
    url = reverse("situation:area_detail", args=[area.ags]) + f"?datum={change.as_of.isoformat()}"
    people = members_with_role(area.municipality_id, minimum=NOTIFY_MINIMUM_ROLE)
    return notify(people, subject=_("Lagebild: Regelstatus von %(area)s durch Datenkorrektur geändert")
                  % {"area": area.name}, body="\n".join(lines), url=url)
