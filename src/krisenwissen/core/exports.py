"""CSV responses for every list. Rows come from permission-aware selectors only."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from django.utils import timezone


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) and render values as German text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def mark_download(response):
    """Mark a response as a data download that is no attachment (e.g. JSON shown inline):
    ``core.middleware`` logs downloads of signed-in people. Attachments need no mark."""
    response.krisenwissen_download = True
    return response


def csv_response(basename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV (with BOM, semicolon-separated, as German Excel expects)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def generate():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(v) for v in row])

    filename = f"{basename}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
