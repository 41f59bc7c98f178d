"""Intercoder agreement (pure: no Django).

Two coders' codings of one text are compared character by character, per code, as ATLAS.ti
and QualCoder do: every character of the text is a unit, and each coder's value for it is
"coded with this code" (1) or "not coded" (0). From the 2×2 table of those values come the
percentage agreement, Cohen's κ and Krippendorff's α (nominal).

``krippendorff_alpha_nominal`` is the general form (any number of coders, missing values),
checked against Krippendorff's worked example; ``alpha_from_table`` is the same statistic for
two coders without missing values, computed from the four counts (no per-character lists).
Ranges are half-open ``(start, end)`` character offsets, as ``Coding`` stores them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def merge_ranges(ranges: Iterable[tuple[int, int]], length: int | None = None) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges covering the same characters (clipped to ``length``)."""
    cleaned = []
    for start, end in ranges:
        start, end = max(0, start), end if length is None else min(end, length)
        if end > start:
            cleaned.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cleaned):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered(ranges: Iterable[tuple[int, int]]) -> int:
    return sum(end - start for start, end in ranges)


def intersection_size(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Characters in both merged range lists."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class Table:
    """Counts of units: both coded (``both``), only coder A, only coder B, neither."""

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither


def binary_table(length: int, ranges_a: Iterable[tuple[int, int]], ranges_b: Iterable[tuple[int, int]]) -> Table:
    a, b = merge_ranges(ranges_a, length), merge_ranges(ranges_b, length)
    both = intersection_size(a, b)
    only_a, only_b = covered(a) - both, covered(b) - both
    return Table(both, only_a, only_b, length - both - only_a - only_b)


def percent_agreement_from_table(table: Table) -> float | None:
    if table.total == 0:
        return None
    return (table.both + table.neither) / table.total


def cohen_kappa_from_table(table: Table) -> float | None:
    """Cohen's κ; None when undefined (no units, or both coders constant and equal)."""
    n = table.total
    if n == 0:
        return None
    observed = (table.both + table.neither) / n
    a_yes, b_yes = (table.both + table.only_a) / n, (table.both + table.only_b) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def alpha_from_table(table: Table) -> float | None:
    """Krippendorff's α (nominal) for two coders, binary values, no missing data."""
    # Coincidences: each unit with values (x, y) adds one to o[x][y] and one to o[y][x].
    disagree = table.only_a + table.only_b  # o_01 == o_10 == this count
    n = 2 * table.total
    n1 = 2 * table.both + disagree
    n0 = 2 * table.neither + disagree
    expected = 2 * n0 * n1
    if n < 2 or expected == 0:
        return None
    return 1 - (n - 1) * (2 * disagree) / expected


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    if len(a) != len(b):
        raise ValueError("both coders need a value for every unit")
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's κ for two coders and any nominal values."""
    if len(a) != len(b):
        raise ValueError("both coders need a value for every unit")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[v] * count_b[v] for v in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's α for nominal data. ``units[u]`` holds each coder's value (None = missing).

    Units with fewer than two values are not pairable and are left out. None when α is undefined
    (fewer than two pairable values, or only one value used at all).
    """
    coincidences: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, x in enumerate(values):
            for j, y in enumerate(values):
                if i != j:
                    coincidences[(x, y)] += 1 / (m - 1)
    totals: Counter = Counter()
    for (x, _y), count in coincidences.items():
        totals[x] += count
    n = sum(totals.values())
    if n < 2:
        return None
    observed = sum(count for (x, y), count in coincidences.items() if x != y)
    expected = sum(totals[x] * totals[y] for x in totals for y in totals if x != y)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


@dataclass(frozen=True)
class CodeAgreement:
    code: Hashable
    table: Table
    percent: float | None
    kappa: float | None
    alpha: float | None


def code_agreement(length: int, codings_a: dict, codings_b: dict) -> list[CodeAgreement]:
    """Per code (union of both coders' codes): table, percentage, κ and α over the text's characters.

    ``codings_x`` maps a code to that coder's ranges with it.
    """
    result = []
    for code in sorted(set(codings_a) | set(codings_b), key=str):
        table = binary_table(length, codings_a.get(code, ()), codings_b.get(code, ()))
        result.append(CodeAgreement(code, table, percent_agreement_from_table(table), cohen_kappa_from_table(table),
                                    alpha_from_table(table)))
    return result
