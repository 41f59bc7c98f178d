"""Demo knowledge beyond the pandemic: flood, cyber attack, gas shortage, heat and power cut.

Written for this platform in our own words from public facts (sources below, each cited on
the items). Which partner city an item is attributed to is illustrative only: the cities
did not necessarily experience these events themselves; most items record what a city
took from the public reports about an event elsewhere, or from a demo exercise. Items
marked "(Demo)" describe invented exercise results. No real personal data.

Conventions as in :mod:`.content`, except that every item names its crisis (``crisis``
key of ``CRISES`` or ``None``) and gets only the hazard codes listed explicitly (no
``gefahren:pandemie``). Keys start with ``h-`` so they never collide with the pandemic
items' keys.
"""

from datetime import date

CRISES = [
    {
        "key": "flut-2021",
        "title": "Hochwasser Juli 2021 (Ahr und Nordrhein-Westfalen)",
        "hazard_type": "Starkregen",
        "start": date(2021, 7, 14),
        "end": date(2021, 8, 31),
        "description": (
            "Extremer Starkregen am 14. und 15. Juli 2021 führte an Ahr, Erft, Rur, Inde, Wupper und "
            "Volme zu Sturzfluten und Hochwasser. Allein im Ahrtal starben 135 Menschen, in "
            "Nordrhein-Westfalen 49; Brücken, Straßen, Strom-, Wasser- und Telefonnetze wurden zerstört."
        ),
    },
    {
        "key": "cyber-anhalt-bitterfeld-2021",
        "title": "Cyberangriff auf die Kreisverwaltung Anhalt-Bitterfeld 2021",
        "hazard_type": "Cyber",
        "start": date(2021, 7, 6),
        "end": date(2022, 1, 31),
        "description": (
            "Ein Angriff mit Erpressungssoftware verschlüsselte im Juli 2021 die IT der Kreisverwaltung. "
            "Der Landkreis rief den Katastrophenfall aus – der erste wegen eines Cyberangriffs in "
            "Deutschland – und arbeitete über 200 Tage im Not- und Wiederaufbaubetrieb."
        ),
    },
    {
        "key": "gas-2022",
        "title": "Gasmangellage 2022/23 (Vorsorge)",
        "hazard_type": "Energie",
        "start": date(2022, 3, 30),
        "end": date(2023, 4, 15),
        "description": (
            "Nach dem russischen Angriff auf die Ukraine rief die Bundesregierung am 30. März 2022 die "
            "Frühwarnstufe und am 23. Juni 2022 die Alarmstufe des Notfallplans Gas aus. Kommunen "
            "sparten Energie, planten Wärmeinseln und bereiteten sich auf eine Gasmangellage vor."
        ),
    },
    {
        "key": "hitze-2022",
        "title": "Hitzesommer 2022",
        "hazard_type": "Hitze",
        "start": date(2022, 6, 15),
        "end": date(2022, 8, 31),
        "description": (
            "Mehrere Hitzewellen; das Robert Koch-Institut schätzt für 2022 rund 4.500 hitzebedingte "
            "Sterbefälle in Deutschland, vor allem bei älteren Menschen."
        ),
    },
    {
        "key": "stromausfall-koepenick-2019",
        "title": "Stromausfall Berlin-Köpenick 2019",
        "hazard_type": "Stromausfall",
        "start": date(2019, 2, 19),
        "end": date(2019, 2, 20),
        "description": (
            "Bei Bauarbeiten wurden zwei Hochspannungskabel beschädigt; rund 31.000 Haushalte und "
            "2.000 Betriebe im Südosten Berlins waren etwa 31 Stunden ohne Strom."
        ),
    },
]

