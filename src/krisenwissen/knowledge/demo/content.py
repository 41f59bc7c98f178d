"""Demo data: the PanReflex partner cities and what they learned from COVID-19.

All texts are written for this platform in our own words from the facts of the
PanReflex synthesis report (see ``SOURCE_CITATION``). The report anonymises most
statements; which partner city an item is attributed to here is illustrative only.
Quotes are invented paraphrases in the spirit of the report's anonymous call-outs and
name no one. User accounts are invented demo logins.

Conventions used below:

- Cities are referred to by a short key (``CITY_KEYS``); codes as ``"scheme:code"``.
- Every knowledge item belongs to the COVID-19 crisis and gets the code
  ``gefahren:pandemie`` automatically; further hazards are listed explicitly.
- ``phase`` is the number of the pandemic phase (``None`` for items without a phase).
- Keys such as ``"o01"`` are stable: the loader derives the items' UUIDs from them, so
  loading twice (``--force``) updates instead of duplicating.
"""

from datetime import date

DEMO_PASSWORD = "krisenwissen-demo"

SOURCE_CITATION = (
    "PanReflex-Synthesebericht, Reflexionsraum Kommunales Krisenmanagement, Essen, "
    "27./28. März 2023 (Difu/DEFUS)"
)

# --------------------------------------------------------------------------------------
# Municipalities, departments, network
# --------------------------------------------------------------------------------------

# Population: Destatis GV100AD, Gebietsstand 30.11.2023 (Bevölkerung am 31.12.2022).
CITIES = {
    "DO": {"ags": "05913", "name": "Dortmund", "population": 593317, "postcode": "44135"},
    "D": {"ags": "05111", "name": "Düsseldorf", "population": 629047, "postcode": "40213"},
    "E": {"ags": "05113", "name": "Essen", "population": 584580, "postcode": "45121"},
    "GE": {"ags": "05513", "name": "Gelsenkirchen", "population": 263000, "postcode": "45879"},
    "K": {"ags": "05315", "name": "Köln", "population": 1084831, "postcode": "50667"},
}
CITY_KEYS = tuple(CITIES)
STATE = "Nordrhein-Westfalen"

# (name, DepartmentFunction value); every partner city gets the same set.
DEPARTMENTS = [
    ("Krisenstab", "krisenstab"),
    ("Gesundheitsamt", "gesundheitsamt"),
    ("Ordnungsamt", "ordnungsamt"),
    ("Feuerwehr", "feuerwehr"),
    ("Bevölkerungsschutz", "bevoelkerungsschutz"),
    ("Presse- und Kommunikationsamt", "presse"),
    ("Personalamt", "personalamt"),
    ("Büro der Verwaltungsführung", "verwaltungsfuehrung"),
]

NETWORK = {
    "slug": "panreflex",
    "name": "PanReflex-Partnerstädte",
    "description": (
        "Die fünf Partnerstädte des Forschungsprojekts PanReflex – „Stärkung der kommunalen "
        "Resilienz am Beispiel von Pandemien“ (Difu und DEFUS, gefördert vom BMBF, 2022–2025). "
        "Im Netzwerk teilen die Städte Erfahrungen, Erkenntnisse und Gute Praxis aus der "
        "COVID-19-Pandemie."
    ),
    "members": CITY_KEYS,
}

# --------------------------------------------------------------------------------------
# Demo users. Password for all: DEMO_PASSWORD.
# (username, first name, last name, city key, role, department function, superuser)
# --------------------------------------------------------------------------------------

USERS = [
    ("admin", "Demo", "Administration", "E", "administration", "verwaltungsfuehrung", True),
    ("leser.essen", "Demo", "Leser Essen", "E", "leser", "ordnungsamt", False),
    ("mitwirkende.essen", "Demo", "Mitwirkende Essen", "E", "mitwirkende", "krisenstab", False),
    ("mitwirkende.koeln", "Demo", "Mitwirkende Köln", "K", "mitwirkende", "gesundheitsamt", False),
    ("redaktion.dortmund", "Demo", "Redaktion Dortmund", "DO", "redaktion", "krisenstab", False),
    # Köln's requests need a Redaktion of Köln: only the owning municipality's Redaktion decides.
    ("redaktion.koeln", "Demo", "Redaktion Köln", "K", "redaktion", "presse", False),
    ("moderation.duesseldorf", "Demo", "Moderation Düsseldorf", "D", "moderation", "bevoelkerungsschutz", False),
    ("admin.gelsenkirchen", "Demo", "Administration Gelsenkirchen", "GE", "administration", "verwaltungsfuehrung", False),
]

# Who is recorded as author ("Erstellt von") of a city's demo items.
AUTHOR_BY_CITY = {
    "DO": "redaktion.dortmund",
    "D": "moderation.duesseldorf",
    "E": "mitwirkende.essen",
    "GE": "admin.gelsenkirchen",
    "K": "mitwirkende.koeln",
}

# --------------------------------------------------------------------------------------
# Crisis and phases
# --------------------------------------------------------------------------------------

CRISIS = {
    "key": "covid-19",
    "title": "COVID-19-Pandemie",
    "hazard_type": "Pandemie",
    "start": date(2020, 3, 1),
    "end": date(2023, 2, 28),
    "description": (
        "Die COVID-19-Pandemie aus Sicht der Kommunen: eine lang andauernde Lage, die von Bund "
        "und Land bestimmt und vor Ort umgesetzt wurde. Die PanReflex-Partnerstädte "
        "unterscheiden rückblickend fünf Phasen; im Mittelpunkt der Auswertung stehen die Jahre "
        "2020 und 2021."
    ),
}

PHASES = [
    {
        "number": 1,
        "name": "Eindämmung & Unsicherheit",
        "start": date(2020, 3, 1),
        "end": date(2020, 5, 31),
        "period_label": "März bis Mai 2020",
        "description": (
            "Chaosphase mit erstem Lockdown und Ausgangsbeschränkungen; über das Virus war kaum "
            "etwas bekannt. Oberstes Ziel war, Todesfälle in einem Ausmaß wie in Norditalien zu "
            "verhindern."
        ),
    },
    {
        "number": 2,
        "name": "Schutz & Weiterbetrieb",
        "start": date(2020, 6, 1),
        "end": date(2020, 12, 31),
        "period_label": "Juni bis Dezember 2020",
        "description": (
            "Im Sommer entstehen erste Routinen. Abstandsregeln, Maskenpflicht und "
            "Versammlungsverbote prägen den Alltag; der zweite Lockdown im Herbst wird in den "
            "Städten kritisch gesehen."
        ),
    },
    {
        "number": 3,
        "name": "Kontrolle & Legitimation",
        "start": date(2021, 1, 1),
        "end": date(2022, 1, 31),
        "period_label": "ab Januar 2021",
        "description": (
            "Einschränkungen im Einzelhandel, Test- und Maskenpflichten, 3G-Regeln. Proteste "
            "von Maßnahmengegnern und unangemeldete „Montagsspaziergänge“; Debatte über eine "
            "Impfpflicht. Kontrolle und Begründung der Regeln werden zur Daueraufgabe."
        ),
    },
    {
        "number": 4,
        "name": "Impfkampagne",
        "start": date(2021, 1, 1),
        "end": date(2021, 9, 30),
        "period_label": "2021 bis zur Schließung der Impfzentren",
        "description": (
            "Impfstoffe gelten als Wendepunkt. Die Kommunen bauen Impf- und Testzentren auf und "
            "betreiben sie; die Phase überschneidet sich mit der Phase „Kontrolle & Legitimation“."
        ),
    },
    {
        "number": 5,
        "name": "Multiple Krisen",
        "start": date(2022, 2, 1),
        "end": date(2023, 2, 28),
        "period_label": "Februar 2022 bis Februar 2023",
        "description": (
            "Trotz hoher Inzidenzen herrscht Zuversicht. Gleichzeitig kommen Geflüchtete aus der "
            "Ukraine an, und eine Energiemangellage droht. Die Pandemie endet im Februar 2023."
        ),
    },
]

# --------------------------------------------------------------------------------------
# Taxonomy: scheme key -> scheme fields and codes (key, name, description, children)
# --------------------------------------------------------------------------------------

