"""A small staff for the meet tests, built with the ORM (no activation code needed)."""

from __future__ import annotations

from django.utils import timezone

from krisenwissen.stab.models import FunctionGroup, Staff, StaffAssignment, StaffFunction
from tests.factories import MunicipalityFactory, UserFactory

FUNCTIONS = [  # code, name, group, order
    ("leitung", "Leitung des Stabes", FunctionGroup.LEITUNG, 0),
    ("s2", "S2 Lage", FunctionGroup.S2, 1),
    ("gesundheit", "Gesundheitsamt", FunctionGroup.STAENDIG, 2),
    ("ordnung", "Ordnungsamt", FunctionGroup.STAENDIG, 3),
    ("bium", "Bevölkerungsinformation", FunctionGroup.BIUM, 4),
]


def make_staff(*, exercise: bool = False, municipality=None, rhythm: int = 24) -> dict:
    """A staff with five functions and one holder each (plus an outsider); returns a dict."""
    municipality = municipality or MunicipalityFactory()
    staff = Staff.objects.create(municipality=municipality, name="Stab Pandemie", exercise=exercise,
                                 activated_at=timezone.now(), meeting_rhythm_hours=rhythm)
    out = {"staff": staff, "functions": {}, "users": {}}
    for code, name, group, order in FUNCTIONS:
        function = StaffFunction.objects.create(staff=staff, code=code, name=name, group=group, order=order)
        user = UserFactory(username=f"{code}-{staff.pk}", first_name=name.split()[0], last_name="Beispiel",
                           email=f"{code}-{staff.pk}@stadt.example")
        StaffAssignment.objects.create(function=function, user=user, started_at=timezone.now())
        out["functions"][code] = function
        out["users"][code] = user
    out["users"]["outsider"] = UserFactory(username=f"outsider-{staff.pk}")
    return out
