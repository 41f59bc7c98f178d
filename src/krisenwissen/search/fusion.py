"""Reciprocal rank fusion (pure Python, no Django).

Combines several ranked lists of ids into one ranking without comparing their scores:
each list contributes ``1 / (k + rank)`` for every id it contains (rank starting at 1), so
an id ranked well by several lists rises to the top. ``k = 60`` is the value proposed by
Cormack, Clarke and Büttcher (SIGIR 2009); it damps the influence of the very first ranks.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

DEFAULT_K = 60


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[Hashable]], *, k: int = DEFAULT_K, weights: Sequence[float] | None = None,
) -> list[tuple[Hashable, float]]:
    """Fuse ranked id lists into ``[(id, score), ...]``, best first.

    Duplicates within one list count at their first (best) position. Ties are broken by the
    best rank the id reached in any list, then by the order in which the ids were first
    seen, so the result is deterministic. ``weights`` (one per list, default 1) scale each
    list's contribution.
    """
    if k < 0:
        raise ValueError("k must not be negative")
    scores: dict[Hashable, float] = {}
    best_rank: dict[Hashable, int] = {}
    for list_index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else float(weights[list_index])
        rank = 0
        seen: set[Hashable] = set()
        for item in ranking:
            if item in seen:
                continue
            seen.add(item)
            rank += 1
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            # Ranks only grow within a list, so the first list that reaches an item
            # with a better rank than before sets it.
            previous = best_rank.get(item)
            if previous is None or rank < previous:
                best_rank[item] = rank
    # dicts keep insertion order, so enumerate() gives the order in which ids were first seen.
    order = {item: (-score, best_rank[item], position) for position, (item, score) in enumerate(scores.items())}
    return sorted(scores.items(), key=lambda pair: order[pair[0]])