SCHEMES = [
    {
        "key": "themen",
        "name": "Themenschwerpunkte",
        "description": "Die drei Themenschwerpunkte des Projekts PanReflex.",
        "codes": [
            ("zusammenarbeit", "Zusammenarbeit im Krisenmanagement", "Organisation, Stäbe, Personal und Zusammenarbeit innerhalb der Verwaltung und mit Partnern.", [
                ("krisenstab", "Krisenstab und Stabsarbeit", "Aktivierung, Arbeitsweise und Auflösung von Krisenstäben."),
                ("ebenen", "Zusammenarbeit mit Land und Bund", "Zuständigkeiten und Abstimmung zwischen den staatlichen Ebenen."),
                ("aemteruebergreifend", "Ämterübergreifende Zusammenarbeit", "Gemeinsame Prozesse von Gesundheitsamt, Ordnungsamt, Feuerwehr und weiteren Stellen."),
                ("personal", "Personaleinsatz und Belastung", "Personalgewinnung, Umsetzung, Einarbeitung, Überlastung und Anerkennung."),
                ("externe-expertise", "Externe Expertise und Partner", "Einbindung von Fachleuten, Unternehmen und Organisationen."),
            ]),
            ("krisenkommunikation", "Krisenkommunikation", "Kommunikation innerhalb der Verwaltung und mit der Bevölkerung.", [
                ("interne-kommunikation", "Interne Kommunikation", "Information der Beschäftigten, Intranet, Abstimmungsrunden."),
                ("buergerkommunikation", "Kommunikation mit der Bevölkerung", "Bürgertelefon, soziale Medien, Aushänge, Lautsprecherwagen."),
                ("verordnungen", "Umsetzung von Verordnungen", "Auslegung, Vermittlung und Durchsetzung von Landes- und Bundesvorgaben."),
                ("lagebild", "Lagebild und Datengrundlagen", "Dashboards, Statistiken, Prognosen und Software."),
            ]),
            ("besonders-betroffene", "Schutz & Angebote für besonders Betroffene", "Schutz und Angebote für Menschen, die von der Krise besonders betroffen sind.", [
                ("impf-und-testangebote", "Impf- und Testangebote", "Aufbau und Betrieb von Impf- und Testzentren, mobile Angebote."),
                ("vulnerable-gruppen", "Schutz vulnerabler Gruppen", "Pflege, Menschen ohne Internetzugang, Menschen mit geringen Deutschkenntnissen."),
                ("quarantaene", "Quarantäne und Isolation", "Anordnung, Betreuung und Kontrolle von Quarantäne."),
                ("beschaeftigte", "Fürsorge für Beschäftigte", "Schutz, Entlastung und psychosoziale Unterstützung der Mitarbeitenden."),
            ]),
        ],
    },
    {
        "key": "faehigkeiten",
        "name": "Fähigkeitselement",
        "description": "Welches Element kommunaler Krisenfähigkeit betroffen ist.",
        "codes": [
            ("organisation", "Organisation", "", []),
            ("personal", "Personal", "", []),
            ("prozesse", "Prozesse", "", []),
            ("ausstattung", "Ausstattung", "Material, Schutzausrüstung, Räume und IT.", []),
            ("uebung-training", "Übung/Training", "", []),
            ("kommunikation", "Kommunikation", "", []),
        ],
    },
    {
        "key": "gefahren",
        "name": "Gefahrenart",
        "description": "Die Gefahr oder Lage, auf die sich ein Eintrag bezieht.",
        "codes": [
            ("pandemie", "Pandemie", "", []),
            ("hochwasser-starkregen", "Hochwasser/Starkregen", "", []),
            ("energiemangellage", "Energiemangellage", "", []),
            ("flucht-migration", "Flucht und Migration", "", []),
            ("hitze", "Hitze", "", []),
            ("stromausfall", "Stromausfall", "", []),
            ("cyber", "Cyberangriff/IT-Ausfall", "Ausfall der Verwaltungs-IT, etwa durch Erpressungssoftware.", []),
        ],
    },
]

# Added to every demo item (see module docstring).
DEFAULT_CODES = ["gefahren:pandemie"]

# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------

SOURCES = {
    "synthese": {
        "kind": "workshop",
        "title": "Synthesebericht Reflexionsraum „Kommunales Krisenmanagement“, Essen 2023",
        "citation": SOURCE_CITATION,
        "date": date(2023, 3, 28),
    },
    "interview-stab": {
        "kind": "interview",
        "title": "Interview mit einer Stabsleitung (anonymisiert)",
        "citation": "PanReflex-Interviewreihe (Difu/DEFUS), anonymisiert; Demo-Eintrag nach " + SOURCE_CITATION,
        "date": None,
    },
    "interview-gesundheit": {
        "kind": "interview",
        "title": "Interview mit einer Leitung im Gesundheitsamt (anonymisiert)",
        "citation": "PanReflex-Interviewreihe (Difu/DEFUS), anonymisiert; Demo-Eintrag nach " + SOURCE_CITATION,
        "date": None,
    },
    "interview-ordnung": {
        "kind": "interview",
        "title": "Interview mit dem kommunalen Ordnungsdienst (anonymisiert)",
        "citation": "PanReflex-Interviewreihe (Difu/DEFUS), anonymisiert; Demo-Eintrag nach " + SOURCE_CITATION,
        "date": None,
    },
    "befragung": {
        "kind": "survey",
        "title": "PanReflex-Kommunalbefragung zum Krisenmanagement in der Pandemie",
        "citation": "Quantitative Kommunalbefragung im Projekt PanReflex (Difu/DEFUS); Demo-Eintrag nach " + SOURCE_CITATION,
        "date": None,
    },
    "verordnungen": {
        "kind": "document",
        "title": "Dokumentenanalyse: Coronaschutzverordnungen des Landes NRW 2020–2021",
        "citation": "Auswertung von Verwaltungsdokumenten im Projekt PanReflex; Demo-Eintrag nach " + SOURCE_CITATION,
        "date": None,
    },
}

# --------------------------------------------------------------------------------------
# Observations
# (key, city, kind, phase, department function, visibility, source, codes, text)
# --------------------------------------------------------------------------------------

