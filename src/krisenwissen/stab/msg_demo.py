"""Demo Meldungen and Aufträge for a staff (the Essen staff of spring 2020): realistic, no real
personal data (institutions and functions only). Called by the demo loader with ``SYSTEM``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from krisenwissen.core.policy import is_system

from . import msg_actions as actions
from .models import FunctionGroup, Message, StaffAssignment, StaffFunction

H = datetime.timedelta(hours=1)

# (key, preferred codes, words in the function's name, groups) to find the staff's functions.
ROLES = {
    "leitung": (("leitung",), ("leitung",), (FunctionGroup.LEITUNG,)),
    "gesundheit": (("gesundheit", "gesundheitsamt", "ga", "lagezentrum-ga"), ("gesundheit",), ()),
    "ordnung": (("ordnung", "ordnungsamt", "recht"), ("ordnung", "recht"), ()),
    "presse": (("presse", "bium", "s5"), ("presse", "bevölkerungsinformation", "medien"), (FunctionGroup.BIUM, FunctionGroup.S5)),
    "personal": (("s1", "personal"), ("personal",), (FunctionGroup.S1,)),
    "versorgung": (("s4", "versorgung", "feuerwehr"), ("versorgung", "feuerwehr", "beschaffung"), (FunctionGroup.S4,)),
}


def _functions(staff) -> dict[str, StaffFunction]:
    functions = list(StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name"))
    if not functions:
        return {}
    found = {}
    for key, (codes, words, groups) in ROLES.items():
        match = next((f for c in codes for f in functions if f.code == c), None)
        match = match or next((f for w in words for f in functions if w in f.name.lower()), None)
        match = match or next((f for g in groups for f in functions if f.group == g), None)
        found[key] = match or functions[0]
    return found


def _holder(function):
    assignment = StaffAssignment.objects.filter(function=function, ended_at__isnull=True).select_related("user").order_by("role").first()
    return assignment.user if assignment else None


def load(staff, *, acting_user) -> dict:
    """Add demo messages (one Blitz) and tasks to ``staff``; a second call adds nothing."""
    if Message.objects.filter(staff=staff, client_key="demo-msg-1").exists():
        return {"messages": 0, "tasks": 0}
    f = _functions(staff)
    if not f:
        return {"messages": 0, "tasks": 0}
    # Times follow the staff's activation (past events only for the system; else around now).
    base = staff.activated_at if is_system(acting_user) else timezone.now() - 4 * H
    at = (lambda hours: base + hours * H) if is_system(acting_user) else (lambda hours: None)

    def message(n, hours, **data):
        return actions.do_record_message(staff, acting_user=acting_user, client_key=f"demo-msg-{n}",
                                         transmitted_at=at(hours) or timezone.now(), **data)

    def route(msg, hours, functions, note=""):
        actions.do_route_message(msg, functions=list(dict.fromkeys(functions)), sichter_note=note, acting_user=acting_user, at=at(hours))

    def acknowledge(msg, hours, functions):
        for function in dict.fromkeys(functions):
            holder = _holder(function)
            if holder is not None and is_system(acting_user):
                msg.refresh_from_db()
                if msg.status == "verteilt" and not msg.acknowledgements.filter(function=function).exists():
                    actions.do_acknowledge_message(msg, acting_user=acting_user, by=holder, at=at(hours))

    blitz = message(1, 2, direction="eingang", channel="telefon", priority="blitz", sender="Gesundheitsamt, Lagedienst",
                    recipient="Krisenstab (Sichtung)",
                    content="Bestätigter COVID-19-Fall in einer Pflegeeinrichtung im Stadtbezirk II; rund 40 Bewohnerinnen und "
                            "Bewohner, Kontaktpersonen werden ermittelt. Entscheidung über ein Besuchsverbot für alle "
                            "Pflegeeinrichtungen bis 18 Uhr erbeten.")
    route(blitz, 2.2, [f["leitung"], f["gesundheit"], f["ordnung"]], "Sofort vorlegen; Entscheidung in der Lagebesprechung 17 Uhr.")
    acknowledge(blitz, 2.5, [f["leitung"], f["gesundheit"], f["ordnung"]])

    erlass = message(2, 20, direction="eingang", channel="email", priority="sofort", sender="Landesministerium (Erlass)",
                     recipient="Oberbürgermeister / Krisenstab",
                     content="Erlass: Schließung von Bars, Clubs, Fitnessstudios und Spielhallen ab morgen; Umsetzung und Kontrolle "
                             "durch die Kommunen. Rückmeldung zum Vollzug bis übermorgen 12 Uhr.")
    route(erlass, 20.5, [f["ordnung"], f["presse"]], "Vollzug durch Ordnungsamt; Bevölkerungsinformation vorbereiten.")
    acknowledge(erlass, 21, [f["ordnung"], f["presse"]])

    lagemeldung = message(3, 26, direction="ausgang", channel="email", priority="normal", sender="Krisenstab",
                          recipient="Bezirksregierung",
                          content="Lagemeldung 08:00 Uhr: Zahl der bestätigten Fälle, Kontaktpersonen in Quarantäne, "
                                  "umgesetzte Maßnahmen (Besuchsverbot Pflegeeinrichtungen, Schließungen nach Erlass).")
    actions.do_complete_message(lagemeldung, acting_user=acting_user, at=at(26.2))

    schutz = message(4, 30, direction="eingang", channel="funk", priority="sofort", sender="Feuerwehr, Leitstelle",
                     recipient="Krisenstab",
                     content="FFP2-Masken für Rettungsdienst und Pflegeeinrichtungen reichen bei derzeitigem Verbrauch noch etwa "
                             "fünf Tage. Bitte Nachbeschaffung priorisieren.")
    route(schutz, 30.5, [f["versorgung"], f["leitung"]], "Auftrag an Versorgung in der nächsten Lagebesprechung.")

    message(5, 34, direction="eingang", channel="telefon", priority="normal", sender="Bürgertelefon",
            recipient="Krisenstab",
            content="Viele Anrufe zur Notbetreuung in Kitas und Schulen: wer ist berechtigt, welche Nachweise? "
                    "Bitte abgestimmte Sprachregelung.")

    def task(n, hours, title, owner, due_hours, description=""):
        return actions.do_create_task(staff, title=title, owner_function=owner, due_at=at(due_hours) or (timezone.now() + due_hours * H),
                                      description=description, acting_user=acting_user, client_key=f"demo-task-{n}", issued_at=at(hours))

    t1 = task(1, 3, "Allgemeinverfügung Besuchsverbot Pflegeeinrichtungen vorbereiten", f["ordnung"], 8,
              "Entwurf mit Rechtsamt abstimmen, Bekanntmachung im Amtsblatt veranlassen.")
    actions.do_complete_task(t1, feedback="Allgemeinverfügung unterzeichnet und bekannt gemacht; Einrichtungen per E-Mail informiert.",
                             acting_user=acting_user, at=at(7))
    t2 = task(2, 4, "Diagnosezentrum für Abstriche einrichten", f["gesundheit"], 52,
              "Standort mit Feuerwehr und Kassenärztlicher Vereinigung abstimmen; Zufahrt als Drive-in.")
    actions.do_start_task(t2, acting_user=acting_user)
    t3 = task(3, 21, "Bürgertelefon personell verstärken (Schichtplan bis Ostern)", f["personal"], 30)
    actions.do_complete_task(t3, feedback="Zwölf Beschäftigte aus Bibliotheken und Bürgerämtern eingewiesen; Schichtplan steht.",
                             acting_user=acting_user, at=at(28))
    task(4, 31, "Bestand an Schutzausrüstung erheben und Nachbeschaffung einleiten", f["versorgung"], 48,
         "Bestände von Feuerwehr, Pflegeeinrichtungen und Gesundheitsamt zusammenführen.")
    task(5, 35, "Sprachregelung Notbetreuung Kitas/Schulen für Bürgertelefon und Website", f["presse"], 40)
    return {"messages": 5, "tasks": 5}
