"""Exports of a comparison: report document (PDF/UA, DOCX), standalone HTML, JSON (pure: no Django)."""

from __future__ import annotations

import datetime
import html
import json
from pathlib import Path

from krisenwissen.reports.document import Callout, Document, Heading, Paragraph, Run, Table

from .compare import (
    DELETED,
    INSERTED,
    STATUS_LABELS,
    UNCHANGED,
    Comparison,
    UnitChange,
    segments,
    word_diff,
)


def unit_rows(change: UnitChange, *, full: bool = False) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Rows of the Synopse for one changed unit: (label, old runs, new runs).

    Runs are (op, text) with op equal/delete/insert; the old column carries deletions, the new
    column insertions, so both columns read as complete texts. ``full`` keeps the unchanged
    passages of a modified unit too (the whole unit side by side, like official Synopsen) and
    gives the rows of an unchanged unit (its text in both columns).
    """
    rows = []
    if full and not change.title_changed and change.old is not None and change.new is not None \
            and (change.old.title or change.new.title):
        rows.append(("Überschrift", [("equal", change.old.title)], [("equal", change.new.title)]))
    if full and change.status == UNCHANGED and change.old is not None and change.new is not None:
        old_segments, new_segments = segments(change.old.blocks), segments(change.new.blocks)
        if len(old_segments) == len(new_segments):
            for old_seg, new_seg in zip(old_segments, new_segments, strict=True):
                rows.append((new_seg.label, [("equal", old_seg.text)], [("equal", new_seg.text)]))
        else:  # pragma: no cover - equal content has equal segments; keep the text anyway
            rows.append(("", [("equal", change.old.body_text)], [("equal", change.new.body_text)]))
        return rows
    if change.status == INSERTED:
        unit = change.new
        rows.append(("Überschrift", [], [("insert", unit.display)]))
        for seg in segments(unit.blocks):
            rows.append((seg.label, [], [("insert", seg.text)]))
        return rows
    if change.status == DELETED:
        unit = change.old
        rows.append(("Überschrift", [("delete", unit.display)], []))
        for seg in segments(unit.blocks):
            rows.append((seg.label, [("delete", seg.text)], []))
        return rows
    if change.title_changed:
        old_runs = [(op, t) for op, t in change.title_ops if op != "insert"]
        new_runs = [(op, t) for op, t in change.title_ops if op != "delete"]
        rows.append(("Überschrift", old_runs, new_runs))
    if not change.segments and change.old is not None and change.new is not None and not change.title_changed:
        rows.append(("", [("equal", change.old.body_text)], [("equal", change.new.body_text)]))
    for seg in change.segments:
        if seg.status == UNCHANGED:
            if full:
                rows.append((seg.label, [("equal", seg.old_text)], [("equal", seg.new_text)]))
            continue
        old_runs = [(op, t) for op, t in seg.ops if op != "insert"]
        new_runs = [(op, t) for op, t in seg.ops if op != "delete"]
        rows.append((seg.display_label, old_runs, new_runs))
    return rows


SYNOPSE_WIDTHS = [1.0, 3.0, 3.0]  # a narrow "Stelle" column beside the two texts


def _runs(ops: list[tuple[str, str]]) -> list[Run]:
    out = []
    for op, text in ops:
        if not text:
            continue
        if op == "delete":
            out.append(Run(text, strike=True))
        elif op == "insert":
            out.append(Run(text, underline=True))
        else:
            out.append(Run(text))
    return out or [Run("–")]


def build_document(comparison: Comparison, *, title: str, old_name: str, new_name: str,
                   department: str = "", date: datetime.date | None = None, full: bool = False,
                   old_details: list[str] | None = None, new_details: list[str] | None = None) -> Document:
    """A circulation copy: summary, overview table, then the Synopse of every changed unit.

    ``full``: the vollständige Synopse – every unit in document order, unchanged ones and the
    unchanged passages of changed ones too, old and new text side by side. ``old_details`` and
    ``new_details``: lines about each version (amending act, promulgation, date in force).
    """
    changes = comparison.for_department(department) if department else comparison.changes
    blocks: list = [
        Paragraph([Run("Bisherige Fassung: ", bold=True), Run(old_name)]),
        *[Paragraph(line) for line in old_details or []],
        Paragraph([Run("Neue Fassung: ", bold=True), Run(new_name)]),
        *[Paragraph(line) for line in new_details or []],
        Heading("Zusammenfassung", 1),
        Paragraph(comparison.summary),
    ]
    if department:
        blocks.append(Callout(f"Nur Änderungen, die {department} betreffen ({len(changes)}).", title="Filter"))
    for notice in comparison.notices:
        blocks.append(Callout(notice, title="Hinweis"))
    blocks.append(Paragraph([Run("Lesehilfe: ", bold=True), Run("gestrichener Text", strike=True), Run(" ist entfallen, "),
                             Run("unterstrichener Text", underline=True), Run(" ist neu.")]))
    if changes:
        blocks.append(Table(
            header=["Einheit", "Änderung", "Betroffene Ämter"],
            rows=[[u.display_label, u.phrase, ", ".join(u.departments) or "–"] for u in changes],
            caption="Geänderte Einheiten",
        ))
    wanted = {id(u) for u in changes}
    shown = [u for u in comparison.units if not department or id(u) in wanted] if full else changes
    if full and shown:
        blocks.append(Heading("Vollständige Synopse", 1))
    elif shown:
        blocks.append(Heading("Synopse der geänderten Einheiten", 1))
    for change in shown:
        unit = change.new or change.old
        heading = unit.display if unit else change.display_label
        blocks.append(Heading(heading[:300], 2))
        if change.changed:
            blocks.append(Paragraph([Run(STATUS_LABELS[change.status] + ": ", bold=True), Run(change.phrase)]))
        else:
            blocks.append(Paragraph([Run(STATUS_LABELS[change.status], bold=True)]))
        rows = unit_rows(change, full=full)
        if rows:
            blocks.append(Table(
                header=["Stelle", "Bisherige Fassung", "Neue Fassung"],
                rows=[[label or "–", Paragraph(_runs(old)), Paragraph(_runs(new))] for label, old, new in rows],
                caption=f"Synopse {change.display_label}", widths=SYNOPSE_WIDTHS,
            ))
    return Document(title=title, subtitle=f"{old_name} → {new_name}", blocks=blocks, date=date,
                    keywords=["Synopse", "Rechtsänderung"])


# ---------------------------------------------------------------------------- HTML

_STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:72rem;margin:0 auto;padding:1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #888;padding:.4rem;vertical-align:top;text-align:left}
th{background:#eee}
del{text-decoration:line-through;background:#fde2e2;color:#7a0000}
ins{text-decoration:underline;background:#e0f5e0;color:#004d00}
.status{font-weight:bold}
@media (max-width:40rem){table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-9999px}}
"""