OBSERVATIONS = [
    # Phase 1: Eindämmung & Unsicherheit
    ("o01", "E", "herausforderung", 1, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:organisation"],
     "In den ersten Wochen war die Lage widersprüchlich und wurde im Wesentlichen von Bund und "
     "Land bestimmt. Der Krisenstab konnte fast nur reagieren; um „vor die Lage zu kommen“, "
     "fehlten Zeit und erprobte Strukturen."),
    ("o02", "K", "herausforderung", 1, "gesundheitsamt", "netzwerk", "interview-gesundheit",
     ["themen:lagebild", "faehigkeiten:prozesse"],
     "Das Wissen über das Virus änderte sich teils mehrmals am Tag. Das Gesundheitsamt traf "
     "Entscheidungen auf einer Grundlage, die am nächsten Morgen schon überholt sein konnte."),
    ("o03", "DO", "erfahrung", 1, "feuerwehr", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:ausstattung"],
     "Die Feuerwehrleitung hat das Geschehen in China schon ab Dezember 2019 verfolgt und früh "
     "Schutzausrüstung bestellt. Dieser Vorlauf hat die Engpässe im Frühjahr 2020 spürbar "
     "abgefedert."),
    ("o04", "GE", "herausforderung", 1, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:organisation"],
     "Der Krisenstab wurde erst aktiviert, als der Ausbruch im Kreis Heinsberg bekannt wurde. "
     "Vorbereitungen, die andere Städte da schon getroffen hatten, mussten unter Zeitdruck "
     "nachgeholt werden."),
    ("o05", "D", "herausforderung", 1, "bevoelkerungsschutz", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:ausstattung"],
     "Schutzausrüstung war im ersten Lockdown kaum zu beschaffen: Märkte waren leergekauft, "
     "Lieferzusagen platzten, die Preise stiegen sprunghaft."),
    ("o06", "E", "herausforderung", 1, "presse", "oeffentlich", "synthese",
     ["themen:buergerkommunikation", "faehigkeiten:kommunikation"],
     "Vorbeugend mit der Bevölkerung zu kommunizieren, war zu Beginn kaum möglich: Gesicherte "
     "Informationen fehlten, und die Regeln änderten sich laufend."),
    ("o07", "K", "zitat", 1, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab"],
     "„Eine Blaupause hatten wir nicht. Jeder Tag war wieder ein erster Tag.“"),
    ("o08", "D", "erfahrung", 1, "ordnungsamt", "netzwerk", "interview-ordnung",
     ["themen:verordnungen", "faehigkeiten:personal"],
     "Mit Ausgangsbeschränkungen und Kontaktverboten kamen auf den kommunalen Ordnungsdienst "
     "Aufgaben zu, für die es weder Routinen noch genug Personal gab."),
    ("o09", "GE", "zitat", 1, "gesundheitsamt", "intern", "synthese",
     ["themen:vulnerable-gruppen"],
     "„Das Ziel war ganz einfach: keine Bilder wie in Norditalien. Alles andere kam danach.“"),
    ("o10", "DO", "herausforderung", 1, "verwaltungsfuehrung", "netzwerk", "synthese",
     ["themen:ebenen", "faehigkeiten:organisation"],
     "Die Zuständigkeiten zwischen Bund, Land und Kommune waren unklar, Verantwortung wurde "
     "hin- und hergeschoben. Der Kommune blieb oft nur die Umsetzung, ohne vorher gehört zu "
     "werden."),

    # Phase 2: Schutz & Weiterbetrieb
    ("o11", "E", "herausforderung", 2, "ordnungsamt", "netzwerk", "verordnungen",
     ["themen:verordnungen", "faehigkeiten:prozesse"],
     "Die Coronaschutzverordnung des Landes erschien fast wöchentlich in neuer Fassung, oft mit "
     "Umsetzungsfristen von ein bis zwei Tagen. Für strategische Planung im Krisenstab blieb "
     "keine Zeit."),
    ("o12", "K", "gelingensfaktor", 2, "gesundheitsamt", "netzwerk", "interview-gesundheit",
     ["themen:quarantaene", "faehigkeiten:prozesse"],
     "Als das Land automatische Quarantäneregeln einführte, entfielen Einzelverfügungen für jede "
     "Kontaktperson. Das hat das Gesundheitsamt deutlich entlastet."),
    ("o13", "D", "herausforderung", 2, "ordnungsamt", "netzwerk", "verordnungen",
     ["themen:verordnungen", "themen:ebenen"],
     "Viele Regeln ließen den Kommunen weiten Ermessensspielraum. Jede Auslegung musste vor Ort "
     "abgestimmt, begründet und gegenüber Bürgerinnen und Bürgern vertreten werden."),
    ("o14", "GE", "herausforderung", 2, "ordnungsamt", "netzwerk", "interview-ordnung",
     ["themen:verordnungen", "faehigkeiten:personal"],
     "Manche Vorgaben ließen sich kaum kontrollieren, etwa Abstandsregeln in vollen "
     "Fußgängerzonen. Zwischen Landesvorgabe und örtlich Machbarem klaffte eine große Lücke."),
    ("o15", "DO", "gelingensfaktor", 2, "krisenstab", "netzwerk", "interview-stab",
     ["themen:krisenstab", "faehigkeiten:prozesse"],
     "Im Sommer 2020 entstanden erste Routinen: feste Lagebesprechungen, klare Meldewege und ein "
     "geordneter Schichtbetrieb im Krisenstab."),
    ("o16", "K", "erfahrung", 2, "gesundheitsamt", "oeffentlich", "synthese",
     ["themen:lagebild", "faehigkeiten:ausstattung"],
     "Ein Corona-Dashboard wurde zum digitalen Lagebild der Stadt: Infektionen, Todesfälle, "
     "Inzidenzen, Impfungen und die Belegung der Intensivbetten auf einen Blick."),
    ("o17", "E", "gelingensfaktor", 2, "presse", "netzwerk", "synthese",
     ["themen:interne-kommunikation", "faehigkeiten:kommunikation"],
     "Eigene Intranetseiten bündelten alle internen Regelungen zu Homeoffice, Schutzmaßnahmen "
     "und Dienstbetrieb. Rückfragen an den Krisenstab gingen spürbar zurück."),
    ("o18", "D", "verbesserungspotenzial", 2, "personalamt", "intern", "synthese",
     ["themen:personal", "faehigkeiten:personal"],
     "Beschäftigte wurden schnell umgesetzt und abgeordnet, aber ohne Einarbeitungskonzept. Neue "
     "Kräfte brauchten Tage, bis sie eigenständig arbeiten konnten."),
    ("o19", "DO", "gelingensfaktor", 2, "ordnungsamt", "netzwerk", "synthese",
     ["themen:aemteruebergreifend", "faehigkeiten:organisation"],
     "Gemischte Streifen aus Polizei und kommunalem Ordnungsdienst haben die Kontrollen "
     "vereinfacht und die Akzeptanz vor Ort erhöht."),
    ("o20", "E", "herausforderung", 2, "verwaltungsfuehrung", "netzwerk", "synthese",
     ["themen:verordnungen", "themen:buergerkommunikation"],
     "Der zweite Lockdown im Herbst 2020 wurde intern kritisch gesehen: Die Maßnahme kam aus "
     "Sicht vieler Beteiligter spät, und ihre Begründung war schwer zu vermitteln."),
    ("o21", "DO", "zitat", 2, "ordnungsamt", "netzwerk", "synthese",
     ["themen:verordnungen"],
     "„Wir haben Regeln durchgesetzt, von denen wir selbst erst am Vorabend erfahren haben.“"),
    ("o22", "K", "erfahrung", 2, "gesundheitsamt", "netzwerk", "synthese",
     ["themen:quarantaene", "themen:aemteruebergreifend", "faehigkeiten:prozesse"],
     "Für die Kontrolle von Quarantäneanordnungen arbeiteten Gesundheitsamt, Ordnungsamt und "
     "Feuerwehr erstmals in einem gemeinsamen Prozess zusammen."),

    # Phase 3: Kontrolle & Legitimation
    ("o23", "D", "herausforderung", 3, "ordnungsamt", "netzwerk", "interview-ordnung",
     ["themen:verordnungen", "faehigkeiten:personal"],
     "Mit Testpflichten, Maskenpflicht und 3G-Regeln wuchsen die Kontrollaufgaben stetig, "
     "während die Akzeptanz in der Bevölkerung sank."),
    ("o24", "GE", "herausforderung", 3, "ordnungsamt", "intern", "synthese",
     ["themen:verordnungen", "faehigkeiten:personal"],
     "Unangemeldete „Spaziergänge“ von Gegnern der Corona-Maßnahmen banden Woche für Woche "
     "erhebliche Kräfte von Ordnungsamt und Polizei."),
    ("o25", "K", "herausforderung", 3, "krisenstab", "netzwerk", "synthese",
     ["themen:ebenen", "themen:krisenstab"],
     "Das Krisenmanagement wurde zunehmend politisch instrumentalisiert. Entscheidungen des "
     "Krisenstabs wurden öffentlich als parteipolitisch motiviert dargestellt."),
    ("o26", "E", "gelingensfaktor", 3, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:ausstattung"],
     "Im zweiten Pandemiejahr kehrte das Gefühl von Kontrolle zurück: genug Schutzausrüstung, "
     "Tests und Impfstoff, eingespielte Krisenstäbe sowie Prognosen und Simulationen, die "
     "Orientierung gaben."),
    ("o27", "DO", "gelingensfaktor", 3, "krisenstab", "netzwerk", "interview-stab",
     ["themen:krisenstab", "faehigkeiten:organisation"],
     "Der Krisenstab verstand sich zunehmend als Planungsstab und Moderator zwischen den Ämtern, "
     "statt jede Einzelfrage selbst zu entscheiden."),
    ("o28", "D", "erfahrung", 3, "verwaltungsfuehrung", "netzwerk", "verordnungen",
     ["themen:verordnungen", "themen:lagebild", "faehigkeiten:prozesse"],
     "Ein selbst entwickeltes Werkzeug markierte die Textänderungen zwischen zwei Fassungen der "
     "Coronaschutzverordnung. Eine neue Fassung auszuwerten, dauerte damit Minuten statt "
     "Stunden."),
    ("o29", "GE", "verbesserungspotenzial", 3, "presse", "netzwerk", "synthese",
     ["themen:buergerkommunikation", "themen:vulnerable-gruppen", "faehigkeiten:kommunikation"],
     "Für Menschen ohne Internetzugang oder mit geringen Deutschkenntnissen fehlten lange "
     "geeignete Informationswege. Mehrsprachige Aushänge und Lautsprecherwagen kamen spät."),
    ("o30", "K", "zitat", 3, "ordnungsamt", "netzwerk", "synthese",
     ["themen:buergerkommunikation"],
     "„Irgendwann hat man uns nicht mehr als Helfer gesehen, sondern als Gegner.“"),
    ("o31", "E", "verbesserungspotenzial", 3, "ordnungsamt", "netzwerk", "befragung",
     ["themen:verordnungen", "faehigkeiten:prozesse"],
     "Verstöße wurden je nach Bezirk unterschiedlich dokumentiert und geahndet. Eine "
     "einheitliche Dokumentation hätte Auswertung und Rechtssicherheit erleichtert."),
    ("o32", "DO", "herausforderung", 3, "personalamt", "intern", "synthese",
     ["themen:beschaeftigte", "faehigkeiten:personal"],
     "Die Debatte über eine Impfpflicht führte auch in der Verwaltung zu Spannungen, etwa "
     "zwischen geimpften und ungeimpften Kolleginnen und Kollegen."),

    # Phase 4: Impfkampagne
    ("o33", "K", "gelingensfaktor", 4, "krisenstab", "oeffentlich", "synthese",
     ["themen:impf-und-testangebote", "themen:externe-expertise", "faehigkeiten:organisation"],
     "Impfzentrum und Check-in wurden gemeinsam mit einem Start-up aus der Logistik- und "
     "Veranstaltungsbranche aufgebaut. Einlass, Zeitfenster und Wartebereiche wurden geplant wie "
     "bei einer Großveranstaltung."),
    ("o34", "E", "erfahrung", 4, "gesundheitsamt", "netzwerk", "synthese",
     ["themen:impf-und-testangebote", "themen:aemteruebergreifend"],
     "Bis eine Impfdosis verabreicht werden konnte, waren vier Ämter beteiligt. Jede Schnittstelle "
     "brauchte eigene Absprachen."),
    ("o35", "D", "herausforderung", 4, "gesundheitsamt", "netzwerk", "synthese",
     ["themen:impf-und-testangebote", "faehigkeiten:organisation"],
     "Die Impfkampagne wurde über Monate zur Hauptaufgabe: Zugangsregeln für den Impfstoff, "
     "Aufbau und Betrieb von Impf- und Testzentren, Information über Nebenwirkungen."),
    ("o36", "GE", "erfahrung", 4, "krisenstab", "netzwerk", "synthese",
     ["themen:personal", "faehigkeiten:personal"],
     "Neue Rollen entstanden praktisch über Nacht, etwa Impfkoordination und die Leitung von "
     "Impfzentren, ohne Stellenbeschreibung und ohne Vorbild."),
    ("o37", "DO", "herausforderung", 4, "ordnungsamt", "netzwerk", "synthese",
     ["themen:impf-und-testangebote", "faehigkeiten:prozesse"],
     "Bei der Abrechnung von Testzentren gab es Betrugsfälle. Die Prüfung band Personal, das an "
     "anderer Stelle fehlte."),
    ("o38", "K", "gelingensfaktor", 4, "feuerwehr", "netzwerk", "interview-stab",
     ["themen:externe-expertise", "themen:impf-und-testangebote"],
     "Veranstaltungsfachleute im Impfzentrum brachten Erfahrung mit Besucherströmen, Einlass und "
     "Zeitfenstern mit, die der Verwaltung fehlte."),
    ("o39", "E", "zitat", 4, "krisenstab", "netzwerk", "synthese",
     ["themen:impf-und-testangebote"],
     "„Der Impfstoff war der Wendepunkt. Ab da hatten wir wieder etwas in der Hand.“"),
    ("o40", "D", "verbesserungspotenzial", 4, "gesundheitsamt", "netzwerk", "befragung",
     ["themen:vulnerable-gruppen", "themen:impf-und-testangebote"],
     "Aufsuchende Impfangebote für Pflegeeinrichtungen und für Quartiere mit niedriger Impfquote "
     "hätten früher eingeplant werden sollen."),
    ("o41", "GE", "gelingensfaktor", 4, "presse", "netzwerk", "synthese",
     ["themen:buergerkommunikation", "faehigkeiten:kommunikation"],
     "Das Bürgertelefon war mit Beschäftigten der eigenen Verwaltung besetzt. Weil sie die "
     "Zuständigkeiten im Haus kannten, konnten viele Fragen sofort beantwortet werden."),

    # Phase 5: Multiple Krisen
    ("o42", "E", "erfahrung", 5, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:organisation", "gefahren:flucht-migration", "gefahren:energiemangellage"],
     "Der Krisenstab wurde nicht aufgelöst, sondern ging mit seinen Strukturen direkt in die "
     "Aufnahme Geflüchteter aus der Ukraine und die Vorsorge für eine Gasmangellage über."),
    ("o43", "K", "gelingensfaktor", 5, "krisenstab", "netzwerk", "interview-stab",
     ["themen:krisenstab", "faehigkeiten:prozesse"],
     "Der Krisenstab wurde geordnet aufgelöst: mit einer Abschlussbesprechung und der Übergabe "
     "offener Aufgaben an die Fachbereiche."),
    ("o44", "DO", "verbesserungspotenzial", 5, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:prozesse"],
     "Es gab kaum Regeln dafür, die Stabsarbeit zu beenden. Niemand hatte festgelegt, wann und "
     "wie der Krisenmodus verlassen wird."),
    ("o45", "D", "erfahrung", 5, "gesundheitsamt", "oeffentlich", "synthese",
     ["themen:lagebild"],
     "Trotz hoher Inzidenzen herrschte 2022 Zuversicht: Die Verwaltung hatte gelernt, mit der "
     "Pandemie zu arbeiten."),
    ("o46", "GE", "herausforderung", 5, "verwaltungsfuehrung", "netzwerk", "synthese",
     ["themen:personal", "faehigkeiten:personal", "gefahren:flucht-migration", "gefahren:energiemangellage"],
     "Die Unterbringung Geflüchteter und die Vorsorge für eine Energiemangellage trafen auf "
     "Beschäftigte, die nach zwei Pandemiejahren erschöpft waren. Ein Ende des Krisenmodus war "
     "nicht in Sicht."),

    # Across phases: staff, structures, tools
    ("o47", "E", "herausforderung", 3, "personalamt", "intern", "synthese",
     ["themen:personal", "themen:beschaeftigte", "faehigkeiten:personal"],
     "Arbeitslast und Verantwortung lagen über mehr als zwei Jahre auf denselben wenigen "
     "Leistungsträgerinnen und Leistungsträgern. Überlastungssignale hat niemand systematisch "
     "beobachtet."),
    ("o48", "K", "verbesserungspotenzial", 3, "personalamt", "netzwerk", "synthese",
     ["themen:beschaeftigte", "faehigkeiten:personal"],
     "Ein psychosoziales Unterstützungsangebot für Beschäftigte im Dauereinsatz fehlte. Fragen "
     "nach Ausgleich und Anerkennung blieben lange offen."),
    ("o49", "DO", "zitat", 2, "krisenstab", "intern", "synthese",
     ["themen:beschaeftigte"],
     "„Homeschooling, kranke Eltern und die Lage im Stab – das lief alles gleichzeitig.“"),
    ("o50", "D", "gelingensfaktor", 2, "krisenstab", "netzwerk", "synthese",
     ["themen:aemteruebergreifend", "faehigkeiten:organisation"],
     "Die Zusammenarbeit auf Augenhöhe über Ämtergrenzen hinweg war der größte Gewinn. Viele "
     "Beteiligte kennen sich seitdem persönlich und vertrauen einander."),
    ("o51", "GE", "herausforderung", 1, "krisenstab", "netzwerk", "synthese",
     ["themen:ebenen", "faehigkeiten:organisation"],
     "Gegenseitige Hilfe zwischen den Städten gab es kaum, weil alle gleichzeitig betroffen waren. "
     "Nur bereits bestehende informelle Kontakte funktionierten."),
    ("o52", "E", "verbesserungspotenzial", 2, "gesundheitsamt", "netzwerk", "synthese",
     ["themen:krisenstab", "themen:aemteruebergreifend", "faehigkeiten:organisation"],
     "Anfangs führte das Gesundheitsamt die Lage weitgehend allein; die Krisenkompetenz von "
     "Feuerwehr und Krisenstab wurde erst später einbezogen. Fach- und Krisenkompetenz hätten von "
     "Beginn an zusammengehört."),
    ("o53", "K", "herausforderung", 2, "gesundheitsamt", "netzwerk", "interview-gesundheit",
     ["themen:lagebild", "faehigkeiten:ausstattung"],
     "Die Epidemie-Software SORMAS passte nicht zur Arbeitsweise deutscher Gesundheitsämter; "
     "viele Eingabefelder ergaben hier keinen Sinn. Parallel wurden eigene Listen geführt."),
    ("o54", "DO", "gelingensfaktor", 3, "gesundheitsamt", "netzwerk", "synthese",
     ["themen:externe-expertise", "faehigkeiten:organisation"],
     "Virologinnen und Virologen im erweiterten Krisenstab halfen, Entscheidungen fachlich zu "
     "begründen und nach außen zu erklären."),
    ("o55", "D", "erfahrung", 3, "krisenstab", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:organisation"],
     "Neben dem Krisenstab entstanden Thementeams, eine Impf-Arbeitsgruppe, Interventionsteams und "
     "eine Lagezentrale der unteren Gesundheitsbehörde. Die Hierarchien wurden flacher, "
     "Entscheidungen fielen schneller und besser begründet."),
    ("o56", "GE", "gelingensfaktor", 2, "verwaltungsfuehrung", "netzwerk", "befragung",
     ["themen:aemteruebergreifend", "faehigkeiten:prozesse", "faehigkeiten:ausstattung"],
     "Vereinfachte Vergabeverfahren und pragmatisches, unbürokratisches Handeln machten es "
     "möglich, Material und Dienstleistungen in Tagen statt Monaten zu beschaffen."),
    ("o57", "E", "gelingensfaktor", 1, "presse", "oeffentlich", "synthese",
     ["themen:buergerkommunikation", "faehigkeiten:kommunikation"],
     "Über soziale Medien erreichte die Stadt schnell viele Menschen. In Quartieren, in denen "
     "wenige Menschen online sind, halfen Lautsprecherwagen."),
    ("o58", "K", "verbesserungspotenzial", 5, "verwaltungsfuehrung", "netzwerk", "befragung",
     ["themen:personal", "faehigkeiten:uebung-training"],
     "Verwaltungsbeschäftigte sind kaum in Krisenkompetenz geschult. Viele, die „Krise können“, "
     "gehen in den nächsten Jahren in den Ruhestand."),
    ("o59", "DO", "erfahrung", 2, "ordnungsamt", "netzwerk", "interview-ordnung",
     ["themen:verordnungen", "faehigkeiten:organisation"],
     "Im Ordnungsamt entstand eine eigene Corona-Einheit, die Kontrollen, Bußgeldverfahren und "
     "Anfragen bündelte."),
    ("o60", "D", "zitat", 3, "gesundheitsamt", "intern", "synthese",
     ["themen:aemteruebergreifend"],
     "„Manche, auf die wir fest gezählt hatten, waren plötzlich kaum noch erreichbar.“"),
    ("o61", "GE", "gelingensfaktor", 3, "feuerwehr", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:prozesse"],
     "Ein Szenariobeauftragter im Krisenstab entwickelte Musterszenarien, etwa für "
     "Veranstaltungen. Bei jeder neuen Verordnung konnte der Stab darauf zurückgreifen."),
    ("o62", "E", "gelingensfaktor", 4, "personalamt", "netzwerk", "synthese",
     ["themen:personal", "faehigkeiten:personal"],
     "Eine Kompetenzdatenbank zeigte, welche Beschäftigten Erfahrung mit Telefonberatung, "
     "Logistik oder Fremdsprachen hatten. So ließen sich Kräfte gezielt einsetzen."),
    ("o63", "E", "herausforderung", 4, "krisenstab", "netzwerk", "interview-stab",
     ["themen:personal", "faehigkeiten:organisation"],
     "Schichtsysteme mussten mehrfach umgestellt werden, damit der Krisenstab auch bei "
     "Infektionen im Team arbeitsfähig blieb."),
    ("o64", "DO", "verbesserungspotenzial", 4, "verwaltungsfuehrung", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:ausstattung", "faehigkeiten:uebung-training"],
     "Die Stadt hat vor allem reagiert. Vorsorge – Bevorratung, Übungen, vorbereitete "
     "Rahmenverträge – hätte viel Druck aus der Akutphase genommen."),
    ("o65", "D", "gelingensfaktor", 5, "bevoelkerungsschutz", "netzwerk", "synthese",
     ["themen:krisenstab", "faehigkeiten:prozesse", "gefahren:hochwasser-starkregen", "gefahren:stromausfall"],
     "Die prozessorientierten Strukturen aus der Pandemie wurden in die Planung für Starkregen, "
     "Hochwasser und Stromausfall übernommen. Wann sie wieder in die Regelstruktur zurückgeführt "
     "werden, ist allerdings offen."),
]

