"""Seeded keyword rules: term -> department (pure data, editable afterwards by the Redaktion)."""

DEFAULT_KEYWORD_RULES: list[tuple[str, str, str]] = [
    # (term, department, task)
    ("Versammlung", "Ordnungsamt", "Auflagen und Verbote für Versammlungen prüfen"),
    ("Veranstaltung", "Ordnungsamt", "Genehmigungen und Auflagen für Veranstaltungen anpassen"),
    ("Ansammlung", "Ordnungsamt", "Kontrollen planen"),
    ("Gaststätte", "Ordnungsamt", "Gastronomie informieren und kontrollieren"),
    ("gastronomisch", "Ordnungsamt", "Gastronomie informieren und kontrollieren"),
    ("Bußgeld", "Ordnungsamt", "Bußgeldkatalog anpassen"),
    ("Ordnungswidrig", "Ordnungsamt", "Bußgeldkatalog anpassen"),
    ("Quarantäne", "Gesundheitsamt", "Anordnungen und Vordrucke anpassen"),
    ("Absonderung", "Gesundheitsamt", "Anordnungen und Vordrucke anpassen"),
    ("Kontaktnachverfolgung", "Gesundheitsamt", "Kontaktnachverfolgung anpassen"),
    ("Meldepflicht", "Gesundheitsamt", "Meldewege prüfen"),
    ("Testnachweis", "Gesundheitsamt", "Teststellen und Nachweise prüfen"),
    ("Impf", "Gesundheitsamt", "Impfangebote und Nachweise prüfen"),
    ("Schule", "Schulverwaltung", "Schulen informieren"),
    ("Kindertage", "Schulverwaltung", "Kitas informieren"),
    ("Gemeinschaftseinrichtung", "Schulverwaltung", "Schulen und Kitas informieren"),
    ("Pflege", "Sozialamt", "Einrichtungen der Pflege informieren"),
    ("Eingliederungshilfe", "Sozialamt", "Einrichtungen der Eingliederungshilfe informieren"),
    ("Obdach", "Sozialamt", "Unterkünfte informieren"),
    ("Beschäftigte", "Personalamt", "Dienstanweisungen für Beschäftigte anpassen"),
    ("Arbeitgeber", "Personalamt", "Dienstanweisungen anpassen"),
    ("Katastrophenschutz", "Bevölkerungsschutz", "Lage und Kräfte prüfen"),
    ("Entschädigung", "Verwaltungsführung", "Haushaltsmittel prüfen"),
]
