"""Reciprocal rank fusion (pure Python, no Django).

Combines several ranked lists of ids into one ranking without comparing their scores:
each list contributes ``1 / (k + rank)`` for every id it contains (rank starting at 1), so
an id ranked well by several lists rises to the top. ``k = 60`` is the value proposed by
Cormack, Clarke and Büttcher (SIGIR 2009); it damps the influence of the very first ranks.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence

DEFAULT_K = 60


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[Hashable]], *, k: int = DEFAULT_K, weights: Sequence[float] | None = None,
    top: int | None = None,
) -> list[tuple[Hashable, float]]:
    """Fuse ranked id lists into ``[(id, score), ...]``, best first.

    ``top``: only the first ``top`` entries are wanted (the same ones as the head of the full
    result; selecting them costs less than sorting thousands of ids for a page of 20).

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
        # dict.fromkeys drops repeated ids, keeping each at its first position.
        unique = dict.fromkeys(ranking)
        if not scores:
            # The first non-empty list only sets values (built by comprehensions: the lists
            # hold every match of a search, thousands of ids).
            scores = {item: weight / (k + rank) for rank, item in enumerate(unique, start=1)}
            best_rank = dict(zip(unique, range(1, len(unique) + 1), strict=True))
            continue
        for rank, item in enumerate(unique, start=1):
            contribution = weight / (k + rank)
            if item in scores:
                scores[item] += contribution
                if rank < best_rank[item]:
                    best_rank[item] = rank
            else:
                scores[item] = contribution
                best_rank[item] = rank
    # dicts keep insertion order, so enumerate() gives the order in which ids were first seen.
    # ``best_rank`` has the same key order. Sorting (score, rank, position, item) tuples
    # built in C is much faster than a key function for thousands of ids; the position is
    # unique, so items are never compared.
    keyed = zip([-score for score in scores.values()], best_rank.values(), range(len(scores)), scores, strict=True)
    ordered = sorted(keyed) if top is None or top >= len(scores) else heapq.nsmallest(max(0, top), keyed)
    return [(item, -negative) for negative, _rank, _position, item in ordered]
