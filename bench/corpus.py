"""Synthetic German crisis-management text for the search benchmark.

Sentences are assembled from the vocabulary of the demo content (crisis staff work,
pandemic and flood response, supplies, communication), with word frequencies that roughly
follow Zipf's law, so that frequent words ("Krisenstab") match many items and rare compounds
few, as in real data.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "Der Krisenstab", "Die Verwaltungsführung", "Das Gesundheitsamt", "Das Ordnungsamt",
    "Die Feuerwehr", "Die Pressestelle", "Das Sozialamt", "Das Personalamt", "Die Schulverwaltung",
    "Der Bevölkerungsschutz", "Die Stabsleitung", "Die Einsatzleitung", "Das Bürgertelefon",
    "Die Kreisverwaltung", "Die Stadtverwaltung", "Der Verwaltungsstab", "Die Koordinierungsgruppe",
    "Das Lagezentrum", "Die Katastrophenschutzbehörde", "Das Jugendamt", "Der Bauhof",
    "Die Stadtwerke", "Das Rechtsamt", "Die Kämmerei", "Die IT-Abteilung", "Das Hauptamt",
]
VERBS = [
    "musste", "konnte", "sollte", "hat", "hatte", "organisierte", "koordinierte", "beschaffte",
    "verteilte", "informierte", "plante", "überprüfte", "dokumentierte", "richtete", "verstärkte",
    "unterstützte", "erprobte", "vereinbarte", "übernahm", "bündelte", "meldete", "bewertete",
]
OBJECTS = [
    "Schutzausrüstung", "Atemschutzmasken", "Desinfektionsmittel", "Landesverordnungen",
    "Allgemeinverfügungen", "Lagebilder", "Personalreserven", "Impfzentren", "Testzentren",
    "Notunterkünfte", "Sandsäcke", "Pegelstände", "Warnmeldungen", "Bürgeranfragen",
    "Kontaktnachverfolgung", "Quarantäneanordnungen", "Schichtpläne", "Kommunikationswege",
    "Meldewege", "Entscheidungsvorlagen", "Lagebesprechungen", "Krisenkommunikation",
    "Homeoffice-Regelungen", "Notstromaggregate", "Trinkwasserversorgung", "Evakuierungspläne",
    "Hochwasserschutz", "Deichverteidigung", "Stromausfall", "Kommunikationskonzepte",
    "Ehrenamtliche", "Hilfsorganisationen", "Spendenlager", "Krisenstäbe", "Maßnahmenpläne",
    "Pandemiepläne", "Alarmierungswege", "Funkverbindungen", "Wärmeinseln", "Hitzeschutzpläne",
    "Cyberangriffe", "Notfallkonzepte", "Datenschutzfragen", "Schnelltests", "Impfstoffe",
    "Betreuungsangebote", "Schulschließungen", "Kitaplätze", "Pflegeheime", "Kliniken",
    "Geflüchtete", "Unterbringung", "Aufnahmeeinrichtungen", "Dolmetscher", "Sprachmittlung",
    "Social-Media-Kanäle", "Pressemitteilungen", "Bürgerversammlungen", "Lagedienst",
    "Verbindungspersonen", "Meldeköpfe", "Fahrzeuge", "Materiallager", "Vorräte",
    "Lieferketten", "Dienstpläne", "Rufbereitschaft", "Vertretungsregelungen", "Zuständigkeiten",
    "Entscheidungswege", "Haushaltsmittel", "Beschaffungsverfahren", "Vergaberecht",
    "Förderprogramme", "Nachbarkommunen", "Landkreise", "Landesbehörden", "Bundeswehr",
    "Polizei", "Rettungsdienst", "Katastrophenschutz", "Warn-Apps", "Sirenen", "Lautsprecherwagen",
    "Lagemeldungen", "Besprechungsprotokolle", "Aufgabenlisten", "Übergabeprotokolle", "Führungsstrukturen",
    "Stabsräume", "Videokonferenzen", "Laptops", "VPN-Zugänge", "Diensthandys", "Telefonketten",
    "Einsatztagebücher", "Lagekarten", "Geodaten", "Pegelprognosen", "Wetterwarnungen", "Starkregen",
    "Hangrutschungen", "Kellerflutungen", "Pumpen", "Notbrunnen", "Wasserwerfer", "Feldbetten",
    "Decken", "Hygienekonzepte", "Besuchsverbote", "Ausgangsbeschränkungen", "Kontrollgänge",
    "Bußgeldverfahren", "Bürgerbüros", "Terminvergaben", "Onlineformulare", "Hotlines",
    "Mehrsprachige Informationen", "Leichte Sprache", "Gebärdensprache", "Seniorenheime",
    "Obdachlosenunterkünfte", "Tafeln", "Nachbarschaftshilfe", "Vereine", "Kirchengemeinden",
    "Unternehmen", "Einzelhandel", "Gastronomie", "Wirtschaftsförderung", "Soforthilfen",
    "Kurzarbeit", "Personalausfälle", "Überstunden", "Erschöpfung", "Supervision",
    "Resilienzkonzepte", "Krisenhandbücher", "Alarmpläne", "Stabsübungen", "Planspiele",
    "Nachbereitung", "Evaluationen", "Lessons Learned", "Wissensmanagement", "Zuständigkeitslisten",
]
ADVERBIALS = [
    "wöchentlich", "kurzfristig", "ohne Vorlauf", "über Wochen", "mit großem Aufwand",
    "in enger Abstimmung", "gemeinsam mit den Hilfsorganisationen", "nach der ersten Welle",
    "während des Hochwassers", "im Schichtbetrieb", "rund um die Uhr", "am Wochenende",
    "mit Unterstützung der Nachbarkommune", "trotz fehlender Vorgaben", "digital",
    "erstmals", "erneut", "frühzeitig", "zu spät", "unter Zeitdruck", "dezentral", "zentral",
]
CLOSINGS = [
    "Das hat sich bewährt.", "Das war eine große Herausforderung.", "Hier gibt es Verbesserungspotenzial.",
    "Die Abstimmung mit dem Land war schwierig.", "Die Maßnahme wurde gut angenommen.",
    "Die Zuständigkeiten waren nicht geklärt.", "Die Mitarbeitenden waren stark belastet.",
    "Die Bevölkerung reagierte verunsichert.", "Die Erfahrungen fließen in die Krisenpläne ein.",
    "Eine Übung vorab hätte geholfen.", "Die Vernetzung mit anderen Kommunen half sehr.",
    "Die Vorgaben änderten sich ständig.", "Die Lage blieb unübersichtlich.",
    "Es fehlten klare Meldewege.", "Die Kommunikation nach außen war entscheidend.",
]


def _zipf_choice(rng: random.Random, words: list[str]) -> str:
    # Rank r is chosen with weight 1/r**0.8 (a Zipf-like law, a little flatter than 1/r):
    # the first words are frequent, the last ones rare.
    return rng.choices(words, weights=_weights(len(words)), k=1)[0]


_WEIGHT_CACHE: dict[int, list[float]] = {}


def _weights(count: int) -> list[float]:
    if count not in _WEIGHT_CACHE:
        _WEIGHT_CACHE[count] = [1 / (rank + 1) ** 0.8 for rank in range(count)]
    return _WEIGHT_CACHE[count]


# The frequency order of the objects is fixed but unrelated to the list order above.
_FREQUENCY_ORDER = sorted(OBJECTS, key=lambda word: random.Random(word).random())


def sentence(rng: random.Random) -> str:
    """One German sentence about municipal crisis work."""
    objects = _zipf_choice(rng, _FREQUENCY_ORDER)
    if rng.random() < 0.4:
        objects += f" und {_zipf_choice(rng, _FREQUENCY_ORDER)}"
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {_zipf_choice(rng, ADVERBIALS)} {objects}."


def observation_text(rng: random.Random) -> str:
    """Two to four sentences, like a workshop observation."""
    parts = [sentence(rng) for _ in range(rng.randint(1, 3))]
    parts.append(rng.choice(CLOSINGS))
    return " ".join(parts)


QUERIES = [
    "Krisenstab", "Krisenstäbe", "Schutzausrüstung", "Schutz", "Maßnahmen", "Massnahme",
    "Landesverordnungen umsetzen", "Personalreserve", "Impfzentrum", "Testzentren Schnelltests",
    "Notunterkunft", "Sandsäcke Deich", "Hochwasser", "Warnung Sirenen", "Krisenkommunikation",
    "Pressemitteilung", "Bürgertelefon", "Kontaktnachverfolgung Gesundheitsamt", "Quarantäne",
    "Schichtplan", "Homeoffice", "Stromausfall Notstrom", "Trinkwasser", "Evakuierung",
    "Ehrenamtliche Hilfsorganisationen", "Spenden", "Pandemieplan", "Alarmierung", "Funk",
    "Hitzeschutz", "Cyberangriff", "Datenschutz", "Impfstoff", "Schulschließung", "Pflegeheim",
    "Geflüchtete Unterbringung", "Dolmetscher", "Social Media", "Lagebild", "Meldewege",
    "Zuständigkeiten geklärt", "Vergaberecht Beschaffung", "Förderprogramm", "Bundeswehr",
    "Rettungsdienst", "Übung", "Vernetzung Kommunen", "Lagezentrum", "Entscheidungsvorlage",
    "Verbesserungspotenzial",
]
