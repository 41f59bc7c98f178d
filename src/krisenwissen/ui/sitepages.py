"""Default texts of the operator's pages and their safe rendering.

The operator edits the texts as Markdown without HTML (markdown-it-py, ``html`` off, so every
tag is shown as text; link targets are validated by markdown-it, ``javascript:`` is refused;
nh3 cleans the result once more). Placeholders the operator must fill in are written
``[Bitte ergänzen: ...]`` and rendered highlighted (``<mark class="placeholder">``).
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from .models import SitePage, SitePageKey

PLACEHOLDER = re.compile(r"\[(Bitte ergänzen|Please fill in):[^\]<]*\]")
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "br", "blockquote", "hr", "mark"}


def default_text(key: str) -> str:
    """The text shown until the operator saves one (German, with placeholders)."""
    if key == SitePageKey.IMPRESSUM:
        return _(
            "## Anbieter\n\n"
            "[Bitte ergänzen: Name der Behörde, z. B. Stadt Musterstadt – Der Oberbürgermeister]  \n"
            "[Bitte ergänzen: Straße und Hausnummer]  \n"
            "[Bitte ergänzen: Postleitzahl und Ort]\n\n"
            "Die Stadt ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch "
            "[Bitte ergänzen: Name der vertretungsberechtigten Person, z. B. Oberbürgermeisterin].\n\n"
            "## Kontakt\n\n"
            "Telefon: [Bitte ergänzen: Telefonnummer]  \n"
            "E-Mail: [Bitte ergänzen: E-Mail-Adresse]\n\n"
            "## Umsatzsteuer-Identifikationsnummer\n\n"
            "[Bitte ergänzen: USt-IdNr. nach § 27a UStG, falls vorhanden]\n\n"
            "## Verantwortlich für den Inhalt\n\n"
            "[Bitte ergänzen: Name und Anschrift der verantwortlichen Person]\n\n"
            "## Betrieb der Plattform\n\n"
            "[Bitte ergänzen: Stelle, die die Plattform technisch betreibt, z. B. das kommunale Rechenzentrum]\n\n"
            "## Software\n\n"
            "krisenwissen ist freie Software unter der Lizenz EUPL-1.2. Inhalte der Kommunen "
            "verantworten die jeweiligen Kommunen; sie sind bei jedem Beitrag angegeben."
        )
    if key == SitePageKey.DATENSCHUTZ:
        return _(
            "## Verantwortliche Stelle\n\n"
            "[Bitte ergänzen: Name und Anschrift der Behörde]\n\n"
            "## Datenschutzbeauftragte Person\n\n"
            "[Bitte ergänzen: Name oder Funktion und Kontakt der behördlichen Datenschutzbeauftragten]\n\n"
            "## Wozu wir Daten verarbeiten\n\n"
            "Die Plattform dient dem Krisenmanagement der Kommunen: Erfahrungen sammeln, auswerten "
            "und teilen. Wir verarbeiten personenbezogene Daten nur, soweit das dafür nötig ist:\n\n"
            "- **Konto:** Benutzername, Name, E-Mail-Adresse, Rolle je Kommune – für die Anmeldung, "
            "die Rechte und Benachrichtigungen.\n"
            "- **Beiträge:** wer einen Beitrag erstellt, geändert oder freigegeben hat – für die "
            "Nachvollziehbarkeit und das Vier-Augen-Prinzip.\n"
            "- **Änderungsprotokoll:** wer wann was geändert hat, mit der Adresse des Geräts – "
            "für die Nachvollziehbarkeit und die IT-Sicherheit.\n"
            "- **Workshops:** Teilnehmende ohne Konto geben höchstens einen Anzeigenamen an; in "
            "anonymen Workshops wird kein Name gespeichert.\n"
            "- **Rückmeldungen zur Barrierefreiheit:** Ihre Nachricht und, wenn Sie sie angeben, "
            "Name und E-Mail-Adresse – um Ihnen zu antworten und die Barriere zu beheben.\n"
            "- **Schutz vor Missbrauch:** Zähler von Anfragen und Anmeldeversuchen je Adresse.\n\n"
            "Die Plattform setzt nur ein technisch notwendiges Sitzungs-Cookie und ein Cookie zum "
            "Schutz von Formularen. Es gibt keine Statistik- oder Werbedienste und keine Inhalte "
            "von fremden Servern.\n\n"
            "## Rechtsgrundlage\n\n"
            "Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit "
            "[Bitte ergänzen: Landesdatenschutzgesetz, z. B. § 3 DSG NRW]; für Beschäftigte "
            "[Bitte ergänzen: Vorschrift zum Beschäftigtendatenschutz].\n\n"
            "## Wie lange wir Daten speichern\n\n"
            "- Änderungsprotokoll: 3 Jahre.\n"
            "- Gelesene Benachrichtigungen: 90 Tage, ungelesene: 2 Jahre.\n"
            "- Namen und Fotos aus Workshops: 1 Jahr nach dem Ende des Workshops.\n"
            "- Rückmeldungen zur Barrierefreiheit: 1 Jahr.\n"
            "- Sitzungen: höchstens 10 Stunden, nach 30 Minuten ohne Aktivität beendet.\n"
            "- Konten: bis zur Löschung der Person.\n\n"
            "Ein täglicher Lauf löscht, was fällig ist. Der Betrieb kann die Fristen anpassen.\n\n"
            "## Ihre Rechte\n\n"
            "- **Auskunft (Art. 15 DSGVO):** Unter „Konto“ laden Sie eine Datei mit allen über Sie "
            "gespeicherten Daten herunter. Die Administration Ihrer Kommune kann sie ebenfalls erzeugen.\n"
            "- **Berichtigung (Art. 16 DSGVO):** Wenden Sie sich an die Administration Ihrer Kommune.\n"
            "- **Löschung (Art. 17 DSGVO):** Die Administration löscht Ihr Konto auf der Seite "
            "„Personen und Rollen“. Ihre Beiträge bleiben als Wissen der Kommune erhalten und werden "
            "einem Pseudonym zugeordnet.\n"
            "- **Einschränkung und Widerspruch (Art. 18 und 21 DSGVO):** Wenden Sie sich an die "
            "verantwortliche Stelle.\n"
            "- **Beschwerde:** bei der Aufsichtsbehörde, "
            "[Bitte ergänzen: z. B. Landesbeauftragte für Datenschutz und Informationsfreiheit NRW, Postfach 20 04 44, 40102 Düsseldorf].\n\n"
            "## Empfänger\n\n"
            "[Bitte ergänzen: Auftragsverarbeiter, z. B. Rechenzentrum oder Mailserver, falls extern]"
        )
    if key == SitePageKey.BARRIEREFREIHEIT:
        return _(
            "Die folgenden Inhalte sind noch nicht vollständig barrierefrei:\n\n"
            "- **PDF-Dokumente** (Berichte, Protokolle) werden als PDF/UA erzeugt. Von Nutzenden "
            "hochgeladene Dateien, etwa Verordnungstexte als PDF, sind oft nicht barrierefrei. "
            "Die Texte der Verordnungen stehen zusätzlich als HTML auf der Plattform.\n"
            "- **Fotos aus Workshops** (z. B. von Pinnwänden) haben nur dann eine Bildbeschreibung, "
            "wenn die Moderation sie eingetragen hat.\n"
            "- **Diagramme im Lagebild** geben die Werte zusätzlich als Tabelle und als CSV-Datei aus.\n"
            "- Die Plattform wurde bisher nur automatisch und durch das Entwicklungsteam geprüft, "
            "noch nicht durch Menschen mit Behinderungen.\n\n"
            "[Bitte ergänzen: weitere bekannte Barrieren Ihrer Installation, z. B. eigene Dokumente]"
        )
    return ""


def page_text(key: str) -> tuple[str, SitePage | None]:
    """The current text of ``key`` and its row (None while the default text shows)."""
    page = SitePage.objects.filter(key=key).select_related("updated_by").first()
    return (page.body if page else default_text(key)), page


def render_markdown(text: str) -> SafeString:
    html = _MARKDOWN.render(text or "")
    html = PLACEHOLDER.sub(lambda m: f'<mark class="placeholder">{m.group(0)}</mark>', html)
    cleaned = nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}, "mark": {"class"}},
                        url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")
    return mark_safe(cleaned)  # noqa: S308 - escaped by markdown-it (html off) and cleaned by nh3


def has_placeholders(text: str) -> bool:
    return bool(PLACEHOLDER.search(text or ""))
