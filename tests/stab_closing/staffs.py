"""A small staff for the closing tests, built with the ORM (independent of the activation code)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.stab.journal import record_in_log
from krisenwissen.stab.models import (
    FunctionGroup,
    LogCategory,
    Staff,
    StaffAssignment,
    StaffFunction,
    Task,
    TaskStatus,
)
from tests import factories as f

FUNCTIONS = [("leitung", "Leitung des Stabes", FunctionGroup.LEITUNG), ("s1", "S1 Personal", FunctionGroup.S1),
             ("s2", "S2 Lage", FunctionGroup.S2), ("gesundheit", "Gesundheitsamt", FunctionGroup.EREIGNISSPEZIFISCH)]


def make_staff(municipality=None, *, crisis=None, exercise=False, name="Krisenstab Corona", entries=True, activated_at=None):
    """A staff with four functions (one person each), an admin of its municipality, a few ETB
    entries (Lage, Entscheidung, Vorkommnis, Schichtwechsel, a correction) and three tasks."""
    municipality = municipality or f.MunicipalityFactory(name="Essen", ags="05113")
    staff = Staff.objects.create(municipality=municipality, name=name, crisis=crisis, exercise=exercise,
                                 activated_at=activated_at or timezone.now() - dt.timedelta(days=14))
    people = {}
    for order, (code, fname, group) in enumerate(FUNCTIONS):
        function = StaffFunction.objects.create(staff=staff, code=code, name=fname, group=group, order=order)
        user = f.MembershipFactory(municipality=municipality, role=Role.LESER, user__username=f"{code}-{staff.pk}",
                                   user__email=f"{code}@example.org").user
        StaffAssignment.objects.create(function=function, user=user, started_at=staff.activated_at)
        people[code] = user
    people["admin"] = f.MembershipFactory(municipality=municipality, role=Role.ADMINISTRATION, user__username=f"admin-{staff.pk}").user
    if entries:
        lead = people["leitung"]
        record_in_log(staff, category=LogCategory.LAGE, text="Erster bestätigter Fall in der Stadt", acting_user=lead)
        decision = record_in_log(staff, category=LogCategory.ENTSCHEIDUNG, text="Schulen schließen ab Montag", acting_user=lead)
        record_in_log(staff, category=LogCategory.KORREKTUR, text="Schulen schließen ab Dienstag", corrects=decision, acting_user=lead)
        record_in_log(staff, category=LogCategory.VORKOMMNIS, text="Ausfall der Telefonanlage im Lagezentrum", acting_user=lead)
        record_in_log(staff, category=LogCategory.SCHICHTWECHSEL, text="Übergabe an die Nachtschicht", acting_user=lead)
        record_in_log(staff, category=LogCategory.MELDUNG_EIN, text="Anfrage der Presse", acting_user=lead)
        now = timezone.now()
        Task.objects.create(staff=staff, number=1, title="Hygienekonzept Rathaus", owner_function=staff.functions.get(code="s2"),
                            due_at=now - dt.timedelta(days=1))
        Task.objects.create(staff=staff, number=2, title="Bürgertelefon verstärken", due_at=now + dt.timedelta(days=2),
                            status=TaskStatus.IN_ARBEIT)
        Task.objects.create(staff=staff, number=3, title="Masken verteilen", status=TaskStatus.ERLEDIGT, done_at=now)
    return staff, people


def fresh(user):
    """The user anew from the database (the staff codes are cached on the object per request)."""
    return type(user).objects.get(pk=user.pk)
