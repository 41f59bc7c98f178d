"""Demo content of the Einsatztagebuch: a fortnight of entries of the Essen staff, spring 2020.

Invented entries in the style of a municipal Verwaltungsstab at the start of the pandemic (no
real persons, no real case figures), written through the one writer (``do_append_entry``)
so that the chain holds, with one correction and one handover of the ETB-Führung.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .etb_actions import do_append_entry
from .models import LogCategory, LogEntry, Staff, StaffAssignment

BERLIN = ZoneInfo("Europe/Berlin")
START = dt.date(2020, 3, 13)

C = LogCategory
# (day offset, time, category, function codes to write it (first held wins), text)
ENTRIES = [
    (0, "08:00", C.LAGE, ("leitung",), "Konstituierung des Verwaltungsstabes. Anlass: Ausbreitung von SARS-CoV-2 im Stadtgebiet."),
    (0, "08:20", C.SCHICHTWECHSEL, ("s1", "koordinierung"), "ETB-Führung übernommen; Stabsraum im Rathaus eingerichtet, 2 Arbeitsplätze für Verbindungspersonen."),
    (0, "09:15", C.MELDUNG_EIN, ("s2", "lagezentrum"), "Gesundheitsamt meldet: Zahl der bestätigten Fälle im Stadtgebiet verdoppelt sich binnen drei Tagen."),
    (0, "10:30", C.ENTSCHEIDUNG, ("leitung",), "Alle städtischen Veranstaltungen mit mehr als 100 Teilnehmenden werden bis auf Weiteres abgesagt."),
    (0, "10:35", C.AUFTRAG, ("leitung",), "Auftrag an Bevölkerungsinformation: Pressemitteilung zur Absage der Veranstaltungen bis 12:00 Uhr."),
    (0, "12:05", C.MELDUNG_AUS, ("bium", "s5"), "Pressemitteilung zur Absage der Veranstaltungen an Medien und Website versandt."),
    (1, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Kitas und Schulen werden ab Montag landesweit geschlossen (Erlass angekündigt)."),
    (1, "09:40", C.AUFTRAG, ("leitung",), "Auftrag an Jugendamt: Notbetreuung für Kinder von Beschäftigten kritischer Infrastruktur planen."),
    (1, "14:10", C.MASSNAHME, ("s4", "staendig"), "Beschaffung von 20.000 Mund-Nasen-Schutz über die Zentrale Vergabestelle eingeleitet."),
    (2, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Hotline des Gesundheitsamts überlastet, Wartezeiten über 40 Minuten."),
    (2, "08:45", C.ENTSCHEIDUNG, ("leitung",), "Bürgertelefon wird mit 15 Beschäftigten aus anderen Ämtern verstärkt; Schichtbetrieb 7–20 Uhr."),
    (2, "16:30", C.VORKOMMNIS, ("s2", "lagezentrum"), "Ausfall der Telefonanlage des Bürgertelefons für 25 Minuten; Umleitung auf Ersatznummer."),
    (3, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: 12 stationär behandelte Personen in den Krankenhäusern der Stadt."),
    (3, "11:00", C.MELDUNG_EIN, ("verbindung", "staendig"), "Verbindungsperson Feuerwehr: Diagnosezentrum an der Messe kann ab Mittwoch betrieben werden."),
    (3, "11:30", C.ENTSCHEIDUNG, ("leitung",), "Einrichtung eines Diagnosezentrums (Abstrichstelle) an der Messe beschlossen."),
    (4, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Notbetreuung in 38 Kitas angelaufen."),
    (4, "13:20", C.MASSNAHME, ("s4", "staendig"), "Diagnosezentrum Messe in Betrieb; erste 140 Abstriche."),
    (5, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Lieferengpass bei Schutzkitteln; Bestand reicht für 5 Tage."),
    (5, "10:00", C.AUFTRAG, ("leitung",), "Auftrag an S4/Beschaffung: alternative Lieferanten für Schutzkittel prüfen, Bericht zur Abendlage."),
    (6, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Kontaktbeschränkungen des Landes gelten ab heute; Ordnungsamt kontrolliert."),
    (6, "18:00", C.MELDUNG_EIN, ("verbindung", "staendig"), "Ordnungsamt: 212 Kontrollen, 9 Verstöße gegen die Kontaktbeschränkungen."),
    (7, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Abstrichkapazität im Diagnosezentrum wird auf 300 pro Tag erhöht."),
    (7, "20:00", C.SCHICHTWECHSEL, ("s1", "koordinierung"), "Schichtwechsel Stabsraum; offene Aufträge an die Nachtschicht übergeben."),
    (8, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Altenpflegeeinrichtungen melden erste Fälle unter Bewohnerinnen und Bewohnern."),
    (8, "09:30", C.ENTSCHEIDUNG, ("leitung",), "Besuchsverbot in Pflegeeinrichtungen wird durch Allgemeinverfügung umgesetzt."),
    (9, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: 31 stationär behandelte Personen, davon 9 intensivmedizinisch."),
    (9, "15:00", C.MASSNAHME, ("bium", "s5"), "Mehrsprachige Informationsblätter (7 Sprachen) an Beratungsstellen verteilt."),
    (10, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Schutzkittel-Lieferung eingegangen; Bestand für 21 Tage."),
    (11, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Belastung der Beschäftigten im Bürgertelefon hoch; Krankenstand steigt."),
    (11, "10:15", C.ENTSCHEIDUNG, ("leitung",), "Rotation im Bürgertelefon: höchstens vier Tage in Folge, danach ein freier Tag."),
    (12, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Zahl der Neuinfektionen stabilisiert sich auf hohem Niveau."),
    (13, "08:00", C.LAGE, ("s2", "lagezentrum"), "Morgenlage: Stab tagt ab morgen einmal täglich statt zweimal."),
    (13, "17:00", C.ENTSCHEIDUNG, ("leitung",), "Besprechungsrhythmus des Stabes: täglich 9:00 Uhr; Lagebericht an den Rat wöchentlich."),
]
# The entry (by its index in ENTRIES) that is corrected, and the correction.
CORRECTED = 12
CORRECTION = "Korrektur: 14 (nicht 12) stationär behandelte Personen; Zählung eines Krankenhauses nachgemeldet."


def _writers(staff: Staff, acting_user) -> dict[str, object]:
    """One holder per function code of the staff (the acting user stands in for missing ones)."""
    writers: dict[str, object] = {}
    for code, user in (StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True)
                       .order_by("role", "started_at").values_list("function__code", "user")):
        writers.setdefault(code, user)
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(writers.values()))}
    return {code: users[pk] for code, pk in writers.items() if pk in users}


def _at(day: int, time: str) -> dt.datetime:
    hour, minute = map(int, time.split(":"))
    return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=BERLIN)


def load(staff: Staff, *, acting_user) -> int:
    """Write the fortnight into ``staff``'s ETB (once: nothing is added to a log with entries)."""
    if LogEntry.objects.filter(staff=staff).exists():
        return 0
    writers = _writers(staff, acting_user)
    written: list[LogEntry] = []
    for index, (day, time, category, codes, text) in enumerate(ENTRIES):
        author = next((writers[c] for c in codes if c in writers), acting_user)
        at = _at(day, time)
        entered = at + dt.timedelta(minutes=3 + index % 7)
        written.append(do_append_entry(staff, category=category, text=text, event_at=at, entered_at=entered,
                                       client_key=f"demo-{index}", acting_user=author))
        if index == CORRECTED:
            corrected = written[-1]
            do_append_entry(staff, category=C.KORREKTUR, text=CORRECTION, corrects=corrected, event_at=at,
                            entered_at=entered + dt.timedelta(minutes=50), client_key="demo-korrektur", acting_user=author)
    keeper = next((writers[c] for c in ("s1", "koordinierung") if c in writers), None)
    if keeper is not None and staff.log_keeper_id is None:
        Staff.objects.filter(pk=staff.pk).update(log_keeper=keeper)
        staff.log_keeper = keeper
    return LogEntry.objects.filter(staff=staff).count()
