"""A staff with members, built with the ORM (no activation code needed)."""

from __future__ import annotations

from django.utils import timezone

from krisenwissen.stab.models import Staff, StaffAssignment, StaffFunction
from tests.factories import MunicipalityFactory, UserFactory


def make_staff(*, municipality=None, exercise=False, members=("leitung", "s2"), name="Krisenstab Teststadt"):
    """A staff with one holder per function code in ``members``; returns (staff, {code: user})."""
    staff = Staff.objects.create(municipality=municipality or MunicipalityFactory(), name=name, exercise=exercise,
                                 activated_at=timezone.now())
    users = {}
    for order, code in enumerate(members):
        function = StaffFunction.objects.create(staff=staff, code=code, name={"leitung": "Leitung", "s2": "S2 Lage",
                                                                               "s1": "S1 Personal"}.get(code, code.upper()), order=order)
        user = UserFactory(first_name=code.upper(), last_name="Mitglied")
        StaffAssignment.objects.create(function=function, user=user, started_at=timezone.now())
        users[code] = user
    return staff, users
