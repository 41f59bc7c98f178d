"""Intercoder agreement maths, checked against textbook examples and by properties."""

import math

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.documents import agreement as ag

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example:
# 4 observers, 12 units, missing values; α_nominal = 0.743.
KRIPPENDORFF_EXAMPLE = [
    [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None],
]


def test_krippendorff_textbook_example():
    assert round(ag.krippendorff_alpha_nominal(KRIPPENDORFF_EXAMPLE), 3) == 0.743


def test_cohen_kappa_textbook_example():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> p_o 0.7, p_e 0.5, κ 0.4.
    a = ["ja"] * 25 + ["nein"] * 25
    b = ["ja"] * 20 + ["nein"] * 5 + ["ja"] * 10 + ["nein"] * 15
    assert math.isclose(ag.cohen_kappa(a, b), 0.4)
    assert math.isclose(ag.percent_agreement(a, b), 0.7)
    table = ag.Table(both=20, only_a=5, only_b=10, neither=15)
    assert math.isclose(ag.cohen_kappa_from_table(table), 0.4)


def test_character_table_of_two_coders():
    # Text of 20 characters; A codes 0-10, B codes 5-15: 5 both, 5 only A, 5 only B, 5 neither.
    table = ag.binary_table(20, [(0, 10)], [(5, 15)])
    assert table == ag.Table(5, 5, 5, 5)
    assert ag.percent_agreement_from_table(table) == 0.5
    # Overlapping ranges of one coder count each character once.
    assert ag.binary_table(20, [(0, 6), (4, 10)], [(5, 15)]) == table


def test_identical_codings_agree_fully():
    [result] = ag.code_agreement(100, {"k": [(3, 40)]}, {"k": [(3, 40)]})
    assert result.percent == 1 and math.isclose(result.kappa, 1) and math.isclose(result.alpha, 1)


ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted).map(tuple), max_size=5)


@given(length=st.integers(1, 40), a=ranges, b=ranges)
def test_table_matches_per_character_units(length, a, b):
    marks_a = [any(s <= i < e for s, e in a) for i in range(length)]
    marks_b = [any(s <= i < e for s, e in b) for i in range(length)]
    table = ag.binary_table(length, a, b)
    assert table.total == length
    assert ag.percent_agreement_from_table(table) == ag.percent_agreement(marks_a, marks_b)
    kappa, kappa_units = ag.cohen_kappa_from_table(table), ag.cohen_kappa(marks_a, marks_b)
    assert (kappa is None and kappa_units is None) or math.isclose(kappa, kappa_units, abs_tol=1e-9)
    alpha, alpha_units = ag.alpha_from_table(table), ag.krippendorff_alpha_nominal(list(zip(marks_a, marks_b, strict=True)))
    assert (alpha is None and alpha_units is None) or math.isclose(alpha, alpha_units, abs_tol=1e-9)


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=2, max_size=4), max_size=15))
def test_alpha_is_at_most_one(units):
    alpha = ag.krippendorff_alpha_nominal(units)
    assert alpha is None or alpha <= 1 + 1e-9