def _html_runs(ops: list[tuple[str, str]]) -> str:
    out = []
    for op, text in ops:
        t = html.escape(text)
        if op == "delete":
            out.append(f"<del>{t}</del>")
        elif op == "insert":
            out.append(f"<ins>{t}</ins>")
        else:
            out.append(t)
    return "".join(out) or "–"


def render_html(comparison: Comparison, *, title: str, old_name: str, new_name: str, department: str = "",
                full: bool = False) -> str:
    """A standalone HTML file (own small stylesheet; deletions in <del>, insertions in <ins>).

    ``full``: every unit, unchanged ones too (vollständige Synopse)."""
    changes = comparison.for_department(department) if department else comparison.changes
    wanted = {id(u) for u in changes}
    shown = [u for u in comparison.units if not department or id(u) in wanted] if full else changes
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="de">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>",
        f"<h1>{e(title)}</h1>",
        f"<p><strong>Bisherige Fassung:</strong> {e(old_name)}<br><strong>Neue Fassung:</strong> {e(new_name)}</p>",
        "<h2>Zusammenfassung</h2>", f"<p>{e(comparison.summary)}</p>",
    ]
    for notice in comparison.notices:
        parts.append(f'<p role="note"><strong>Hinweis:</strong> {e(notice)}</p>')
    parts.append("<p>Lesehilfe: <del>gestrichener Text</del> ist entfallen, <ins>unterstrichener Text</ins> ist neu.</p>")
    if changes:
        parts.append("<table><caption>Geänderte Einheiten</caption><thead><tr>"
                     '<th scope="col">Einheit</th><th scope="col">Änderung</th><th scope="col">Betroffene Ämter</th>'
                     "</tr></thead><tbody>")
        for u in changes:
            parts.append(f'<tr><th scope="row">{e(u.display_label)}</th><td>{e(u.phrase)}</td>'
                         f"<td>{e(', '.join(u.departments) or '–')}</td></tr>")
        parts.append("</tbody></table>")
    for change in shown:
        unit = change.new or change.old
        parts.append(f"<h2>{e(unit.display if unit else change.display_label)}</h2>")
        if change.changed:
            parts.append(f'<p><span class="status">{e(STATUS_LABELS[change.status])}:</span> {e(change.phrase)}</p>')
        else:
            parts.append(f'<p><span class="status">{e(STATUS_LABELS[change.status])}</span></p>')
        rows = unit_rows(change, full=full)
        if rows:
            parts.append(f"<table><caption>Synopse {e(change.display_label)}</caption><thead><tr>"
                         '<th scope="col">Stelle</th><th scope="col">Bisherige Fassung</th>'
                         '<th scope="col">Neue Fassung</th></tr></thead><tbody>')
            for label, old, new in rows:
                parts.append(f'<tr><th scope="row">{e(label or "–")}</th><td>{_html_runs(old)}</td>'
                             f"<td>{_html_runs(new)}</td></tr>")
            parts.append("</tbody></table>")
    parts.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(parts)


