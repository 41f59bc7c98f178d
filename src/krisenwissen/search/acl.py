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


def is_permission_token(term: str) -> bool:
    """True for words that look like permission tokens; they are never used as query terms."""
    return _TOKEN_RE.fullmatch(term) is not None
