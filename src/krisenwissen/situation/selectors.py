"""Permission-aware reads of the Lagebild, and the situation of areas on a day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib
from django.db import connection
from django.db.models import Max, Q

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import municipalities_with_role, visibility_scope
from krisenwissen.core.policy import has_perm

from . import catalog, indicators
from . import rules_engine as eng
from .models import (
    Area,
    FollowedArea,
    ImportRun,
    Indicator,
    Observation,
    ObservationRevision,
    RuleSet,
    StaffNote,
)

DAY = timedelta(days=1)
WEEK = timedelta(days=7)


# --- areas, indicators, notes ------------------------------------------------------------------

def default_areas():
    areas = {a.ags: a for a in Area.objects.filter(ags__in=catalog.PARTNER_CITIES)}
    return [areas[a] for a in catalog.PARTNER_CITIES if a in areas]


def followed_areas(*, user) -> list[Area]:
    """The areas on a user's overview; the five partner cities unless the user chose others."""
    if user is not None and user.is_authenticated:
        chosen = [f.area for f in FollowedArea.objects.filter(user=user).select_related("area")]
        if chosen:
            return chosen
    return default_areas()


def readable_indicators(*, user):
    """Open-data indicators for logged-in users, own indicators per visibility."""
    scope = visibility_scope(user)
    qs = Indicator.objects.all()
    if not has_perm(user, "situation.view_open_data"):
        return qs.filter(municipality__isnull=False, visibility="oeffentlich")
    if scope.everything:
        return qs
    return qs.filter(Q(municipality__isnull=True) | scope.q())


def readable_notes(*, user, municipality=None, day: date | None = None, public_only: bool = False):
    qs = StaffNote.objects.select_related("municipality")
    qs = qs.filter(visibility="oeffentlich") if public_only else qs.filter(visibility_scope(user).q())
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if day is not None:
        qs = qs.filter(date=day)
    return qs


def note_municipalities(*, user):
    """Municipalities in which ``user`` may write staff notes (choices of the note form)."""
    return municipalities_with_role(user=user, minimum=Role.MITWIRKENDE)


def editor_municipalities(*, user):
    """Municipalities in which ``user`` keeps own indicators and rule sets (form choices)."""
    return municipalities_with_role(user=user, minimum=Role.REDAKTION)


def writable_indicators(*, user):
    """Own indicators whose values ``user`` may enter by hand (choices of the value form)."""
    return Indicator.objects.filter(municipality__in=editor_municipalities(user=user), derived=False)


def import_runs_for(*, user):
    """The import runs a user may look at: their own (superusers: all)."""
    if user.is_superuser:
        return ImportRun.objects.all()
    return ImportRun.objects.filter(user=user)


def rulesets_for(*, user):
    """Built-in rule sets plus the own ones of the user's municipalities (None, the command line: built-in)."""
    qs = RuleSet.objects.filter(active=True)
    if user is None:
        return qs.filter(builtin=True)
    scope = visibility_scope(user)
    if scope.everything:
        return qs
    return qs.filter(Q(municipality__isnull=True) | Q(municipality_id__in=scope.own))


@lru_cache(maxsize=64)
def _holidays(state_code: str, years: tuple[int, ...]) -> frozenset[date]:
    try:
        return frozenset(holidays_lib.Germany(subdiv=state_code or None, years=years).keys())
    except (NotImplementedError, KeyError):
        return frozenset(holidays_lib.Germany(years=years).keys())


# --- series ---------------------------------------------------------------------------------------

def _indicator_ids(keys) -> dict[str, int]:
    return dict(Indicator.objects.filter(key__in=list(keys)).values_list("key", "id"))


STORED_KEYS = [i["key"] for i in catalog.INDICATORS if not i.get("derived")]


