"""Demo content of Köpfe kennen (called by `krisenwissen load_demo` after the apps below).

Fictional people (no real personal data) for the five partner cities, with functions, deputies
and competences. Phone numbers come from the ranges the Bundesnetzagentur keeps free for
fictional use (030 23125, 040 66969, 069 90009, 089 99998, 0221 4710 …). What the demo shows:

- Essen: the Leitung of the staff retires within the year (Wissensübergabe); "S5 Presse- und
  Medienarbeit" and "Verbindungsperson Polizei" have no deputy; "Warnung der Bevölkerung" and
  "Rückführung aus dem Krisenmodus" are held by one person only; one entry is stale; a
  functional entry without account or consent (Lagedienst); private mobile numbers only
  S1/Leitung and the person see. The demo account ``mitwirkende.essen`` holds S1 of Essen.
- A who-to-call search for "Krisenkommunikation" from Essen finds people of Essen, Dortmund and
  Gelsenkirchen (``netzwerk``) but never Köln's entry, which is ``intern``.

Idempotent: people are matched by ``external_key`` ("demo-…") per municipality.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from krisenwissen.accounts.models import Department, Municipality, User
from krisenwissen.people.vocabulary import ship_competence_vocabulary

from .indexing import refresh_search_text
from .models import (
    Audience,
    Availability,
    Channel,
    CompetenceArea,
    Doctrine,
    Function,
    FunctionHolder,
    FunctionKind,
    HolderRole,
    Language,
    Organisation,
    OrganisationKind,
    Person,
    PersonCompetence,
)

AGS = {"E": "05113", "DO": "05913", "K": "05315", "D": "05111", "GE": "05513"}
CITY_NAMES = {"E": "Essen", "DO": "Dortmund", "K": "Köln", "D": "Düsseldorf", "GE": "Gelsenkirchen"}

# (city, name, kind)
ORGANISATIONS = [
    (city, f"{template} {CITY_NAMES[city]}", kind)
    for city in AGS
    for template, kind in (("Stadtverwaltung", OrganisationKind.VERWALTUNG), ("Feuerwehr", OrganisationKind.VERWALTUNG),
                           ("Gesundheitsamt", OrganisationKind.GESUNDHEITSAMT), ("Polizeipräsidium", OrganisationKind.POLIZEI),
                           ("Stadtwerke", OrganisationKind.VERSORGER))
]

# (city, name, kind, doctrine)
FUNCTIONS = [
    ("E", "Leitung Krisenstab", FunctionKind.STAB, Doctrine.LEITUNG),
    ("E", "S1 Personal/Innerer Dienst", FunctionKind.STAB, Doctrine.S1),
    ("E", "S2 Lage", FunctionKind.STAB, Doctrine.S2),
    ("E", "S3 Einsatz", FunctionKind.STAB, Doctrine.S3),
    ("E", "S5 Presse- und Medienarbeit", FunctionKind.STAB, Doctrine.S5),
    ("E", "Verbindungsperson Polizei", FunctionKind.STAB, Doctrine.VERBINDUNG),
    ("E", "Leitung Ordnungsamt", FunctionKind.VERWALTUNG, ""),
    ("DO", "Leitung Krisenstab", FunctionKind.STAB, Doctrine.LEITUNG),
    ("DO", "S5 Presse- und Medienarbeit", FunctionKind.STAB, Doctrine.S5),
    ("D", "Leitung Krisenstab", FunctionKind.STAB, Doctrine.LEITUNG),
    ("D", "S4 Versorgung", FunctionKind.STAB, Doctrine.S4),
    ("GE", "Leitung Krisenstab", FunctionKind.STAB, Doctrine.LEITUNG),
    ("GE", "S5 Presse- und Medienarbeit", FunctionKind.STAB, Doctrine.S5),
    ("K", "Leitung Krisenstab", FunctionKind.STAB, Doctrine.LEITUNG),
    ("K", "Fachberatung Gesundheit", FunctionKind.STAB, Doctrine.FACHBERATUNG),
]

# Each person: key, city, account (or None), given, family, display (for functional entries),
# position, organisation (template), visibility, confirmed (days ago or None), consent,
# functions [(name, role)], competences [code], languages, channels [(kind, value, availability, audience)],
# leaving (days from today, reason) or None.
PEOPLE = [
    {"key": "e-s1", "dept": "personalamt", "city": "E", "account": "mitwirkende.essen", "given": "Demo", "family": "Mitwirkende Essen",
     "position": "Leitung Personal- und Organisationsamt", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 20,
     "functions": [("S1 Personal/Innerer Dienst", "inhaber")], "competences": ["personalwesen", "stabsarbeit"], "languages": [],
     "channels": [("buero", "030 23125 101", "buerozeiten", "alle_berechtigten"), ("mobil", "030 23125 901", "rufbereitschaft", "privat")]},
    {"key": "e-leitung", "dept": "verwaltungsfuehrung", "city": "E", "account": None, "given": "Klaus", "family": "Brenner", "consent": True,
     "position": "Leiter des Krisenstabs, Beigeordneter für Recht und Ordnung", "org": "Stadtverwaltung", "visibility": "netzwerk",
     "confirmed": 40, "functions": [("Leitung Krisenstab", "inhaber"), ("Leitung Ordnungsamt", "inhaber")],
     "competences": ["stabsarbeit", "lagefuehrung", "warnung-bevoelkerung", "rueckfuehrung"], "languages": ["en"],
     "channels": [("buero", "030 23125 102", "buerozeiten", "alle_berechtigten"), ("privat", "030 23125 902", "rund_um_die_uhr", "privat")],
     "leaving": (240, "ruhestand")},
    {"key": "e-s2", "dept": "feuerwehr", "city": "E", "account": None, "given": "Sabine", "family": "Okafor", "consent": True,
     "position": "Stellvertretende Leitung des Krisenstabs", "org": "Feuerwehr", "visibility": "netzwerk", "confirmed": 10,
     "functions": [("Leitung Krisenstab", "vertretung"), ("S2 Lage", "inhaber"), ("Leitung Ordnungsamt", "vertretung")],
     "competences": ["lagefuehrung", "krisenkommunikation", "stabsarbeit"], "languages": ["en", "fr"],
     "channels": [("buero", "030 23125 103", "buerozeiten", "alle_berechtigten"), ("mobil", "030 23125 903", "rufbereitschaft", "privat"),
                  ("funktionspostfach", "krisenstab@essen.example.org", "rund_um_die_uhr", "alle_berechtigten")]},
    {"key": "e-s5", "dept": "presse", "city": "E", "account": None, "given": "Tobias", "family": "Lindqvist", "consent": True,
     "position": "Pressesprecher", "org": "Stadtverwaltung", "visibility": "intern", "confirmed": 30,
     "functions": [("S5 Presse- und Medienarbeit", "inhaber")], "competences": ["krisenkommunikation"], "languages": ["sv"],
     "channels": [("buero", "030 23125 104", "buerozeiten", "alle_berechtigten"), ("email", "presse@essen.example.org", "buerozeiten", "alle_berechtigten")]},
    {"key": "e-lagedienst", "dept": "feuerwehr", "city": "E", "account": None, "given": "", "family": "", "display": "Lagedienst Feuerwehr Essen",
     "position": "Lagedienst (rund um die Uhr)", "org": "Feuerwehr", "visibility": "netzwerk", "confirmed": 5,
     "functions": [("S3 Einsatz", "vertretung")], "competences": [], "languages": [],
     "channels": [("buero", "030 23125 112", "rund_um_die_uhr", "alle_berechtigten"), ("funkrufname", "Florian Essen 1/10-1", "rund_um_die_uhr", "alle_berechtigten")]},
    {"key": "e-s3", "dept": "feuerwehr", "city": "E", "account": None, "given": "Murat", "family": "Aksoy", "consent": True,
     "position": "Einsatzleitung Feuerwehr", "org": "Feuerwehr", "visibility": "netzwerk", "confirmed": 60,
     "functions": [("S3 Einsatz", "inhaber")], "competences": ["evakuierung", "stabsarbeit"], "languages": ["tr"],
     "channels": [("buero", "030 23125 105", "rufbereitschaft", "alle_berechtigten")]},
    {"key": "e-ordnung", "dept": "ordnungsamt", "city": "E", "account": "leser.essen", "given": "Demo", "family": "Leser Essen",
     "position": "Sachbearbeitung Ordnungsamt", "org": "Stadtverwaltung", "visibility": "intern", "confirmed": 290,
     "functions": [], "competences": ["ordnungsrecht"], "languages": [],
     "channels": [("buero", "030 23125 106", "buerozeiten", "alle_berechtigten")]},
    {"key": "e-polizei", "city": "E", "account": None, "given": "Martin", "family": "Kowalczyk", "consent": True,
     "position": "Verbindungsbeamter zum Krisenstab", "org": "Polizeipräsidium", "visibility": "netzwerk", "confirmed": 90,
     "functions": [("Verbindungsperson Polizei", "inhaber")], "competences": ["ordnungsrecht"], "languages": ["pl"],
     "channels": [("buero", "030 23125 110", "rund_um_die_uhr", "alle_berechtigten")]},
    # Dortmund
    {"key": "do-leitung", "dept": "krisenstab", "city": "DO", "account": "redaktion.dortmund", "given": "Demo", "family": "Redaktion Dortmund",
     "position": "Leitung Krisenstab", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 15,
     "functions": [("Leitung Krisenstab", "inhaber")], "competences": ["stabsarbeit", "uebungsplanung"], "languages": [],
     "channels": [("buero", "040 66969 201", "buerozeiten", "alle_berechtigten")]},
    {"key": "do-presse", "dept": "presse", "city": "DO", "account": None, "given": "Aylin", "family": "Demir", "consent": True,
     "position": "Leitung Dortmund-Agentur (Presse)", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 25,
     "functions": [("S5 Presse- und Medienarbeit", "inhaber")], "competences": ["krisenkommunikation", "warnung-bevoelkerung"], "languages": ["tr", "en"],
     "channels": [("buero", "040 66969 202", "buerozeiten", "alle_berechtigten"), ("mobil", "040 66969 902", "rufbereitschaft", "privat")]},
    {"key": "do-presse2", "dept": "presse", "city": "DO", "account": None, "given": "Jan", "family": "Hoffmann", "consent": True,
     "position": "Redaktion Social Media", "org": "Stadtverwaltung", "visibility": "intern", "confirmed": 200,
     "functions": [("S5 Presse- und Medienarbeit", "vertretung")], "competences": ["krisenkommunikation"], "languages": [],
     "channels": [("buero", "040 66969 203", "buerozeiten", "alle_berechtigten")]},
    # Düsseldorf
    {"key": "d-bevoelkerungsschutz", "dept": "bevoelkerungsschutz", "city": "D", "account": "moderation.duesseldorf", "given": "Demo", "family": "Moderation Düsseldorf",
     "position": "Sachgebiet Bevölkerungsschutz", "org": "Feuerwehr", "visibility": "netzwerk", "confirmed": 12,
     "functions": [("Leitung Krisenstab", "vertretung")], "competences": ["evakuierung", "psychosoziale-unterstuetzung"], "languages": ["en"],
     "channels": [("buero", "069 90009 301", "buerozeiten", "alle_berechtigten")]},
    {"key": "d-leitung", "dept": "verwaltungsfuehrung", "city": "D", "account": None, "given": "Petra", "family": "Wilms", "consent": True,
     "position": "Leitung Krisenstab, Feuerwehrdezernentin", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 45,
     "functions": [("Leitung Krisenstab", "inhaber")], "competences": ["impf-testzentren", "stabsarbeit"], "languages": [],
     "channels": [("buero", "069 90009 302", "buerozeiten", "alle_berechtigten")]},
    {"key": "d-versorgung", "city": "D", "account": None, "given": "Lars", "family": "Behrendt", "consent": True,
     "position": "Netzleitstelle", "org": "Stadtwerke", "visibility": "netzwerk", "confirmed": 80,
     "functions": [("S4 Versorgung", "inhaber")], "competences": ["energieversorgung"], "languages": [],
     "channels": [("buero", "069 90009 310", "rund_um_die_uhr", "alle_berechtigten")]},
    # Gelsenkirchen
    {"key": "ge-leitung", "dept": "krisenstab", "city": "GE", "account": "admin.gelsenkirchen", "given": "Demo", "family": "Administration Gelsenkirchen",
     "position": "Leitung Krisenstab", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 33,
     "functions": [("Leitung Krisenstab", "inhaber")], "competences": ["stabsarbeit", "recht-verordnungen"], "languages": [],
     "channels": [("buero", "089 99998 401", "buerozeiten", "alle_berechtigten")]},
    {"key": "ge-presse", "dept": "presse", "city": "GE", "account": None, "given": "Emre", "family": "Yilmaz", "consent": True,
     "position": "Pressereferent", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 50,
     "functions": [("S5 Presse- und Medienarbeit", "inhaber")], "competences": ["krisenkommunikation"], "languages": ["tr"],
     "channels": [("buero", "089 99998 402", "buerozeiten", "alle_berechtigten")]},
    # Köln: everything intern except the Redaktion's entry.
    {"key": "k-gesundheit", "dept": "gesundheitsamt", "city": "K", "account": "mitwirkende.koeln", "given": "Demo", "family": "Mitwirkende Köln",
     "position": "Infektionsschutz, Gesundheitsamt", "org": "Gesundheitsamt", "visibility": "intern", "confirmed": 18,
     "functions": [("Fachberatung Gesundheit", "inhaber")], "competences": ["infektionsschutz", "oeffentliche-gesundheit"], "languages": [],
     "channels": [("buero", "0221 4710 501", "buerozeiten", "alle_berechtigten")]},
    {"key": "k-presse", "dept": "presse", "city": "K", "account": None, "given": "Friederike", "family": "Lang", "consent": True,
     "position": "Krisenkommunikation, Presseamt", "org": "Stadtverwaltung", "visibility": "intern", "confirmed": 22,
     "functions": [], "competences": ["krisenkommunikation"], "languages": [],
     "channels": [("buero", "0221 4710 502", "buerozeiten", "alle_berechtigten")]},
    {"key": "k-leitung", "dept": "krisenstab", "city": "K", "account": "redaktion.koeln", "given": "Demo", "family": "Redaktion Köln",
     "position": "Leitung Krisenstab", "org": "Stadtverwaltung", "visibility": "netzwerk", "confirmed": 8,
     "functions": [("Leitung Krisenstab", "inhaber")], "competences": ["stabsarbeit", "infektionsschutz"], "languages": [],
     "channels": [("buero", "0221 4710 503", "buerozeiten", "alle_berechtigten")]},
]


def content_exists() -> bool:
    return Person.objects.filter(external_key__startswith="demo-").exists()


def load(*, force: bool = False) -> dict[str, int]:
    from krisenwissen.core.audit import record
    from krisenwissen.core.policy import SYSTEM

    from .events import PeopleEvent
    from .validation import clean_channel_value

    now = timezone.now()
    today = timezone.localdate()
    cities = {key: Municipality.objects.filter(ags=ags).first() for key, ags in AGS.items()}
    cities = {k: v for k, v in cities.items() if v is not None}
    organisations = {}
    for city, name, kind in ORGANISATIONS:
        if city in cities:
            organisations[(city, name.split(" ")[0])] = Organisation.objects.get_or_create(
                municipality=cities[city], name=name, parent=None, defaults={"kind": kind})[0]
    functions = {}
    for city, name, kind, doctrine in FUNCTIONS:
        if city in cities:
            functions[(city, name)] = Function.objects.update_or_create(
                municipality=cities[city], name=name, defaults={"kind": kind, "doctrine": doctrine})[0]
    ship_competence_vocabulary(CompetenceArea)
    competences = {c.code: c for c in CompetenceArea.objects.all()}
    people = []
    for data in PEOPLE:
        municipality = cities.get(data["city"])
        if municipality is None:
            continue
        account = User.objects.filter(username=data["account"]).first() if data["account"] else None
        display = data.get("display") or f"{data['given']} {data['family']}".strip()
        consent = data.get("consent", False) and account is None
        leaving = data.get("leaving")
        defaults = {
            "display_name": display, "given_name": data["given"], "family_name": data["family"], "account": account,
            "organisation": organisations.get((data["city"], data["org"])), "position": data["position"],
            "department": Department.objects.filter(municipality=municipality, function=data.get("dept") or "-").first(),
            "visibility": data["visibility"],
            "last_confirmed_at": now - dt.timedelta(days=data["confirmed"]) if data["confirmed"] is not None else None,
            "consent_recorded_at": now - dt.timedelta(days=400) if consent else None,
            "consent_note": "Einwilligungserklärung (Demo), Personalakte" if consent else "",
            "leaving_on": today + dt.timedelta(days=leaving[0]) if leaving else None,
            "leaving_reason": leaving[1] if leaving else "",
            "maintained_by": User.objects.filter(username="mitwirkende.essen").first() if data["city"] == "E" and account is None else account,
        }
        if account is not None:
            Person.objects.filter(account=account).exclude(municipality=municipality, external_key=f"demo-{data['key']}").update(account=None)
        person, _created = Person.objects.update_or_create(municipality=municipality, external_key=f"demo-{data['key']}", defaults=defaults)
        person.channels.all().delete()
        Channel.objects.bulk_create([
            Channel(person=person, kind=kind, value=clean_channel_value(kind, value), availability=Availability(availability),
                    audience=Audience(audience), order=order)
            for order, (kind, value, availability, audience) in enumerate(data["channels"])])
        person.competences.all().delete()
        PersonCompetence.objects.bulk_create([PersonCompetence(person=person, competence=competences[c]) for c in data["competences"] if c in competences])
        person.languages.all().delete()
        Language.objects.bulk_create([Language(person=person, code=code) for code in data["languages"]])
        FunctionHolder.objects.filter(person=person).delete()
        for name, role in data["functions"]:
            FunctionHolder.objects.create(function=functions[(data["city"], name)], person=person, role=HolderRole(role))
        people.append(person)
    refresh_search_text(people)
    record(PeopleEvent.PERSON_CREATED, acting_user=SYSTEM, demo=True, anzahl=len(people))
    return {"verzeichnis_personen": len(people), "verzeichnis_funktionen": len(functions)}
