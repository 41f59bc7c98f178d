"""Built-in indicators and rule sets (plain data; installed by migration and demo loader)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .rules_engine import load_ruleset, ruleset_to_data

RKI = "Robert Koch-Institut (RKI), über entorb/COVID-19-Coronavirus-German-Regions"
RKI_LICENCE = "CC BY 4.0"
DIVI = "DIVI-Intensivregister (RKI/DIVI)"

INDICATORS = [
    dict(key="faelle_neu", name="Neue Fälle", unit="Fälle", source=RKI, licence=RKI_LICENCE, decimals=0,
         definition="Neu gemeldete COVID-19-Fälle des Tages (Meldedatum)."),
    dict(key="todesfaelle_neu", name="Neue Todesfälle", unit="Fälle", source=RKI, licence=RKI_LICENCE, decimals=0,
         definition="Neu gemeldete COVID-19-Todesfälle des Tages."),
    dict(key="inzidenz_rki", name="7-Tage-Inzidenz (veröffentlicht)", unit="je 100.000 Einwohner", source=RKI,
         licence=RKI_LICENCE, decimals=1,
         definition="Vom RKI veröffentlichte Sieben-Tage-Inzidenz, wie in der Quelle angegeben "
                    "(Kreisdateien: Cases_Last_Week_Per_Million / 10). Maßgeblich für § 28b IfSG."),
    dict(key="inzidenz_7t", name="7-Tage-Inzidenz (berechnet)", unit="je 100.000 Einwohner", source=RKI,
         licence=RKI_LICENCE, decimals=1, derived=True,
         definition="Summe der neuen Fälle des Tages und der sechs Vortage je 100.000 Einwohner "
                    "(Einwohnerzahl des Gebiets)."),
    dict(key="inzidenz_7t_vorwoche", name="Veränderung zur Vorwoche", unit="%", source=RKI, licence=RKI_LICENCE,
         decimals=1, derived=True,
         definition="Veränderung der berechneten 7-Tage-Inzidenz gegenüber dem gleichen Tag der Vorwoche in Prozent."),
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
