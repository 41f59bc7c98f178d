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

KEY_FIGURES = ["inzidenz_7t_veroeffentlicht", "inzidenz_rki", "inzidenz_7t", "faelle_neu", "todesfaelle_neu", "its_belegung_anteil",
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
    # for charts: date -> incidence as the rules see it (published; computed on the days in incidence_fallback)
    incidence: dict = field(default_factory=dict)
    incidence_fallback: frozenset = frozenset()
    knowledge: str = "damals"

    @property
    def fallback_days(self) -> list[date]:
        """Every day with a substitute value some status depends on."""
        return sorted({d for st in self.statuses for d in st.evaluation.fallback_days})

    def figure(self, key):
        return next((f for f in self.figures if f.indicator.key == key), None)


def _parsed_rulesets(rulesets) -> list[tuple[RuleSet, eng.RuleSet]]:
    return [(rs, eng.parse_ruleset(rs.definition)) for rs in rulesets]


def data_version() -> int:
    return ImportRun.objects.aggregate(m=Max("id"))["m"] or 0


_EVALUATIONS: dict[tuple, eng.Evaluation] = {}


def _fingerprint(values: dict, fallback_days: frozenset = frozenset()) -> tuple:
    return (len(values), min(values, default=None), max(values, default=None),
            sum(v for v in values.values() if v is not None),
            sum(d.toordinal() % 9973 * v for d, v in values.items() if v is not None),
            len(fallback_days), min(fallback_days, default=None), max(fallback_days, default=None))


def _evaluate_cached(version: int, area_id: int, state_code: str, rule: eng.Rule, as_of: date,
                     values: dict, fallback_days: frozenset = frozenset(),
                     fingerprint: tuple | None = None) -> eng.Evaluation:
    """Rule evaluations are cached per process. The key holds a fingerprint of the values
    (count, first and last day, sum, day-weighted sum) beside the import version, so that values entered by hand
    (no import run) invalidate it as well; the values themselves are not hashed (too slow)."""
    if fingerprint is None:
        fingerprint = _fingerprint(values, fallback_days)
    key = (version, area_id, state_code, rule, as_of, fingerprint)
    hit = _EVALUATIONS.get(key)
    if hit is None:
        if len(_EVALUATIONS) > 4096:
            _EVALUATIONS.clear()
        hol = _holidays(state_code, tuple(range(min(values).year if values else as_of.year, as_of.year + 1)))
        hit = _EVALUATIONS[key] = eng.evaluate(rule, values, as_of=as_of, holidays=hol, fallback_days=fallback_days)
    return hit


KNOWN_THEN = "damals"
CURRENT = "heute"
KNOWLEDGE_MODES = {
    KNOWN_THEN: "Stand damals: die Werte, wie sie am jeweiligen Tag bekannt waren",
    CURRENT: "heutige Werte: mit allen später eingegangenen Korrekturen",
}
PUBLISHED = "inzidenz_7t_veroeffentlicht"


def _end_of_day(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return datetime.combine(day + DAY, time.min, tzinfo=timezone.get_current_timezone())


def values_unknown_at(area_ids: list[int], *, keys: list[str], day: date,
                      ids: dict[str, int]) -> dict[tuple[int, str], dict[date, float]]:
    """The values that were known at the end of ``day`` where a correction came only later:
    {(area_id, key): {date: earlier value}} for days up to ``day``.

    A value counts as known from its own day on (the first value the platform holds for a day;
    for the published series that is the value published that day); a correction counts as known
    from its ``known_from`` (the edition's Datenstand, else the moment it replaced the value).
    Of several later corrections the earliest tells what was known.
    """
    by_id = {ids[k]: k for k in keys if k in ids}
    if not by_id or not area_ids:
        return {}
    cut = _end_of_day(day)
    rows = (ObservationRevision.objects
            .filter(area_id__in=area_ids, indicator_id__in=list(by_id), date__lte=day)
            .filter(Q(known_from__gt=cut) | Q(known_from__isnull=True, replaced_at__gt=cut))
            .order_by("replaced_at", "pk").values_list("area_id", "indicator_id", "date", "value"))
    out: dict[tuple[int, str], dict[date, float]] = defaultdict(dict)
    for area_id, ind_id, d, value in rows:
        out[(area_id, by_id[ind_id])].setdefault(d, value)
    return out


def situation(areas: list[Area], *, as_of: date, rulesets, chart_days: int = 56,
              knowledge: str = KNOWN_THEN) -> list[AreaSituation]:
    """Key figures, changes and rule status of each area as of the end of ``as_of``.

    Rules are evaluated on the series their rule set names; a day without a value takes the
    rule's ``fallback`` series only if the rule set allows it (the evaluation names those days).
    ``knowledge``: ``KNOWN_THEN`` (default) evaluates on the values as known at the end of
    ``as_of`` (later corrections undone), ``CURRENT`` on today's corrected values.
    """
    area_ids = [a.pk for a in areas]
    parsed = _parsed_rulesets(rulesets)
    rule_keys = {k for _, p in parsed for r in p.rules for k in (r.indicator, r.fallback) if k}
    all_inds = {i.key: i for i in Indicator.objects.filter(key__in={*KEY_FIGURES, *STORED_KEYS, *rule_keys})}
    ids = {k: i.pk for k, i in all_inds.items()}
    inds = {k: all_inds[k] for k in KEY_FIGURES if k in all_inds}
    stored = ["faelle_neu", "todesfaelle_neu", "inzidenz_rki", PUBLISHED, "its_betten_gesamt", "its_betten_belegt",
              "its_covid"]
    recent = raw_series(area_ids, keys=stored, start=as_of - 3 * WEEK, end=as_of, ids=ids)
    full_keys = sorted({k for k in rule_keys if k not in catalog.DERIVED} | {PUBLISHED, "faelle_neu"})
    full = raw_series(area_ids, keys=full_keys, start=None, end=as_of, ids=ids)
    unknown = values_unknown_at(area_ids, keys=full_keys, day=as_of, ids=ids) if knowledge == KNOWN_THEN else {}
    version = data_version()
    out = []
    for area in areas:
        get = lambda key, a=area: recent.get((a.pk, key), {})  # noqa: E731
        derived = {
            "inzidenz_7t": indicators.incidence_7d(get("faelle_neu"), area.population),
            "its_belegung_anteil": indicators.share(get("its_betten_belegt"), get("its_betten_gesamt")),
            "its_covid_anteil": indicators.share(get("its_covid"), get("its_betten_gesamt")),
        }
        sit = AreaSituation(area=area, as_of=as_of, knowledge=knowledge)
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

        def stored_values(key, area=area):
            values = full.get((area.pk, key), {})
            earlier = unknown.get((area.pk, key))
            return {**values, **earlier} if earlier else values

        def values_for(key, area=area, rule_values=rule_values):
            if key not in rule_values:
                if key == "inzidenz_7t":
                    rule_values[key] = indicators.incidence_7d(stored_values("faelle_neu"), area.population)
                elif key in catalog.DERIVED:
                    rule_values[key] = series_for(area, key=key, end=as_of, ids=ids)
                else:
                    rule_values[key] = stored_values(key)
            return rule_values[key]

        merged: dict[tuple, tuple] = {}  # one merge and fingerprint per (series, fallback)
        for rs, p in parsed:
            for rule in p.rules:
                pair = (rule.indicator, rule.fallback)
                if pair not in merged:
                    values, fb_days = eng.merge_with_fallback(
                        values_for(rule.indicator), values_for(rule.fallback) if rule.fallback else None, end=as_of)
                    merged[pair] = (values, fb_days, _fingerprint(values, fb_days))
                values, fb_days, fingerprint = merged[pair]
                ev = _evaluate_cached(version, area.pk, area.state_code, rule, as_of, values, fb_days, fingerprint)
                sit.statuses.append(RuleStatus(rs, rule, ev))
        start = as_of - timedelta(days=chart_days)
        if chart_days:
            published = {d: v for d, v in values_for(PUBLISHED).items() if start < d <= as_of}
            computed = {d: v for d, v in values_for("inzidenz_7t").items() if start < d <= as_of}
            inc, fb = eng.merge_with_fallback(published, computed, end=as_of)
            sit.incidence = dict(sorted(inc.items()))
            sit.incidence_fallback = fb
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
