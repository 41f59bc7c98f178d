"""A small staff built with the ORM (no activation code needed) for the msg part's tests."""

from __future__ import annotations

from django.utils import timezone

from krisenwissen.stab.models import FunctionGroup, Staff, StaffAssignment, StaffFunction
from tests.factories import MunicipalityFactory, UserFactory

FUNCTIONS = [
    ("leitung", "Leitung des Stabes", FunctionGroup.LEITUNG),
    ("koordinierung", "Koordinierungsgruppe des Stabes", FunctionGroup.KOORDINIERUNG),
    ("gesundheit", "Gesundheitsamt", FunctionGroup.EREIGNISSPEZIFISCH),
    ("ordnung", "Ordnungsamt", FunctionGroup.STAENDIG),
    ("s1", "Personal", FunctionGroup.STAENDIG),
]


def make_staff(municipality=None, *, exercise=False, prefix="p") -> dict:
    """A Verwaltungsstab with five functions and one holder each; returns staff, functions, users."""
    municipality = municipality or MunicipalityFactory()
    staff = Staff.objects.create(municipality=municipality, name="Stab Pandemie", activated_at=timezone.now(), exercise=exercise)
    functions, users = {}, {}
    for order, (code, name, group) in enumerate(FUNCTIONS):
        functions[code] = StaffFunction.objects.create(staff=staff, code=code, name=name, group=group, order=order)
        users[code] = UserFactory(username=f"{prefix}-{code}-{staff.pk}", first_name=name.split()[0], last_name="Muster")
        StaffAssignment.objects.create(function=functions[code], user=users[code], started_at=timezone.now())
    return {"staff": staff, "functions": functions, "users": users}
