"""A small staff for the load tests: Leitung, S1, S2 holder with a deputy, and outsiders."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.stab.models import (
    AssignmentRole,
    FunctionGroup,
    Staff,
    StaffAssignment,
    StaffFunction,
)
from tests import factories as f


def make_staff(*, municipality=None, activated_at=None, **kwargs):
    municipality = municipality or f.MunicipalityFactory()
    activated_at = activated_at or timezone.now() - dt.timedelta(days=14)
    return Staff.objects.create(municipality=municipality, name=kwargs.pop("name", "Krisenstab Test"), activated_at=activated_at, **kwargs)


def add_function(staff, code, name, group=FunctionGroup.STAENDIG, order=0, deputies_required=1):
    return StaffFunction.objects.create(staff=staff, code=code, name=name, group=group, order=order, deputies_required=deputies_required)


def assign(function, user, role=AssignmentRole.INHABER):
    return StaffAssignment.objects.create(function=function, user=user, role=role, started_at=function.staff.activated_at)


def world():
    """A staff with Leitung, S1, S2 (holder + deputy) and users outside it; returns a dict."""
    city = f.MunicipalityFactory(name="Stadt Last")
    staff = make_staff(municipality=city)
    fns = {
        "leitung": add_function(staff, "leitung", "Leitung", FunctionGroup.LEITUNG, 0),
        "s1": add_function(staff, "s1", "S1 Personal", FunctionGroup.S1, 1),
        "s2": add_function(staff, "s2", "S2 Lage", FunctionGroup.S2, 2),
    }
    users = {
        "leitung": f.UserFactory(username="leitung", first_name="Lea", last_name="Leitung"),
        "s1": f.UserFactory(username="personal", first_name="Paul", last_name="Personal"),
        "person": f.UserFactory(username="lagedienst", first_name="Petra", last_name="Lage"),
        "deputy": f.UserFactory(username="vertretung", first_name="Vera", last_name="Vertretung"),
        "member": f.UserFactory(username="mitglied", first_name="Max", last_name="Mitglied"),
        "administration": f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="verwaltung").user,
        "outsider": f.MembershipFactory(municipality=city, role=Role.LESER, user__username="aussen").user,
    }
    assign(fns["leitung"], users["leitung"])
    assign(fns["s1"], users["s1"])
    assign(fns["s2"], users["person"])
    assign(fns["s2"], users["deputy"], AssignmentRole.VERTRETUNG)
    assign(fns["leitung"], users["member"], AssignmentRole.VERTRETUNG)
    return {"staff": staff, "functions": fns, "users": users, "city": city}
