"""Demo content of the meet part: two Lagebesprechungen (with contributions and decisions that
became tasks) and one approved, distributed Lagebericht, added to an existing staff (the lead
wires it into the Essen spring-2020 demo staff). No real personal data: texts describe the
situation, the one free address is on an example domain.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import meet_actions as actions
from .models import Meeting, SituationReport, StaffFunction

MEETINGS = [
    {
        "contributions": [
            ("fakt", "Das Gesundheitsamt meldet 47 bestätigte Fälle in der Stadt, davon 6 in Kliniken."),
            ("annahme", "Bei gleichbleibender Entwicklung verdoppeln sich die Fälle in etwa fünf Tagen."),
            ("frage", "Reichen die Abstrichkapazitäten am Diagnosezentrum für das Wochenende?"),
        ],
        "decisions": [
            ("Diagnosezentrum am Messeparkplatz auf Zwei-Schicht-Betrieb erweitern.", 1, 24),
            ("Bürgertelefon ab morgen 8 Uhr mit zusätzlichen Kräften aus dem Bürgeramt besetzen.", 2, 16),
        ],
    },
    {
        "contributions": [
            ("fakt", "Schulen und Kitas sind seit heute geschlossen; die Notbetreuung läuft in 38 Einrichtungen."),
            ("fakt", "Die Lieferung Schutzausrüstung des Landes ist eingetroffen und auf die Pflegeheime verteilt."),
            ("annahme", "Die Nachfrage nach Notbetreuung steigt nächste Woche um etwa ein Drittel."),
            ("frage", "Wer informiert die Träger der Pflegeheime über die neuen Besuchsregeln?"),
        ],
        "decisions": [
            ("Besuchsregeln für Pflegeheime an alle Träger versenden und telefonisch nachhalten.", 3, 12),
        ],
    },
]

SECTIONS = {
    0: "Die Lage ist angespannt, aber beherrschbar. Der Stab tagt täglich um 9 Uhr.",
    1: "47 bestätigte Fälle, 6 davon stationär. Die 7-Tage-Inzidenz steigt seit drei Tagen.",
    2: "Diagnosezentrum im Zwei-Schicht-Betrieb; die Abstrichkapazität reicht nach heutigem Stand bis Sonntag.",
    3: "Bürgertelefon mit 12 Plätzen besetzt; die häufigsten Fragen betreffen Schulschließung und Quarantäne.",
}


def _function(functions: list, index: int):
    return functions[index % len(functions)] if functions else None


def load(staff, *, acting_user) -> dict[str, int]:
    """Add the meet part's demo content to ``staff`` (idempotent: skips a staff that has it)."""
    if Meeting.objects.filter(staff=staff).exists() or SituationReport.objects.filter(staff=staff).exists():
        return {"meetings": 0, "reports": 0}
    functions = list(StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name"))
    if not functions:
        return {"meetings": 0, "reports": 0}
    for number, spec in enumerate(MEETINGS):
        meeting = actions.do_start_meeting(staff, acting_user=acting_user)
        items = list(meeting.items.select_related("function").order_by("position"))
        for index, (kind, text) in enumerate(spec["contributions"]):
            if index and index < len(items) and meeting.current_position < index:
                meeting = actions.do_advance_item(meeting, from_position=meeting.current_position, acting_user=acting_user)
            item = items[meeting.current_position]
            actions.do_add_contribution(meeting, kind=kind, function=item.function or _function(functions, index), text=text,
                                        acting_user=acting_user, client_key=f"demo-{number}-{index}")
        for index, (text, owner, hours) in enumerate(spec["decisions"]):
            actions.do_record_decision(meeting, text=text, owner_function=_function(functions, owner),
                                       due_at=timezone.now() + timedelta(hours=hours), acting_user=acting_user,
                                       client_key=f"demo-{number}-d{index}")
        actions.do_close_meeting(meeting, acting_user=acting_user)
    report = actions.do_create_situation_report(staff, title="Lage zum Wochenende", acting_user=acting_user)
    for position, section in enumerate(report.sections.select_related("function").order_by("function__order", "function__name")):
        if position in SECTIONS:
            actions.do_write_report_section(section, text=SECTIONS[position], acting_user=acting_user)
    actions.do_add_report_recipient(report, email="lagezentrum@bezirksregierung.example", acting_user=acting_user)
    actions.do_submit_situation_report(report, acting_user=acting_user)
    actions.do_approve_situation_report(report, acting_user=acting_user)
    actions.do_distribute_situation_report(report, acting_user=acting_user)
    return {"meetings": len(MEETINGS), "reports": 1}
