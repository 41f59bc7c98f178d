"""The pure core of the load figures: examples and properties (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.stab import load_figures as fig

T0 = dt.datetime(2020, 3, 16, 8, 0, tzinfo=dt.UTC)


def h(hours):
    return dt.timedelta(hours=hours)


def test_hours_count_open_sessions_until_now_and_overlaps_once():
    sessions = [fig.Session(T0, T0 + h(4)), fig.Session(T0 + h(2), T0 + h(6)), fig.Session(T0 + h(10), None)]
    assert fig.hours_on_duty(sessions, now=T0 + h(13)) == pytest.approx(9)
    assert fig.hours_on_duty(sessions, now=T0 + h(13), since=T0 + h(5)) == pytest.approx(4)


def test_stretch_joins_short_breaks_only():
    sessions = [fig.Session(T0, T0 + h(6)), fig.Session(T0 + h(6.5), T0 + h(13))]
    assert fig.current_stretch_hours(sessions, now=T0 + h(20)) == pytest.approx(12.5)
    sessions = [fig.Session(T0, T0 + h(6)), fig.Session(T0 + h(8), T0 + h(13))]
    assert fig.current_stretch_hours(sessions, now=T0 + h(20)) == pytest.approx(5)
    assert fig.current_stretch_hours([], now=T0) == 0


def test_consecutive_days_end_today_or_yesterday():
    sessions = [fig.Session(T0 + dt.timedelta(days=d), T0 + dt.timedelta(days=d) + h(10)) for d in range(12)]
    assert fig.consecutive_days(sessions, now=T0 + dt.timedelta(days=11, hours=12)) == 12
    # not yet signed in today: the streak up to yesterday still counts
    assert fig.consecutive_days(sessions, now=T0 + dt.timedelta(days=12, hours=1)) == 12
    # a day off ends the streak
    assert fig.consecutive_days(sessions, now=T0 + dt.timedelta(days=13, hours=1)) == 0
    gap = [s for i, s in enumerate(sessions) if i != 5]
    assert fig.consecutive_days(gap, now=T0 + dt.timedelta(days=11, hours=12)) == 6


def test_concentration_examples():
    assert fig.gini([1, 1, 1, 1]) == 0
    assert fig.gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert fig.gini([]) == 0 and fig.gini([0, 0]) == 0
    assert fig.top_share([10, 0, 0, 0, 0]) == 1
    assert fig.top_share([1] * 10) == pytest.approx(0.2)
    c = fig.concentration([50, 5, 5, 5, 5, 5, 5, 5, 5, 5])
    assert c.top_count == 2 and c.top_share == pytest.approx(55 / 95) and c.people == 10


def test_warnings_and_rotation_suggest_rested_people_of_the_same_function():
    limits = fig.Limits(max_shift_hours=12, max_days_without_break=10)
    tired = fig.PersonLoad(key=1, hours_total=200, stretch_hours=14, days_in_row=13, on_duty=True, functions=frozenset({"s2"}))
    rested = fig.PersonLoad(key=2, hours_total=20, stretch_hours=0, days_in_row=1, on_duty=False, functions=frozenset({"s2"}))
    busy = fig.PersonLoad(key=3, hours_total=10, stretch_hours=3, days_in_row=1, on_duty=True, functions=frozenset({"s2"}))
    other = fig.PersonLoad(key=4, hours_total=5, stretch_hours=0, days_in_row=0, on_duty=False, functions=frozenset({"s3"}))
    alone = fig.PersonLoad(key=5, hours_total=100, stretch_hours=2, days_in_row=11, on_duty=False, functions=frozenset({"s4"}))
    assert tired.warnings(limits) == ["shift", "days"] and rested.warnings(limits) == []
    out = fig.rotation_suggestions([tired, rested, busy, other, alone], limits)
    assert out == [fig.Suggestion(tired=1, function="s2", rested=(2,)), fig.Suggestion(tired=5, function="s4", rested=())]


def test_strain_summary_needs_the_minimum_group():
    assert fig.strain_summary([3, 4, 5, 2], min_group=5) is None
    s = fig.strain_summary([3, 4, 5, 2, 1], min_group=5)
    assert s == {"count": 5, "mean": 3.0, "distribution": [1, 1, 1, 1, 1]}


work = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=60)


@given(work)
def test_gini_and_top_share_are_bounded(values):
    g = fig.gini(values)
    t = fig.top_share(values)
    assert 0 <= g <= 1 and 0 <= t <= 1
    if values and sum(values) > 0:
        n = len(values)
        assert g <= (n - 1) / n + 1e-9
        assert t >= min(1.0, max(1, -(-n // 5)) / n) - 1e-9  # the top fifth holds at least its share


@given(work, st.floats(min_value=0.01, max_value=1000))
def test_gini_is_scale_invariant_and_order_free(values, factor):
    assert fig.gini([v * factor for v in values]) == pytest.approx(fig.gini(values), abs=1e-6)
    assert fig.gini(list(reversed(values))) == pytest.approx(fig.gini(values), abs=1e-9)


sessions_st = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30 * 24 * 60), st.one_of(st.none(), st.integers(min_value=-60, max_value=48 * 60))),
    max_size=40,
).map(lambda raw: [fig.Session(T0 + dt.timedelta(minutes=s), None if d is None else T0 + dt.timedelta(minutes=s + d)) for s, d in raw])


@settings(max_examples=150)
@given(sessions_st, st.integers(min_value=0, max_value=32 * 24 * 60))
def test_hours_and_days_are_consistent(sessions, now_minutes):
    now = T0 + dt.timedelta(minutes=now_minutes)
    total = fig.hours_on_duty(sessions, now=now)
    stretch = fig.current_stretch_hours(sessions, now=now)
    days = fig.consecutive_days(sessions, now=now)
    assert 0 <= stretch <= total + 1e-9
    assert total <= (now - T0).total_seconds() / 3600 + 1e-9
    assert 0 <= days <= len(fig.duty_days(sessions, now=now))
    assert fig.hours_on_duty(sessions, now=now, since=now - dt.timedelta(days=7)) <= min(total, 7 * 24) + 1e-9
