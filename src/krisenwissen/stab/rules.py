"""Named permissions of the crisis staff (django-rules), built from ``accounts.predicates``.

Who is who in a staff (all per staff, never per municipality alone):

* **member**: holds an open assignment (holder or deputy) of a function of the staff;
* **Leitung**: holds a function coded ``leitung`` (``models.LEITUNG_CODES``);
* **S1/personnel**: holds a function coded ``s1`` (``models.PERSONNEL_CODES``); sees the
  individual load figures of the staff's members besides each person themself;
* the municipality's **Administration** activates staffs and assigns functions, as does the
  staff's Leitung.

The object a permission is asked about is a ``Staff`` or anything with a ``staff`` attribute
(an ETB entry, a message, a task, a meeting ...), see ``staff_of``.
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.predicates import (
    is_active_user,
    is_administrator_for_object,
    is_administrator_somewhere,
    is_member_of_object,
    is_member_somewhere,
    is_superuser,
)

from .models import LEITUNG_CODES, PERSONNEL_CODES, Staff, StaffAssignment


def staff_of(obj) -> Staff | None:
    """The staff a permission is asked about (a Staff, or an object with a ``staff``)."""
    if isinstance(obj, Staff):
        return obj
    staff = getattr(obj, "staff", None)
    return staff if isinstance(staff, Staff) else None


def staff_codes(user, staff: Staff) -> frozenset[str]:
    """Codes of the functions ``user`` holds (open assignments) in ``staff``; cached per request user."""
    if staff is None or not is_active_user(user):
        return frozenset()
    cache = user.__dict__.setdefault("_krisenwissen_stab_codes", {})
    if staff.pk not in cache:
        cache[staff.pk] = frozenset(StaffAssignment.objects.filter(
            user=user, ended_at__isnull=True, function__staff=staff,
        ).values_list("function__code", flat=True))
    return cache[staff.pk]


@rules.predicate
def is_staff_member(user, obj) -> bool:
    return bool(staff_codes(user, staff_of(obj)))


@rules.predicate
def is_staff_leitung(user, obj) -> bool:
    return bool(staff_codes(user, staff_of(obj)) & LEITUNG_CODES)


@rules.predicate
def is_staff_personnel(user, obj) -> bool:
    return bool(staff_codes(user, staff_of(obj)) & PERSONNEL_CODES)


@rules.predicate
def administers_staff_municipality(user, obj) -> bool:
    staff = staff_of(obj)
    return bool(staff is not None and is_administrator_for_object(user, staff))


@rules.predicate
def is_member_of_staff_municipality(user, obj) -> bool:
    staff = staff_of(obj)
    return bool(staff is not None and is_member_of_object(user, staff))


# Reading a staff: its members, and the Administration of its municipality.
reads_staff = is_active_user & (is_superuser | is_staff_member | administers_staff_municipality)
leads_staff = is_active_user & (is_superuser | is_staff_leitung | administers_staff_municipality)

rules.add_perm("stab.view_staff_list", is_superuser | is_member_somewhere)
rules.add_perm("stab.view_staff", reads_staff)
rules.add_perm("stab.activate_staff", is_superuser | is_administrator_somewhere)
rules.add_perm("stab.manage_staff", leads_staff)
# Activating a staff for one municipality (the object is the Municipality): its Administration.
rules.add_perm("stab.activate_staff_in", is_active_user & (is_superuser | is_administrator_for_object))


@rules.predicate
def is_shipped_template(user, template) -> bool:
    return template is not None and getattr(template, "municipality_id", None) is None


# Templates: shipped ones are read by every member of a municipality; a city's own copies by
# that city's members, edited by its Administration. Copying needs the Administration somewhere.
rules.add_perm("stab.view_template_list", is_superuser | is_member_somewhere)
rules.add_perm("stab.view_template", is_active_user & (is_superuser | (is_shipped_template & is_member_somewhere) | is_member_of_object))
rules.add_perm("stab.copy_template", is_active_user & (is_superuser | is_administrator_somewhere))
rules.add_perm("stab.edit_template", is_active_user & ~is_shipped_template & (is_superuser | is_administrator_for_object))

# The parts' permissions (each part declares its own, built from the predicates above).
from . import (  # noqa: E402, F401
    closing_rules,
    etb_rules,
    lifecycles,  # declares the staff lifecycle
    load_rules,
    meet_rules,
    ops_rules,
)
