"""Exports of a comparison: report document (PDF/UA, DOCX), standalone HTML, JSON (pure: no Django)."""

from __future__ import annotations

import datetime
import html
import json

from krisenwissen.reports.document import Callout, Document, Heading, Paragraph, Run, Table

from .compare import INSERTED, REPEALED, STATUS_LABELS, UNCHANGED, Comparison, UnitChange, segments


def unit_rows(change: UnitChange, *, full: bool = False) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Rows of the Synopse for one changed unit: (label, old runs, new runs).

    Runs are (op, text) with op equal/delete/insert; the old column carries deletions, the new
    column insertions, so both columns read as complete texts. ``full`` keeps the unchanged
    passages of a modified unit too (the whole unit side by side, like official Synopsen).
    """
    rows = []
    if change.status == INSERTED:
        unit = change.new
        rows.append(("Überschrift", [], [("insert", unit.display)]))
        for seg in segments(unit.blocks):
            rows.append((seg.label, [], [("insert", seg.text)]))
        return rows
    if change.status == REPEALED:
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
                   department: str = "", date: datetime.date | None = None) -> Document:
    """A circulation copy: summary, overview table, then the Synopse of every changed unit."""
    changes = comparison.for_department(department) if department else comparison.changes
    blocks: list = [
        Paragraph([Run("Bisherige Fassung: ", bold=True), Run(old_name)]),
        Paragraph([Run("Neue Fassung: ", bold=True), Run(new_name)]),
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
    if changes:
        blocks.append(Heading("Synopse der geänderten Einheiten", 1))
    for change in changes:
        unit = change.new or change.old
        heading = unit.display if unit else change.display_label
        blocks.append(Heading(heading[:300], 2))
        blocks.append(Paragraph([Run(STATUS_LABELS[change.status] + ": ", bold=True), Run(change.phrase)]))
        rows = unit_rows(change)
        if rows:
            blocks.append(Table(
                header=["Stelle", "Bisherige Fassung", "Neue Fassung"],
                rows=[[label or "–", Paragraph(_runs(old)), Paragraph(_runs(new))] for label, old, new in rows],
                caption=f"Synopse {change.display_label}",
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


def render_html(comparison: Comparison, *, title: str, old_name: str, new_name: str, department: str = "") -> str:
    """A standalone HTML file (own small stylesheet; deletions in <del>, insertions in <ins>)."""
    changes = comparison.for_department(department) if department else comparison.changes
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
    for change in changes:
        unit = change.new or change.old
        parts.append(f"<h2>{e(unit.display if unit else change.display_label)}</h2>")
        parts.append(f'<p><span class="status">{e(STATUS_LABELS[change.status])}:</span> {e(change.phrase)}</p>')
        rows = unit_rows(change)
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


def render_json(comparison: Comparison) -> str:
    return json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2)


def unit_inline(change: UnitChange) -> list[tuple[str, list[tuple[str, str]]]]:
    """Redline rows of one changed unit: (label, ops) with deletions and insertions in one text."""
    rows: list[tuple[str, list[tuple[str, str]]]] = []
    if change.status in (INSERTED, REPEALED):
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
