"""The protocol of a Lagebesprechung and the Lagebericht as neutral documents (PDF/UA, DOCX)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from krisenwissen.reports.document import (
    BulletList,
    Callout,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)

from .models import Meeting, SituationReport


def when(value) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:i") if value else "–"


def _exercise_blocks(staff) -> list:
    if not staff.exercise:
        return []
    return [Callout(_("Dies ist ein Übungsstab, kein echter Einsatz."), title=_("ÜBUNG"))]


def lagebild_blocks(lagebild: dict, *, level: int = 2) -> list:
    """The Lagebild snapshot (figures and rule status) as report blocks."""
    if not lagebild or not lagebild.get("areas"):
        return [Paragraph(_("Für die Kommune des Stabes liegen im Lagebild keine Kennzahlen vor."))]
    blocks: list = [Paragraph(_("Stand des Lagebildes: Daten bis einschließlich %(day)s.") % {"day": lagebild.get("as_of_text", "")})]
    for area in lagebild["areas"]:
        blocks.append(Heading(area["name"], level))
        if area["figures"]:
            blocks.append(Table(header=[_("Kennzahl"), _("Wert"), _("zur Vorwoche"), _("Trend")],
                                rows=[[f"{f['name']} ({f['unit']})" if f["unit"] else f["name"], f["value"], f["week"], f["trend"]]
                                      for f in area["figures"]],
                                caption=_("Kennzahlen %(area)s") % {"area": area["name"]}))
        if area["statuses"]:
            blocks.append(Table(header=[_("Regelwerk"), _("Regel"), _("Status"), _("Einzelheiten")],
                                rows=[[s["ruleset"], s["rule"], s["status"], s["detail"]] for s in area["statuses"]],
                                caption=_("Regelstatus %(area)s") % {"area": area["name"]}))
    return blocks


def protocol_document(meeting: Meeting) -> Document:
    staff = meeting.staff
    title = _("Protokoll der Lagebesprechung %(number)s") % {"number": meeting.number}
    if staff.exercise:
        title = f"{_('ÜBUNG')} – {title}"
    blocks: list = [*_exercise_blocks(staff)]
    blocks.append(Table(header=[_("Angabe"), _("Wert")], widths=[1, 2], caption=_("Eckdaten"), rows=[
        [_("Stab"), str(staff)],
        [_("Beginn"), when(meeting.started_at)],
        [_("Ende"), when(meeting.closed_at)],
        [_("Zeitrahmen"), _("%(minutes)s Minuten") % {"minutes": meeting.planned_minutes}],
        [_("Nächste Lagebesprechung"), when(meeting.next_meeting_at)],
    ]))
    items = list(meeting.items.select_related("function").order_by("position"))
    contributions = list(meeting.contributions.select_related("function").order_by("created_at", "pk"))
    decisions = list(meeting.decisions.select_related("task", "task__owner_function").order_by("created_at", "pk"))
    for item in items:
        blocks.append(Heading(f"{item.position + 1}. {item.title}", 1))
        if item.kind == "lage":
            blocks.extend(lagebild_blocks(meeting.lagebild))
        mine = [c for c in contributions if c.item_id == item.pk]
        if mine:
            blocks.append(BulletList([Paragraph([Run(f"{c.get_kind_display()} ({c.function or '–'}): ", bold=True), Run(c.text)])
                                      for c in mine]))
        for d in (d for d in decisions if d.item_id == item.pk):
            text = [Run(_("Entscheidung: "), bold=True), Run(d.text)]
            if d.task_id:
                text.append(Run(" " + _("→ Auftrag Nr. %(number)s an %(owner)s, fällig %(due)s") % {
                    "number": d.task.number, "owner": d.task.owner_function or "–", "due": when(d.task.due_at)}))
            blocks.append(Paragraph(text))
        if not mine and not any(d.item_id == item.pk for d in decisions) and item.kind != "lage":
            blocks.append(Paragraph(_("Keine Beiträge.")))
    if decisions:
        blocks.append(Heading(_("Entscheidungen und Aufträge"), 1))
        blocks.append(Table(header=[_("Entscheidung"), _("Auftrag"), _("Zuständig"), _("Fällig")], caption=_("Entscheidungen"), rows=[
            [d.text, str(d.task.number) if d.task_id else "–", str(d.task.owner_function or "–") if d.task_id else "–",
             when(d.task.due_at) if d.task_id else "–"] for d in decisions]))
    return Document(title=title, subtitle=str(staff), blocks=blocks, date=timezone.localtime(meeting.started_at).date(),
                    keywords=["Lagebesprechung", "Protokoll", "Krisenstab"])


def report_document(report: SituationReport) -> Document:
    staff = report.staff
    title = _("Lagebericht %(number)s: %(title)s") % {"number": report.number, "title": report.title}
    if staff.exercise:
        title = f"{_('ÜBUNG')} – {title}"
    blocks: list = [*_exercise_blocks(staff)]
    blocks.append(Table(header=[_("Angabe"), _("Wert")], widths=[1, 2], caption=_("Eckdaten"), rows=[
        [_("Stab"), str(staff)],
        [_("Status"), str(report.get_status_display())],
        [_("Freigegeben"), f"{when(report.approved_at)} ({report.approved_by.get_full_name() or report.approved_by.get_username()})"
         if report.approved_by_id else "–"],
        [_("Verteilt"), when(report.distributed_at)],
    ]))
    blocks.append(Heading(_("Lagebild"), 1))
    blocks.extend(lagebild_blocks(report.lagebild))
    blocks.append(Heading(_("Beiträge der Funktionen"), 1))
    for section in report.sections.select_related("function").order_by("function__order", "function__name"):
        blocks.append(Heading(section.function.name, 2))
        paragraphs = [p for p in section.text.split("\n\n") if p.strip()]
        if paragraphs:
            blocks.extend(Paragraph(p.strip()) for p in paragraphs)
        else:
            blocks.append(Paragraph(_("Kein Beitrag.")))
    return Document(title=title, subtitle=str(staff), blocks=blocks, date=timezone.localtime(report.created_at).date(),
                    keywords=["Lagebericht", "Krisenstab"])
