"""Named permissions of Köpfe kennen (django-rules), built from ``accounts.predicates``.

Who is who:

* **the person themself**: the signed-in user is the ``account`` of the entry;
* **S1/Leitung** of a municipality: the staff's role for personnel and leadership. It is not a
  new municipal membership role (those are cumulative reading/editing ranks) but a staff
  function: a user whose own directory entry holds (as Inhaber/in or Vertretung) a
  ``Function`` of that municipality with doctrine ``leitung`` or ``s1``
  (``models.PRIVATE_CHANNEL_DOCTRINES``). Whoever administers the directory assigns it;
  superusers hold it everywhere;
* **directory management** (``manage_directory``): the municipality's Administration and its
  S1 (personnel/HR).

Reading an entry follows its visibility like every knowledge item (``can_read_object``):
members read every entry of their municipality, ``netzwerk`` entries of the network's cities
and ``oeffentlich`` entries; an ``intern`` entry of another city is never readable. Private
reachability data (channels with audience ``privat``) only the person and S1/Leitung see.
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.predicates import (
    can_read_object,
    is_active_user,
    is_administrator_for_object,
    is_administrator_somewhere,
    is_editor_for_object,
    is_editor_somewhere,
    is_member_somewhere,
    is_superuser,
    municipality_id_of,
)

from .models import PRIVATE_CHANNEL_DOCTRINES, Doctrine, FunctionHolder, Handover, Person


def _person_of(obj):
    """The directory entry a permission is asked about (a Person, or a Handover's person)."""
    if isinstance(obj, Handover):
        return obj.person
    return obj if isinstance(obj, Person) else None


def staff_municipalities(user, doctrines) -> frozenset[int]:
    """Municipalities in which ``user``'s own entry holds a function with one of ``doctrines``."""
    if not is_active_user(user):
        return frozenset()
    cache = user.__dict__.setdefault("_krisenwissen_staff_roles", {})
    key = frozenset(str(d) for d in doctrines)
    if key not in cache:
        cache[key] = frozenset(FunctionHolder.objects.filter(
            person__account=user, function__doctrine__in=key,
        ).values_list("function__municipality_id", flat=True))
    return cache[key]


@rules.predicate
def is_own_entry(user, obj) -> bool:
    person = _person_of(obj)
    return bool(person is not None and is_active_user(user) and person.account_id == user.pk)


@rules.predicate
def maintains_entry(user, obj) -> bool:
    person = _person_of(obj)
    return bool(person is not None and is_active_user(user) and person.maintained_by_id == user.pk)


@rules.predicate
def entry_without_account(user, obj) -> bool:
    person = _person_of(obj)
    return bool(person is not None and not person.account_id)


@rules.predicate
def is_s1_or_leitung_for_object(user, obj) -> bool:
    """``user`` is S1 or Leitung of the staff of the object's municipality."""
    if obj is None or not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return municipality_id_of(obj) in staff_municipalities(user, PRIVATE_CHANNEL_DOCTRINES)


@rules.predicate
def is_s1_for_object(user, obj) -> bool:
    """``user`` is S1 (personnel) of the staff of the object's municipality."""
    if obj is None or not is_active_user(user):
        return False
    return municipality_id_of(obj) in staff_municipalities(user, {Doctrine.S1})


@rules.predicate
def is_s1_somewhere(user) -> bool:
    return bool(staff_municipalities(user, {Doctrine.S1}))


@rules.predicate
def is_s1_or_leitung_somewhere(user) -> bool:
    return bool(staff_municipalities(user, PRIVATE_CHANNEL_DOCTRINES))


def _for_object_or_somewhere(for_object, somewhere):
    """``for_object`` when the permission is asked about an object, else ``somewhere``."""

    @rules.predicate(name=f"{for_object.name}_or_{somewhere.name}")
    def predicate(user, obj=None) -> bool:
        return bool(for_object(user, obj)) if obj is not None else bool(somewhere(user))

    return predicate


manages_directory_for_object = is_superuser | is_administrator_for_object | is_s1_for_object
manages_directory_somewhere = is_superuser | is_administrator_somewhere | is_s1_somewhere
manages_directory = _for_object_or_somewhere(manages_directory_for_object, manages_directory_somewhere)

# The directory: every signed-in member of a municipality searches it.
rules.add_perm("people.view_directory", is_superuser | is_member_somewhere)
rules.add_perm("people.view_person", is_active_user & can_read_object)
rules.add_perm("people.manage_directory", manages_directory)
rules.add_perm("people.add_person", manages_directory)
rules.add_perm("people.change_person", is_own_entry | maintains_entry | manages_directory_for_object)
rules.add_perm("people.erase_person", manages_directory_for_object)
# Confirming: the person their own entry; an entry without an account its maintainer or the
# directory management (nobody else could ever confirm it).
rules.add_perm("people.confirm_own_entry", is_own_entry | (entry_without_account & (maintains_entry | manages_directory_for_object)))
rules.add_perm("people.take_over_history", is_own_entry)
rules.add_perm("people.set_leaving", manages_directory_for_object)
rules.add_perm("people.view_private_channels", is_superuser | is_own_entry | is_s1_or_leitung_for_object)

# Functions and the coverage report of a municipality.
rules.add_perm("people.manage_functions", manages_directory)
rules.add_perm("people.view_coverage", _for_object_or_somewhere(
    manages_directory_for_object | is_editor_for_object | is_s1_or_leitung_for_object,
    manages_directory_somewhere | is_editor_somewhere | is_s1_or_leitung_somewhere))

# Wissensübergabe: S1/HR and the Administration run it; the departing person reads it.
rules.add_perm("people.manage_handover", manages_directory)
rules.add_perm("people.view_handover", is_own_entry | manages_directory_for_object)
