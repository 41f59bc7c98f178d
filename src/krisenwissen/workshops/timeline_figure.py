"""The timeline wall as a figure: crisis phases as columns, the cards placed there as notes.

Pure (no Django): takes plain values and returns a Vega-Lite specification, which
``krisenwissen.reports`` renders as vector graphic in PDF (``reports.document.Chart``), PNG in
DOCX, and ``reports.charts.chart_svg`` as accessible inline SVG in a page. Meant to serve both
the Ergebnisprotokoll and the Synthesebericht (phases with periods and the key events that the
participants placed on the wall).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

NOTE_WIDTH_CHARS = 26
NOTE_MAX_LINES = 4
COLUMN_PX = 180
ROW_PX = 72
NOTE_FILL = "#fff4c2"  # a pale sticky note; the text on it is #1a1a1a (contrast far above 4.5:1)
NOTE_STROKE = "#4d4d4d"
HEAD_FILL = "#0b5394"  # white bold text on it: contrast 7.9:1


@dataclass(frozen=True)
class TimelinePhase:
    number: int
    name: str
    period: str = ""


@dataclass(frozen=True)
class TimelineCard:
    phase_number: int
    text: str


@dataclass
class Timeline:
    phases: list[TimelinePhase]
    cards: list[TimelineCard] = field(default_factory=list)

    @property
    def alt(self) -> str:
        """A text alternative: how many cards each phase holds."""
        parts = [f"{p.number}. {p.name}{f' ({p.period})' if p.period else ''}: {self.count(p.number)}" for p in self.phases]
        return "Zeitstrahl der Krisenphasen mit den Karten der Teilnehmenden (Anzahl je Phase): " + "; ".join(parts)

    def count(self, number: int) -> int:
        return sum(1 for c in self.cards if c.phase_number == number)


def note_lines(text: str, *, width: int = NOTE_WIDTH_CHARS, max_lines: int = NOTE_MAX_LINES) -> list[str]:
    """A card's text wrapped onto a note; cut with "…" when it does not fit."""
    lines = textwrap.wrap(" ".join((text or "").split()), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 2].rstrip() + " …") if len(last) > width - 2 else last + " …"
    return lines


def phase_label(phase: TimelinePhase) -> str:
    """The column head; "|" separates the lines (name, period)."""
    return f"{phase.number}. {phase.name}" + (f"|{phase.period}" if phase.period else "")


def timeline_spec(timeline: Timeline, *, max_cards_per_phase: int = 12) -> dict:
    """The Vega-Lite specification of the wall: one column per phase (all phases, also empty
    ones) headed by its name and period, the cards as notes from top to bottom in the order
    they were placed."""
    labels = [phase_label(p) for p in timeline.phases]
    by_number = {p.number: phase_label(p) for p in timeline.phases}
    rows = [{"phase": phase_label(p), "row": 0, "kind": "head",
             "lines": [*note_lines(f"{p.number}. {p.name}", max_lines=2),
                       *(note_lines(p.period, max_lines=2) if p.period else [])]}
            for p in timeline.phases]
    placed: dict[int, int] = {}
    for card in timeline.cards:
        if card.phase_number not in by_number:
            continue
        row = placed.get(card.phase_number, 0) + 1
        placed[card.phase_number] = row
        if row > max_cards_per_phase:
            continue
        rows.append({"phase": by_number[card.phase_number], "row": row, "kind": "card", "lines": note_lines(card.text)})
    for number, count in placed.items():
        if count > max_cards_per_phase:
            rows.append({"phase": by_number[number], "row": max_cards_per_phase + 1, "kind": "card",
                         "lines": [f"… und {count - max_cards_per_phase} weitere", "Karten"]})
    depth = max(r["row"] for r in rows) + 1 if rows else 1
    text = {"type": "text", "fontSize": 10, "align": "center", "baseline": "top", "lineHeight": 12,
            "yOffset": -(ROW_PX * 0.9) / 2 + 6}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": {"step": COLUMN_PX},
        "height": depth * ROW_PX,
        "background": "white",
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "phase", "type": "ordinal", "scale": {"domain": labels, "paddingInner": 0.08}, "axis": None},
            "y": {"field": "row", "type": "ordinal", "scale": {"domain": list(range(depth)), "paddingInner": 0.1}, "axis": None},
        },
        "layer": [
            {"transform": [{"filter": "datum.kind == 'head'"}],
             "mark": {"type": "rect", "fill": HEAD_FILL, "cornerRadius": 3}},
            {"transform": [{"filter": "datum.kind == 'head'"}],
             "mark": {**text, "color": "white", "fontWeight": "bold"}, "encoding": {"text": {"field": "lines"}}},
            {"transform": [{"filter": "datum.kind == 'card'"}],
             "mark": {"type": "rect", "fill": NOTE_FILL, "stroke": NOTE_STROKE, "strokeWidth": 1, "cornerRadius": 3}},
            {"transform": [{"filter": "datum.kind == 'card'"}],
             "mark": {**text, "color": "#1a1a1a"}, "encoding": {"text": {"field": "lines"}}},
        ],
        "config": {"view": {"stroke": None}},
    }
