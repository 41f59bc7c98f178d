"""Ergebnisprotokoll and Synthesebericht as ``krisenwissen.reports`` documents."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from krisenwissen.reports.document import (
    Beside,
    BulletList,
    Callout,
    Chart,
    Document,
    Heading,
    Image,
    Paragraph,
    Quote,
    Run,
    Table,
)

from . import synthesis
from .actions import author_label
from .models import Card, Cluster, ClusterKind, Photo, Workshop
from .selectors import participants_by_city, report_input
from .timeline_figure import Timeline, TimelineCard, TimelinePhase, timeline_spec


def _date_range(workshop: Workshop) -> str:
    start = workshop.start_date.strftime("%d.%m.%Y")
    if workshop.end_date and workshop.end_date != workshop.start_date:
        return f"{start} – {workshop.end_date.strftime('%d.%m.%Y')}"
    return start


def _card_line(card: Card) -> str:
    extras = []
    if card.crisis_phase_id:
        extras.append(card.crisis_phase.name)
    if card.when:
        extras.append(card.when.strftime("%m/%Y"))
    if card.feeling:
        extras.append(_("Gefühl: %(f)s") % {"f": card.get_feeling_display()})
    if name := author_label(card, card.workshop.attribution):
        extras.append(name)
    return card.text + (f" ({'; '.join(extras)})" if extras else "")


WEEKDAYS = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
DAY_START = datetime.time(9, 0)  # days after the first
DAY_END = datetime.time(17, 0)
WELCOME_MINUTES = 30
BREAK_MINUTES = 15
CLOSING_MINUTES = 15


def agenda(workshop: Workshop, phases) -> list[dict]:
    """The agenda with days and times of day: welcome, the phases with their time boxes and a
    break between them, closing. A step that would end after 17:00 moves to the next day
    (9:00) when the workshop has one."""
    days = max(1, ((workshop.end_date or workshop.start_date) - workshop.start_date).days + 1)
    day = 0
    clock = datetime.datetime.combine(workshop.start_date, workshop.start_time or datetime.time(10, 0))
    steps = [(_("Ankommen, Begrüßung und Einführung in Methode und Regeln"), WELCOME_MINUTES)]
    for number, phase in enumerate(phases):
        if number:
            steps.append((_("Pause"), BREAK_MINUTES))
        steps.append((f"{phase.get_kind_display()}: {phase.lead}", phase.timebox_minutes))
    steps.append((_("Abschluss, Punktabfrage und Ausblick"), CLOSING_MINUTES))
    out = []
    for label, minutes in steps:
        end = clock + datetime.timedelta(minutes=minutes)
        if end.time() > DAY_END and day + 1 < days and end.date() == clock.date():
            if label == _("Pause"):
                continue  # the night is the break
            if out and out[-1]["item"] == _("Pause"):
                out.pop()
            day += 1
            clock = datetime.datetime.combine(workshop.start_date + datetime.timedelta(days=day), DAY_START)
            end = clock + datetime.timedelta(minutes=minutes)
        date = clock.date()
        out.append({"day": _("Tag %(n)s (%(wd)s, %(d)s)") % {"n": day + 1, "wd": WEEKDAYS[date.weekday()], "d": date.strftime("%d.%m.%Y")},
                    "time": f"{clock:%H:%M}–{end:%H:%M}", "item": label})
        clock = end
    return out


def _cluster_phase(cluster: Cluster, cards: list[Card], phases) -> int | None:
    """The workshop phase a cluster is reported under: its own, else where most of its cards are."""
    if cluster.phase_id:
        return cluster.phase_id
    counted = Counter(c.phase_id for c in cards if c.phase_id)
    if counted:
        return counted.most_common(1)[0][0]
    return phases[-1].pk if phases else None


def _participant_rows(groups) -> list[list[str]]:
    """The participants by city and department, a subtotal per city with several departments,
    and the total."""
    rows: list[list] = []
    by_city: dict[str, list[dict]] = {}
    for g in groups:
        by_city.setdefault(g["city"], []).append(g)
    for city, items in by_city.items():
        for g in items:
            rows.append([city or _("ohne Angabe"), g["department"] or _("ohne Angabe"), str(g["count"]),
                         ", ".join(g["names"]) or _("nicht genannt")])
        if len(items) > 1:
            rows.append([[Run(_("Summe %(c)s") % {"c": city or _("ohne Angabe")}, bold=True)], "",
                         [Run(str(sum(g["count"] for g in items)), bold=True)], ""])
    total = sum(g["count"] for g in groups)
    rows.append([[Run(_("Gesamt"), bold=True)],
                 [Run(_("%(n)s Kommunen") % {"n": len([c for c in by_city if c])}, bold=True)],
                 [Run(str(total), bold=True)], ""])
    return rows


def timeline_of(workshop: Workshop, cards: list[Card]) -> Timeline | None:
    """The timeline wall of a workshop (crisis phases and the cards placed there)."""
    if not workshop.crisis_id:
        return None
    phases = list(workshop.crisis.phases.all())
    number = {p.pk: p.number for p in phases}
    return Timeline(
        phases=[TimelinePhase(p.number, p.name, p.period_label) for p in phases],
        cards=[TimelineCard(number[c.crisis_phase_id], c.text) for c in cards if c.crisis_phase_id in number],
    )


def protocol_document(workshop: Workshop) -> Document:
    """The Ergebnisprotokoll as a facilitator hands it out: workshop data, participants with
    totals, the agenda with days and times, per phase the clusters with all their cards, the
    timeline wall as a figure, the vote result and the findings sorted by votes, quotes, photos."""
    cards = list(Card.objects.filter(workshop=workshop)
                 .select_related("workshop", "author", "question", "phase", "crisis_phase", "cluster"))
    clusters = list(Cluster.objects.filter(workshop=workshop).annotate(vote_count=Count("votes")))
    by_votes = sorted(clusters, key=lambda c: (-c.vote_count, c.order, c.pk))
    blocks: list = []
    facilitators = ", ".join(u.get_full_name() or u.get_username() for u in workshop.facilitators.all())
    blocks.append(Heading(_("Workshopdaten"), 1))
    blocks.append(Table(
        [_("Angabe"), _("Wert")],
        [[_("Format"), workshop.get_kind_display()],
         [_("Thema"), workshop.focus or (workshop.theme.name if workshop.theme_id else "–")],
         [_("Krise"), workshop.crisis.title if workshop.crisis_id else "–"],
         [_("Datum"), _date_range(workshop)],
         [_("Gastgebende Kommune"), workshop.host.name],
         [_("Ort"), workshop.place or "–"],
         [_("Eingeladene Kommunen"), ", ".join(m.name for m in workshop.invited.all()) or "–"],
         [_("Moderation"), facilitators or "–"],
         [_("Nennung der Beiträge"), workshop.get_attribution_display()],
         [_("Status"), workshop.get_status_display()],
         [_("Karten"), str(len(cards))]],
        caption=_("Eckdaten des Workshops"),
    ))
    blocks.append(Heading(_("Teilnehmende"), 1))
    groups = participants_by_city(workshop)
    if groups:
        blocks.append(Table(
            [_("Kommune"), _("Bereich"), _("Anzahl"), _("Namen")], _participant_rows(groups),
            caption=_("Teilnehmende nach Kommune und Bereich, mit Summen"),
        ))
    else:
        blocks.append(Paragraph(_("Es haben keine Teilnehmenden über den Link teilgenommen.")))
    blocks.append(Heading(_("Ablauf"), 1))
    phases = list(workshop.phases.prefetch_related("questions"))
    blocks.append(Table([_("Tag"), _("Uhrzeit"), _("Programmpunkt")],
                        [[row["day"], row["time"], row["item"]] for row in agenda(workshop, phases)],
                        caption=_("Tagesordnung mit Tagen und Uhrzeiten"), widths=[1.3, 1, 3.5]))
    cluster_cards = {c.pk: [x for x in cards if x.cluster_id == c.pk] for c in clusters}
    clusters_of_phase: dict = {}
    for cluster in sorted(clusters, key=lambda c: (c.order, c.pk)):
        clusters_of_phase.setdefault(_cluster_phase(cluster, cluster_cards[cluster.pk], phases), []).append(cluster)
    for phase in phases:
        blocks.append(Heading(phase.get_kind_display(), 1))
        blocks.append(Paragraph([Run(phase.lead, italic=True)]))
        questions = list(phase.questions.all())
        if questions:
            blocks.append(Paragraph([Run(_("Leitfragen:"), bold=True)]))
            blocks.append(BulletList([q.text for q in questions]))
        for cluster in clusters_of_phase.get(phase.pk, []):
            items = cluster_cards[cluster.pk]
            blocks.append(Heading(_("Cluster „%(n)s“ (%(k)s, %(v)s Punkte)") % {
                "n": cluster.name, "k": cluster.get_kind_display(), "v": cluster.vote_count}, 2))
            blocks.append(BulletList([_card_line(c) for c in items]) if items else Paragraph(_("Keine Karten.")))
        loose = [c for c in cards if c.cluster_id is None and c.phase_id == phase.pk]
        if loose:
            blocks.append(Heading(_("Karten ohne Cluster"), 2))
            for question in questions:
                q_cards = [c for c in loose if c.question_id == question.pk]
                if q_cards:
                    blocks.append(Paragraph([Run(question.text, bold=True)]))
                    blocks.append(BulletList([_card_line(c) for c in q_cards]))
            other = [c for c in loose if c.question_id not in {q.pk for q in questions}]
            if other:
                blocks.append(BulletList([_card_line(c) for c in other]))
    rest = [c for c in cards if c.cluster_id is None and c.phase_id not in {p.pk for p in phases}]
    rest += [c for cl in clusters if _cluster_phase(cl, cluster_cards[cl.pk], phases) not in {p.pk for p in phases}
             for c in cluster_cards[cl.pk]]
    if rest:
        blocks.append(Heading(_("Karten ohne Phase"), 1))
        blocks.append(BulletList([_card_line(c) for c in rest]))
    timeline = timeline_of(workshop, cards)
    if timeline is not None:
        blocks.append(Heading(_("Zeitstrahl"), 1))
        blocks.append(Chart(timeline_spec(timeline), alt=timeline.alt, width_mm=170,
                            caption=_("Die Zeitstrahl-Wand: Krisenphasen und die Karten, die die Teilnehmenden dort angebracht haben")))
        blocks.append(Table([_("Krisenphase"), _("Zeitraum"), _("Karten")],
                            [[f"{p.number}. {p.name}", p.period or "–", str(timeline.count(p.number))] for p in timeline.phases],
                            caption=_("Karten am Zeitstrahl")))
    feelings: dict[str, int] = {}
    for card in cards:
        if card.feeling:
            feelings[card.get_feeling_display()] = feelings.get(card.get_feeling_display(), 0) + 1
    if feelings:
        blocks.append(Heading(_("Stimmungsbild"), 2))
        blocks.append(Table([_("Gefühl"), _("Nennungen")], [[k, str(v)] for k, v in sorted(feelings.items(), key=lambda kv: -kv[1])],
                            caption=_("Wie haben Sie sich damals gefühlt?")))
    blocks.append(Heading(_("Cluster und Punktabfrage"), 1))
    if clusters:
        blocks.append(Table(
            [_("Cluster"), _("Einordnung"), _("Karten"), _("Punkte")],
            [[c.name, c.get_kind_display(), str(len(cluster_cards[c.pk])), str(c.vote_count)] for c in by_votes],
            caption=_("Ergebnis der Punktabfrage"),
        ))
    else:
        blocks.append(Paragraph(_("Es wurden keine Cluster gebildet.")))
    for kind, heading in ((ClusterKind.BEFUND, _("Befunde")), (ClusterKind.OFFENE_FRAGE, _("Offene Fragen")),
                          (ClusterKind.MASSNAHMENIDEE, _("Maßnahmenideen"))):
        chosen = [c for c in by_votes if c.kind == kind]
        if chosen:
            blocks.append(Heading(heading, 2))
            blocks.append(BulletList([f"{c.name} ({c.vote_count} {_('Punkte')})" for c in chosen], ordered=True))
    quotes = [c for c in cards if c.is_quote]
    if quotes:
        blocks.append(Heading(_("Zitate"), 1))
        for card in quotes:
            blocks.append(Quote(card.text, attribution=author_label(card, workshop.attribution) or _("anonym")))
    photos = list(Photo.objects.filter(workshop=workshop))
    blocks.append(Heading(_("Fotodokumentation"), 1))
    if photos:
        for number, photo in enumerate(photos, 1):
            with photo.image.open("rb") as fh:
                data = fh.read()
            blocks.append(Image(data, alt=photo.caption, caption=_("Foto %(n)s: %(c)s") % {"n": number, "c": photo.caption}, width_mm=150))
    else:
        blocks.append(Paragraph(_("Keine Fotos.")))
    return Document(
        title=_("Ergebnisprotokoll: %(t)s") % {"t": workshop.title},
        subtitle=f"{workshop.get_kind_display()}, {workshop.place or workshop.host.name}, {_date_range(workshop)}",
        blocks=blocks, date=workshop.end_date or workshop.start_date, keywords=["Ergebnisprotokoll", workshop.get_kind_display()],
    )


def synthesis_blocks_of(workshop: Workshop) -> list[dict]:
    """The report's blocks: the stored draft, an older plain-text draft converted, or a fresh
    draft from the board when none is stored."""
    if workshop.synthesis_blocks:
        try:
            return synthesis.validate_blocks(workshop.synthesis_blocks)
        except synthesis.BlockError:
            pass  # a damaged stored draft: show a fresh one rather than fail
    if workshop.synthesis_text.strip():
        return legacy_blocks(workshop.synthesis_text)
    return synthesis.build_report(report_input(workshop))


def legacy_blocks(text: str) -> list[dict]:
    """Blocks from an older plain-text draft (``synthesis.parse`` markup)."""
    out: list[dict] = []
    for block in synthesis.parse(text):
        if block[0] == "heading":
            out.append({"type": "heading", "level": min(max(block[1], 1), 3), "text": block[2][:500]})
        elif block[0] == "paragraph":
            out.append({"type": "paragraph", "text": block[1]})
        elif block[0] == "bullets":
            out.append({"type": "list", "items": block[1], "title": "", "box": False})
        elif block[0] == "quote":
            out.append({"type": "quote", "text": block[1], "source": _("Stimme aus dem Workshop (anonym)")})
    return synthesis.validate_blocks(out[: synthesis.MAX_BLOCKS])


def synthesis_document(workshop: Workshop) -> Document:
    """The Synthesebericht from its blocks: level-1 title, level-2 sections, level-3
    subsections (never a skipped level), quotes beside their paragraph, the timeline figure as
    vector graphic."""
    blocks_in = synthesis_blocks_of(workshop)
    title = _("Synthesebericht: %(t)s") % {"t": workshop.title}
    if blocks_in and blocks_in[0]["type"] == "heading" and blocks_in[0]["level"] == 1:
        title = blocks_in[0]["text"]
        blocks_in = blocks_in[1:]
    blocks: list = [Heading(title, 1)]
    if not workshop.synthesis_final:
        blocks.append(Callout(_("Dieser Synthesebericht ist ein Entwurf und noch nicht abgeschlossen."), title=_("Entwurf")))
    previous = 1
    for block in blocks_in:
        kind = block["type"]
        if kind == "heading":
            level = max(2, min(block["level"], previous + 1))
            previous = level
            blocks.append(Heading(block["text"], level))
        elif kind == "paragraph":
            if block["text"].strip():
                blocks.append(Paragraph(block["text"]))
        elif kind == "quote":
            quote = Quote(block["text"], attribution=block["source"])
            last = blocks[-1]
            if isinstance(last, Beside):
                last.quotes.append(quote)
            elif isinstance(last, Paragraph):
                blocks[-1] = Beside(last, [quote])
            else:
                blocks.append(Callout(f"„{block['text']}“", title=block["source"] or _("Stimme aus dem Workshop (anonym)")))
        elif kind == "list":
            items = [i for i in block["items"] if i.strip()]
            if block["box"]:
                blocks.append(Callout("", title=block["title"], items=items))
            else:
                if block["title"]:
                    blocks.append(Paragraph([Run(block["title"], bold=True)]))
                if items:
                    blocks.append(BulletList(items))
        elif kind == "table":
            blocks.append(Table(block["header"], block["rows"], caption=block["caption"]))
        elif kind == "figure":
            spec = synthesis.timeline_spec(block["data"])
            if spec is not None:
                blocks.append(Chart(spec, alt=block["alt"], caption=block["caption"], width_mm=165))
            else:
                blocks.append(Table([_("Phase"), _("Zeitraum")],
                                    [[f"{p['number']}. {p['name']}", p["period"] or "–"] for p in block["data"]["phases"]],
                                    caption=block["caption"] or block["alt"]))
    subtitle = f"{workshop.get_kind_display()}, {_date_range(workshop)}"
    return Document(title=title, subtitle=subtitle, blocks=blocks, date=workshop.end_date or workshop.start_date,
                    keywords=["Synthesebericht"], print_title=False)
