"""Demo workshop content, written from the PanReflex synthesis report, Reflexionsraum Kommunales
Krisenmanagement, Essen, 27-28 March 2023 (Difu/DEFUS). No real persons: participants are
pseudonyms ("Teilnahme Dortmund A"), cards paraphrase the report's findings.
"""

from datetime import date

ESSEN = {
    "key": "essen-2023",
    "title": "Reflexionsraum Kommunales Krisenmanagement",
    "focus": "Kommunales Krisenmanagement in der COVID-19-Pandemie",
    "theme": "zusammenarbeit",
    "start_date": date(2023, 3, 27),
    "end_date": date(2023, 3, 28),
    "host": "05113",
    "place": "Essen",
    "attribution": "chatham_house",
    "status": "dokumentiert",
    "facilitators": ["moderation.duesseldorf"],
    # Asked in Essen beyond the default agenda (analytic phase, after the default questions).
    "extra_questions": {"analytisch": ["Was war anders als bei anderen Krisen, und warum?"]},
}

FOLLOW_UP = {
    "key": "dortmund-2023",
    "title": "Reflexionsraum Krisenkommunikation",
    "focus": "Krisenkommunikation nach innen und mit der Bevölkerung",
    "theme": "krisenkommunikation",
    "start_date": date(2023, 9, 18),
    "end_date": date(2023, 9, 19),
    "host": "05913",
    "place": "Dortmund",
    "attribution": "chatham_house",
    "status": "geplant",
    "facilitators": ["moderation.duesseldorf", "redaktion.dortmund"],
}

# (key, city AGS, department function); display names are pseudonyms.
PARTICIPANTS = [
    ("do-a", "05913", "krisenstab"), ("do-b", "05913", "ordnungsamt"),
    ("d-a", "05111", "feuerwehr"), ("d-b", "05111", "gesundheitsamt"),
    ("e-a", "05113", "ordnungsamt"), ("e-b", "05113", "bevoelkerungsschutz"), ("e-c", "05113", "krisenstab"),
    ("ge-a", "05513", "gesundheitsamt"), ("ge-b", "05513", "feuerwehr"),
    ("k-a", "05315", "krisenstab"), ("k-b", "05315", "gesundheitsamt"),
]

# (cluster key, name, kind, votes)
CLUSTERS = [
    ("lage", "Vor die Lage kommen", "befund", 9),
    ("ebenen", "Vorgaben von Land und Bund", "befund", 7),
    ("strukturen", "Neue Strukturen jenseits des Krisenstabs", "befund", 6),
    ("belastung", "Belastung weniger Leistungsträger", "befund", 10),
    ("personal", "Personalmanagement in der Krise", "massnahmenidee", 8),
    ("rueckfuehrung", "Rückführung aus dem Krisenmodus planen", "massnahmenidee", 5),
    ("netzwerke", "Köpfe kennen, bevor die Krise kommt", "massnahmenidee", 6),
    ("softwarefrage", "Welche Werkzeuge brauchen Kommunen für Lagebild und Meldewege?", "offene_frage", 3),
]

