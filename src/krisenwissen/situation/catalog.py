"""Built-in indicators and rule sets (plain data; installed by migration and demo loader)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .rules_engine import load_ruleset, ruleset_to_data

RKI = "Robert Koch-Institut (RKI), über entorb/COVID-19-Coronavirus-German-Regions"
RKI_LICENCE = "CC BY 4.0"
DIVI = "DIVI-Intensivregister (RKI/DIVI)"
RKI_FIXED = "Robert Koch-Institut (RKI): Fallzahlen_Kum_Tab, fixierte 7-Tage-Werte"
RKI_FIXED_LICENCE = "Datenlizenz Deutschland – Namensnennung 2.0"

INDICATORS = [
    dict(key="faelle_neu", name="Neue Fälle", unit="Fälle", source=RKI, licence=RKI_LICENCE, decimals=0,
         definition="Neu gemeldete COVID-19-Fälle des Tages (Meldedatum)."),
    dict(key="todesfaelle_neu", name="Neue Todesfälle", unit="Fälle", source=RKI, licence=RKI_LICENCE, decimals=0,
         definition="Neu gemeldete COVID-19-Todesfälle des Tages."),
    dict(key="inzidenz_7t_veroeffentlicht", name="7-Tage-Inzidenz (am Tag veröffentlicht, RKI)",
         unit="je 100.000 Einwohner", source=RKI_FIXED, licence=RKI_FIXED_LICENCE, decimals=1,
         definition="Die Sieben-Tage-Inzidenz, wie das RKI sie am jeweiligen Tag berechnet und veröffentlicht hat "
                    "(„fixierte“ Werte der Arbeitsmappe Fallzahlen_Kum_Tab, Blätter LK_ und BL_7-Tage-Inzidenz "
                    "(fixiert); Berlin als Ganzes aus dem Landesblatt). Spätere Nachmeldungen ändern sie nicht. "
                    "Auf diese Werte beziehen sich die Schwellen des § 28a Abs. 3 und des § 28b IfSG."),
    dict(key="faelle_7t_veroeffentlicht", name="7-Tage-Fallzahl (am Tag veröffentlicht, RKI)", unit="Fälle",
         source=RKI_FIXED, licence=RKI_FIXED_LICENCE, decimals=0,
         definition="Fälle der letzten sieben Tage, wie das RKI sie am jeweiligen Tag veröffentlicht hat "
                    "(Blätter LK_ und BL_7-Tage-Fallzahlen (fixiert) der Arbeitsmappe Fallzahlen_Kum_Tab)."),
    dict(key="inzidenz_rki", name="7-Tage-Inzidenz (RKI-Datei, Datenstand der Datei)", unit="je 100.000 Einwohner",
         source="Robert Koch-Institut (RKI): COVID-19-Faelle_7-Tage-Inzidenz_Landkreise/_Deutschland",
         licence=RKI_LICENCE, decimals=1,
         definition="Spalte Inzidenz_7-Tage der RKI-Dateien COVID-19-Faelle_7-Tage-Inzidenz_Landkreise bzw. "
                    "_Deutschland: nach Meldedatum auf dem Datenstand der Datei berechnet, also mit späteren "
                    "Nachmeldungen. Nicht der am Tag veröffentlichte, rechtlich maßgebliche Wert (dieser: "
                    "„7-Tage-Inzidenz (am Tag veröffentlicht, RKI)“)."),
    dict(key="inzidenz_7t", name="7-Tage-Inzidenz (berechnet)", unit="je 100.000 Einwohner", source=RKI,
         licence=RKI_LICENCE, decimals=1, derived=True,
         definition="Von dieser Plattform berechnet: Summe der neuen Fälle nach Meldedatum (Datenstand der "
                    "importierten Kreis-Zeitreihe, mit Nachmeldungen) des Tages und der sechs Vortage × 100.000 / "
                    "Einwohnerzahl des Gebiets (aus der Kreis-Referenztabelle ref-de-districts.tsv bzw. der "
                    "RKI-Datei; Stichtag, soweit bekannt, auf der Gebietsseite). Nicht der veröffentlichte Wert."),
    dict(key="inzidenz_7t_vorwoche", name="Veränderung zur Vorwoche", unit="%", source=RKI, licence=RKI_LICENCE,
         decimals=1, derived=True,
         definition="Veränderung der berechneten 7-Tage-Inzidenz (nach Meldedatum) gegenüber dem gleichen Tag der Vorwoche in Prozent."),
    dict(key="its_betten_gesamt", name="Intensivbetten gesamt", unit="Betten", source=DIVI, licence=RKI_LICENCE,
         decimals=0, higher_is_worse=False, definition="Betreibbare Intensivbetten (belegt und frei)."),
    dict(key="its_betten_belegt", name="Intensivbetten belegt", unit="Betten", source=DIVI, licence=RKI_LICENCE,
         decimals=0, definition="Belegte Intensivbetten."),
    dict(key="its_covid", name="COVID-19-Fälle auf Intensivstationen", unit="Personen", source=DIVI,
         licence=RKI_LICENCE, decimals=0, definition="Aktuell intensivmedizinisch behandelte COVID-19-Fälle."),
    dict(key="its_belegung_anteil", name="Auslastung der Intensivbetten", unit="%", source=DIVI,
         licence=RKI_LICENCE, decimals=1, derived=True,
         definition="Belegte Intensivbetten in Prozent aller betreibbaren Intensivbetten."),
    dict(key="its_covid_anteil", name="COVID-19-Anteil an den Intensivbetten", unit="%", source=DIVI,
         licence=RKI_LICENCE, decimals=1, derived=True,
         definition="COVID-19-Fälle auf Intensivstationen in Prozent aller betreibbaren Intensivbetten."),
]

DERIVED = {i["key"] for i in INDICATORS if i.get("derived")}

RULESET_DIR = Path(__file__).resolve().parent / "data" / "rulesets"

PARTNER_CITIES = ["05913", "05111", "05113", "05513", "05315"]  # Dortmund, Düsseldorf, Essen, Gelsenkirchen, Köln

STATES = {
    "01": ("Schleswig-Holstein", "SH"), "02": ("Hamburg", "HH"), "03": ("Niedersachsen", "NI"),
    "04": ("Bremen", "HB"), "05": ("Nordrhein-Westfalen", "NW"), "06": ("Hessen", "HE"),
    "07": ("Rheinland-Pfalz", "RP"), "08": ("Baden-Württemberg", "BW"), "09": ("Bayern", "BY"),
    "10": ("Saarland", "SL"), "11": ("Berlin", "BE"), "12": ("Brandenburg", "BB"),
    "13": ("Mecklenburg-Vorpommern", "MV"), "14": ("Sachsen", "SN"), "15": ("Sachsen-Anhalt", "ST"),
    "16": ("Thüringen", "TH"),
}


def builtin_rulesets():
    return [load_ruleset(p.read_text(encoding="utf-8")) for p in sorted(RULESET_DIR.glob("*.yaml"))]


def install(Indicator, RuleSet, Area) -> None:
    """Create or refresh the built-in rows (models passed in: also used by the migration)."""
    for spec in INDICATORS:
        fields = dict(spec)
        key = fields.pop("key")
        Indicator.objects.update_or_create(key=key, defaults={**fields, "visibility": "oeffentlich",
                                                               "municipality": None})
    for rs in builtin_rulesets():
        RuleSet.objects.update_or_create(key=rs.key, defaults={
            "name": rs.name, "description": rs.description, "definition": ruleset_to_data(rs), "builtin": True})
    Area.objects.update_or_create(ags="00", defaults={
        "name": "Deutschland", "level": "bund", "population": 84358845, "population_date": date(2022, 12, 31)})
    for ags, (name, code) in STATES.items():
        Area.objects.update_or_create(ags=ags, defaults={"name": name, "level": "land", "state_code": code})
