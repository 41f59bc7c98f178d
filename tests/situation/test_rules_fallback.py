"""Rule sets name their series; a substitute series only where allowed, and every dependent answer names it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from krisenwissen.situation import catalog
from krisenwissen.situation import rules_engine as eng

D0 = date(2021, 5, 3)  # a Monday


def rule(**kw) -> eng.Rule:
    base = dict(key="r", name="R", indicator="pub", fallback="calc",
                entry=eng.Condition(">", 100, 3, "kalendertage", 2), exit=eng.Condition("<", 100, 3, "kalendertage", 2))
    base.update(kw)
    return eng.Rule(**base)


def days(n, start=D0):
    return [start + timedelta(days=i) for i in range(n)]


def test_merge_uses_the_substitute_only_on_missing_days():
    pub = {D0: 120.0, D0 + timedelta(days=2): 130.0}
    calc = {d: 99.0 for d in days(4)}
    values, fb = eng.merge_with_fallback(pub, calc)
    assert values == {D0: 120.0, D0 + timedelta(days=1): 99.0, D0 + timedelta(days=2): 130.0,
                      D0 + timedelta(days=3): 99.0}
    assert fb == {D0 + timedelta(days=1), D0 + timedelta(days=3)}
    assert eng.merge_with_fallback(pub, None) == (pub, frozenset())


def test_a_trigger_resting_on_a_substitute_day_is_flagged_and_a_later_one_is_not():
    r = rule()
    # 3 days above 100, the middle one computed: in force from D0+4, flagged
    values = {d: 120.0 for d in days(3)}
    fb = {D0 + timedelta(days=1)}
    ev = eng.evaluate(r, values, as_of=D0 + timedelta(days=5), fallback_days=fb, forecast_days=0)
    assert ev.status == eng.ACTIVE and ev.periods[0].start == D0 + timedelta(days=4)
    assert ev.fallback_days == (D0 + timedelta(days=1),)
    assert ev.periods[0].fallback_days == (D0 + timedelta(days=1),)
    # the same values, all published: nothing flagged
    clean = eng.evaluate(r, values, as_of=D0 + timedelta(days=5), forecast_days=0)
    assert clean.status == eng.ACTIVE and clean.fallback_days == () and clean.periods[0].fallback_days == ()
    # a substitute day long before the streak that decided the status does not taint it
    early = {D0 - timedelta(days=20): 10.0, **values}
    ev = eng.evaluate(r, early, as_of=D0 + timedelta(days=5), fallback_days={D0 - timedelta(days=20)},
                      forecast_days=0)
    assert ev.fallback_days == ()


def test_ruleset_names_its_series_and_the_fallback_is_validated_with_line_numbers():
    ok = eng.load_ruleset("key: k\nname: N\nindicator: pub\nfallback: calc\nrules:\n  - key: a\n    name: A\n"
                          "    entry: {op: '>', threshold: 1, days: 1}\n    exit: {op: '<', threshold: 1, days: 1}\n")
    assert (ok.indicator, ok.fallback, ok.rules[0].indicator, ok.rules[0].fallback) == ("pub", "calc", "pub", "calc")
    data = eng.ruleset_to_data(ok)
    assert eng.parse_ruleset(data).rules[0].fallback == "calc"
    with pytest.raises(eng.RuleFileError) as exc:
        eng.load_ruleset("key: k\nname: N\nindicator: pub\nfallback: pub\nrules:\n  - key: a\n    name: A\n"
                         "    entry: {op: '>', threshold: 1, days: 1}\n    exit: {op: '<', threshold: 1, days: 1}\n")
    assert exc.value.line == 4 and "andere Reihe" in str(exc.value) and "Zeile 4" in str(exc.value)
    with pytest.raises(eng.RuleFileError) as exc:
        eng.load_ruleset("key: k\nname: N\nrules:\n  - key: a\n    name: A\n    fallback: [1, 2]\n"
                         "    indicator: pub\n    entry: {op: '>', threshold: 1, days: 1}\n"
                         "    exit: {op: '<', threshold: 1, days: 1}\n")
    assert exc.value.line == 6 and exc.value.path == "$.rules[0].fallback" and "Indikatorschlüssel" in str(exc.value)
    with pytest.raises(eng.RuleFileError) as exc:
        eng.load_ruleset("key: k\nname: N\nrules:\n  - key: a\n    name: A\n"
                         "    entry: {op: '>', threshold: 1, days: 1}\n    exit: {op: '<', threshold: 1, days: 1}\n")
    assert exc.value.line == 4 and "indicator" in str(exc.value)
    # other schema errors now carry their line too
    with pytest.raises(eng.RuleFileError) as exc:
        eng.load_ruleset("key: k\nname: N\nindicator: pub\nrules:\n  - key: a\n    name: A\n"
                         "    entry: {op: '>', threshold: 1, days: 0}\n    exit: {op: '<', threshold: 1, days: 1}\n")
    assert exc.value.line == 7


def test_builtin_rule_sets_refer_to_the_published_incidence_and_allow_the_computed_one_openly():
    for rs in catalog.builtin_rulesets():
        assert rs.indicator == "inzidenz_7t_veroeffentlicht" and rs.fallback == "inzidenz_7t"
        assert all(r.indicator == "inzidenz_7t_veroeffentlicht" for r in rs.rules)


def test_catalogue_labels_say_what_each_incidence_is():
    by_key = {i["key"]: i for i in catalog.INDICATORS}
    assert "am Tag veröffentlicht" in by_key["inzidenz_7t_veroeffentlicht"]["name"]
    assert "§ 28b" in by_key["inzidenz_7t_veroeffentlicht"]["definition"]
    assert "veröffentlicht" not in by_key["inzidenz_rki"]["name"]
    assert "Cases_Last_Week_Per_Million" not in by_key["inzidenz_rki"]["definition"]
    assert "Maßgeblich" not in by_key["inzidenz_rki"]["definition"]
    assert "Einwohnerzahl" in by_key["inzidenz_7t"]["definition"] and "ref-de-districts" in by_key["inzidenz_7t"][
        "definition"]


def test_only_the_days_that_completed_the_streak_count_not_its_whole_length():
    """§ 28a levels: one day above 35 suffices, effect not before the law (19.11.2020). Computed values
    before the published series starts (18.11.2020) lengthen the streak but did not decide the entry."""
    law = date(2020, 11, 19)
    r = rule(entry=eng.Condition(">", 35, 1, "kalendertage", 0), exit=eng.Condition("<=", 35, 1, "kalendertage", 0),
             exit_count_from=0, earliest_effect=law)
    computed = {law - timedelta(days=k): 80.0 for k in range(2, 20)}
    published = {law - timedelta(days=1): 90.0, law: 95.0, law + timedelta(days=1): 96.0}
    values, fb = eng.merge_with_fallback(published, computed)
    ev = eng.evaluate(r, values, as_of=law + timedelta(days=1), fallback_days=fb, forecast_days=0)
    assert ev.periods[0].start == law and ev.periods[0].trigger_day == law
    assert ev.periods[0].fallback_days == () and ev.fallback_days == ()
