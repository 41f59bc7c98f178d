"""Small builders for the crisis-staff core tests."""

from __future__ import annotations

from krisenwissen.accounts.models import Role
from krisenwissen.core.policy import SYSTEM
from krisenwissen.stab import actions
from krisenwissen.stab.models import StaffTemplate

from ..factories import MembershipFactory, MunicipalityFactory


def shipped(key: str = "pandemie") -> StaffTemplate:
    actions.ensure_shipped_templates()
    return StaffTemplate.objects.get(municipality__isnull=True, key=key)


def member(municipality, role=Role.LESER, **user):
    return MembershipFactory(municipality=municipality, role=role, **{f"user__{k}": v for k, v in user.items()}).user


def city_with_admin(**kwargs):
    city = MunicipalityFactory(**kwargs)
    return city, member(city, Role.ADMINISTRATION)


def activate(template=None, *, municipality, acting_user=SYSTEM, **kwargs):
    return actions.do_activate_staff(template or shipped(), municipality=municipality, acting_user=acting_user, **kwargs)
