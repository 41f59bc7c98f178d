"""The one way to read numbers from request parameters (query string or form data).

Hostile input (``"²"``, ``"1e9"``, 10,000 digits, non-ASCII digits) never raises: it becomes
the default, and values are clamped to the given bounds. List pages with filter fields use
django-filter ``FilterSet``s; these helpers serve single values (page numbers, ids, limits).
"""

from __future__ import annotations

MAX_DIGITS = 18  # fits a 64-bit database key


def _parse(raw) -> int | None:
    if raw is None:
        return None
    text = str(raw).strip()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return sign * int(digits)


def int_param(params, name: str, *, default: int | None = None, minimum: int | None = None,
              maximum: int | None = None) -> int | None:
    """``params[name]`` as an int within ``[minimum, maximum]``; ``default`` if missing or invalid."""
    value = _parse(params.get(name))
    if value is None:
        return default
    if minimum is not None and value < minimum:
        value = minimum
    if maximum is not None and value > maximum:
        value = maximum
    return value


def id_param(params, name: str) -> int | None:
    """A database id (positive int) or None."""
    value = _parse(params.get(name))
    return value if value is not None and value > 0 else None


def id_list(params, name: str) -> list[int]:
    """All valid positive ids given for ``name`` (``?x=1&x=2``); invalid ones are ignored."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    ids = []
    for raw in values:
        value = _parse(raw)
        if value is not None and value > 0:
            ids.append(value)
    return ids