def raw_series(area_ids: list[int], *, keys: list[str], start: date | None, end: date,
               ids: dict[str, int] | None = None) -> dict[tuple[int, str], dict]:
    """Stored values {(area_id, key): {date: value}} in one query (``ids``: known indicator ids)."""
    ids = {k: ids[k] for k in keys if k in ids} if ids is not None else _indicator_ids(keys)
    if not ids or not area_ids:
        return {}
    by_id = {v: k for k, v in ids.items()}
    table = Observation._meta.db_table
    a_ph = ", ".join(["%s"] * len(area_ids))
    i_ph = ", ".join(["%s"] * len(ids))
    sql = (f"SELECT area_id, indicator_id, date, value FROM {table} "
           f"WHERE area_id IN ({a_ph}) AND indicator_id IN ({i_ph}) AND date <= %s")
    params: list = [*area_ids, *ids.values(), end.isoformat()]
    if start is not None:
        sql += " AND date >= %s"
        params.append(start.isoformat())
    out: dict[tuple[int, str], dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for area_id, ind_id, d, v in cursor.fetchall():
            if isinstance(d, str):
                d = date.fromisoformat(d)
            out[(area_id, by_id[ind_id])][d] = v
    return out


def series_for(area: Area, *, key: str, start: date | None = None, end: date,
               ids: dict[str, int] | None = None) -> dict[date, float]:
    """One indicator's daily values for an area, derived indicators computed on the fly."""
    if key == "inzidenz_7t":
        s = None if start is None else start - WEEK
        raw = raw_series([area.pk], keys=["faelle_neu"], start=s, end=end, ids=ids).get((area.pk, "faelle_neu"), {})
        inc = indicators.incidence_7d(raw, area.population)
        return {d: v for d, v in inc.items() if start is None or d >= start}
    if key == "inzidenz_7t_vorwoche":
        s = None if start is None else start - 2 * WEEK
        raw = raw_series([area.pk], keys=["faelle_neu"], start=s, end=end, ids=ids).get((area.pk, "faelle_neu"), {})
        wow = indicators.week_over_week(indicators.incidence_7d(raw, area.population))
        return {d: v for d, v in wow.items() if start is None or d >= start}
    if key in ("its_belegung_anteil", "its_covid_anteil"):
        part = "its_betten_belegt" if key == "its_belegung_anteil" else "its_covid"
        raw = raw_series([area.pk], keys=[part, "its_betten_gesamt"], start=start, end=end, ids=ids)
        return indicators.share(raw.get((area.pk, part), {}), raw.get((area.pk, "its_betten_gesamt"), {}))
    return raw_series([area.pk], keys=[key], start=start, end=end, ids=ids).get((area.pk, key), {})


# --- the situation on a day ------------------------------------------------------------------------

KEY_FIGURES = ["inzidenz_rki", "inzidenz_7t", "faelle_neu", "todesfaelle_neu", "its_belegung_anteil",
               "its_covid_anteil"]


@dataclass
class Figure:
    indicator: Indicator
    value: float | None
    day: date | None
    yesterday: float | None = None
    last_week: float | None = None

    @property
    def change_day(self):
        return None if self.value is None or self.yesterday is None else self.value - self.yesterday

    @property
    def change_week_percent(self):
        if self.value is None or not self.last_week:
            return None
        return (self.value - self.last_week) * 100.0 / self.last_week

    @property
    def trend(self):
        return indicators.trend_symbol(self.change_week_percent, higher_is_worse=self.indicator.higher_is_worse)


@dataclass
class RuleStatus:
    ruleset: RuleSet
    rule: eng.Rule
    evaluation: eng.Evaluation


@dataclass
class AreaSituation:
    area: Area
    as_of: date
    figures: list[Figure] = field(default_factory=list)
    statuses: list[RuleStatus] = field(default_factory=list)
    incidence: dict = field(default_factory=dict)  # for charts: date -> published incidence

    def figure(self, key):
        return next((f for f in self.figures if f.indicator.key == key), None)


def _parsed_rulesets(rulesets) -> list[tuple[RuleSet, eng.RuleSet]]:
    return [(rs, eng.parse_ruleset(rs.definition)) for rs in rulesets]


def data_version() -> int:
    return ImportRun.objects.aggregate(m=Max("id"))["m"] or 0


_EVALUATIONS: dict[tuple, eng.Evaluation] = {}


def _evaluate_cached(version: int, area_id: int, state_code: str, rule: eng.Rule, as_of: date,
                     values: dict) -> eng.Evaluation:
    """Rule evaluations are cached per process. The key holds a fingerprint of the values
    (count, first and last day, sum, day-weighted sum) beside the import version, so that values entered by hand
    (no import run) invalidate it as well; the values themselves are not hashed (too slow)."""
    fingerprint = (len(values), min(values, default=None), max(values, default=None),
                   sum(v for v in values.values() if v is not None),
                   sum(d.toordinal() % 9973 * v for d, v in values.items() if v is not None))
    key = (version, area_id, state_code, rule, as_of, fingerprint)
    hit = _EVALUATIONS.get(key)
    if hit is None:
        if len(_EVALUATIONS) > 4096:
            _EVALUATIONS.clear()
        hol = _holidays(state_code, tuple(range(min(values).year if values else as_of.year, as_of.year + 1)))
        hit = _EVALUATIONS[key] = eng.evaluate(rule, values, as_of=as_of, holidays=hol)
    return hit


def situation(areas: list[Area], *, as_of: date, rulesets, chart_days: int = 56) -> list[AreaSituation]:
    """Key figures, changes and rule status of each area as of the end of ``as_of``."""
    area_ids = [a.pk for a in areas]
    parsed = _parsed_rulesets(rulesets)
    rule_keys = {r.indicator for _, p in parsed for r in p.rules}
    all_inds = {i.key: i for i in Indicator.objects.filter(key__in={*KEY_FIGURES, *STORED_KEYS, *rule_keys})}
    ids = {k: i.pk for k, i in all_inds.items()}
    inds = {k: all_inds[k] for k in KEY_FIGURES if k in all_inds}
    stored = ["faelle_neu", "todesfaelle_neu", "inzidenz_rki", "its_betten_gesamt", "its_betten_belegt", "its_covid"]
    recent = raw_series(area_ids, keys=stored, start=as_of - 3 * WEEK, end=as_of, ids=ids)
    full_keys = sorted(k for k in rule_keys if k not in catalog.DERIVED)
    full = raw_series(area_ids, keys=full_keys, start=None, end=as_of, ids=ids) if full_keys else {}
    version = data_version()
    out = []
    for area in areas:
        get = lambda key, a=area: recent.get((a.pk, key), {})  # noqa: E731
        derived = {
            "inzidenz_7t": indicators.incidence_7d(get("faelle_neu"), area.population),
            "its_belegung_anteil": indicators.share(get("its_betten_belegt"), get("its_betten_gesamt")),
            "its_covid_anteil": indicators.share(get("its_covid"), get("its_betten_gesamt")),
        }
        sit = AreaSituation(area=area, as_of=as_of)
        for key in KEY_FIGURES:
            if key not in inds:
                continue
            values = derived.get(key) if key in derived else get(key)
            dated = [d for d in values if d <= as_of]
            last = max(dated) if dated else None
            sit.figures.append(Figure(
                inds[key], values.get(last) if last else None, last,
                yesterday=values.get(last - DAY) if last else None,
                last_week=values.get(last - WEEK) if last else None,
            ))
        rule_values: dict[str, dict] = {}

        def values_for(key, area=area, rule_values=rule_values):
            if key not in rule_values:
                if key in catalog.DERIVED:
                    rule_values[key] = series_for(area, key=key, end=as_of, ids=ids)
                else:
                    values = full.get((area.pk, key), {})
                    if not values and key == "inzidenz_rki":  # no published figure: the computed one
                        values = values_for("inzidenz_7t")
                    rule_values[key] = values
            return rule_values[key]

        for rs, p in parsed:
            for rule in p.rules:
                values = values_for(rule.indicator)
                ev = _evaluate_cached(version, area.pk, area.state_code, rule, as_of, values)
                sit.statuses.append(RuleStatus(rs, rule, ev))
        start = as_of - timedelta(days=chart_days)
        if "inzidenz_rki" in rule_values:
            inc = rule_values["inzidenz_rki"]
        else:
            inc = (raw_series([area.pk], keys=["inzidenz_rki"], start=start, end=as_of, ids=ids)
                   .get((area.pk, "inzidenz_rki"))
                   or series_for(area, key="inzidenz_7t", start=start, end=as_of, ids=ids))
        sit.incidence = {d: v for d, v in sorted(inc.items()) if start < d <= as_of}
        out.append(sit)
    return out


def latest_data_day(*, areas=None) -> date | None:
    """The last day with values (for the given areas, e.g. the followed ones)."""
    qs = Observation.objects.all()
    if areas is not None:
        qs = qs.filter(area__in=areas)
    return qs.aggregate(m=Max("date"))["m"]


def upcoming_changes(sits: list[AreaSituation]) -> list[tuple[Area, RuleStatus]]:
    out = []
    for sit in sits:
        for st in sit.statuses:
            if st.evaluation.change_on or (st.evaluation.forecast and st.evaluation.forecast.change):
                out.append((sit.area, st))
    return out


def clear_caches() -> None:
    """Forget cached rule evaluations (benchmarks, tests)."""
    _EVALUATIONS.clear()


def value_history(area: Area, *, indicator_key: str, day: date) -> list[tuple]:
    """Every value an observation had, oldest first: (delivered_at, value, import_run or None).

    The current value is the last entry. ``delivered_at`` is the start of the import run that
    delivered the value (None for values entered by hand without a run).
    """
    obs = (Observation.objects.filter(area=area, indicator__key=indicator_key, date=day)
           .select_related("import_run").first())
    if obs is None:
        return []
    revisions = (ObservationRevision.objects.filter(area=area, indicator__key=indicator_key, date=day)
                 .select_related("import_run").order_by("replaced_at", "pk"))
    history = [(r.import_run.started_at if r.import_run else None, r.value, r.import_run) for r in revisions]
    history.append((obs.import_run.started_at if obs.import_run else None, obs.value, obs.import_run))
    return history


def value_known_at(area: Area, *, indicator_key: str, day: date, at) -> float | None:
    """The value of ``day`` as it was known at the moment ``at`` (None if not yet imported)."""
    known = None
    for delivered_at, value, _run in value_history(area, indicator_key=indicator_key, day=day):
        if delivered_at is None or delivered_at <= at:
            known = value
    return known


def corrections(area: Area, *, user, start: date, end: date) -> list:
    """Revisions of an area's values between two days that ``user`` may read, newest first
    (for "what was known when"); own indicators of a municipality per their visibility."""
    return list(ObservationRevision.objects.filter(area=area, date__range=(start, end),
                                                   indicator__in=readable_indicators(user=user))
                .select_related("indicator", "import_run", "replaced_by").order_by("-date", "-replaced_at")[:50])