# ---------------------------------------------------------------------------- JSON contract

CONTRACT_VERSION = 1
# Status names of the contract (synopse.schema.json) for the comparison's internal names.
CONTRACT_STATUS = {
    "unchanged": "unchanged",
    "modified": "modified",
    "inserted": "inserted",
    "deleted": "repealed",
    "repealed": "repealed",
    "renumbered": "renumbered",
    "renumbered+modified": "renumbered_modified",
    "renumbered_modified": "renumbered_modified",
    "moved": "moved",
}
VERSION_FIELDS = ("title", "abbreviation", "name", "date", "in_force", "announced", "amending_act",
                  "amending_act_reference", "source")


def schema_path() -> Path:
    """Path of the JSON Schema of the contract (shipped as package data)."""
    return Path(__file__).with_name("synopse.schema.json")


def _version(document, meta: dict | None) -> dict:
    out: dict = dict.fromkeys(VERSION_FIELDS)
    out["title"] = document.title or ""
    out["abbreviation"] = document.abbreviation or None
    for key, value in (meta or {}).items():
        if value is None or value == "":
            continue
        out[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return out


def synopse_contract(comparison: Comparison, *, old: dict | None = None, new: dict | None = None) -> dict:
    """The documented JSON contract (``synopse.schema.json``; see docs/regulations.md).

    ``old``/``new``: version metadata (``name``, ``date``, ``in_force``, ``announced``,
    ``amending_act``, ``amending_act_reference``, ``source``; dates as ``datetime.date`` or ISO text).
    Every unit in document order, unchanged ones too; its ``ops`` spell the whole old text
    (equal + delete) and the whole new text (equal + insert).
    """
    units = []
    counts: dict[str, int] = {}
    for change in comparison.units:
        status = CONTRACT_STATUS[change.status]
        counts[status] = counts.get(status, 0) + 1
        units.append({
            "status": status,
            "status_label": STATUS_LABELS.get(change.status, status),
            "label": change.label or None,
            "old_label": change.old_label or None,
            "heading_old": change.old.title if change.old is not None else None,
            "heading_new": change.new.title if change.new is not None else None,
            "summary": change.phrase if change.changed else "unverändert",
            "departments": list(change.departments),
            "ops": [[op, text] for op, text in change.ops() if text],
        })
    return {
        "format": "krisenwissen-synopse",
        "format_version": CONTRACT_VERSION,
        "summary": comparison.summary,
        "reissue": bool(comparison.reissue),
        "old": _version(comparison.old, old),
        "new": _version(comparison.new, new),
        "notices": list(comparison.notices),
        "counts": counts,
        "departments": comparison.departments,
        "units": units,
    }


def render_json(comparison: Comparison, *, old: dict | None = None, new: dict | None = None,
                indent: int | None = 2) -> str:
    """The JSON contract as text (see ``synopse_contract``)."""
    return json.dumps(synopse_contract(comparison, old=old, new=new), ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------------------- plain text


def _text_runs(ops) -> str:
    """Ops as text with git's word-diff markers: [-gestrichen-]{+eingefügt+}."""
    out = []
    for op, text in ops:
        if op == "delete":
            out.append(f"[-{text}-]")
        elif op == "insert":
            out.append(f"{{+{text}+}}")
        else:
            out.append(text)
    return "".join(out)


def render_text(comparison: Comparison, *, old_name: str, new_name: str, full: bool = False,
                department: str = "") -> str:
    """A plain-text Synopse for the terminal (deletions [-…-], insertions {+…+}).

    Without ``full`` the changed passages of each changed unit; with ``full`` every unit (the
    unchanged ones too) with its whole text.
    """
    changes = comparison.for_department(department) if department else comparison.changes
    shown = {id(c) for c in changes}
    lines = [f"Synopse: {old_name} → {new_name}", f"Zusammenfassung: {comparison.summary}"]
    if comparison.reissue:
        lines.append("Neufassung: kein Abschnitt ist unverändert geblieben.")
    lines.extend(f"Hinweis: {notice}" for notice in comparison.notices)
    if department:
        lines.append(f"Filter: nur Änderungen, die {department} betreffen ({len(changes)}).")
    lines.append("Lesehilfe: [-gestrichen-] {+eingefügt+}")
    for change in comparison.units:
        if id(change) not in shown and not (full and not department):
            continue
        unit = change.new or change.old
        heading = unit.display if unit is not None else change.display_label
        if change.old_label and change.label and change.old_label != change.label:
            heading += f" (bisher {change.old_label})"
        status = STATUS_LABELS.get(change.status, change.status)
        lines.append("")
        lines.append(f"== {heading} ==")
        if change.changed:
            lines.append(f"{status}: {change.phrase}")
        else:
            lines.append(status)
        if full:
            if change.old is not None and change.new is not None and change.old.title != change.new.title:
                lines.append(f"Überschrift: {_text_runs(word_diff(change.old.title, change.new.title))}")
            body = _text_runs(change.ops())
            if body:
                lines.append(body)
            continue
        for label, ops in unit_inline(change):
            lines.append(f"{label or '–'}: {_text_runs(ops)}")
    return "\n".join(lines) + "\n"


def unit_inline(change: UnitChange) -> list[tuple[str, list[tuple[str, str]]]]:
    """Redline rows of one changed unit: (label, ops) with deletions and insertions in one text."""
    rows: list[tuple[str, list[tuple[str, str]]]] = []
    if change.status in (INSERTED, DELETED):
        op = "insert" if change.status == INSERTED else "delete"
        unit = change.new if change.status == INSERTED else change.old
        rows.append(("Überschrift", [(op, unit.display)]))
        rows.extend((seg.label, [(op, seg.text)]) for seg in segments(unit.blocks))
        return rows
    if change.title_changed:
        rows.append(("Überschrift", change.title_ops))
    for seg in change.segments:
        if seg.status == UNCHANGED:
            continue
        rows.append((seg.display_label, seg.ops))
    return rows