# --------------------------------------------------------------------------------------
# Lessons: evidence are observation keys
# --------------------------------------------------------------------------------------

LESSONS = [
    {
        "key": "l01", "city": "E", "visibility": "netzwerk", "status": "bestaetigt", "phase": 1,
        "function": "krisenstab",
        "title": "Zu Beginn einer Krise Zeit in Analyse und Planung investieren",
        "finding": (
            "In allen fünf Städten wurde die Lage in der Anfangsphase von außen bestimmt; der "
            "Krisenstab reagierte, statt zu planen. Wer sich bewusst Zeit für Lageanalyse, "
            "Planung und Organisation nahm, gewann später Handlungsspielraum."
        ),
        "cause": "Sehr kurze Umsetzungsfristen, häufig wechselnde Informationen und kaum erprobte Strukturen für eine lange Lage.",
        "codes": ["themen:krisenstab", "faehigkeiten:organisation"],
        "evidence": ["o01", "o02", "o04", "o10", "o11"],
    },
    {
        "key": "l02", "city": "DO", "visibility": "netzwerk", "status": "bestaetigt", "phase": 1,
        "function": "feuerwehr",
        "title": "Krisenstäbe früh aktivieren und Vorlaufzeit nutzen",
        "finding": (
            "Die Krisenstäbe der Städte wurden zu sehr unterschiedlichen Zeitpunkten aktiviert – "
            "zwischen Dezember 2019 und März 2020. Städte mit Vorlauf hatten bei Schutzausrüstung "
            "und Organisation einen deutlichen Vorsprung."
        ),
        "cause": "Es gab keine vereinbarten Kriterien, ab wann eine entfernte Lage vorbereitend beobachtet wird.",
        "codes": ["themen:krisenstab", "faehigkeiten:ausstattung"],
        "evidence": ["o03", "o04", "o05"],
    },
    {
        "key": "l03", "city": "K", "visibility": "oeffentlich", "status": "in_umsetzung", "phase": 5,
        "function": "krisenstab",
        "title": "Die Rückführung aus dem Krisenmodus von Anfang an planen",
        "finding": (
            "In 4 von 5 Städten gab es keinen festgelegten Weg, die Arbeit des Krisenstabs zu "
            "beenden. Die Strukturen liefen teils nahtlos in die nächsten Krisen weiter, ohne "
            "dass über ihre Rückführung entschieden wurde."
        ),
        "cause": "Krisenmanagement ist auf kurze, örtliche Lagen ausgelegt; für lange Lagen fehlen Abschlusskriterien.",
        "codes": ["themen:krisenstab", "faehigkeiten:prozesse"],
        "evidence": ["o42", "o44", "o46", "o65"],
    },
    {
        "key": "l04", "city": "E", "visibility": "netzwerk", "status": "bestaetigt", "phase": 3,
        "function": "personalamt",
        "title": "Arbeitslast verteilen und Überlastung im Blick behalten",
        "finding": (
            "In 4 von 5 Städten trugen wenige Leistungsträgerinnen und Leistungsträger über mehr "
            "als zwei Jahre die Hauptlast. Überlastung wurde nicht systematisch beobachtet, eine "
            "psychosoziale Unterstützung fehlte."
        ),
        "cause": "Keine Personalreserve, keine Einarbeitungskonzepte, Verantwortung an wenige Personen gebunden.",
        "codes": ["themen:personal", "themen:beschaeftigte", "faehigkeiten:personal"],
        "evidence": ["o47", "o48", "o49", "o18"],
    },
    {
        "key": "l05", "city": "D", "visibility": "intern", "status": "erkannt", "phase": 2,
        "function": "krisenstab",
        "title": "Fachkompetenz und Krisenkompetenz zusammenführen",
        "finding": (
            "Wo das Gesundheitsamt die Lage allein führte, blieb die Krisenkompetenz von Feuerwehr "
            "und Krisenstab zunächst ungenutzt. Am besten arbeiteten Teams, die beide Kompetenzen "
            "verbanden."
        ),
        "cause": "Üblicherweise tritt Fachwissen in der Krise zurück; in der Pandemie dominierte dagegen die fachliche Debatte.",
        "codes": ["themen:krisenstab", "themen:aemteruebergreifend", "faehigkeiten:organisation"],
        "evidence": ["o52", "o55", "o54", "o27"],
    },
    {
        "key": "l06", "city": "GE", "visibility": "netzwerk", "status": "verankert", "phase": 3,
        "function": "krisenstab",
        "title": "In Prozessen statt in Projekten denken",
        "finding": (
            "In 4 von 5 Städten entstanden neben dem Krisenstab themenbezogene Teams mit flachen "
            "Hierarchien. Sie trafen sich regelmäßig mit den richtigen Leuten und entschieden "
            "schneller und besser begründet als ein einzelner Engpass auf Dezernatsebene."
        ),
        "cause": "Die lange Dauer der Lage machte neue, verlässliche Arbeitsformen nötig.",
        "codes": ["themen:krisenstab", "faehigkeiten:organisation", "faehigkeiten:prozesse"],
        "evidence": ["o55", "o27", "o61", "o22"],
    },
    {
        "key": "l07", "city": "D", "visibility": "netzwerk", "status": "verankert", "phase": 2,
        "function": "ordnungsamt",
        "title": "Werkzeuge für schnell wechselnde Verordnungen bereithalten",
        "finding": (
            "Die wöchentlich neuen Fassungen der Coronaschutzverordnung banden in allen Städten "
            "viel Arbeitszeit. Ein Werkzeug, das Änderungen zwischen Fassungen sichtbar macht, "
            "verkürzte die Auswertung erheblich."
        ),
        "cause": "Kurze Fristen des Landes und weiter Ermessensspielraum vor Ort.",
        "codes": ["themen:verordnungen", "faehigkeiten:prozesse"],
        "evidence": ["o11", "o13", "o28", "o21"],
    },
    {
        "key": "l08", "city": "K", "visibility": "netzwerk", "status": "bestaetigt", "phase": 2,
        "function": "gesundheitsamt",
        "title": "Ein gemeinsames digitales Lagebild schafft Orientierung",
        "finding": (
            "Dashboards mit Infektions-, Impf- und Klinikdaten gaben Krisenstäben und "
            "Verwaltungsführung eine gemeinsame Entscheidungsgrundlage. Ungeeignete Software "
            "führte dagegen zu Doppelarbeit."
        ),
        "cause": "Daten lagen verteilt vor; vorgegebene Software war nicht an die deutsche Praxis angepasst.",
        "codes": ["themen:lagebild", "faehigkeiten:ausstattung"],
        "evidence": ["o16", "o53", "o26", "o15"],
    },
    {
        "key": "l09", "city": "D", "visibility": "oeffentlich", "status": "bestaetigt", "phase": None,
        "function": "verwaltungsfuehrung",
        "title": "Die Köpfe vor der Krise kennen",
        "finding": (
            "Ämterübergreifende Zusammenarbeit auf Augenhöhe war ein zentraler Gelingensfaktor. "
            "Zwischen den Städten funktionierten nur Kontakte, die schon vor der Krise bestanden."
        ),
        "cause": "Alle Städte waren gleichzeitig betroffen; neue Beziehungen ließen sich in der Lage kaum aufbauen.",
        "codes": ["themen:aemteruebergreifend", "themen:ebenen", "faehigkeiten:organisation"],
        "evidence": ["o50", "o19", "o22", "o51", "o34"],
    },
    {
        "key": "l10", "city": "K", "visibility": "netzwerk", "status": "erkannt", "phase": 4,
        "function": "krisenstab",
        "title": "Externe Expertise früher einbinden",
        "finding": (
            "Virologische Beratung im erweiterten Krisenstab und Veranstaltungsfachleute im "
            "Impfzentrum haben Entscheidungen und Abläufe spürbar verbessert – kamen aber oft erst "
            "spät hinzu."
        ),
        "cause": "Es gab keine vorbereiteten Kontakte und Verträge mit externen Fachleuten.",
        "codes": ["themen:externe-expertise", "faehigkeiten:organisation"],
        "evidence": ["o38", "o33", "o54"],
    },
    {
        "key": "l11", "city": "GE", "visibility": "netzwerk", "status": "in_umsetzung", "phase": 3,
        "function": "presse",
        "title": "Krisenkommunikation muss alle Bevölkerungsgruppen erreichen",
        "finding": (
            "Soziale Medien erreichten viele Menschen schnell, aber nicht alle. Menschen ohne "
            "Internetzugang oder mit geringen Deutschkenntnissen wurden spät erreicht; ein "
            "Bürgertelefon mit verwaltungskundigem Personal bewährte sich."
        ),
        "cause": "Kommunikationswege waren nicht vorab nach Zielgruppen geplant.",
        "codes": ["themen:buergerkommunikation", "themen:vulnerable-gruppen", "faehigkeiten:kommunikation"],
        "evidence": ["o06", "o29", "o57", "o41", "o30"],
    },
    {
        "key": "l12", "city": "DO", "visibility": "netzwerk", "status": "bestaetigt", "phase": 3,
        "function": "ordnungsamt",
        "title": "Akzeptanz von Kontrollen nimmt mit der Dauer der Krise ab",
        "finding": (
            "In 4 von 5 Städten wuchsen die Kontrollaufgaben, während die Akzeptanz sank. "
            "Gemeinsame Streifen mit der Polizei und gut erklärbare Regeln halfen, schwer "
            "kontrollierbare Vorgaben dagegen schadeten der Glaubwürdigkeit."
        ),
        "cause": "Regeln kamen kurzfristig, waren teils schwer zu begründen und wurden politisch aufgeladen.",
        "codes": ["themen:verordnungen", "themen:buergerkommunikation", "faehigkeiten:personal"],
        "evidence": ["o23", "o24", "o30", "o14", "o21"],
    },
    {
        "key": "l13", "city": "DO", "visibility": "netzwerk", "status": "in_umsetzung", "phase": 1,
        "function": "bevoelkerungsschutz",
        "title": "Beschaffung strategisch planen und Vorsorge treffen",
        "finding": (
            "Schutzausrüstung war im ersten Lockdown kaum zu bekommen. Früh bestellte Vorräte, "
            "vereinfachte Vergabeverfahren und vorbereitete Rahmenverträge haben den Unterschied "
            "gemacht."
        ),
        "cause": "Vorsorge hatte gegenüber der Reaktion wenig Gewicht; Vergaberegeln waren nicht krisentauglich.",
        "codes": ["faehigkeiten:ausstattung", "faehigkeiten:prozesse", "themen:krisenstab"],
        "evidence": ["o05", "o03", "o56", "o64"],
    },
    {
        "key": "l14", "city": "E", "visibility": "netzwerk", "status": "erkannt", "phase": 5,
        "function": "personalamt",
        "title": "Krisenwissen personenunabhängig sichern",
        "finding": (
            "Wissen darüber, wie Krise geht, hängt an wenigen Personen, von denen viele bald in "
            "den Ruhestand gehen. Kompetenzdatenbanken und dokumentierte Rollen helfen, Wissen und "
            "Erfahrung weiterzugeben."
        ),
        "cause": "Demografischer Wandel und „Krisendemenz“: Erfahrungen verblassen nach der Krise schnell.",
        "codes": ["themen:personal", "faehigkeiten:uebung-training", "faehigkeiten:personal"],
        "evidence": ["o58", "o36", "o47", "o62"],
    },
    {
        "key": "l15", "city": "K", "visibility": "netzwerk", "status": "ueberprueft", "phase": 4,
        "function": "gesundheitsamt",
        "title": "Die Impfkampagne als kommunale Großorganisation begreifen",
        "finding": (
            "Aufbau und Betrieb von Impf- und Testzentren verlangten Logistik, Personal und "
            "Abstimmung über mehrere Ämter hinweg. Wo Abläufe wie bei einer Großveranstaltung "
            "geplant wurden, lief es am besten; aufsuchende Angebote kamen oft zu spät."
        ),
        "cause": "Neue Aufgabe ohne Vorbild; viele Schnittstellen zwischen Ämtern und externen Partnern.",
        "codes": ["themen:impf-und-testangebote", "themen:vulnerable-gruppen", "faehigkeiten:organisation"],
        "evidence": ["o34", "o35", "o33", "o37", "o40"],
    },
    {
        "key": "l16", "city": "DO", "visibility": "netzwerk", "status": "erkannt", "phase": 1,
        "function": "verwaltungsfuehrung",
        "title": "Zuständigkeiten zwischen Bund, Land und Kommune klären",
        "finding": (
            "Zuständigkeitsstreit und abgelehnte Verantwortung zwischen den Ebenen kosteten Zeit. "
            "Kommunale Expertise wurde von Land und Bund kaum abgefragt, obwohl die Kommunen jede "
            "Maßnahme vor Ort umsetzen mussten."
        ),
        "cause": "Die Lage wurde auf Bundes- und Landesebene definiert; Kommunen wurden vor Entscheidungen selten gehört.",
        "codes": ["themen:ebenen", "themen:verordnungen"],
        "evidence": ["o10", "o25", "o20", "o13"],
    },
    {
        "key": "l17", "city": "DO", "visibility": "oeffentlich", "status": "erkannt", "phase": 5,
        "function": "krisenstab",
        "title": "Krisenstäbe für lang andauernde Lagen aufstellen",
        "finding": (
            "Krisenstäbe sind auf kurze, örtliche Lagen ausgelegt. In der über zwei Jahre "
            "dauernden Pandemie und in der anschließenden Vorsorge für eine Gasmangellage mussten "
            "Schichtsysteme, Vertretungen, Ablösung und Rotation der Stabsfunktionen für eine lang "
            "andauernde Lage erst erfunden werden."
        ),
        "cause": (
            "Es gab keine Planung für einen monatelangen Dauerbetrieb des Krisenstabs; "
            "Stabsfunktionen waren an wenige Personen gebunden, Kriterien für Ablösung fehlten."
        ),
        "codes": ["themen:krisenstab", "themen:personal", "faehigkeiten:organisation", "gefahren:energiemangellage"],
        "evidence": ["o42", "o44", "o47"],
    },
    {
        "key": "l18", "city": "K", "visibility": "oeffentlich", "status": "erkannt", "phase": 5,
        "function": "personalamt",
        "title": "Überlastung weniger Leistungsträger in lang andauernden Lagen vermeiden",
        "finding": (
            "Auch in der Vorsorge für die Gasmangellage trugen wieder dieselben wenigen "
            "Leistungsträgerinnen und Leistungsträger die Hauptlast. Überlastung wurde erneut "
            "nicht systematisch beobachtet; eine Personalreserve für die lang andauernde Lage fehlte."
        ),
        "cause": "Die Erkenntnis aus der Pandemie wurde nicht in eine Maßnahme mit Verantwortung übersetzt; Verantwortung blieb an wenige Personen gebunden.",
        "codes": ["themen:personal", "themen:beschaeftigte", "faehigkeiten:personal", "gefahren:energiemangellage"],
        "evidence": ["o48", "o42"],
    },
]

