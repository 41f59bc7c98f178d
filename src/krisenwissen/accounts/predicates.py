"""Shared ``rules`` predicates: the building blocks of every app's ``rules.py``.

Roles are cumulative per municipality (Leser < Mitwirkende < Moderation < Redaktion <
Administration); superusers (and ``core.policy.SYSTEM``) hold every role everywhere. An app
combines these into its named permissions, e.g.::

    rules.add_perm("learning.decide_action", has_role_for_object(Role.REDAKTION))

Predicates take ``(user, obj)``; the object's municipality is found by
:func:`municipality_id_of` (``obj.municipality_id``, or ``obj.pk`` for a ``Municipality``).

Platform-wide duties that belong to no municipality (e.g. keeping the shared district and
state data of the Lagebild) are not municipal roles: they are Django permissions, granted to a
person directly or through a group (e.g. "Plattform-Daten"), asked with
:func:`has_platform_permission`. Superusers hold them all.
"""

from __future__ import annotations

from functools import cache

import rules
from django.contrib.auth.backends import ModelBackend

from .models import Municipality, Role
from .selectors import has_role, has_role_anywhere, visibility_scope


def municipality_id_of(obj) -> int | None:
    """The municipality an object belongs to (a Municipality is its own)."""
    if obj is None:
        return None
    if isinstance(obj, Municipality):
        return obj.pk
    return getattr(obj, "municipality_id", None)


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_superuser(user) -> bool:
    return bool(is_active_user(user) and user.is_superuser)


@cache
def has_role_for_object(minimum: str):
    """Predicate: ``user`` holds at least ``minimum`` in the object's municipality."""

    @rules.predicate(name=f"has_{minimum}_for_object")
    def predicate(user, obj) -> bool:
        return obj is not None and is_active_user(user) and has_role(user, municipality_id=municipality_id_of(obj), minimum=minimum)

    return predicate


@cache
def has_role_somewhere(minimum: str):
    """Predicate: ``user`` holds at least ``minimum`` in some municipality (or is superuser)."""

    @rules.predicate(name=f"has_{minimum}_somewhere")
    def predicate(user) -> bool:
        if not is_active_user(user):
            return False
        return has_role_anywhere(user, minimum=minimum)

    return predicate


@cache
def has_platform_permission(perm: str):
    """Predicate: ``user`` holds the platform-wide Django permission ``perm`` ("app.codename"),
    given directly or through a group; superusers hold every one. Municipal roles never grant it."""

    @rules.predicate(name=f"has_platform_permission_{perm}")
    def predicate(user) -> bool:
        if not is_active_user(user):
            return False
        if user.is_superuser:
            return True
        # Asked of the model backend only: asking user.has_perm() would recurse into rules.
        return ModelBackend().has_perm(user, perm)

    return predicate


@rules.predicate
def can_read_object(user, obj) -> bool:
    """The object's visibility allows ``user`` to read it (``VisibilityScope``)."""
    if obj is None:
        return False
    return visibility_scope(user).allows(municipality_id_of(obj), getattr(obj, "visibility", "intern"))


is_member_of_object = has_role_for_object(Role.LESER)
is_contributor_for_object = has_role_for_object(Role.MITWIRKENDE)
is_moderator_for_object = has_role_for_object(Role.MODERATION)
is_editor_for_object = has_role_for_object(Role.REDAKTION)
is_administrator_for_object = has_role_for_object(Role.ADMINISTRATION)

is_member_somewhere = has_role_somewhere(Role.LESER)
is_contributor_somewhere = has_role_somewhere(Role.MITWIRKENDE)
is_moderator_somewhere = has_role_somewhere(Role.MODERATION)
is_editor_somewhere = has_role_somewhere(Role.REDAKTION)
is_administrator_somewhere = has_role_somewhere(Role.ADMINISTRATION)


@rules.predicate
def is_same_person(user, person) -> bool:
    """``person`` (a User) is ``user`` themselves."""
    return bool(person is not None and is_active_user(user) and getattr(person, "pk", None) == user.pk)


@rules.predicate
def administers_every_municipality_of_person(user, person) -> bool:
    """``user`` is the Administration of every municipality ``person`` belongs to (at least one),
    and ``person`` is no platform administrator: only then may a municipality decide about the
    whole person (erasure, data export) without touching another municipality's member."""
    if person is None or not is_active_user(user) or getattr(person, "is_superuser", False):
        return False
    municipality_ids = set(person.memberships.values_list("municipality_id", flat=True))
    return bool(municipality_ids) and all(
        has_role(user, municipality_id=m, minimum=Role.ADMINISTRATION) for m in municipality_ids)
