"""Result snippets with highlighted matches (pure Python, no Django).

A snippet is a window of the *original* text around the region with the most query matches.
Matches are found in two ways, like the search itself: whole words whose stem equals a query
stem ("Krisenstäbe" for "Krisenstab"), and folded substrings ("Schutz" inside
"Schutzausrüstung"). The result is HTML: all text is escaped and only the ``<mark>`` tags
are markup, so it is safe to insert into a page even if the item text contains HTML.
"""

from __future__ import annotations

import html

from .text import WORD_RE, ParsedQuery, fold_with_offsets, parse_query, stem

DEFAULT_SNIPPET_LENGTH = 240
ELLIPSIS = "…"
# Upper bound on the highlighted regions considered, so pathological texts stay cheap.
_MAX_SPANS = 500


def find_match_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` index ranges of ``text`` that match ``query``."""
    spans: list[tuple[int, int]] = []
    if query.stems:
        wanted = set(query.stems)
        for word in WORD_RE.finditer(text):
            if stem(word.group()) in wanted:
                spans.append(word.span())
                if len(spans) >= _MAX_SPANS:
                    break
    if query.substrings:
        folded, offsets = fold_with_offsets(text)
        for term in query.substrings:
            start = folded.find(term)
            while start != -1 and len(spans) < 2 * _MAX_SPANS:
                last = start + len(term) - 1
                # The end is the source position after the last matched character; a
                # folded character that spans several source characters ("ae" → "a") is
                # included completely.
                end = max(offsets[last] + 1, offsets[last + 1])
                spans.append((offsets[start], end))
                start = folded.find(term, start + len(term))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _best_window(text: str, spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The ``(start, end)`` window of at most ``length`` characters covering the most matches."""
    if len(text) <= length:
        return 0, len(text)
    best_start, best_score = 0, -1
    for index, (span_start, _span_end) in enumerate(spans):
        # Start a little before the match so it has some leading context.
        window_start = max(0, span_start - length // 5)
        window_end = window_start + length
        covered = spans[index:]
        matched_text = {
            text[s:e].casefold() for s, e in covered if s >= window_start and e <= window_end
        }
        score = len(matched_text) * 1000 + sum(1 for s, e in covered if e <= window_end)
        if score > best_score:
            best_start, best_score = window_start, score
    best_start = min(best_start, max(0, len(text) - length))
    return _snap_to_words(text, best_start, min(len(text), best_start + length))


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Move the window inwards so that it neither starts nor ends inside a word."""
    if start > 0 and not text[start - 1].isspace():
        next_space = text.find(" ", start, end)
        if next_space != -1:
            start = next_space + 1
    if end < len(text) and not text[end].isspace():
        last_space = text.rfind(" ", start, end)
        if last_space > start:
            end = last_space
    return start, end


def make_snippet(text: str, query: ParsedQuery | str, length: int = DEFAULT_SNIPPET_LENGTH) -> str:
    """An HTML snippet of ``text`` of about ``length`` characters, matches wrapped in ``<mark>``.

    Without matches the snippet is the beginning of the text. Whitespace is collapsed.
    Returns an empty string for empty text.
    """
    if isinstance(query, str):
        query = parse_query(query)
    text = " ".join((text or "").split())
    if not text:
        return ""
    spans = find_match_spans(text, query)
    if spans:
        start, end = _best_window(text, spans, length)
    else:
        start, end = _snap_to_words(text, 0, min(len(text), length))
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(html.escape(text[position:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(html.escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)