SOURCES = {
    "flut-dkkv": {
        "kind": "document",
        "title": "DKKV: Die Flutkatastrophe im Juli 2021 in Deutschland – Ein Jahr danach",
        "citation": ("Deutsches Komitee Katastrophenvorsorge (DKKV): Die Flutkatastrophe im Juli 2021 in "
                     "Deutschland. Ein Jahr danach: Aufarbeitung und erste Lehren für die Zukunft. "
                     "DKKV-Schriftenreihe Nr. 62, Bonn 2022 (Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2022, 7, 1),
    },
    "flut-bmi": {
        "kind": "document",
        "title": "Bericht zur Hochwasserkatastrophe 2021 (BMI/BMF)",
        "citation": ("Bundesministerium des Innern und für Heimat / Bundesministerium der Finanzen: Bericht "
                     "zur Hochwasserkatastrophe 2021: Katastrophenhilfe, Wiederaufbau und "
                     "Evaluierungsprozesse, 2022 (Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2022, 6, 1),
    },
    "cyber-bsi": {
        "kind": "document",
        "title": "BSI: Die Lage der IT-Sicherheit in Deutschland 2021",
        "citation": ("Bundesamt für Sicherheit in der Informationstechnik: Die Lage der IT-Sicherheit in "
                     "Deutschland 2021 (Fall Anhalt-Bitterfeld); öffentliche Mitteilungen des Landkreises "
                     "Anhalt-Bitterfeld 2021/22 (Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2021, 10, 21),
    },
    "gas-bund": {
        "kind": "document",
        "title": "Notfallplan Gas und Energiesparverordnung 2022",
        "citation": ("Bundesministerium für Wirtschaft und Klimaschutz: Mitteilungen zur Frühwarnstufe "
                     "(30.03.2022) und Alarmstufe (23.06.2022) des Notfallplans Gas; Verordnung zur "
                     "Sicherung der Energieversorgung über kurzfristig wirksame Maßnahmen (EnSikuMaV), "
                     "in Kraft ab 01.09.2022 (Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2022, 9, 1),
    },
    "hitze-bund": {
        "kind": "document",
        "title": "Handlungsempfehlungen für Hitzeaktionspläne (Bund/Länder 2017)",
        "citation": ("Bund/Länder-Ad-hoc-Arbeitsgruppe: Handlungsempfehlungen für die Erstellung von "
                     "Hitzeaktionsplänen zum Schutz der menschlichen Gesundheit, Bundesgesundheitsblatt "
                     "2017; Robert Koch-Institut, Schätzungen der hitzebedingten Mortalität 2022 "
                     "(Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2017, 3, 24),
    },
    "strom-tab": {
        "kind": "document",
        "title": "TAB: Ausfall der Stromversorgung (Bundestags-Drucksache 17/5672)",
        "citation": ("Büro für Technikfolgen-Abschätzung beim Deutschen Bundestag: Gefährdung und "
                     "Verletzbarkeit moderner Gesellschaften – am Beispiel eines großräumigen und lang "
                     "andauernden Ausfalls der Stromversorgung, BT-Drs. 17/5672, 2011; Berichte zum "
                     "Stromausfall in Berlin-Köpenick im Februar 2019 (Demo-Zusammenfassung in eigenen Worten)"),
        "date": date(2011, 4, 27),
    },
    "uebung-strom": {
        "kind": "document",
        "title": "Stabsrahmenübung „Stromausfall 72 Stunden“ (Demo)",
        "citation": "Erfundene Demo-Übung nach dem Muster der TAB-Studie BT-Drs. 17/5672; keine reale Auswertung.",
        "date": date(2024, 10, 17),
    },
}

# Observations: (key, city, kind, crisis, department function, visibility, source, codes, text)
OBSERVATIONS = [
    # Flood, July 2021
    ("h-o01", "K", "herausforderung", "flut-2021", "bevoelkerungsschutz", "oeffentlich", "flut-dkkv",
     ["gefahren:hochwasser-starkregen", "themen:buergerkommunikation", "faehigkeiten:kommunikation"],
     "Bei der Flut im Juli 2021 lagen Unwetter- und Hochwasserwarnungen Tage vorher vor, doch die "
     "Warnkette riss bis zur Bevölkerung: Sirenen waren vielerorts abgebaut, Warn-Apps erreichten "
     "nicht alle, und die Meldungen sagten nicht, was zu tun ist."),
    ("h-o02", "DO", "erfahrung", "flut-2021", "feuerwehr", "oeffentlich", "flut-dkkv",
     ["gefahren:hochwasser-starkregen", "themen:lagebild", "faehigkeiten:ausstattung"],
     "Der Pegel Altenahr fiel in der Flutnacht aus, nachdem er Höchststände weit über allen bisher "
     "gemessenen Werten angezeigt hatte. Die Stäbe mussten die Hochwasserlage ohne Messwerte und mit "
     "Lücken im Lagebild führen."),
    ("h-o03", "E", "gelingensfaktor", "flut-2021", "bevoelkerungsschutz", "netzwerk", "flut-bmi",
     ["gefahren:hochwasser-starkregen", "themen:externe-expertise", "faehigkeiten:organisation"],
     "Nach der Flut kamen Zehntausende Spontanhelfende ins Ahrtal. Wo ein Helfer-Shuttle sie "
     "sammelte, einteilte und zu den Einsatzstellen brachte, war ihre Hilfe wirksam; ohne "
     "Koordination verstopften sie Zufahrten zu den überfluteten Orten."),
    ("h-o04", "K", "verbesserungspotenzial", "flut-2021", "bevoelkerungsschutz", "intern", "flut-dkkv",
     ["gefahren:hochwasser-starkregen", "themen:vulnerable-gruppen", "faehigkeiten:prozesse"],
     "Interne Prüfung nach der Flut 2021 (Demo): Der Evakuierungsplan für Pflegeeinrichtungen in den "
     "Überschwemmungsgebieten am Rhein war veraltet; Transportkapazitäten für liegende Personen waren "
     "nicht vereinbart."),
    ("h-o05", "D", "herausforderung", "flut-2021", "krisenstab", "netzwerk", "flut-bmi",
     ["gefahren:hochwasser-starkregen", "themen:krisenstab", "faehigkeiten:ausstattung"],
     "Das Hochwasser zerstörte Strom-, Trinkwasser- und Mobilfunknetze, Straßen und Brücken. Die "
     "Einsatzleitungen in den betroffenen Orten waren zeitweise von der Kommunikation abgeschnitten; "
     "in Erftstadt-Blessem und unterhalb der Steinbachtalsperre musste kurzfristig evakuiert werden."),
    ("h-o22", "DO", "erfahrung", "flut-2021", "krisenstab", "netzwerk", "flut-bmi",
     ["gefahren:hochwasser-starkregen", "themen:buergerkommunikation", "faehigkeiten:organisation"],
     "Beim Hochwasser 2021 meldeten sich über soziale Medien Hunderte Freiwillige direkt beim Krisenstab. "
     "Eine Stelle, die Spontanhelfende registriert und einteilt, gab es nicht; die Anrufe banden Stabspersonal."),
    # Cyber attack, Anhalt-Bitterfeld 2021
    ("h-o06", "GE", "erfahrung", "cyber-anhalt-bitterfeld-2021", "verwaltungsfuehrung", "oeffentlich", "cyber-bsi",
     ["gefahren:cyber", "themen:krisenstab", "faehigkeiten:ausstattung"],
     "Im Juli 2021 verschlüsselte eine Erpressungssoftware die IT der Kreisverwaltung Anhalt-Bitterfeld. "
     "Der Landkreis rief den Katastrophenfall aus – zum ersten Mal in Deutschland wegen eines "
     "Cyberangriffs –, um schneller handeln und Hilfe anfordern zu können."),
    ("h-o07", "D", "herausforderung", "cyber-anhalt-bitterfeld-2021", "verwaltungsfuehrung", "netzwerk", "cyber-bsi",
     ["gefahren:cyber", "themen:vulnerable-gruppen", "faehigkeiten:prozesse"],
     "Nach dem Cyberangriff auf Anhalt-Bitterfeld konnten Sozialleistungen, Elterngeld und "
     "Unterhaltsvorschuss wochenlang nicht wie gewohnt ausgezahlt werden; Kfz-Zulassung und andere "
     "Bürgerdienste fielen aus. Die Verwaltung arbeitete mit Papier und Behelfslösungen."),
    ("h-o08", "DO", "verbesserungspotenzial", "cyber-anhalt-bitterfeld-2021", "verwaltungsfuehrung", "netzwerk", "cyber-bsi",
     ["gefahren:cyber", "faehigkeiten:ausstattung", "faehigkeiten:uebung-training"],
     "Die Auswertung des Angriffs zeigt: Ohne getrennt aufbewahrte Datensicherungen, ein geübtes "
     "IT-Notfallhandbuch und vorab geklärte Hilfe durch BSI und Landes-CERT dauert der Wiederaufbau "
     "der Verwaltungs-IT Monate. Erbeutete Daten wurden zudem im Darknet veröffentlicht."),
    ("h-o09", "E", "verbesserungspotenzial", "cyber-anhalt-bitterfeld-2021", "krisenstab", "intern", "cyber-bsi",
     ["gefahren:cyber", "themen:interne-kommunikation", "faehigkeiten:kommunikation"],
     "Interne Prüfung nach dem Fall Anhalt-Bitterfeld (Demo): Die Alarmierungs- und Telefonlisten des "
     "Krisenstabs liegen nur im Netzlaufwerk vor; bei einem IT-Ausfall wären sie nicht erreichbar."),
    # Gas shortage 2022
    ("h-o10", "E", "erfahrung", "gas-2022", "krisenstab", "netzwerk", "gas-bund",
     ["gefahren:energiemangellage", "themen:vulnerable-gruppen", "faehigkeiten:organisation"],
     "Mit der Alarmstufe des Notfallplans Gas im Juni 2022 plante der Krisenstab Wärmeinseln in "
     "Turnhallen und Bürgerhäusern, prüfte deren Notstromversorgung und legte fest, wie Menschen in "
     "ungeheizten Wohnungen erreicht werden."),
    ("h-o11", "D", "gelingensfaktor", "gas-2022", "verwaltungsfuehrung", "oeffentlich", "gas-bund",
     ["gefahren:energiemangellage", "faehigkeiten:prozesse"],
     "Die Energiesparverordnung ab September 2022 (Arbeitsräume in öffentlichen Gebäuden höchstens "
     "19 Grad, keine Anstrahlung von Gebäuden und Denkmälern) wurde in allen Dienstgebäuden umgesetzt; "
     "ein monatlicher Gas- und Stromverbrauchsbericht machte die Einsparung sichtbar."),
    ("h-o12", "K", "herausforderung", "gas-2022", "krisenstab", "netzwerk", "gas-bund",
     ["gefahren:energiemangellage", "themen:ebenen", "faehigkeiten:prozesse"],
     "Welche Einrichtungen bei einer Gasmangellage als geschützte Kunden weiter versorgt würden und wer "
     "zuerst abgeschaltet wird, war vor Ort lange unklar. Die Abstimmung mit Stadtwerken und "
     "Netzbetreiber über Versorgungsprioritäten dauerte Wochen."),
    ("h-o13", "GE", "herausforderung", "gas-2022", "presse", "netzwerk", "gas-bund",
     ["gefahren:energiemangellage", "gefahren:stromausfall", "themen:buergerkommunikation"],
     "Im Herbst 2022 kauften viele Haushalte elektrische Heizlüfter. Die Stadt musste erklären, warum "
     "deren gleichzeitiger Betrieb bei einer Gasmangellage das Stromnetz überlasten kann."),
    # Heat
    ("h-o14", "K", "erfahrung", "hitze-2022", "gesundheitsamt", "oeffentlich", "hitze-bund",
     ["gefahren:hitze", "themen:vulnerable-gruppen"],
     "Das Robert Koch-Institut schätzt für den Sommer 2022 rund 4.500 hitzebedingte Sterbefälle in "
     "Deutschland, überwiegend bei Menschen über 75 Jahren. Hitze ist damit eine der tödlichsten "
     "Naturgefahren für Städte."),
    ("h-o15", "DO", "gelingensfaktor", "hitze-2022", "gesundheitsamt", "netzwerk", "hitze-bund",
     ["gefahren:hitze", "themen:vulnerable-gruppen", "faehigkeiten:kommunikation"],
     "Das Gesundheitsamt leitete die Hitzewarnungen des Deutschen Wetterdienstes sofort an "
     "Pflegeeinrichtungen, Kitas, Pflegedienste und die Wohnungslosenhilfe weiter, jeweils mit einer "
     "kurzen Checkliste für Trinken, Kühlung und Beobachtung."),
    ("h-o16", "GE", "verbesserungspotenzial", "hitze-2022", "presse", "netzwerk", "hitze-bund",
     ["gefahren:hitze", "themen:buergerkommunikation", "themen:vulnerable-gruppen"],
     "Kühle Orte – klimatisierte Bibliotheken, Kirchen, Bürgerbüros – gab es, aber kaum jemand kannte "
     "sie. Eine Karte mit Öffnungszeiten und Trinkwasserstellen fehlte im Hitzesommer."),
    ("h-o17", "D", "herausforderung", "hitze-2022", "ordnungsamt", "intern", "hitze-bund",
     ["gefahren:hitze", "themen:vulnerable-gruppen"],
     "Interner Vermerk (Demo): Wohnungslose Menschen wurden bei Hitze vom Ordnungsdienst mehrfach mit "
     "Kreislaufproblemen angetroffen; eine Ausgabe von Trinkwasser war nicht organisiert."),
    # Power cut
    ("h-o18", "K", "erfahrung", "stromausfall-koepenick-2019", "bevoelkerungsschutz", "oeffentlich", "strom-tab",
     ["gefahren:stromausfall", "themen:buergerkommunikation", "themen:vulnerable-gruppen"],
     "Beim Stromausfall in Berlin-Köpenick 2019 waren rund 31.000 Haushalte etwa 31 Stunden ohne Strom. "
     "Krankenhäuser liefen auf Notstrom, Intensivpatienten wurden verlegt; die Bevölkerung wurde über "
     "Lautsprecherwagen, Radio und Anlaufstellen informiert."),
    ("h-o19", "GE", "herausforderung", None, "krisenstab", "netzwerk", "uebung-strom",
     ["gefahren:stromausfall", "themen:krisenstab", "faehigkeiten:ausstattung"],
     "In der Stabsrahmenübung „Stromausfall 72 Stunden“ (Demo) zeigte sich: Das Notstromaggregat am "
     "Stabsraum hätte nur 24 Stunden gereicht, weil kein Vertrag für die Nachbetankung mit Diesel bestand."),
    ("h-o20", "E", "verbesserungspotenzial", None, "bevoelkerungsschutz", "netzwerk", "strom-tab",
     ["gefahren:stromausfall", "themen:vulnerable-gruppen", "faehigkeiten:organisation"],
     "Die TAB-Studie des Bundestages beschreibt, wie bei einem großflächigen Stromausfall nach wenigen "
     "Stunden Mobilfunk und Festnetz, nach Tagen Trinkwasser und Abwasser ausfallen. Wer keinen Notruf "
     "absetzen kann, braucht erreichbare Anlaufstellen."),
    ("h-o21", "DO", "gelingensfaktor", None, "feuerwehr", "netzwerk", "uebung-strom",
     ["gefahren:stromausfall", "faehigkeiten:organisation", "faehigkeiten:uebung-training"],
     "In der Übung (Demo) bewährten sich Notfalltreffpunkte an Feuerwachen und Schulen: Dort konnten "
     "Menschen Notrufe absetzen, Informationen erhalten und Hilfe anmelden."),
]

LESSONS = [
    {
        "key": "h-l01", "city": "K", "visibility": "oeffentlich", "status": "bestaetigt", "crisis": "flut-2021",
        "function": "bevoelkerungsschutz",
        "title": "Warnung vor Hochwasser und Starkregen muss bis zur Bevölkerung durchdringen",
        "finding": (
            "Bei der Flut 2021 lagen Warnungen vor, erreichten die Menschen aber nicht oder ohne "
            "Handlungsanweisung. Wirksam warnen heißt: mehrere Kanäle (Sirene, Cell Broadcast, Warn-App, "
            "Radio, Lautsprecherwagen) und klare Hinweise, was jetzt zu tun ist – etwa Keller meiden, höher "
            "gelegene Stockwerke aufsuchen."
        ),
        "cause": "Sirenennetz abgebaut, Warnketten zwischen Hochwasserzentralen, Kreisen und Gemeinden nicht geübt.",
        "codes": ["gefahren:hochwasser-starkregen", "themen:buergerkommunikation", "faehigkeiten:kommunikation"],
        "evidence": ["h-o01", "h-o02"],
    },
    {
        "key": "h-l02", "city": "DO", "visibility": "netzwerk", "status": "erkannt", "crisis": "flut-2021",
        "function": "feuerwehr",
        "title": "Evakuierung bei Hochwasser vorbereiten, auch für Pflegeeinrichtungen",
        "finding": (
            "Evakuierungen bei Sturzfluten und drohendem Dammbruch müssen in Stunden gelingen. Wo "
            "Überschwemmungsgebiete, Pflegeeinrichtungen, Transportmittel und Notunterkünfte vorab "
            "zusammengeführt waren, gelang das besser."
        ),
        "cause": "Starkregen- und Hochwassergefahrenkarten waren nicht mit der Einsatzplanung verknüpft.",
        "codes": ["gefahren:hochwasser-starkregen", "themen:vulnerable-gruppen", "faehigkeiten:prozesse"],
        "evidence": ["h-o04", "h-o05"],
    },
    {
        "key": "h-l03", "city": "E", "visibility": "netzwerk", "status": "erkannt", "crisis": "flut-2021",
        "function": "bevoelkerungsschutz",
        "title": "Spontanhelfende koordinieren statt abweisen",
        "finding": (
            "Nach dem Hochwasser kam Hilfe in großer Zahl. Eine Sammelstelle, die Spontanhelfende "
            "registriert, einteilt und transportiert, macht aus Andrang wirksame Hilfe; ohne sie "
            "behindern Helfende die Einsatzkräfte."
        ),
        "cause": "Katastrophenschutzpläne sahen ungebundene Helfende nicht vor.",
        "codes": ["gefahren:hochwasser-starkregen", "themen:externe-expertise", "faehigkeiten:organisation"],
        "evidence": ["h-o03", "h-o22"],
    },
    {
        "key": "h-l04", "city": "GE", "visibility": "oeffentlich", "status": "bestaetigt",
        "crisis": "cyber-anhalt-bitterfeld-2021", "function": "verwaltungsfuehrung",
        "title": "Notbetrieb ohne IT für kritische Verwaltungsleistungen vorbereiten",
        "finding": (
            "Nach einem Cyberangriff mit Erpressungssoftware kann die gesamte Verwaltungs-IT für Monate "
            "ausfallen. Zahlungen an Leistungsberechtigte und unaufschiebbare Bürgerdienste brauchen einen "
            "vorbereiteten Notbetrieb mit Papierformularen, Offline-Listen und klarer Priorisierung."
        ),
        "cause": "Geschäftsprozesse waren vollständig digital; es gab keine Priorisierung kritischer Leistungen.",
        "codes": ["gefahren:cyber", "themen:vulnerable-gruppen", "faehigkeiten:prozesse"],
        "evidence": ["h-o06", "h-o07"],
    },
    {
        "key": "h-l05", "city": "DO", "visibility": "netzwerk", "status": "erkannt",
        "crisis": "cyber-anhalt-bitterfeld-2021", "function": "verwaltungsfuehrung",
        "title": "IT-Notfallhandbuch, Offline-Datensicherung und Hilfe durch BSI und CERT vorab klären",
        "finding": (
            "Der Wiederanlauf nach einem Cyberangriff hängt an getrennt aufbewahrten Datensicherungen, "
            "einem geübten IT-Notfallhandbuch und Ansprechpartnern bei BSI und Landes-CERT, die vor dem "
            "Angriff bekannt sind. Alarmierungslisten des Krisenstabs gehören auch auf Papier."
        ),
        "cause": "Informationssicherheit galt als Aufgabe der IT-Abteilung, nicht des Krisenmanagements.",
        "codes": ["gefahren:cyber", "faehigkeiten:ausstattung", "faehigkeiten:uebung-training"],
        "evidence": ["h-o08", "h-o09"],
    },
    {
        "key": "h-l06", "city": "E", "visibility": "oeffentlich", "status": "bestaetigt", "crisis": "gas-2022",
        "function": "krisenstab",
        "title": "Wärmeinseln und Anlaufstellen für eine Gasmangellage vorbereiten",
        "finding": (
            "Für eine Gasmangellage im Winter braucht es vorbereitete Wärmeinseln mit Notstrom, "
            "Personal und Verpflegung sowie Wege, Menschen in ungeheizten Wohnungen zu erreichen. Die "
            "Planung von 2022 lässt sich für Stromausfall und Hitze weiterverwenden."
        ),
        "cause": "Eine Unterbrechung der Gasversorgung von Haushalten war bis 2022 kein Planungsszenario.",
        "codes": ["gefahren:energiemangellage", "themen:vulnerable-gruppen", "faehigkeiten:organisation"],
        "evidence": ["h-o10", "h-o13"],
    },
    {
        "key": "h-l07", "city": "K", "visibility": "netzwerk", "status": "erkannt", "crisis": "gas-2022",
        "function": "krisenstab",
        "title": "Versorgungsprioritäten mit Stadtwerken und Netzbetreibern vor der Krise klären",
        "finding": (
            "Wer bei einer Gas- oder Strommangellage weiter versorgt wird, entscheiden Netzbetreiber und "
            "Bundesnetzagentur nach festen Regeln. Die Kommune muss ihre kritischen Einrichtungen vorher "
            "melden und die Reihenfolge mit den Stadtwerken abstimmen."
        ),
        "cause": "Zuständigkeiten im Notfallplan Gas waren den kommunalen Stäben kaum bekannt.",
        "codes": ["gefahren:energiemangellage", "themen:ebenen", "faehigkeiten:prozesse"],
        "evidence": ["h-o12", "h-o11"],
    },
    {
        "key": "h-l08", "city": "K", "visibility": "oeffentlich", "status": "in_umsetzung", "crisis": "hitze-2022",
        "function": "gesundheitsamt",
        "title": "Einen Hitzeaktionsplan mit Warnkette für vulnerable Gruppen aufstellen",
        "finding": (
            "Hitze trifft vor allem ältere, pflegebedürftige und wohnungslose Menschen. Ein "
            "Hitzeaktionsplan verbindet die Hitzewarnungen des Deutschen Wetterdienstes mit einer "
            "Warnkette zu Pflege, Kitas und sozialen Diensten und mit festen Maßnahmen je Warnstufe."
        ),
        "cause": "Hitzeschutz war keiner Stelle fest zugeordnet; Warnungen endeten beim Gesundheitsamt.",
        "codes": ["gefahren:hitze", "themen:vulnerable-gruppen", "faehigkeiten:kommunikation"],
        "evidence": ["h-o14", "h-o15", "h-o17"],
    },
    {
        "key": "h-l09", "city": "DO", "visibility": "netzwerk", "status": "erkannt", "crisis": "hitze-2022",
        "function": "gesundheitsamt",
        "title": "Kühle Orte und Trinkwasser bei Hitze bekannt machen",
        "finding": (
            "Kühle Räume und Trinkwasserstellen nützen nur, wenn die Menschen sie kennen. Eine Karte, "
            "Aushänge in den Quartieren und die Ansprache über Pflegedienste und Streetwork helfen."
        ),
        "cause": "Angebote verschiedener Träger waren nicht gebündelt.",
        "codes": ["gefahren:hitze", "themen:buergerkommunikation", "themen:vulnerable-gruppen"],
        "evidence": ["h-o16", "h-o17"],
    },
    {
        "key": "h-l10", "city": "GE", "visibility": "oeffentlich", "status": "bestaetigt", "crisis": None,
        "function": "bevoelkerungsschutz",
        "title": "Notstrom und Treibstoff für mindestens 72 Stunden sichern",
        "finding": (
            "Bei einem Stromausfall sind Stabsraum, Leitstelle, Feuerwachen und Anlaufstellen auf "
            "Notstromaggregate angewiesen. Ohne Verträge für die Nachbetankung reicht der Diesel oft nur "
            "einen Tag."
        ),
        "cause": "Notstrom wurde beschafft, der Betrieb über Tage aber nie geübt.",
        "codes": ["gefahren:stromausfall", "faehigkeiten:ausstattung", "themen:krisenstab"],
        "evidence": ["h-o19", "h-o18"],
    },
    {
        "key": "h-l11", "city": "E", "visibility": "netzwerk", "status": "erkannt", "crisis": None,
        "function": "bevoelkerungsschutz",
        "title": "Notfalltreffpunkte für die Bevölkerung bei Stromausfall einrichten",
        "finding": (
            "Fallen Strom, Telefon und Mobilfunk aus, brauchen die Menschen feste, bekannte Orte, an "
            "denen sie Notrufe absetzen, Informationen erhalten und Hilfe anmelden können – etwa an "
            "Feuerwachen, Schulen und Gemeindezentren."
        ),
        "cause": "Ohne Kommunikationsnetze ist die Bevölkerung für die Verwaltung nicht erreichbar.",
        "codes": ["gefahren:stromausfall", "themen:buergerkommunikation", "faehigkeiten:organisation"],
        "evidence": ["h-o20", "h-o21", "h-o18"],
    },
]

RECOMMENDATIONS = [
    {
        "key": "h-r01", "city": "K", "visibility": "oeffentlich", "addressee": "kommune",
        "function": "bevoelkerungsschutz", "crisis": "flut-2021",
        "title": "Starkregen- und Hochwassergefahrenkarten in Warnung und Evakuierungsplanung übernehmen",
        "text": (
            "Verknüpfen Sie Starkregengefahrenkarten und Hochwasserrisikokarten mit der Alarm- und "
            "Einsatzplanung: Welche Straßen, Pflegeeinrichtungen und Keller sind zuerst betroffen, wer "
            "wird wie gewarnt und wohin evakuiert? Üben Sie die Warnkette mit den Hochwasserzentralen."
        ),
        "codes": ["gefahren:hochwasser-starkregen", "themen:buergerkommunikation", "faehigkeiten:prozesse"],
        "lessons": ["h-l01", "h-l02"],
    },
    {
        "key": "h-r02", "city": "GE", "visibility": "oeffentlich", "addressee": "kommune",
        "function": "verwaltungsfuehrung", "crisis": "cyber-anhalt-bitterfeld-2021",
        "title": "Informationssicherheit als Teil des Krisenmanagements verankern",
        "text": (
            "Nehmen Sie den Ausfall der gesamten IT durch einen Cyberangriff in die Krisenplanung auf: "
            "IT-Sicherheit und Datenschutz gehören in den Krisenstab, Notbetriebsprozesse für kritische "
            "Leistungen sind beschrieben, Datensicherungen werden offline verwahrt und der Wiederanlauf "
            "wird geübt."
        ),
        "codes": ["gefahren:cyber", "themen:krisenstab", "faehigkeiten:prozesse"],
        "lessons": ["h-l04", "h-l05"],
    },
    {
        "key": "h-r03", "city": "E", "visibility": "oeffentlich", "addressee": "kommune",
        "function": "krisenstab", "crisis": "gas-2022",
        "title": "Vorsorge für eine Gas- und Energiemangellage treffen",
        "text": (
            "Erfassen Sie kritische Einrichtungen und melden Sie sie den Netzbetreibern, stimmen Sie "
            "Versorgungsprioritäten mit den Stadtwerken ab, planen Sie Wärmeinseln mit Notstrom und "
            "setzen Sie einen Energiesparplan für die eigenen Gebäude mit messbaren Zielen um."
        ),
        "codes": ["gefahren:energiemangellage", "faehigkeiten:prozesse", "faehigkeiten:organisation"],
        "lessons": ["h-l06", "h-l07"],
    },
    {
        "key": "h-r04", "city": "K", "visibility": "oeffentlich", "addressee": "kommune",
        "function": "gesundheitsamt", "crisis": "hitze-2022",
        "title": "Hitzeschutz als kommunale Daueraufgabe mit Koordinierungsstelle verankern",
        "text": (
            "Benennen Sie eine Stelle, die den Hitzeaktionsplan koordiniert, Hitzewarnungen weitergibt, "
            "kühle Orte und Trinkwasserstellen pflegt und Pflege, Wohnungslosenhilfe und Stadtplanung "
            "einbindet. Werten Sie jeden Hitzesommer aus."
        ),
        "codes": ["gefahren:hitze", "themen:vulnerable-gruppen", "faehigkeiten:organisation"],
        "lessons": ["h-l08", "h-l09"],
    },
    {
        "key": "h-r05", "city": "GE", "visibility": "netzwerk", "addressee": "kommune",
        "function": "bevoelkerungsschutz", "crisis": None,
        "title": "Einen lang andauernden Stromausfall regelmäßig im Stab üben",
        "text": (
            "Üben Sie mindestens alle drei Jahre einen Stromausfall über 72 Stunden als Stabsrahmenübung: "
            "Notstrom und Nachbetankung, Notfalltreffpunkte, Kommunikation ohne Netz, Versorgung "
            "pflegebedürftiger Menschen zu Hause."
        ),
        "codes": ["gefahren:stromausfall", "faehigkeiten:uebung-training", "themen:krisenstab"],
        "lessons": ["h-l10", "h-l11"],
    },
]

GOOD_PRACTICES = [
    {
        "key": "h-g01", "city": "E", "visibility": "oeffentlich", "function": "bevoelkerungsschutz",
        "crisis": "flut-2021",
        "title": "Helfer-Shuttle für Spontanhelfende nach dem Hochwasser",
        "problem": "Nach der Flut kamen täglich Tausende Freiwillige ins Ahrtal; Zufahrten waren verstopft, Hilfe kam ungleich an.",
        "solution": "Nach dem Vorbild des Helfer-Shuttles im Ahrtal (Grafschaft, Kreis Ahrweiler): Eine zentrale Sammelstelle registrierte die Helfenden, teilte sie nach Bedarfsmeldungen ein und brachte sie mit Bussen zu den Einsatzorten.",
        "results": "Hilfe kam dort an, wo sie gebraucht wurde; die Straßen blieben für Einsatzkräfte frei.",
        "transferability": "Übertragbar auf jede Großschadenslage mit vielen Spontanhelfenden; Versicherung und Verpflegung vorab klären.",
        "codes": ["gefahren:hochwasser-starkregen", "themen:externe-expertise", "faehigkeiten:organisation"],
        "sources": ["flut-bmi"],
    },
    {
        "key": "h-g02", "city": "D", "visibility": "oeffentlich", "function": "verwaltungsfuehrung",
        "crisis": "gas-2022",
        "title": "Energiesparplan der Verwaltung mit monatlichem Verbrauchsbericht",
        "problem": "Mit der Energiesparverordnung 2022 mussten alle Dienstgebäude kurzfristig Energie sparen; der Erfolg war nicht messbar.",
        "solution": "Ein Energiesparplan mit Raumtemperaturen, Abschaltungen und Zuständigkeiten je Gebäude, dazu ein monatlicher Bericht über Gas- und Stromverbrauch.",
        "results": "Die Einsparung wurde sichtbar; Beschäftigte und Politik sahen, dass die Maßnahmen wirken.",
        "transferability": "Gut übertragbar; setzt auslesbare Zähler und eine zuständige Stelle voraus.",
        "codes": ["gefahren:energiemangellage", "faehigkeiten:prozesse"],
        "sources": ["gas-bund"],
    },
    {
        "key": "h-g03", "city": "K", "visibility": "oeffentlich", "function": "gesundheitsamt",
        "crisis": "hitze-2022",
        "title": "Hitzetelefon für ältere Menschen",
        "problem": "Ältere, allein lebende Menschen trinken bei Hitze zu wenig und werden von Warnungen kaum erreicht.",
        "solution": "Ehrenamtliche rufen angemeldete ältere Menschen an Hitzetagen an, erinnern ans Trinken und vermitteln bei Bedarf Hilfe – nach dem Vorbild bestehender Hitzetelefone in deutschen Städten.",
        "results": "Die Angerufenen fühlten sich weniger allein; Notlagen wurden früher erkannt.",
        "transferability": "Übertragbar; braucht Anmeldung mit Einwilligung und eine Ansprechstelle für Notfälle.",
        "codes": ["gefahren:hitze", "themen:vulnerable-gruppen", "faehigkeiten:kommunikation"],
        "sources": ["hitze-bund"],
    },
]
