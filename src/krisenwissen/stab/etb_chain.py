"""The hash chain of the Einsatztagebuch (pure: no Django).

Each entry's hash is SHA-256 over a canonical serialisation of its content and the previous
entry's hash; the first entry's previous hash is 64 zeros. Changing any covered field of any
row (or deleting/reordering rows) breaks the chain from that entry on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

GENESIS = "0" * 64

# The fields an entry's hash covers, in this order (names of LogEntry's columns).
COVERED_FIELDS = (
    "staff_uuid", "number", "event_at", "entered_at", "author_id", "author_name", "author_function",
    "category", "text", "corrects_number", "written_at", "attachment_sha256",
)


def iso_utc(moment: dt.datetime | None) -> str | None:
    """A moment as the chain serialises it: ISO 8601 in UTC (the same however it was read)."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat()


def chain_hash(content: Mapping[str, object], prev_hash: str) -> str:
    """SHA-256 (hex) of ``prev_hash`` and the covered fields of ``content`` as canonical JSON."""
    payload = {name: content.get(name) for name in COVERED_FIELDS}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + "\n" + canonical).encode("utf-8")).hexdigest()


def first_broken(entries: Iterable[tuple[Mapping[str, object], str, str]]) -> int | None:
    """Number of the first entry whose stored ``prev_hash``/``hash`` does not match the chain.

    ``entries`` are ``(content, stored_prev_hash, stored_hash)`` in number order. Returns None
    when the whole chain holds.
    """
    prev = GENESIS
    expected_number = 1
    for content, stored_prev, stored_hash in entries:
        number = content.get("number")
        if number != expected_number or stored_prev != prev or chain_hash(content, prev) != stored_hash:
            return int(number) if isinstance(number, int) else expected_number
        prev = stored_hash
        expected_number += 1
    return None