# Lifecycle details of demo lessons that are validated or embedded (see the lesson lifecycle).
LESSON_LIFECYCLE = {
    "l06": {"validated_on": "2024-03-12", "validation_method": "nachbetrachtung", "recheck_due": "2027-03-31",
            "validation_result": "Die Thementeams wurden in der Hochwasserlage 2024 erneut eingesetzt und haben sich bewährt."},
    "l07": {"validated_on": "2023-11-20", "validation_method": "audit", "recheck_due": "2026-12-31",
            "validation_result": "Das Werkzeug zum Vergleich von Verordnungsfassungen ist im Regelbetrieb und dokumentiert."},
    "l15": {"validated_on": "2024-05-06", "validation_method": "uebung",
            "validation_result": "Eine Stabsrahmenübung zum Aufbau eines Impfzentrums hat die Abläufe bestätigt."},
}

# --------------------------------------------------------------------------------------
# Recommendations: lessons are lesson keys
# --------------------------------------------------------------------------------------

RECOMMENDATIONS = [
    {
        "key": "r01", "city": "E", "visibility": "netzwerk", "addressee": "kommune",
        "function": "krisenstab",
        "title": "Aktivierung und Rückführung des Krisenstabs verbindlich regeln",
        "text": (
            "Legen Sie fest, welche Anzeichen eine vorbereitende Beobachtung und welche eine "
            "Aktivierung des Krisenstabs auslösen. Planen Sie ebenso von Beginn an Kriterien und "
            "eine Checkliste für die Rückführung in die Regelorganisation, einschließlich der "
            "Übergabe offener Aufgaben."
        ),
        "codes": ["themen:krisenstab", "faehigkeiten:prozesse"],
        "lessons": ["l02", "l03", "l01"],
    },
    {
        "key": "r02", "city": "E", "visibility": "netzwerk", "addressee": "kommune",
        "function": "personalamt",
        "title": "Flexible Personalreserve und Kompetenzdatenbank aufbauen",
        "text": (
            "Bauen Sie eine Personalreserve aus geschulten Beschäftigten auf, die im Krisenfall "
            "kurzfristig eingesetzt werden kann, und erfassen Sie krisenrelevante Kompetenzen in "
            "einer Datenbank. Fordern Sie Verstärkung früh an und sorgen Sie für Einarbeitung."
        ),
        "codes": ["themen:personal", "faehigkeiten:personal"],
        "lessons": ["l04", "l14"],
    },
    {
        "key": "r03", "city": "K", "visibility": "netzwerk", "addressee": "kommune",
        "function": "personalamt",
        "title": "Belastung beobachten und psychosoziale Unterstützung anbieten",
        "text": (
            "Richten Sie für lange Lagen ein Belastungsmonitoring ein, das Überstunden und "
            "Einsatzdauer sichtbar macht, ohne Einzelne bloßzustellen. Bieten Sie psychosoziale "
            "Unterstützung an und klären Sie Ausgleich und Anerkennung vorab."
        ),
        "codes": ["themen:beschaeftigte", "faehigkeiten:personal"],
        "lessons": ["l04"],
    },
    {
        "key": "r04", "city": "GE", "visibility": "netzwerk", "addressee": "kommune",
        "function": "krisenstab",
        "title": "Fachteams mit Fach- und Krisenkompetenz bilden",
        "text": (
            "Bilden Sie für lange Lagen eigenverantwortliche Thementeams, die Fachwissen und "
            "Krisenkompetenz verbinden, und klären Sie ihre Zuständigkeiten vorab. Rechnen Sie mit "
            "Reibung durch unterschiedliche Fachsprachen und planen Sie Zeit für Abstimmung ein."
        ),
        "codes": ["themen:krisenstab", "themen:aemteruebergreifend", "faehigkeiten:organisation"],
        "lessons": ["l05", "l06"],
    },
    {
        "key": "r05", "city": "D", "visibility": "oeffentlich", "addressee": "land",
        "function": "ordnungsamt",
        "title": "Verordnungen mit Vorlauf und Änderungsübersicht veröffentlichen",
        "text": (
            "Das Land sollte neue Fassungen von Schutzverordnungen mit angemessener Umsetzungsfrist "
            "und einer Synopse der Änderungen veröffentlichen. Jede Maßnahme sollte so gefasst "
            "sein, dass Kommunen sie erklären und kontrollieren können."
        ),
        "codes": ["themen:verordnungen", "themen:ebenen"],
        "lessons": ["l07", "l16", "l12"],
    },
    {
        "key": "r06", "city": "K", "visibility": "netzwerk", "addressee": "bund",
        "function": "gesundheitsamt",
        "title": "Digitale Werkzeuge gemeinsam mit der kommunalen Praxis entwickeln",
        "text": (
            "Software für Gesundheitsämter und Krisenstäbe sollte mit den Anwenderinnen und "
            "Anwendern vor Ort entwickelt und an deutsche Verwaltungsabläufe angepasst werden, "
            "bevor sie verbindlich wird."
        ),
        "codes": ["themen:lagebild", "faehigkeiten:ausstattung"],
        "lessons": ["l08"],
    },
    {
        "key": "r07", "city": "GE", "visibility": "netzwerk", "addressee": "kommune",
        "function": "presse",
        "title": "Bürgertelefon mit verwaltungskundigem Personal besetzen",
        "text": (
            "Besetzen Sie das Bürgertelefon mit Beschäftigten, die die eigene Verwaltung kennen, "
            "und ergänzen Sie es bei Bedarf durch einen externen Dienstleister. Planen Sie "
            "mehrsprachige und analoge Informationswege für schwer erreichbare Gruppen ein."
        ),
        "codes": ["themen:buergerkommunikation", "themen:vulnerable-gruppen"],
        "lessons": ["l11"],
    },
    {
        "key": "r08", "city": "DO", "visibility": "netzwerk", "addressee": "kommune",
        "function": "bevoelkerungsschutz",
        "title": "Strategische Beschaffung und Bevorratung von Schutzausrüstung",
        "text": (
            "Halten Sie einen Grundvorrat an Schutzausrüstung vor, schließen Sie Rahmenverträge "
            "vor der Krise und vereinbaren Sie vereinfachte Vergabewege für den Krisenfall."
        ),
        "codes": ["faehigkeiten:ausstattung", "faehigkeiten:prozesse"],
        "lessons": ["l13", "l02"],
    },
    {
        "key": "r09", "city": "E", "visibility": "netzwerk", "addressee": "land",
        "function": "verwaltungsfuehrung",
        "title": "Kommunale Expertise in Krisenentscheidungen einbeziehen",
        "text": (
            "Land und Bund sollten die Kommunen vor Entscheidungen anhören, die vor Ort umgesetzt "
            "werden müssen, und Zuständigkeiten für lange Lagen klar festlegen. Die Städte können "
            "dafür gemeinsame Forderungen formulieren."
        ),
        "codes": ["themen:ebenen"],
        "lessons": ["l16", "l01"],
    },
    {
        "key": "r10", "city": "D", "visibility": "netzwerk", "addressee": "kommune",
        "function": "verwaltungsfuehrung",
        "title": "Interkommunale und ämterübergreifende Netzwerke vor der Krise pflegen",
        "text": (
            "Pflegen Sie regelmäßigen Austausch mit Nachbarkommunen und zwischen den Ämtern, "
            "auch mit externen Fachleuten. Übungen und gemeinsame Reflexionsräume helfen, die "
            "Köpfe vor der nächsten Krise zu kennen."
        ),
        "codes": ["themen:aemteruebergreifend", "themen:externe-expertise", "faehigkeiten:uebung-training"],
        "lessons": ["l09", "l10"],
    },
    {
        "key": "r11", "city": "DO", "visibility": "oeffentlich", "addressee": "bund",
        "function": "bevoelkerungsschutz",
        "title": "Bevölkerungsschutz und Selbsthilfefähigkeit stärken",
        "text": (
            "Der Bund sollte mehr in Bevölkerungsschutz und die Vorsorge der Bürgerinnen und "
            "Bürger investieren. Vorsorge entlastet Kommunen in jeder Lage – von der Pandemie bis "
            "zum Stromausfall."
        ),
        "codes": ["faehigkeiten:ausstattung", "gefahren:stromausfall", "gefahren:energiemangellage"],
        "lessons": ["l13", "l11"],
    },
]

