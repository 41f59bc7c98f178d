"""Server-rendered, accessible SVG charts from Vega-Lite specifications (vl-convert).

No JavaScript reaches the browser: the chart is rendered here and embedded as inline SVG
with ``role="img"``, a ``<title>`` and a ``<desc>``. The roles and ARIA attributes Vega puts
on inner marks are removed, because inside ``role="img"`` they are meaningless and axe flags
some of them. Pages must still offer a data table alternative and a CSV download.
"""

from __future__ import annotations

import html
import re
import uuid

_INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")

# Colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphical objects).
PALETTE = ["#0b5394", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#4d4d4d"]


def spec_to_svg(spec: dict) -> str:
    """The plain SVG text vl-convert renders for a Vega-Lite spec."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, format_locale="de-DE", time_format_locale="de-DE")


def chart_svg(spec: dict, *, title: str, description: str = "") -> str:
    """Inline SVG markup for a page: labelled as one image with title and description.

    The result is trusted markup produced by vl-convert plus escaped texts; mark it safe in
    templates (``{{ svg|safe }}`` or ``mark_safe``).
    """
    svg = _INNER_ARIA.sub("", spec_to_svg(spec))
    ident = f"chart-{uuid.uuid4().hex[:10]}"
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - vl-convert always returns an <svg> element
        raise ValueError("vl-convert returned no SVG")
    opening = match.group(0)
    labelled = f"{ident}-title {ident}-desc" if description else f"{ident}-title"
    new_opening = opening[:-1] + f' role="img" aria-labelledby="{labelled}" focusable="false">'
    new_opening += f'<title id="{ident}-title">{html.escape(title)}</title>'
    if description:
        new_opening += f'<desc id="{ident}-desc">{html.escape(description)}</desc>'
    return svg[: match.start()] + new_opening + svg[match.end():]
