"""The blank four-part message form (Vierfachvordruck) as a report document: the paper
fallback when the system or the network is down. Rendered to PDF/UA by ``reports``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from krisenwissen.reports.document import Callout, Document, Heading, Paragraph, Table

BLANK = "_" * 34
BOX = "[  ]"


def _choices(*labels) -> str:
    return "   ".join(f"{BOX} {label}" for label in labels)


def blank_form_document(staff) -> Document:
    """A printable, empty message form for ``staff`` (``str(staff)`` says ÜBUNG for exercises)."""
    field, entry = _("Feld"), _("Eintrag")
    blocks = [
        Paragraph(_("Stab: %(staff)s") % {"staff": str(staff)}),
        Callout(_("Bei Ausfall der Technik: Meldung auf diesem Vordruck aufnehmen, Vorrang ankreuzen und sofort der sichtenden "
                  "Funktion bringen. Nach Wiederanlauf jede Meldung nachtragen (Zeit der Übermittlung wie notiert)."),
                title=_("Papier-Rückfallebene")),
        Heading(_("1. Annahme / Aufnahme"), level=1),
        Table(header=[field, entry], widths=[1, 2], rows=[
            [_("Lfd. Nr."), BLANK],
            [_("Richtung"), _choices(_("Eingang"), _("Ausgang"))],
            [_("Vorrang"), _choices(_("BLITZ"), _("Sofort"), _("Normal"))],
            [_("Übermittlungsart"), _choices(_("Telefon"), _("Funk"), _("E-Mail"), _("Fax"), _("Melder"), _("persönlich"))],
            [_("Absender/in"), BLANK],
            [_("Empfänger/in"), BLANK],
            [_("Datum und Uhrzeit der Übermittlung"), BLANK],
            [_("Aufgenommen von (Name, Funktion)"), BLANK],
        ]),
        Heading(_("Inhalt"), level=1),
        *[Paragraph(BLANK * 2) for _line in range(8)],
        Heading(_("2. Sichtung"), level=1),
        Table(header=[field, entry], widths=[1, 2], rows=[
            [_("Sichtervermerk"), BLANK],
            [_("Gesichtet von, Uhrzeit"), BLANK],
        ]),
        Heading(_("3. Verteilung an Funktionen"), level=1),
        Table(header=[_("Funktion"), _("Übergeben um"), _("4. Kenntnisnahme (Name, Uhrzeit)")], widths=[2, 1, 2],
              rows=[[BLANK[:20], BLANK[:10], BLANK[:20]] for _row in range(6)]),
        Heading(_("4. Erledigung"), level=1),
        Table(header=[field, entry], widths=[1, 2], rows=[
            [_("Erledigt am, Uhrzeit"), BLANK],
            [_("Erledigt von"), BLANK],
            [_("Im Einsatztagebuch nachgetragen (Lfd. Nr.)"), BLANK],
        ]),
    ]
    return Document(title=_("Meldevordruck (Vierfachvordruck)"), subtitle=str(staff), blocks=blocks,
                    keywords=[_("Meldung"), _("Vierfachvordruck"), _("Krisenstab")])