# --------------------------------------------------------------------------------------
# Good practices (factsheets)
# --------------------------------------------------------------------------------------

GOOD_PRACTICES = [
    {
        "key": "g01", "city": "GE", "visibility": "netzwerk", "phase": 3, "function": "krisenstab",
        "title": "Szenariobeauftragte im Krisenstab",
        "problem": "Jede neue Verordnung verlangte binnen Stunden Antworten darauf, was sie für Veranstaltungen, Märkte oder Schulen bedeutet.",
        "solution": "Eine Person im Krisenstab ist allein dafür zuständig, Musterszenarien vorzubereiten und bei neuen Vorgaben anzupassen.",
        "results": "Der Krisenstab konnte bei neuen Regeln auf vorbereitete Szenarien zurückgreifen und schneller entscheiden.",
        "transferability": "Gut übertragbar; geeignet für jede lang andauernde Lage mit wechselnden Vorgaben.",
        "codes": ["themen:krisenstab", "faehigkeiten:prozesse"],
        "sources": ["synthese"],
    },
    {
        "key": "g02", "city": "E", "visibility": "netzwerk", "phase": 4, "function": "personalamt",
        "title": "Kompetenzdatenbank für den Personaleinsatz",
        "problem": "Für Impfzentren, Bürgertelefon und Kontaktnachverfolgung wurden schnell Beschäftigte mit bestimmten Fähigkeiten gebraucht.",
        "solution": "Das Personalamt erfasst freiwillig angegebene Kompetenzen (z. B. Fremdsprachen, Logistik, Telefonberatung) in einer durchsuchbaren Datenbank.",
        "results": "Kräfte ließen sich gezielt und schneller einsetzen; Einarbeitungszeiten sanken.",
        "transferability": "Übertragbar; Datenschutz und Mitbestimmung sind früh einzubinden.",
        "codes": ["themen:personal", "faehigkeiten:personal"],
        "sources": ["synthese"],
    },
    {
        "key": "g03", "city": "DO", "visibility": "netzwerk", "phase": 2, "function": "personalamt",
        "title": "Flexible Personalreserve",
        "problem": "Dieselben wenigen Beschäftigten trugen über Monate die Hauptlast der Krise.",
        "solution": "Ein Pool geschulter Beschäftigter aus allen Bereichen, die sich freiwillig melden und im Krisenfall für begrenzte Zeit abgeordnet werden.",
        "results": "Die Belastung verteilte sich auf mehr Schultern; Abordnungen konnten geplant werden.",
        "transferability": "Übertragbar; setzt Rückhalt der Verwaltungsführung und klare Regeln zur Rückkehr voraus.",
        "codes": ["themen:personal", "themen:beschaeftigte", "faehigkeiten:personal"],
        "sources": ["synthese", "befragung"],
    },
    {
        "key": "g04", "city": "K", "visibility": "oeffentlich", "phase": 4, "function": "krisenstab",
        "title": "Impfzentrum mit einem Event-Start-up",
        "problem": "Ein Impfzentrum für Tausende Menschen am Tag musste innerhalb weniger Wochen entstehen.",
        "solution": "Die Stadt hat Impfzentrum und digitalen Check-in gemeinsam mit einem Start-up aus der Logistik- und Veranstaltungsbranche aufgebaut.",
        "results": "Einlass und Wartezeiten ließen sich wie bei einer Großveranstaltung steuern; die Verwaltung lernte viel über Besucherlenkung.",
        "transferability": "Übertragbar auf Großlagen mit vielen Menschen, etwa Notunterkünfte oder Verteilstellen.",
        "codes": ["themen:impf-und-testangebote", "themen:externe-expertise"],
        "sources": ["synthese"],
    },
    {
        "key": "g05", "city": "DO", "visibility": "netzwerk", "phase": 2, "function": "ordnungsamt",
        "title": "Gemischte Streifen von Polizei und Ordnungsdienst",
        "problem": "Kontrollen der Corona-Regeln überforderten den Ordnungsdienst und stießen auf wachsenden Widerstand.",
        "solution": "Polizei und kommunaler Ordnungsdienst gingen gemeinsam auf Streife und stimmten Schwerpunkte ab.",
        "results": "Kontrollen wurden einfacher und besser akzeptiert; die Behörden lernten die Arbeitsweise der jeweils anderen kennen.",
        "transferability": "Übertragbar; erfordert Absprachen zu Zuständigkeiten und Einsatzführung.",
        "codes": ["themen:aemteruebergreifend", "themen:verordnungen"],
        "sources": ["synthese", "interview-ordnung"],
    },
    {
        "key": "g06", "city": "GE", "visibility": "netzwerk", "phase": 4, "function": "presse",
        "title": "Bürgertelefon mit Beschäftigten der eigenen Verwaltung",
        "problem": "Tausende Anrufe zu Regeln, Tests und Impfungen; externe Callcenter kannten die Zuständigkeiten nicht.",
        "solution": "Beschäftigte aus verschiedenen Ämtern besetzten das Bürgertelefon, unterstützt durch eine laufend aktualisierte Wissenssammlung.",
        "results": "Viele Anliegen konnten im ersten Gespräch geklärt werden; Weiterleitungen nahmen ab.",
        "transferability": "Gut übertragbar; lässt sich bei Spitzen mit einem externen Dienstleister kombinieren.",
        "codes": ["themen:buergerkommunikation", "faehigkeiten:kommunikation"],
        "sources": ["synthese"],
    },
    {
        "key": "g07", "city": "D", "visibility": "oeffentlich", "phase": 3, "function": "verwaltungsfuehrung",
        "title": "Änderungsverfolgung für Landesverordnungen",
        "problem": "Die Coronaschutzverordnung erschien fast wöchentlich neu; Änderungen mussten mühsam von Hand gesucht werden.",
        "solution": "Ein einfaches Werkzeug vergleicht zwei Fassungen und markiert jede Textänderung; die Ergebnisse gehen direkt an die betroffenen Ämter.",
        "results": "Die Auswertung einer neuen Fassung dauerte Minuten statt Stunden; Fehler durch übersehene Änderungen wurden seltener.",
        "transferability": "Sehr gut übertragbar auf alle häufig geänderten Erlasse und Verordnungen.",
        "codes": ["themen:verordnungen", "faehigkeiten:prozesse"],
        "sources": ["synthese", "verordnungen"],
    },
    {
        "key": "g08", "city": "E", "visibility": "netzwerk", "phase": 2, "function": "presse",
        "title": "Intranetseiten als zentrale Informationsquelle",
        "problem": "Beschäftigte waren unsicher, welche Regeln für Homeoffice, Schutzmaßnahmen und Dienstbetrieb gerade galten.",
        "solution": "Eigene Intranetseiten bündelten alle internen Regelungen, Ansprechstellen und häufigen Fragen, täglich gepflegt.",
        "results": "Weniger Rückfragen an den Krisenstab, einheitlicher Informationsstand im ganzen Haus.",
        "transferability": "Übertragbar; braucht eine feste Redaktion und klare Freigabewege.",
        "codes": ["themen:interne-kommunikation", "faehigkeiten:kommunikation"],
        "sources": ["synthese"],
    },
    {
        "key": "g09", "city": "K", "visibility": "netzwerk", "phase": 2, "function": "gesundheitsamt",
        "title": "Corona-Dashboard als digitales Lagebild",
        "problem": "Lagedaten lagen verteilt in Listen von Gesundheitsamt, Kliniken und Impfzentren.",
        "solution": "Ein Dashboard führte Infektionen, Todesfälle, Impfungen, Inzidenzen und Intensivbelegung täglich zusammen.",
        "results": "Krisenstab und Verwaltungsführung arbeiteten mit einem gemeinsamen Lagebild.",
        "transferability": "Übertragbar auf andere Lagen, etwa Hitze oder Energiemangellage, wenn die Datenquellen früh geklärt sind.",
        "codes": ["themen:lagebild", "faehigkeiten:ausstattung", "gefahren:hitze"],
        "sources": ["synthese"],
    },
]
