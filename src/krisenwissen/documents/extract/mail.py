"""E-mail (.eml, RFC 5322) with its attachments read recursively within bounds (stdlib ``email``)."""

from __future__ import annotations

from collections.abc import Callable
from email import policy
from email.parser import BytesParser

from .base import Block, ExtractError, Extraction, Limits, Page


def extract_mail(data: bytes, limits: Limits, extract: Callable, depth: int = 0) -> Extraction:
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception:  # the parser is lenient; anything else is a broken file
        raise ExtractError("Die E-Mail-Datei ist beschädigt und kann nicht gelesen werden.") from None
    result = Extraction(media_type="message/rfc822")

    def header(name: str) -> str:
        try:
            return " ".join(str(message.get(name, "") or "").split())
        except Exception:
            return ""

    result.title = header("Subject")[:300]
    head = [f"{label}: {value}" for label, value in (("Von", header("From")), ("An", header("To")),
                                                     ("Datum", header("Date")), ("Betreff", header("Subject"))) if value]
    page = Page(None, [Block(" · ".join(head))] if head else [])
    result.pages.append(page)
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    if body is not None:
        try:
            content = body.get_content()
        except Exception:
            content = body.get_payload(decode=True) or b""
        if isinstance(content, bytes):
            content = content.decode("utf-8", errors="replace")
        name = "nachricht.html" if body.get_content_subtype() == "html" else "nachricht.txt"
        inner = extract(content.encode("utf-8"), name, limits, depth=depth + 1, inner=True)
        page.blocks.extend(b for p in inner.pages for b in p.blocks)
    if depth >= limits.max_attachment_depth:
        return result
    try:
        attachments = list(message.iter_attachments())
    except Exception:
        attachments = []
    for number, part in enumerate(attachments):
        filename = part.get_filename() or f"anhang-{number + 1}"
        if number >= limits.max_attachments:
            result.notes.append(f"Weitere Anhänge nach {limits.max_attachments} wurden nicht gelesen.")
            break
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            payload = b""
        if not payload:
            continue
        try:
            inner = extract(payload, filename, limits, depth=depth + 1, inner=True)
        except ExtractError as exc:
            result.notes.append(f"Anhang „{filename[:80]}“ nicht gelesen: {exc}")
            continue
        result.extend(inner, f"Anhang: {filename[:200]}")
    return result
