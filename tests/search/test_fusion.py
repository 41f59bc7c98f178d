"""Pure tests of reciprocal rank fusion (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.search.fusion import reciprocal_rank_fusion


def ids(fused):
    return [item for item, _score in fused]


def test_item_in_both_lists_wins():
    assert ids(reciprocal_rank_fusion([["a", "b", "c"], ["c", "d"]]))[0] == "c"


def test_scores_follow_formula():
    fused = dict(reciprocal_rank_fusion([[1, 2], [2]], k=60))
    assert fused[1] == pytest.approx(1 / 61)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)


def test_weights_scale_lists():
    fused = ids(reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 0.5]))
    assert fused == ["a", "b"]


def test_ties_keep_first_seen_order():
    assert ids(reciprocal_rank_fusion([["x", "y"], ["y", "x"]])) == ["x", "y"]


def test_duplicates_count_once_at_best_rank():
    assert dict(reciprocal_rank_fusion([["a", "a", "b"]], k=0)) == {"a": 1.0, "b": 0.5}


def test_empty():
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []


def test_negative_k_is_refused():
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1]], k=-1)


rankings = st.lists(st.lists(st.integers(min_value=0, max_value=50), max_size=30), max_size=5)


@given(rankings)
def test_fusion_contains_every_id_once_sorted_by_score(lists):
    fused = reciprocal_rank_fusion(lists)
    assert sorted(ids(fused)) == sorted({item for ranking in lists for item in ranking})
    scores = [score for _item, score in fused]
    assert scores == sorted(scores, reverse=True)


@given(st.lists(st.integers(), unique=True, max_size=30))
def test_single_list_keeps_its_order(ranking):
    assert ids(reciprocal_rank_fusion([ranking])) == ranking


@given(
    rankings=st.lists(st.lists(st.integers(0, 40), max_size=30), min_size=1, max_size=4),
    top=st.integers(0, 50),
)
def test_top_is_the_head_of_the_full_fusion(rankings, top):
    assert reciprocal_rank_fusion(rankings, top=top) == reciprocal_rank_fusion(rankings)[:top]


def _reference_fusion(rankings, k=60, weights=None):
    """The plain definition: sum of weight / (k + rank), ties by best rank, then first seen."""
    scores, best, first_seen = {}, {}, {}
    for index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else float(weights[index])
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            best[item] = min(best.get(item, rank), rank)
            first_seen.setdefault(item, len(first_seen))
    ordered = sorted(scores, key=lambda item: (-scores[item], best[item], first_seen[item]))
    return [(item, scores[item]) for item in ordered]


@given(
    rankings=st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=4),
    weights=st.lists(st.floats(0.1, 3.0), min_size=4, max_size=4),
)
def test_fusion_follows_the_definition(rankings, weights):
    weights = weights[: len(rankings)]
    assert reciprocal_rank_fusion(rankings, weights=weights) == _reference_fusion(rankings, weights=weights)
