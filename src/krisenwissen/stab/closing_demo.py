"""Demo content of the Rückführung: the Essen staff of spring 2020 is returned to the regular
organisation in June 2020: its open tasks handed over, decisions and archive confirmed,
members notified, the staff deactivated and its hot debrief (Reflexionsraum) scheduled with
the timeline prefilled from the ETB. Runs after the other parts' demo loaders.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from krisenwissen.people.models import Organisation

from . import closing_actions as actions
from . import closing_selectors as sel

DEACTIVATION = dt.datetime(2020, 6, 15, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))

# Who in the regular organisation takes over the tasks of a function (by function code).
REGULAR_OWNERS = {
    "s1": "Personal- und Organisationsamt",
    "s2": "Gesundheitsamt, Lagezentrum Infektionsschutz",
    "s3": "Ordnungsamt, Außendienst",
    "s4": "Zentraler Einkauf und Logistik",
    "s5": "Presse- und Kommunikationsamt",
    "bium": "Presse- und Kommunikationsamt",
    "s6": "Amt für Informationsverarbeitung",
}
DEFAULT_OWNER = "Gesundheitsamt, Abteilung Infektionsschutz"


def deactivation_time(staff) -> dt.datetime:
    """Mid-June 2020 for a staff of spring 2020; otherwise a fortnight after its activation."""
    if staff.activated_at < DEACTIVATION:
        return DEACTIVATION
    return min(staff.activated_at + dt.timedelta(days=14), timezone.now())


def load(staff, *, acting_user) -> None:
    """Work through the Rückführung of ``staff`` and deactivate it (a deactivated staff is left as it is)."""
    staff.refresh_from_db()
    if not staff.is_active:
        return
    at = deactivation_time(staff)
    steps = iter(at - dt.timedelta(hours=h) for h in range(48, 0, -1))
    health = Organisation.objects.filter(municipality=staff.municipality, name="Gesundheitsamt", parent__isnull=True).first()
    for task in sel.open_tasks(staff):
        code = task.owner_function.code if task.owner_function_id else ""
        owner = REGULAR_OWNERS.get(code, DEFAULT_OWNER)
        organisation = health if health is not None and owner.startswith("Gesundheitsamt") else None
        actions.do_hand_over_task(task, owner_text=owner, owner_organisation=organisation, acting_user=acting_user, at=next(steps, at))
    actions.do_confirm_decisions(staff, acting_user=acting_user, at=next(steps, at), note=(
        "Über die schrittweise Öffnung der Kitas und Schulen entscheidet ab jetzt der Verwaltungsvorstand; "
        "die Allgemeinverfügungen betreut das Ordnungsamt."))
    actions.do_confirm_archive(staff, acting_user=acting_user, at=next(steps, at),
                               note="Stadtarchiv Essen, Bestand Krisenstab 2020 (ETB als PDF/UA mit Prüfsummen)")
    if sel.staff_members(staff):
        actions.do_notify_members(staff, acting_user=acting_user, at=next(steps, at), message=(
            "Danke für drei Monate Einsatz. Die Aufträge sind übergeben; zur Nachbesprechung laden wir gesondert ein."))
        actions.do_deactivate_staff(staff, acting_user=acting_user, at=at)
    else:
        actions.do_deactivate_staff(staff, acting_user=acting_user, at=at,
                                    justification="Keine Mitglieder mehr mit offener Besetzung; Rückführung ohne Benachrichtigung.")
