"""Retention of Köpfe kennen (declared as ``PeopleConfig.retention``, see ``core.retention``)."""

from __future__ import annotations

import datetime as dt

from .models import Person


def apply(*, now, periods: dict[str, int]) -> dict[str, int]:
    """Entries of people who left more than ``people_left`` days ago are deleted with all their
    rows (channels, competences, languages, trainings, crises, hand-overs)."""
    days = periods.get("people_left", 0)
    if not days or days <= 0:
        return {}
    before = (now - dt.timedelta(days=days)).date()
    leaving = Person.objects.filter(leaving_on__isnull=False, leaving_on__lt=before)
    count = 0
    for person in leaving.iterator():
        person.delete()  # one by one: signals pseudonymise the audit rows about the entry
        count += 1
    return {"verzeichnis_ausgeschieden": count}
