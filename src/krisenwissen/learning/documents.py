"""Report documents of the learning loop, built from permission-aware selector results."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from krisenwissen.reports.document import (
    BulletList,
    Callout,
    Chart,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def overview_document(ov) -> Document:
    def rows(actions):
        return [[a.title, a.get_status_display(), _date(a.due), a.owner.get_full_name() if a.owner else (a.owner_role or "–"),
                 a.department.name if a.department else "–", str(a.priority)] for a in actions]

    header = ["Maßnahme", "Status", "Fällig", "Verantwortlich", "Dienststelle", "Priorität"]
    blocks = [
        Paragraph(f"Stand: {_date(ov.today)}. Offene Maßnahmen: {len(ov.open)}, davon überfällig: {len(ov.overdue)}, "
                  f"blockiert: {len(ov.blocked)}."),
        Heading("Überfällige Maßnahmen", 1),
        Table(header, rows(ov.overdue), caption="Überfällige Maßnahmen") if ov.overdue else Paragraph("Keine."),
        Heading("Blockierte Maßnahmen", 1),
        Table(header, rows(ov.blocked), caption="Blockierte Maßnahmen") if ov.blocked else Paragraph("Keine."),
        Heading("Alle offenen Maßnahmen", 1),
        Table(header, rows(ov.open), caption="Offene Maßnahmen") if ov.open else Paragraph("Keine."),
        Heading("Erkenntnisse, die auf Überprüfung warten", 1),
        BulletList([lesson.title for lesson in ov.awaiting_validation]) if ov.awaiting_validation else Paragraph("Keine."),
        Heading("Erkenntnisse mit fälliger Wiederholungsprüfung", 1),
        BulletList([f"{lesson.title} (fällig {_date(lesson.recheck_due)})" for lesson in ov.awaiting_recheck])
        if ov.awaiting_recheck else Paragraph("Keine."),
    ]
    return Document(title=f"Maßnahmenübersicht {ov.municipality.name}", subtitle="Lernkreislauf: Stand der Umsetzung",
                    blocks=blocks, date=ov.today, keywords=["Maßnahmen", "Lessons Learned"])


def briefing_document(title: str, hazard: str, items, base_url: str, note: str = "") -> Document:
    blocks = [Callout(note, title="Keine Erkenntnisse zu dieser Gefahrenart")] if note else []
    blocks += [
        Callout("Diese Zusammenstellung schlägt vor, was aus früheren Lagen bekannt ist. Sie ersetzt nicht die "
                "Lagebeurteilung, sondern soll in der ersten Sitzung des Krisenstabs helfen, Bekanntes nicht neu zu lernen.",
                title="Gegen Krisendemenz"),
        Table(["Nr.", "Art", "Titel", "Status", "Warum vorgeschlagen"],
              [[str(n), item.kind_label, item.title, item.status or "–", ", ".join(item.reasons) or "–"]
               for n, item in enumerate(items, 1)], caption="Vorschläge, nach Relevanz geordnet"),
        Heading("Fundstellen", 1),
        BulletList([f"{item.title}: {base_url}{item.url}" for item in items], ordered=True),
    ]
    return Document(title=f"Briefing zu Krisenbeginn: {title}", subtitle=f"Gefahrenart: {hazard or '–'}",
                    blocks=blocks, date=timezone.localdate(), keywords=["Briefing", "Krisenstab", hazard])


def handout_document(module, lessons, recommendations, practices) -> Document:
    blocks = [Paragraph(module.summary)] if module.summary else []
    for para in [p.strip() for p in module.text.split("\n\n") if p.strip()]:
        blocks.append(Paragraph(para))
    if lessons:
        blocks += [Heading("Erkenntnisse", 1), BulletList([f"{x.title}: {x.finding}" for x in lessons])]
    if recommendations:
        blocks += [Heading("Handlungsempfehlungen", 1), BulletList([f"{x.title}: {x.text}" for x in recommendations])]
    if practices:
        blocks += [Heading("Gute Praxis", 1), BulletList([f"{x.title} ({x.city}): {x.solution}" for x in practices])]
    questions = list(module.questions.all())
    if questions:
        blocks.append(Heading("Fragen zur Selbstkontrolle", 1))
        for n, q in enumerate(questions, 1):
            blocks.append(Paragraph([Run(f"{n}. {q.text}", bold=True)]))
            blocks.append(BulletList([o["text"] for o in q.options]))
        blocks.append(Heading("Lösungen", 1))
        blocks.append(BulletList([
            f"{n}. " + "; ".join(o["text"] for o in q.options if o.get("correct")) for n, q in enumerate(questions, 1)
        ]))
    return Document(title=module.title, subtitle=f"Lernpfad „{module.path}“ – Handout", blocks=blocks,
                    date=timezone.localdate(), keywords=["Fortbildung", module.path])


def booklet_document(trails, *, total_cities: int) -> Document:
    """Recommendations with their evidence; sources as numbered endnotes."""
    blocks: list = [
        Paragraph("Diese Handlungsempfehlungen wurden aus Erkenntnissen der beteiligten Kommunen zusammengestellt. "
                  "Die hochgestellten Nummern verweisen auf die Belege am Ende des Heftes."),
    ]
    notes: list[str] = []
    by_level: dict[str, list] = {}
    for trail in trails:
        by_level.setdefault(trail.recommendation.get_addressee_level_display(), []).append(trail)
    for level, group in by_level.items():
        blocks.append(Heading(f"Adressat: {level}", 1))
        for trail in group:
            rec = trail.recommendation
            blocks.append(Heading(rec.title, 2))
            cities = trail.coverage.count if trail.coverage else 0
            refs = []
            for lesson_trail in trail.lessons:
                for obs in lesson_trail.observations:
                    source = obs.source.citation or obs.source.title if obs.source else "ohne Quelle"
                    notes.append(f"{obs.municipality.name}, {obs.get_kind_display()}: „{obs.text}“ – {source}")
                    refs.append(len(notes))
            marker = f" [{', '.join(str(r) for r in refs)}]" if refs else ""
            blocks.append(Paragraph([Run(rec.text), Run(marker)]))
            blocks.append(Paragraph(
                f"Belegt in {cities} von {total_cities} Städten; Erkenntnisse: "
                + ("; ".join(f"{lt.lesson.title} ({lt.lesson.get_status_display()})" for lt in trail.lessons) or "–")
            ))
    blocks.append(Heading("Belege (Endnoten)", 1))
    blocks.append(BulletList(notes, ordered=True) if notes else Paragraph("Keine lesbaren Belege."))
    return Document(title="Handlungsempfehlungen", subtitle="Aus den Erkenntnissen der Kommunen, mit Belegen",
                    blocks=blocks, date=timezone.localdate(), keywords=["Handlungsempfehlungen", "Lessons Learned"])


def assessment_document(assessment, rows, spec) -> Document:
    blocks = [
        Paragraph(f"Kommune: {assessment.municipality.name}. Datum: {_date(assessment.date)}. Rahmen: {assessment.framework.title}."),
        Chart(spec, alt="Radialdiagramm der Stufen je Indikator; die Werte stehen in der Tabelle.", caption="Stufen je Indikator"),
        Table(["Nr.", "Bereich", "Indikator", "Stufe", "Vorher", "Begründung"],
              [[str(r["nr"]), r["bereich"], r["indikator"], str(r["stufe"]), "–" if r.get("vorher") is None else str(r["vorher"]),
                r.get("begruendung", "")] for r in rows], caption="Ergebnis der Selbstbewertung"),
    ]
    return Document(title=f"Selbstbewertung {assessment.municipality.name}", subtitle=assessment.framework.title, blocks=blocks,
                    date=assessment.date if isinstance(assessment.date, dt.date) else None)
