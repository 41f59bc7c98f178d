"""The pure rule engine: worked examples checked by hand, properties checked by hypothesis.

Worked examples use the 7-day incidence of the shared district files
(``Cases_Last_Week_Per_Million / 10``) and the wording of § 28b IfSG (version of 22.04.2021):

* Abs. 1: "Überschreitet ... an drei aufeinander folgenden Tagen ... den Schwellenwert von
  100, so gelten dort ab dem übernächsten Tag die folgenden Maßnahmen".
* Abs. 2: "Unterschreitet ... ab dem Tag nach dem Eintreten der Maßnahmen des Absatzes 1 an
  fünf aufeinander folgenden Werktagen die Sieben-Tage-Inzidenz den Schwellenwert von 100, so
  treten an dem übernächsten Tag die Maßnahmen des Absatzes 1 außer Kraft. Sonn- und Feiertage
  unterbrechen nicht die Zählung der nach Satz 1 maßgeblichen Tage."
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import holidays as holidays_lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.situation import rules_engine as eng

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "covid" / "districts"
RULESETS = Path(__file__).resolve().parents[2] / "src" / "krisenwissen" / "situation" / "data" / "rulesets"
NRW_HOLIDAYS = frozenset(holidays_lib.Germany(subdiv="NW", years=range(2020, 2024)).keys())


def series(ags: str) -> dict[date, float]:
    path = SHARED / f"de-district_timeseries-{ags}.tsv"
    assert path.exists(), f"shared data missing: {path}"
    with path.open(encoding="utf-8") as fh:
        return {date.fromisoformat(r["Date"]): float(r["Cases_Last_Week_Per_Million"]) / 10
                for r in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="module")
def notbremse():
    return eng.load_ruleset((RULESETS / "bundesnotbremse-2021.yaml").read_text(encoding="utf-8"))


def rule_of(ruleset, key):
    return next(r for r in ruleset.rules if r.key == key)


def periods(rule, values, as_of=date(2021, 7, 31), hol=NRW_HOLIDAYS):
    return [(p.start, p.end) for p in eng.evaluate(rule, values, as_of=as_of, holidays=hol).periods]


# --- worked examples -------------------------------------------------------------------------

def test_essen_holiday_and_value_exactly_at_threshold(notbremse):
    """Essen 05113, 100er-Stufe.

    Entry: the incidence was above 100 long before the law; the first trigger day whose
    "übernächster Tag" is not before the earliest effect (Sat 24.04.2021) is Thu 22.04.
    (values 20./21./22.04.: 158.7, 159.2, 165.3) -> in force from 24.04.
    Exit, values from the data: Tue 11.05. = 100.0 exactly (not *unter* 100, does not count),
    Wed 12.05. 95.7 (Werktag 1), Thu 13.05. Christi Himmelfahrt (holiday in NRW, skipped),
    Fri 14.05. 80.4 (2), Sat 15.05. 70.5 (3), Sun 16.05. skipped, Mon 17.05. 64.7 (4),
    Tue 18.05. 59.8 (5) -> fifth Werktag 18.05., lifted "am übernächsten Tag" = Thu 20.05.,
    so the last day in force is 19.05. (Counting 11.05. would give 19.05.; ignoring the
    holiday would give 18.05.)
    """
    values = series("05113")
    assert values[date(2021, 5, 11)] == 100.0
    assert periods(rule_of(notbremse, "notbremse-100"), values) == [(date(2021, 4, 24), date(2021, 5, 19))]
    # Without the holiday the fifth Werktag would be Mon 17.05. -> lifted from 19.05.
    assert periods(rule_of(notbremse, "notbremse-100"), values, hol=frozenset()) == [
        (date(2021, 4, 24), date(2021, 5, 18))]


def test_essen_165_from_monday_26_april(notbremse):
    """Essen, 165er-Stufe (Schulen): 22.04. 165.3, 23.04. 172.4, 24.04. 173.1 -> three days
    above 165 on Sat 24.04., prohibition from Mon 26.04. Exit count from 27.04. (day after
    the measures took effect): 27.04. 163.0 (1), 28.04. (2), 29.04. (3), 30.04. (4), Sat 01.05.
    Tag der Arbeit (holiday, skipped), Sun 02.05. skipped, Mon 03.05. 144.6 (5) -> lifted Wed
    05.05., last day 04.05.
    """
    rule = rule_of(notbremse, "schulen-165")
    values = series("05113")
    assert periods(rule, values) == [(date(2021, 4, 26), date(2021, 5, 4))]
    ev = eng.evaluate(rule, values, as_of=date(2021, 4, 25), holidays=NRW_HOLIDAYS)
    assert ev.status == eng.ANNOUNCED and ev.change_on == date(2021, 4, 26)
    assert eng.evaluate(rule, values, as_of=date(2021, 4, 26), holidays=NRW_HOLIDAYS).status == eng.ACTIVE


def test_dortmund_lift_after_five_werktage(notbremse):
    """Dortmund 05913: below 100 on Mon 17.05. (99.8), 18.05. (98.1), 19.05. (84.6),
    20.05. (78.8), Fri 21.05. (78.3) = five Werktage, no holiday in between -> lifted from
    Sun 23.05.; in force 24.04. to 22.05."""
    rule = rule_of(notbremse, "notbremse-100")
    values = series("05913")
    assert periods(rule, values) == [(date(2021, 4, 24), date(2021, 5, 22))]
    ev = eng.evaluate(rule, values, as_of=date(2021, 5, 21), holidays=NRW_HOLIDAYS)
    assert ev.status == eng.LIFT_ANNOUNCED and ev.change_on == date(2021, 5, 23)


def test_gelsenkirchen_reset_and_pfingstmontag(notbremse):
    """Gelsenkirchen 05513: 18.05. 95.7 (1), 19.05. 90.3 (2), Thu 20.05. 105.7 -> reset.
    Fri 21.05. 97.2 (1), Sat 22.05. 93.4 (2), Sun 23.05. skipped, Mon 24.05. Pfingstmontag
    skipped, Tue 25.05. 75.7 (3), 26.05. 58.0 (4), Thu 27.05. 47.2 (5) -> lifted Sat 29.05."""
    assert periods(rule_of(notbremse, "notbremse-100"), series("05513")) == [
        (date(2021, 4, 24), date(2021, 5, 28))]


def test_koeln_sunday_above_threshold_does_not_interrupt(notbremse):
    """Köln 05315: Fri 14.05. 98.5 (1), Sat 15.05. 95.1 (2), Sun 16.05. 104.6 is *above* 100
    but a Sunday does not interrupt the count, Mon 17.05. 103.1 does (reset). 19.05. (1),
    20.05. (2), 21.05. 102.5 (reset), Sat 22.05. 91.0 (1), Sun and Pfingstmontag skipped,
    25.05. (2), 26.05. (3), 27.05. (4), Fri 28.05. (5) -> lifted Sun 30.05."""
    assert periods(rule_of(notbremse, "notbremse-100"), series("05315")) == [
        (date(2021, 4, 24), date(2021, 5, 29))]


def test_duesseldorf_status_on_26_april(notbremse):
    """Düsseldorf 05111 on 26.04.2021: 100 and 150 in force since 24.04.; 165 not (above 165
    only on 22.04. and 23.04., 24.04. 158.5 breaks the streak; 25.04. 164.4, 26.04. 164.6)."""
    values = series("05111")
    status = {r.key: eng.evaluate(r, values, as_of=date(2021, 4, 26), holidays=NRW_HOLIDAYS).status
              for r in notbremse.rules}
    assert status == {"notbremse-100": eng.ACTIVE, "click-and-meet-150": eng.ACTIVE, "schulen-165": eng.INACTIVE}


def test_law_expires_30_june(notbremse):
    rule = rule_of(notbremse, "notbremse-100")
    # Data from 01.06.: third day above 100 is 03.06. -> in force from 05.06. until the end
    # of 30.06. (§ 28b Abs. 10), although the values stay above 100.
    values = {date(2021, 6, 1) + timedelta(days=i): 300.0 for i in range(60)}
    assert periods(rule, values) == [(date(2021, 6, 5), date(2021, 6, 30))]
    assert eng.evaluate(rule, values, as_of=date(2021, 7, 5)).status == eng.INACTIVE


def test_forecast_days_until_lift(notbremse):
    """Dortmund on 10.05.2021 (152.5, a week before 186.7): falling ~2.8 % a day; the
    forecast must name a lift day after the real one is announced at the earliest."""
    rule = rule_of(notbremse, "notbremse-100")
    ev = eng.evaluate(rule, series("05913"), as_of=date(2021, 5, 10), holidays=NRW_HOLIDAYS)
    assert ev.status == eng.ACTIVE
    fc = ev.forecast
    assert fc.method == "wochentrend" and fc.daily_factor < 1
    assert fc.change == "tritt_ausser_kraft"
    # 152.5 * f**k < 100 from k = 16 (26.05.), five Werktage incl. holidays -> some days later.
    assert fc.effective_on > date(2021, 5, 26)
    assert fc.days_until == (fc.effective_on - date(2021, 5, 10)).days


def test_staged_levels_35_50():
    rs = eng.load_ruleset((RULESETS / "stufen-35-50.yaml").read_text(encoding="utf-8"))
    # In force from 19.11.2020 (Drittes Bevölkerungsschutzgesetz): earlier days never apply.
    values = {date(2020, 11, 17): 60.0, date(2020, 11, 18): 60.0, date(2020, 12, 1): 20.0,
              date(2020, 12, 2): 40.0, date(2020, 12, 3): 60.0, date(2020, 12, 4): 50.0, date(2020, 12, 5): 30.0}
    p35 = periods(rule_of(rs, "stufe-35"), values, as_of=date(2020, 12, 5))
    p50 = periods(rule_of(rs, "stufe-50"), values, as_of=date(2020, 12, 5))
    assert p35 == [(date(2020, 12, 2), date(2020, 12, 4))]
    assert p50 == [(date(2020, 12, 3), date(2020, 12, 3))]
    # Replaced in September 2021: nothing applies afterwards.
    late = {date(2021, 9, 10) + timedelta(days=i): 80.0 for i in range(10)}
    assert periods(rule_of(rs, "stufe-50"), late, as_of=date(2021, 9, 19)) == [
        (date(2021, 9, 10), date(2021, 9, 15))]


# --- rule files ------------------------------------------------------------------------------

def test_yaml_syntax_error_has_position():
    text = "key: x\nname: y\nrules:\n  - key: a\n    entry: {op: '>', threshold: 100\n"
    with pytest.raises(eng.RuleFileError) as err:
        eng.load_ruleset(text)
    assert err.value.line is not None and err.value.column is not None
    assert "Zeile" in str(err.value)


def test_json_syntax_error_has_position():
    with pytest.raises(eng.RuleFileError) as err:
        eng.load_ruleset('{"key": "x",\n "name": }', fmt="json")
    assert (err.value.line, err.value.column) == (2, 10)


@pytest.mark.parametrize("patch, message", [
    ({"op": "=>"}, "Unbekannter Vergleich"),
    ({"days": 0}, "days"),
    ({"count": "monate"}, "count"),
    ({"threshold": "hundert"}, "threshold"),
])
def test_schema_errors_name_the_field(patch, message):
    data = eng.ruleset_to_data(eng.load_ruleset((RULESETS / "bundesnotbremse-2021.yaml").read_text()))
    data["rules"][0]["entry"].update(patch)
    with pytest.raises(eng.RuleFileError) as err:
        eng.parse_ruleset(data)
    assert message in str(err.value) and "$.rules[0].entry" in str(err.value)


def test_round_trip_of_shipped_rulesets():
    for path in RULESETS.glob("*.yaml"):
        rs = eng.load_ruleset(path.read_text(encoding="utf-8"))
        assert eng.parse_ruleset(eng.ruleset_to_data(rs)) == rs


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_rule_file_parser_never_crashes(text):
    try:
        eng.load_ruleset(text)
    except eng.RuleFileError:
        pass


# --- properties ------------------------------------------------------------------------------

START = date(2021, 3, 1)
WERKTAG_RULE = eng.Rule(
    key="r", name="r", indicator="i",
    entry=eng.Condition(">", 100, 3, "kalendertage", 2),
    exit=eng.Condition("<", 100, 5, "werktage", 2),
)
values_lists = st.lists(st.one_of(st.none(), st.sampled_from([50.0, 99.9, 100.0, 100.1, 150.0])),
                        min_size=1, max_size=70)
day_sets = st.sets(st.integers(min_value=0, max_value=69), max_size=10)


def as_series(values):
    return {START + timedelta(days=i): v for i, v in enumerate(values)}


def end_of(values):
    return START + timedelta(days=len(values) - 1)


def ev(rule, values, hol=frozenset()):
    return eng.evaluate(rule, as_series(values), as_of=end_of(values), holidays=hol, forecast_days=0)


@given(values_lists, day_sets, st.sampled_from([50.0, 100.0, 150.0, None]))
@settings(max_examples=300, deadline=None)
def test_values_on_holidays_do_not_matter_for_werktage_counts(values, holiday_idx, replacement):
    """Shifting holidays: whatever value a holiday carries, an exit counted in Werktage is the
    same (a rule whose entry is also in Werktage, so holidays are skipped on both sides)."""
    rule = eng.Rule(key="r", name="r", indicator="i",
                    entry=eng.Condition(">", 100, 3, "werktage", 2),
                    exit=eng.Condition("<", 100, 5, "werktage", 2))
    hol = frozenset(START + timedelta(days=i) for i in holiday_idx)
    changed = [replacement if (START + timedelta(days=i)) in hol or (START + timedelta(days=i)).weekday() == 6
               else v for i, v in enumerate(values)]
    assert ev(rule, values, hol).periods == ev(rule, changed, hol).periods


@given(values_lists, day_sets)
@settings(max_examples=300, deadline=None)
def test_holiday_equals_sunday(values, holiday_idx):
    """A holiday is skipped exactly like a Sunday: more holidays can only delay a lift
    (never make it come earlier), because fewer days count."""
    hol = frozenset(START + timedelta(days=i) for i in holiday_idx)
    base = ev(WERKTAG_RULE, values)
    more = ev(WERKTAG_RULE, values, hol)
    # Entry counts calendar days: the first entry is unaffected by holidays.
    first_base = base.periods[0].start if base.periods else None
    first_more = more.periods[0].start if more.periods else None
    assert first_base == first_more
    if base.periods and more.periods and base.periods[0].end and more.periods[0].end:
        assert more.periods[0].end >= base.periods[0].end


@given(values_lists, st.integers(min_value=0, max_value=69))
@settings(max_examples=300, deadline=None)
def test_gap_behaves_like_value_at_threshold(values, idx):
    """gaps="reset": a missing day interrupts every streak, exactly like a value of 100.0,
    which is neither above nor below 100."""
    idx = idx % len(values)
    gap = list(values)
    at = list(values)
    gap[idx], at[idx] = None, 100.0
    assert ev(WERKTAG_RULE, gap).periods == ev(WERKTAG_RULE, at).periods


@given(values_lists, st.integers(min_value=0, max_value=69))
@settings(max_examples=300, deadline=None)
def test_skipped_gap_behaves_like_holiday(values, idx):
    """gaps="skip" on a Werktage-only rule: a missing day is treated like a holiday."""
    rule = eng.Rule(key="r", name="r", indicator="i", gaps="skip",
                    entry=eng.Condition(">", 100, 3, "werktage", 2),
                    exit=eng.Condition("<", 100, 5, "werktage", 2))
    idx = idx % len(values)
    gap = list(values)
    gap[idx] = None
    hol = frozenset({START + timedelta(days=idx)})
    assert ev(rule, gap).periods == ev(rule, values, hol).periods


@given(st.integers(min_value=1, max_value=60), st.sampled_from([">", "<"]))
def test_constant_at_threshold_never_changes_state(n, op):
    rule = eng.Rule(key="r", name="r", indicator="i",
                    entry=eng.Condition(op, 100, 1, "kalendertage", 0),
                    exit=eng.Condition("<" if op == ">" else ">", 100, 1, "kalendertage", 0))
    result = ev(rule, [100.0] * n)
    assert result.periods == () and result.status == eng.INACTIVE


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=5),
       st.integers(min_value=1, max_value=60))
def test_inclusive_operator_counts_value_at_threshold(days, offset, n):
    rule = eng.Rule(key="r", name="r", indicator="i",
                    entry=eng.Condition(">=", 100, days, "kalendertage", offset),
                    exit=eng.Condition("<", 100, 1, "kalendertage", 0))
    result = ev(rule, [100.0] * n)
    trigger = START + timedelta(days=days - 1)
    if trigger + timedelta(days=offset) <= end_of([0] * n):
        assert result.periods[0].start == trigger + timedelta(days=offset)
        assert result.periods[0].trigger_day == trigger
    else:
        assert result.periods == ()


@given(values_lists, day_sets)
@settings(max_examples=300, deadline=None)
def test_periods_are_justified_by_the_data(values, holiday_idx):
    """Reference check: every period starts `offset` days after a day ending three calendar
    days above 100, and ends the day after next after five Werktage below 100 (counted from
    the day after the start), with Sundays/holidays skipped."""
    hol = frozenset(START + timedelta(days=i) for i in holiday_idx)
    s = as_series(values)
    result = ev(WERKTAG_RULE, values, hol)
    previous_end = None
    for p in result.periods:
        assert p.start == p.trigger_day + timedelta(days=2)
        for k in range(3):
            v = s.get(p.trigger_day - timedelta(days=k))
            assert v is not None and v > 100
        if previous_end is not None:
            assert p.trigger_day > previous_end
        if p.end is not None:
            assert p.end == p.lift_trigger_day + timedelta(days=1)
            counted, day = 0, p.lift_trigger_day
            while counted < 5:
                assert day > p.start, "exit count must start the day after the start"
                if day.weekday() != 6 and day not in hol:
                    v = s.get(day)
                    assert v is not None and v < 100
                    counted += 1
                day -= timedelta(days=1)
            previous_end = p.end


@given(values_lists)
@settings(max_examples=200, deadline=None)
def test_evaluation_is_causal(values):
    """The state on a day depends only on data up to that day (the date picker relies on it)."""
    full = ev(WERKTAG_RULE, values)
    for cut in range(1, len(values)):
        part = ev(WERKTAG_RULE, values[:cut])
        day = end_of(values[:cut])
        assert eng.in_force_on(part, day) == eng.in_force_on(full, day)


@given(values_lists, st.integers(min_value=0, max_value=69))
@settings(max_examples=200, deadline=None)
def test_forecast_run_agrees_with_plain_evaluation(values, cut):
    """The evaluation reads its state from the forecast simulation; it must equal a plain run."""
    cut = cut % len(values)
    part = values[: cut + 1]
    rule = eng.Rule(key="r", name="r", indicator="i", entry=eng.Condition(">", 100, 3, "kalendertage", 2),
                    exit=eng.Condition("<", 100, 5, "werktage", 2), earliest_effect=START + timedelta(days=20),
                    in_force_until=START + timedelta(days=50))
    with_fc = eng.evaluate(rule, as_series(part), as_of=end_of(part), forecast_days=30)
    plain = eng.evaluate(rule, as_series(part), as_of=end_of(part), forecast_days=0)
    assert (with_fc.status, with_fc.periods, with_fc.change_on, with_fc.streak) == (
        plain.status, plain.periods, plain.change_on, plain.streak)


def test_before_the_law_nothing_applies(notbremse):
    ev = eng.evaluate(rule_of(notbremse, "notbremse-100"), series("05513"), as_of=date(2020, 12, 1),
                      holidays=NRW_HOLIDAYS)
    assert ev.status == eng.INACTIVE and ev.periods == ()
