"""Threshold rules over daily series: a pure module (no Django).

Not to be confused with ``rules.py`` (permission predicates). A *rule* says when measures
apply in an area, e.g. § 28b IfSG (April 2021): "Überschreitet ... an drei aufeinander
folgenden Tagen die Sieben-Tage-Inzidenz den Schwellenwert von 100, so gelten dort ab dem
übernächsten Tag die folgenden Maßnahmen" and "Unterschreitet ... ab dem Tag nach dem
Eintreten der Maßnahmen ... an fünf aufeinander folgenden Werktagen die Sieben-Tage-Inzidenz
den Schwellenwert von 100, so treten an dem übernächsten Tag die Maßnahmen ... außer Kraft.
Sonn- und Feiertage unterbrechen nicht die Zählung".

Semantics (documented in docs/situation.md, tested in tests/situation/test_rules_engine.py):

* A ``Condition`` compares the day's value with a threshold (``>``, ``>=``, ``<``, ``<=``);
  it must hold on ``days`` consecutive *counting days*. Counting days are all calendar days
  (``count="kalendertage"``) or Werktage (``count="werktage"``: Monday to Saturday without the
  state's public holidays). Sundays and holidays are skipped in Werktage mode: they neither
  count nor interrupt the streak, whatever their value.
* The day on which the streak reaches ``days`` is the *trigger day*; the change takes effect
  ``offset_days`` calendar days later (2 = "ab dem übernächsten Tag").
* Entry and exit are separate conditions (hysteresis): a value exactly at the threshold
  satisfies neither ``> 100`` nor ``< 100`` and interrupts both streaks.
* The exit count starts ``exit_count_from`` days after the measures took effect (1 = "ab dem
  Tag nach dem Eintreten der Maßnahmen"). While a change is announced (between trigger day and
  effect) the state does not change again; counting for the next change starts afterwards.
* Gaps: a counting day without a value interrupts the streak (``gaps="reset"``, default:
  the condition was not shown to hold) or is skipped like a Sunday (``gaps="skip"``). A value
  of ``None`` is a gap. Missing non-counting days (Sundays in Werktage mode) never matter.
* ``earliest_effect`` / ``in_force_until`` clip periods to the validity of the legal basis
  (§ 28b: days before entry into force count, effect no earlier than 24.04.2021; expiry with
  the end of 30.06.2021).
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import yaml

from krisenwissen.core import safeyaml

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}
OPERATOR_WORDS = {">": "über", ">=": "mindestens", "<": "unter", "<=": "höchstens"}
COUNT_MODES = ("kalendertage", "werktage")
GAP_MODES = ("reset", "skip")

ONE_DAY = timedelta(days=1)


class RuleFileError(ValueError):
    """A rule file that cannot be used; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None, path: str = ""):
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        where = []
        if line is not None:
            where.append(f"Zeile {line}" + (f", Spalte {column}" if column is not None else ""))
        if path:
            where.append(f"bei {path}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@dataclass(frozen=True)
class Condition:
    op: str
    threshold: float
    days: int
    count: str = "kalendertage"
    offset_days: int = 0

    def holds(self, value: float) -> bool:
        return OPERATORS[self.op](value, self.threshold)

    def describe(self) -> str:
        threshold = f"{self.threshold:g}".replace(".", ",")
        day = "Werktag" if self.count == "werktage" else "Tag"
        if self.days == 1:
            text = f"{OPERATOR_WORDS[self.op]} {threshold} an einem {day}"
        else:
            text = f"{OPERATOR_WORDS[self.op]} {threshold} an {self.days} aufeinander folgenden {day}en"
        if self.offset_days == 1:
            text += ", ab dem nächsten Tag"
        elif self.offset_days == 2:
            text += ", ab dem übernächsten Tag"
        elif self.offset_days > 2:
            text += f", {self.offset_days} Tage später"
        return text


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    indicator: str
    entry: Condition
    exit: Condition
    description: str = ""
    legal_basis: str = ""
    level: int = 1
    exit_count_from: int = 1
    gaps: str = "reset"
    earliest_effect: date | None = None
    in_force_until: date | None = None
    # Series used for a day on which ``indicator`` has no value (None: the day is a gap). Every
    # status that depends on such a day names it (Evaluation.fallback_days).
    fallback: str | None = None


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    rules: tuple[Rule, ...]
    description: str = ""
    source: str = ""
    indicator: str = ""           # the series the thresholds refer to (default of every rule)
    fallback: str | None = None   # allowed substitute for missing days (default of every rule)


@dataclass(frozen=True)
class Period:
    """Measures in force from ``start`` to ``end`` inclusive (``end`` None = still in force)."""

    start: date
    end: date | None
    trigger_day: date
    lift_trigger_day: date | None = None
    # days with a substitute value (rule.fallback) in the streaks that started or ended the period
    fallback_days: tuple[date, ...] = ()


# Status values (German display texts live in the Django layer).
INACTIVE = "inaktiv"
ANNOUNCED = "angekuendigt"          # triggered, takes effect on `change_on`
ACTIVE = "in_kraft"
LIFT_ANNOUNCED = "aufhebung_angekuendigt"  # exit triggered, lifted on `change_on`
NO_DATA = "keine_daten"


@dataclass(frozen=True)
class Evaluation:
    rule: Rule
    as_of: date
    status: str
    periods: tuple[Period, ...]
    change_on: date | None = None       # announced change takes effect on this day
    streak: int = 0                    # counting days in a row towards the next change
    streak_needed: int = 0
    last_value: float | None = None
    last_date: date | None = None
    forecast: Forecast | None = None
    # days with a substitute value (rule.fallback) on which the status depends: from the start of the
    # streak that decided the last change (or the first day) up to ``as_of``
    fallback_days: tuple[date, ...] = ()

    @property
    def in_force(self) -> bool:
        return self.status in (ACTIVE, LIFT_ANNOUNCED)


@dataclass(frozen=True)
class Forecast:
    """What would happen at the current trend: the next change and its day."""

    method: str
    daily_factor: float | None
    change: str | None          # "tritt_in_kraft" | "tritt_ausser_kraft" | None (none within horizon)
    effective_on: date | None
    days_until: int | None
    horizon_days: int


@dataclass
class _Counter:
    condition: Condition
    holidays: frozenset[date] | set[date]
    gaps: str
    streak: int = 0
    streak_start: date | None = None  # first of the last ``days`` counting days of the streak
    _window: list = field(default_factory=list)

    def is_counting_day(self, day: date) -> bool:
        if self.condition.count == "kalendertage":
            return True
        return day.weekday() != 6 and day not in self.holidays

    def feed(self, day: date, value: float | None) -> bool:
        """Feed one calendar day; True when the streak reaches the required length."""
        if not self.is_counting_day(day):
            return False
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if self.gaps == "reset":
                self.streak = 0
            return False
        if self.condition.holds(value):
            if self.streak == 0:
                self._window.clear()
            self._window.append(day)
            if len(self._window) > self.condition.days:
                del self._window[0]
            self.streak_start = self._window[0]
            self.streak += 1
        else:
            self.streak = 0
        return self.streak >= self.condition.days


def _first_day(rule: Rule, known: Mapping[date, float | None]) -> date:
    """Where simulation may start: nothing can be in force before ``earliest_effect``."""
    first = min(known)
    if rule.earliest_effect:
        margin = rule.entry.offset_days + 3 * rule.entry.days + 14
        first = min(max(first, rule.earliest_effect - timedelta(days=margin)), max(known))
    return first


def _close(rule: Rule, periods, state, change_on, start, trigger_day, lift_trigger_day, last: date, fb_days=()):
    """(periods, state, change_on) as seen at the end of ``last``."""
    until = rule.in_force_until
    expired = bool(until and last > until)
    periods = list(periods)
    if state in (ACTIVE, LIFT_ANNOUNCED):
        periods.append(Period(start, until if expired else None, trigger_day,
                              lift_trigger_day if state == LIFT_ANNOUNCED else None, tuple(fb_days)))
    if expired:
        state, change_on = INACTIVE, None
    return periods, state, change_on


def _run(rule: Rule, values: Mapping[date, float | None], first: date, last: date,
         holidays: frozenset[date] | set[date], snapshot_day: date | None = None,
         fallback: frozenset[date] = frozenset()):
    """Simulate day by day from ``first`` to ``last``.

    Returns (periods, state, change_on, streak, decisive_start) as of the end of ``last`` and, if
    ``snapshot_day`` is given, the same tuple as of the end of that day (else None): one
    simulation serves both the evaluation and the forecast, because the rule is causal.
    ``decisive_start`` is the first day of the streak that decided the last change (or ``first``).
    """
    def fb_in(a, b):
        return tuple(sorted(d for d in fallback if a <= d <= b)) if fallback and a else ()

    decisive = first
    entry_fb: tuple = ()
    lift_fb: tuple = ()
    snapshot = None
    periods: list[Period] = []
    state = INACTIVE
    change_on: date | None = None
    trigger_day: date | None = None
    lift_trigger_day: date | None = None
    start: date | None = None
    entry = _Counter(rule.entry, holidays, rule.gaps)
    exit_ = _Counter(rule.exit, holidays, rule.gaps)
    counter = entry
    exit_from: date | None = None
    entry_offset = timedelta(days=rule.entry.offset_days)
    exit_offset = timedelta(days=rule.exit.offset_days)
    until = rule.in_force_until
    day = first
    while day <= last:
        # Announced changes take effect at the start of their day.
        if change_on is not None and day >= change_on:
            if state == ANNOUNCED:
                state, start = ACTIVE, change_on
                exit_from = start + timedelta(days=rule.exit_count_from)
                exit_.streak = 0
                counter = exit_
            else:  # LIFT_ANNOUNCED
                periods.append(Period(start, change_on - ONE_DAY, trigger_day, lift_trigger_day,
                                      tuple(sorted({*entry_fb, *lift_fb}))))
                state, start, trigger_day, lift_trigger_day = INACTIVE, None, None, None
                entry.streak = 0
                counter = entry
            change_on = None
        if until and day > until:
            break
        value = values.get(day)
        if state == INACTIVE:
            if entry.feed(day, value) and (
                    rule.earliest_effect is None or day + entry_offset >= rule.earliest_effect):
                trigger_day = day
                decisive = entry.streak_start or day
                entry_fb, lift_fb = fb_in(decisive, day), ()
                entry.streak = 0
                if entry_offset:
                    state, change_on = ANNOUNCED, day + entry_offset
                else:  # offset 0: in force the same day
                    state, start = ACTIVE, day
                    exit_from = start + timedelta(days=rule.exit_count_from)
                    exit_.streak = 0
                    counter = exit_
        elif state == ACTIVE:
            if day >= exit_from and exit_.feed(day, value):
                lift_trigger_day = day
                decisive = exit_.streak_start or day
                lift_fb = fb_in(decisive, day)
                exit_.streak = 0
                if exit_offset:
                    state, change_on = LIFT_ANNOUNCED, day + exit_offset
                else:  # offset 0: lifted the same day
                    periods.append(Period(start, day - ONE_DAY, trigger_day, lift_trigger_day,
                                          tuple(sorted({*entry_fb, *lift_fb}))))
                    state, start, trigger_day, lift_trigger_day = INACTIVE, None, None, None
                    counter = entry
        if day == snapshot_day:
            snapshot = (*_close(rule, periods, state, change_on, start, trigger_day, lift_trigger_day, day,
                                {*entry_fb, *lift_fb}), counter.streak, decisive)
        day += ONE_DAY
    final = (*_close(rule, periods, state, change_on, start, trigger_day, lift_trigger_day, last,
                     {*entry_fb, *lift_fb}), counter.streak, decisive)
    if snapshot_day is not None and snapshot is None:  # the loop stopped early (expiry)
        snapshot = (*_close(rule, periods, state, change_on, start, trigger_day, lift_trigger_day, snapshot_day,
                            {*entry_fb, *lift_fb}), counter.streak, decisive)
    return final, snapshot


def evaluate(rule: Rule, values: Mapping[date, float | None], *, as_of: date,
             holidays: Iterable[date] = (), forecast_days: int = 60,
             fallback_days: Iterable[date] = ()) -> Evaluation:
    """Evaluate ``rule`` over the daily ``values`` known up to and including ``as_of``.

    ``fallback_days``: the days whose value in ``values`` is a substitute (``rule.fallback``, see
    ``merge_with_fallback``); the evaluation and its periods name those they depend on.
    """
    hol = frozenset(holidays)
    fb = frozenset(d for d in fallback_days if d <= as_of)
    known = {d: v for d, v in values.items() if d <= as_of}
    if not known:
        return Evaluation(rule, as_of, NO_DATA, (), streak_needed=rule.entry.days)
    first = _first_day(rule, known)
    fc = None
    if forecast_days:
        fc, snapshot = _forecast(rule, known, as_of=as_of, holidays=hol, horizon_days=forecast_days, first=first,
                                 fallback=fb)
    if not forecast_days or snapshot is None:
        snapshot, _ = _run(rule, known, first, as_of, hol, fallback=fb)
    periods, state, change_on, streak, decisive = snapshot
    dated = [d for d, v in known.items() if v is not None]
    last_date = max(dated) if dated else None
    last_value = known[last_date] if last_date else None
    needed = rule.exit.days if state in (ACTIVE, LIFT_ANNOUNCED) else rule.entry.days
    depends = tuple(sorted(d for d in fb if d >= decisive)) if fb else ()
    return Evaluation(rule, as_of, state, tuple(periods), change_on=change_on, streak=streak,
                      streak_needed=needed, last_value=last_value, last_date=last_date, forecast=fc,
                      fallback_days=depends)


def merge_with_fallback(primary: Mapping[date, float | None], substitute: Mapping[date, float | None] | None,
                        *, end: date | None = None) -> tuple[dict[date, float], frozenset[date]]:
    """The rule's series with the substitute's value on each day the primary series has none.

    Returns (values, fallback days). Without a substitute the primary series is returned as it is
    (missing days stay gaps). Days after ``end`` are not filled.
    """
    values = {d: v for d, v in primary.items() if v is not None}
    if not substitute:
        return values, frozenset()
    filled = {d: v for d, v in substitute.items()
              if v is not None and d not in values and (end is None or d <= end)}
    values.update(filled)
    return values, frozenset(filled)


def trend_factor(values: Mapping[date, float | None], as_of: date) -> float | None:
    """Daily growth factor from the week-over-week change ((v_t / v_t-7) ** (1/7))."""
    now, before = values.get(as_of), values.get(as_of - timedelta(days=7))
    if now is None or before is None or before <= 0 or now <= 0:
        return None
    return (now / before) ** (1 / 7)


def _in_force(periods: Iterable[Period], day: date) -> bool:
    return any(p.start <= day and (p.end is None or day <= p.end) for p in periods)


def forecast(rule: Rule, values: Mapping[date, float | None], *, as_of: date, holidays: Iterable[date] = (),
             horizon_days: int = 60) -> Forecast:
    """Extend the series at the current trend and report the next change of the in-force state.

    The trend is the week-over-week change as a constant daily factor (exponential growth
    or decline); when it cannot be computed (missing or zero values) the last value is held
    constant. One simulation over the extended series gives the answer, because the rule is
    causal: days up to ``as_of`` are evaluated exactly as without the extension.
    """
    known = {d: v for d, v in values.items() if d <= as_of}
    if not known:
        return Forecast("keine", None, None, None, None, horizon_days)
    return _forecast(rule, known, as_of=as_of, holidays=frozenset(holidays), horizon_days=horizon_days,
                     first=_first_day(rule, known))[0]


def _forecast(rule: Rule, known: Mapping[date, float | None], *, as_of: date, holidays: frozenset[date],
              horizon_days: int, first: date, fallback: frozenset[date] = frozenset()):
    """(Forecast, snapshot of the simulation at the end of ``as_of`` or None)."""
    if known.get(as_of) is None:
        return Forecast("keine", None, None, None, None, horizon_days), None
    factor = trend_factor(known, as_of)
    method = "wochentrend" if factor is not None else "konstant"
    last = known[as_of]
    extended = dict(known)
    for k in range(1, horizon_days + 1):
        extended[as_of + timedelta(days=k)] = last * (factor ** k if factor else 1.0)
    (periods, _, _, _, _), snapshot = _run(rule, extended, first, as_of + timedelta(days=horizon_days), holidays,
                                           snapshot_day=as_of, fallback=fallback)
    now = _in_force(periods, as_of)
    for k in range(1, horizon_days + 1):
        day = as_of + timedelta(days=k)
        if rule.in_force_until and day > rule.in_force_until:
            if now:
                return Forecast(method, factor, "tritt_ausser_kraft", day, k, horizon_days), snapshot
            break
        if _in_force(periods, day) != now:
            return (Forecast(method, factor, "tritt_ausser_kraft" if now else "tritt_in_kraft", day, k, horizon_days),
                    snapshot)
    return Forecast(method, factor, None, None, None, horizon_days), snapshot


def in_force_on(evaluation: Evaluation, day: date) -> bool:
    return _in_force(evaluation.periods, day)


# --- rule files --------------------------------------------------------------------------------

def _position_of_yaml_error(exc) -> tuple[int | None, int | None]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def load_text(text: str, *, fmt: str = "yaml") -> dict:
    """Parse a rule file's text (YAML or JSON) into plain data; syntax errors carry a position."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"JSON-Syntaxfehler: {exc.msg}", line=exc.lineno, column=exc.colno) from None
        except RecursionError:
            raise RuleFileError("JSON-Syntaxfehler: zu tief verschachtelt", line=1, column=1) from None
    else:
        try:
            data = safeyaml.safe_load(text)
        except yaml.YAMLError as exc:
            line, column = _position_of_yaml_error(exc)
            problem = getattr(exc, "problem", None) or str(exc)
            raise RuleFileError(f"YAML-Syntaxfehler: {problem}", line=line, column=column) from None
    if not isinstance(data, dict):
        raise RuleFileError("Eine Regeldatei muss ein Objekt mit den Schlüsseln key, name und rules enthalten.",
                            line=1, column=1)
    return data


def _req(data: Mapping, key: str, kind, path: str):
    if key not in data:
        raise RuleFileError(f"Pflichtfeld „{key}“ fehlt.", path=path)
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RuleFileError(f"„{key}“ hat den falschen Typ.", path=f"{path}.{key}")
    return value


def _date(value, path: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleFileError("Datum im Format JJJJ-MM-TT erwartet.", path=path) from None


def _condition(data, path: str) -> Condition:
    if not isinstance(data, Mapping):
        raise RuleFileError("Bedingung muss ein Objekt sein.", path=path)
    op = _req(data, "op", str, path)
    if op not in OPERATORS:
        raise RuleFileError(f"Unbekannter Vergleich „{op}“ (erlaubt: >, >=, <, <=).", path=f"{path}.op")
    threshold = _req(data, "threshold", float, path)
    if not math.isfinite(threshold):
        raise RuleFileError("Schwellenwert muss eine Zahl sein.", path=f"{path}.threshold")
    days = _req(data, "days", int, path)
    if not 1 <= days <= 366:
        raise RuleFileError("„days“ muss zwischen 1 und 366 liegen.", path=f"{path}.days")
    count = data.get("count", "kalendertage")
    if count not in COUNT_MODES:
        raise RuleFileError(f"„count“ muss kalendertage oder werktage sein, nicht „{count}“.", path=f"{path}.count")
    offset = data.get("offset_days", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 60:
        raise RuleFileError("„offset_days“ muss eine ganze Zahl von 0 bis 60 sein.", path=f"{path}.offset_days")
    return Condition(op, threshold, days, count, offset)


INDICATOR_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


def _series_key(value, path: str, *, required: bool) -> str | None:
    """An indicator key naming a series (``indicator``, ``fallback``)."""
    if value is None:
        if required:
            raise RuleFileError("Pflichtfeld „indicator“ fehlt: die Reihe, auf die sich die Schwellen beziehen "
                                "(in der Regel oder für den ganzen Regelsatz).", path=path)
        return None
    if not isinstance(value, str) or not INDICATOR_KEY.match(value):
        raise RuleFileError("Indikatorschlüssel erwartet (Buchstaben, Ziffern, - und _), z. B. "
                            "inzidenz_7t_veroeffentlicht.", path=path)
    return value


def parse_ruleset(data: Mapping) -> RuleSet:
    """Validate plain data (from YAML/JSON) into a RuleSet; errors name the field path."""
    key = _req(data, "key", str, "$")
    name = _req(data, "name", str, "$")
    set_indicator = _series_key(data.get("indicator"), "$.indicator", required=False)
    set_fallback = _series_key(data.get("fallback"), "$.fallback", required=False)
    rules_data = _req(data, "rules", list, "$")
    if not rules_data:
        raise RuleFileError("Die Regeldatei enthält keine Regeln.", path="$.rules")
    rules = []
    seen = set()
    for i, item in enumerate(rules_data):
        path = f"$.rules[{i}]"
        if not isinstance(item, Mapping):
            raise RuleFileError("Regel muss ein Objekt sein.", path=path)
        rkey = _req(item, "key", str, path)
        if rkey in seen:
            raise RuleFileError(f"Regelschlüssel „{rkey}“ doppelt.", path=f"{path}.key")
        seen.add(rkey)
        gaps = item.get("gaps", "reset")
        if gaps not in GAP_MODES:
            raise RuleFileError("„gaps“ muss reset oder skip sein.", path=f"{path}.gaps")
        ecf = item.get("exit_count_from", 1)
        if not isinstance(ecf, int) or isinstance(ecf, bool) or ecf < 0:
            raise RuleFileError("„exit_count_from“ muss eine ganze Zahl ≥ 0 sein.", path=f"{path}.exit_count_from")
        indicator = _series_key(item.get("indicator", set_indicator),
                                f"{path}.indicator" if "indicator" in item else path, required=True)
        fallback = _series_key(item.get("fallback", set_fallback),
                               f"{path}.fallback" if "fallback" in item else "$.fallback", required=False)
        if fallback is not None and fallback == indicator:
            raise RuleFileError(f"„fallback“ muss eine andere Reihe als „indicator“ ({indicator}) sein.",
                                path=f"{path}.fallback" if "fallback" in item else "$.fallback")
        rules.append(Rule(
            key=rkey,
            name=_req(item, "name", str, path),
            indicator=indicator,
            fallback=fallback,
            entry=_condition(item.get("entry"), f"{path}.entry"),
            exit=_condition(item.get("exit"), f"{path}.exit"),
            description=str(item.get("description", "")),
            legal_basis=str(item.get("legal_basis", "")),
            level=int(item.get("level", i + 1)),
            exit_count_from=ecf,
            gaps=gaps,
            earliest_effect=_date(item.get("earliest_effect", data.get("earliest_effect")), f"{path}.earliest_effect"),
            in_force_until=_date(item.get("in_force_until", data.get("in_force_until")), f"{path}.in_force_until"),
        ))
    return RuleSet(key=key, name=name, rules=tuple(rules), description=str(data.get("description", "")),
                   source=str(data.get("source", "")), indicator=set_indicator or "", fallback=set_fallback)


_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _yaml_position(text: str, path: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the YAML node at a field path such as ``$.rules[0].entry.days``;
    the deepest existing node when the field itself is missing."""
    try:
        node = safeyaml.compose(text)
    except yaml.YAMLError:
        return None, None
    if node is None:
        return None, None
    for m in _PATH_PART.finditer(path[1:] if path.startswith("$") else path):
        name, index = m.group(1), m.group(2)
        if name is not None and isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == name), None)
        elif index is not None and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            nxt = node.value[int(index)]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_ruleset(text: str, *, fmt: str = "yaml") -> RuleSet:
    """Parse and validate a rule file; schema errors in YAML carry the line of the field."""
    data = load_text(text, fmt=fmt)
    try:
        return parse_ruleset(data)
    except RuleFileError as exc:
        if exc.line is None and exc.path and fmt != "json":
            line, column = _yaml_position(text, exc.path)
            if line is not None:
                raise RuleFileError(exc.message, line=line, column=column, path=exc.path) from None
        raise


def ruleset_to_data(ruleset: RuleSet) -> dict:
    """Plain data for storing a RuleSet as JSON."""
    def cond(c: Condition) -> dict:
        return {"op": c.op, "threshold": c.threshold, "days": c.days, "count": c.count, "offset_days": c.offset_days}

    return {
        "key": ruleset.key, "name": ruleset.name, "description": ruleset.description, "source": ruleset.source,
        "indicator": ruleset.indicator or None, "fallback": ruleset.fallback,
        "rules": [{
            "key": r.key, "name": r.name, "indicator": r.indicator, "fallback": r.fallback,
            "entry": cond(r.entry), "exit": cond(r.exit),
            "description": r.description, "legal_basis": r.legal_basis, "level": r.level,
            "exit_count_from": r.exit_count_from, "gaps": r.gaps,
            "earliest_effect": r.earliest_effect.isoformat() if r.earliest_effect else None,
            "in_force_until": r.in_force_until.isoformat() if r.in_force_until else None,
        } for r in ruleset.rules],
    }
