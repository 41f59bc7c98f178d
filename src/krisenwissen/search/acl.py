"""Permission tokens in the full-text index (pure Python, no Django).

Every document carries words that say who may read it, in a column of the full-text index
that user queries cannot address:

- ``aclpublic`` if it is public (visibility ``oeffentlich``);
- ``aclm<id>`` for its municipality (members read all its items);
- ``acln<id>`` if it is shared with the municipality's networks (visibility ``netzwerk``).

A scope becomes the disjunction of the tokens it may read, so the full-text index itself
drops documents outside the scope before any of their rows are read. This mirrors
``VisibilityScope.q()``; the engines still apply that condition to every row they return.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PUBLIC_TOKEN = "aclpublic"
_TOKEN_RE = re.compile(r"acl(?:public|[mn][0-9]+)")


def municipality_token(municipality_id: int) -> str:
    return f"aclm{int(municipality_id)}"


def network_token(municipality_id: int) -> str:
    return f"acln{int(municipality_id)}"


def document_tokens(visibility: str, municipality_id: int) -> list[str]:
    """The permission tokens of a document."""
    tokens = [municipality_token(municipality_id)]
    if visibility == "oeffentlich":
        tokens.append(PUBLIC_TOKEN)
    elif visibility == "netzwerk":
        tokens.append(network_token(municipality_id))
    return tokens


def document_acl(visibility: str, municipality_id: int) -> str:
    """The permission tokens of a document as index text."""
    return " ".join(document_tokens(visibility, municipality_id))


def scope_tokens(own: Iterable[int], network: Iterable[int]) -> list[str]:
    """The tokens of which a document needs one to be readable by a (non-"everything") scope."""
    return [
        PUBLIC_TOKEN,
        *(municipality_token(m) for m in sorted(own)),
        *(network_token(m) for m in sorted(network)),
    ]


# The trigram index (SQLite) matches substrings of at least three characters, and a
# three-character query matches exactly one trigram. So its permission tokens are exactly
# three characters: a section sign, then the kind and municipality id written with CJK
# ideographs (U+4E00 ff.): the first encodes the kind and the id's high part, the second
# the id's low part. Tokens are separated by spaces. Every three-character window of the
# token text therefore contains "§" or a space, which no query term (letters and digits
# only) can contain: queries need no column filter to stay away from the tokens, and no
# trigram spanning two tokens equals a token.
_TRIGRAM_MARK = "§"
_TRIGRAM_DIGITS_START = 0x4E00
_TRIGRAM_LOW_BASE = 20_000
_TRIGRAM_HIGH_BASE = 2_000
_TRIGRAM_KINDS = {"public": 0, "m": 1, "n": 2}


def _trigram_token(kind: str, municipality_id: int = 0) -> str:
    high, low = divmod(int(municipality_id), _TRIGRAM_LOW_BASE)
    if high >= _TRIGRAM_HIGH_BASE:
        raise ValueError(f"municipality id {municipality_id} is too large for a trigram token")
    first = _TRIGRAM_DIGITS_START + _TRIGRAM_KINDS[kind] * _TRIGRAM_HIGH_BASE + high
    return _TRIGRAM_MARK + chr(first) + chr(_TRIGRAM_DIGITS_START + low)


TRIGRAM_PUBLIC_TOKEN = _trigram_token("public")


def document_trigram_acl(visibility: str, municipality_id: int) -> str:
    """The permission tokens of a document for the trigram index, as index text."""
    tokens = [_trigram_token("m", municipality_id)]
    if visibility == "oeffentlich":
        tokens.append(TRIGRAM_PUBLIC_TOKEN)
    elif visibility == "netzwerk":
        tokens.append(_trigram_token("n", municipality_id))
    return " ".join(tokens)


def scope_trigram_tokens(own: Iterable[int], network: Iterable[int]) -> list[str]:
    """Like :func:`scope_tokens`, for the trigram index."""
    return [
        TRIGRAM_PUBLIC_TOKEN,
        *(_trigram_token("m", m) for m in sorted(own)),
        *(_trigram_token("n", m) for m in sorted(network)),
    ]


def is_permission_token(term: str) -> bool:
    """True for words that look like permission tokens; they are never used as query terms."""
    return _TOKEN_RE.fullmatch(term) is not None
