"""Ergebnisprotokoll and Synthesebericht as ``krisenwissen.reports`` documents."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from krisenwissen.reports.document import (
    BulletList,
    Callout,
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
from .selectors import participants_by_city, synthesis_data


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


def protocol_document(workshop: Workshop) -> Document:
    """The Ergebnisprotokoll: everything captured, ordered by phase, question and cluster."""
    cards = list(Card.objects.filter(workshop=workshop)
                 .select_related("workshop", "author", "question", "phase", "crisis_phase", "cluster"))
    clusters = list(Cluster.objects.filter(workshop=workshop).annotate(vote_count=Count("votes")))
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
            [_("Kommune"), _("Bereich"), _("Anzahl"), _("Namen")],
            [[g["city"] or _("ohne Angabe"), g["department"] or _("ohne Angabe"), str(g["count"]),
              ", ".join(g["names"]) or _("nicht genannt")] for g in groups],
            caption=_("Teilnehmende nach Kommune und Bereich"),
        ))
    else:
        blocks.append(Paragraph(_("Es haben keine Teilnehmenden über den Link teilgenommen.")))
    blocks.append(Heading(_("Ablauf"), 1))
    phases = list(workshop.phases.prefetch_related("questions"))
    blocks.append(BulletList([f"{p.get_kind_display()} ({p.timebox_minutes} Min.): {p.lead}" for p in phases], ordered=True))
    for phase in phases:
        blocks.append(Heading(phase.get_kind_display(), 1))
        blocks.append(Paragraph([Run(phase.lead, italic=True)]))
        for question in phase.questions.all():
            blocks.append(Heading(question.text, 2))
            q_cards = [c for c in cards if c.question_id == question.pk]
            if not q_cards:
                blocks.append(Paragraph(_("Keine Karten.")))
                continue
            by_cluster: dict = {}
            for card in q_cards:
                by_cluster.setdefault(card.cluster, []).append(card)
            for cluster, items in sorted(by_cluster.items(), key=lambda kv: (kv[0] is None, kv[0].order if kv[0] else 0)):
                label = cluster.name if cluster else _("Ohne Cluster")
                blocks.append(Paragraph([Run(label, bold=True)]))
                blocks.append(BulletList([_card_line(c) for c in items]))
    other = [c for c in cards if c.question_id is None]
    if other:
        blocks.append(Heading(_("Karten ohne Leitfrage"), 1))
        blocks.append(BulletList([_card_line(c) for c in other]))
    if workshop.crisis_id:
        blocks.append(Heading(_("Zeitstrahl"), 1))
        rows = []
        for cp in workshop.crisis.phases.all():
            texts = [c.text for c in cards if c.crisis_phase_id == cp.pk]
            rows.append([f"{cp.number}. {cp.name}", cp.period_label or "–", str(len(texts))])
        blocks.append(Table([_("Krisenphase"), _("Zeitraum"), _("Karten")], rows, caption=_("Karten am Zeitstrahl")))
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
            [[c.name, c.get_kind_display(), str(sum(1 for x in cards if x.cluster_id == c.pk)), str(c.vote_count)]
             for c in sorted(clusters, key=lambda c: -c.vote_count)],
            caption=_("Ergebnis der Punktabfrage"),
        ))
    else:
        blocks.append(Paragraph(_("Es wurden keine Cluster gebildet.")))
    for kind, heading in ((ClusterKind.BEFUND, _("Befunde")), (ClusterKind.OFFENE_FRAGE, _("Offene Fragen")),
                          (ClusterKind.MASSNAHMENIDEE, _("Maßnahmenideen"))):
        chosen = [c for c in clusters if c.kind == kind]
        if chosen:
            blocks.append(Heading(heading, 2))
            blocks.append(BulletList([f"{c.name} ({c.vote_count} {_('Punkte')})" for c in chosen]))
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


def synthesis_document(workshop: Workshop) -> Document:
    """The Synthesebericht from the (edited) draft text; a fresh draft if none is stored."""
    text = workshop.synthesis_text or synthesis.draft(synthesis_data(workshop))
    blocks: list = []
    if not workshop.synthesis_final:
        blocks.append(Callout(_("Dieser Synthesebericht ist ein Entwurf und noch nicht abgeschlossen."), title=_("Entwurf")))
    title = _("Synthesebericht: %(t)s") % {"t": workshop.title}
    parsed = synthesis.parse(text)
    if parsed and parsed[0][0] == "heading" and parsed[0][1] == 1:
        title = parsed[0][2]
        parsed = parsed[1:]
    # Headings start at level 1 and never skip a level (PDF/UA).
    previous = 0
    for block in parsed:
        if block[0] == "heading":
            level = min(block[1], previous + 1, 4)
            previous = level
            blocks.append(Heading(block[2], level))
        elif block[0] == "paragraph":
            blocks.append(Paragraph(block[1]))
        elif block[0] == "bullets":
            blocks.append(BulletList(block[1]))
        elif block[0] == "quote":
            blocks.append(Callout(f"„{block[1]}“", title=_("Stimme aus dem Workshop (anonym)")))
    return Document(title=title, subtitle=f"{workshop.get_kind_display()}, {_date_range(workshop)}", blocks=blocks,
                    date=workshop.end_date or workshop.start_date, keywords=["Synthesebericht"])