# (card key, phase kind, question index in the phase, participant key, crisis phase number,
#  month (year, month) or None, feeling, cluster key, quote, text)
CARDS = [
    ("c01", "deskriptiv", 0, "e-a", 1, (2020, 3), "verunsichert", "lage", False,
     "Erster Lockdown: Über das Virus wussten wir fast nichts, jeden Tag kamen neue Fragen der Bürgerinnen und Bürger."),
    ("c02", "deskriptiv", 0, "do-a", 1, (2020, 3), "ueberlastet", "lage", True,
     "Wir sind in den ersten Wochen der Lage nur hinterhergelaufen."),
    ("c03", "deskriptiv", 0, "ge-b", 1, (2020, 1), "", "strukturen", False,
     "Die Feuerwehrleitung hat schon im Dezember nach China geschaut und Schutzausrüstung bestellt."),
    ("c04", "deskriptiv", 1, "d-b", 2, (2020, 10), "angespannt", "ebenen", False,
     "Jede Woche eine neue Coronaschutzverordnung, oft mit Umsetzungsfrist über das Wochenende."),
    ("c05", "deskriptiv", 1, "k-a", 2, (2020, 11), "", "ebenen", False,
     "Der zweite Lockdown im Herbst war vor Ort schwer zu erklären."),
    ("c06", "deskriptiv", 1, "e-b", 3, (2021, 4), "angespannt", "ebenen", False,
     "3G-Kontrollen und Maskenpflicht durchsetzen, während die Akzeptanz in der Bevölkerung sank."),
    ("c07", "deskriptiv", 1, "do-b", 3, (2021, 12), "ohnmaechtig", "belastung", False,
     "Unangemeldete Spaziergänge am Montag haben den Ordnungsdienst an jedem Wochenende gebunden."),
    ("c08", "deskriptiv", 2, "ge-a", 4, (2021, 2), "zuversichtlich", "strukturen", False,
     "Mit dem Impfstoff kam die Zuversicht zurück; der Aufbau der Impfzentren war ein Kraftakt."),
    ("c09", "deskriptiv", 2, "k-b", 5, (2022, 3), "gefordert", "rueckfuehrung", False,
     "Ab 2022 kamen Geflüchtete aus der Ukraine und die Energiekrise dazu; der Stab lief einfach weiter."),
    ("c10", "deskriptiv", 2, "e-c", 4, (2021, 6), "gestaerkt", "", True,
     "Wir haben gemerkt: Die Kommune kann Krise."),
    ("c11", "analytisch", 0, "d-a", None, None, "", "strukturen", False,
     "Eine Lagezentrale der unteren Gesundheitsbehörde und Thementeams haben Entscheidungen schneller gemacht."),
    ("c12", "analytisch", 0, "e-a", None, None, "", "strukturen", False,
     "Das Corona-Dashboard als digitales Lagebild mit Inzidenzen, Impfungen und Intensivbetten hat Orientierung gegeben."),
    ("c13", "analytisch", 1, "k-a", None, None, "", "ebenen", False,
     "Ein Werkzeug, das Textänderungen zwischen den Verordnungsversionen markiert, hat viel Zeit gespart."),
    ("c14", "analytisch", 1, "ge-a", None, None, "", "strukturen", False,
     "Gemischte Streifen von Polizei und kommunalem Ordnungsdienst haben gut funktioniert."),
    ("c15", "analytisch", 1, "do-a", None, None, "", "netzwerke", False,
     "Pragmatisches, unbürokratisches Handeln auf Augenhöhe mit einem Veranstaltungs-Start-up beim Impfzentrum."),
    ("c16", "analytisch", 2, "d-b", None, None, "", "belastung", False,
     "Dieselben wenigen Leistungsträger waren über zwei Jahre im Dauereinsatz; niemand hat auf Überlastung geachtet."),
    ("c17", "analytisch", 2, "e-b", None, None, "", "softwarefrage", False,
     "Die Meldesoftware passte nicht zur deutschen Praxis; viele Eingabefelder ergaben hier keinen Sinn."),
    ("c18", "analytisch", 2, "k-b", None, None, "", "ebenen", False,
     "Kommunale Expertise wurde von Land und Bund kaum gehört."),
    ("c19", "analytisch", 2, "do-b", None, None, "", "belastung", True,
     "Irgendwann war es kein Sprint mehr, sondern ein Marathon ohne Ziellinie."),
    ("c20", "transfer", 0, "e-c", None, None, "", "netzwerke", False,
     "Persönliche Netzwerke über Ämter- und Stadtgrenzen hinweg pflegen: die Köpfe kennen, bevor die Krise kommt."),
    ("c21", "transfer", 0, "ge-b", None, None, "", "strukturen", False,
     "Prozessorientierte Krisenstrukturen für Energiemangellage, Stromausfall und Starkregen erhalten."),
    ("c22", "transfer", 1, "d-a", None, None, "", "personal", False,
     "Verstärkung früh anfordern, Einarbeitung vorbereiten und Überlastung im Blick behalten."),
    ("c23", "transfer", 1, "k-a", None, None, "", "personal", False,
     "Psychosoziale Unterstützung für Beschäftigte fest einplanen, nicht erst im zweiten Krisenjahr."),
    ("c24", "transfer", 1, "e-a", None, None, "", "rueckfuehrung", False,
     "Schon zu Beginn der Krise festlegen, wann und wie der Krisenstab wieder in den Regelbetrieb zurückkehrt."),
    ("c25", "transfer", 1, "ge-a", None, None, "", "personal", False,
     "Das Bürgertelefon mit Beschäftigten besetzen, die die eigene Verwaltung kennen."),
    ("c26", "transfer", 1, "do-a", None, None, "", "netzwerke", False,
     "Mehr Austausch mit den Nachbarkommunen, gemeinsame Forderungen an Land und Bund formulieren."),
    ("c27", "transfer", 0, "k-b", None, None, "", "", False,
     "Krisenkompetenz des Nachwuchses stärken und Wissen unabhängig von Personen sichern."),
    # Answers to "Was war anders als bei anderen Krisen, und warum?" (question index 3)
    ("c28", "analytisch", 3, "ge-b", None, None, "", "", False,
     "Hochwasser oder Großbrand sind nach Tagen vorbei; die Pandemie dauerte drei Jahre und betraf alle Ämter zugleich."),
    ("c29", "analytisch", 3, "d-a", None, None, "", "lage", False,
     "Unsere Krisenstäbe sind für kurze, örtliche Lagen gebaut; eine Lage, die Bund und Land von außen bestimmen, kannten wir nicht."),
    ("c30", "analytisch", 3, "e-b", None, None, "", "", False,
     "Anders als bei einem Unwetter war die eigene Belegschaft selbst betroffen, privat wie im Dienst."),
    ("c31", "analytisch", 3, "k-a", None, None, "", "", False,
     "Gegenseitige Hilfe zwischen den Städten gab es kaum, weil alle gleichzeitig betroffen waren."),
    # More answers to "Was lief weniger gut, warum?" (analytic question index 2)
    ("c32", "analytisch", 2, "e-c", None, None, "", "lage", False,
     "Das Land setzte Umsetzungsfristen von wenigen Stunden; für strategische Planung blieb keine Zeit."),
    ("c33", "analytisch", 2, "ge-b", None, None, "", "lage", False,
     "Schutzausrüstung war in den ersten Wochen kaum zu beschaffen, jede Stadt bestellte auf eigene Faust."),
    ("c34", "analytisch", 2, "do-a", None, None, "", "ebenen", False,
     "Manche Regeln ließen sich vor Ort weder erklären noch kontrollieren."),
]

SYNTHESIS_NOTE = (
    "Quelle der Inhalte: PanReflex-Synthesebericht, Reflexionsraum Kommunales Krisenmanagement, "
    "Essen, 27.–28. März 2023 (Difu/DEFUS); Karten sinngemäß, Teilnehmende pseudonymisiert."
)
