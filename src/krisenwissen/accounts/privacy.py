"""What the platform holds about one person: the building blocks of erasure (Art. 17 GDPR) and
of the data export (Art. 15). The actions ``do_erase_person`` and ``do_export_person_data`` in
``accounts.actions`` use them.

Which rows belong to a person is read from the models, not listed by hand (accounts sits below
the apps that hold contributions): every foreign key or many-to-many field to the user model.

- ``on_delete=SET_NULL`` (and many-to-many) marks a *contribution*: knowledge that outlives its
  author (observations, lessons, recommendations, actions, comments, workshops, participants,
  uploaded files). Erasure keeps these rows; they stay attributed to the pseudonymous account.
- ``on_delete=CASCADE`` marks what only concerns the person (memberships, notifications,
  followed areas, subscriptions, training progress, second-factor devices). Erasure deletes it.
- The audit log (a legal obligation) and Django's technical admin log are kept; their actor is
  the pseudonymous account from then on.

Free text is never rewritten: a name written *inside* an observation or a comment needs the
editorial review (see docs/datenschutz.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from django.apps import apps
from django.db import models

# Kept on erasure although their foreign key cascades: records of what was done.
KEPT_RECORDS = frozenset({"core.auditentry", "admin.logentry"})
# Rows that belong to a person through one of their own rows (cards written as a workshop
# participant): model label of the parent → exported with the parent.
THROUGH_PARENT = frozenset({"workshops.participant"})
# Secrets and credentials never leave the platform, not even to their owner.
SECRET_FIELDS = frozenset({"key", "token", "join_token", "password", "secret", "bin_key"})
ERASED_USERNAME_PREFIX = "geloescht-"
ERASED_NAME = "Gelöschte Person"


def user_fields(model: type[models.Model], user_model) -> list[models.Field]:
    """The fields of ``model`` that point to a person (foreign keys and many-to-many)."""
    return [f for f in model._meta.get_fields()
            if getattr(f, "concrete", False) and f.is_relation and f.related_model is user_model
            and (f.many_to_one or f.many_to_many or f.one_to_one)]


def person_relations(user_model) -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every (model, field) pointing to the user model, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        for f in user_fields(model, user_model):
            yield model, f


def cascades(field: models.Field) -> bool:
    return bool(field.many_to_one or field.one_to_one) and field.remote_field.on_delete is models.CASCADE


def new_pseudonym(user_model) -> tuple[str, str]:
    """A fresh (username, display name) pair such as ("geloescht-482913", "Gelöschte Person 482913")."""
    while True:
        number = f"{secrets.randbelow(900000) + 100000}"
        username = f"{ERASED_USERNAME_PREFIX}{number}"
        if not user_model.objects.filter(username=username).exists():
            return username, f"{ERASED_NAME} {number}"


def is_erased(user) -> bool:
    return bool(user.username.startswith(ERASED_USERNAME_PREFIX) and not user.is_active and not user.email)


def _value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def row_data(obj: models.Model, *, person, user_model) -> dict:
    """One row for the export: its own fields, other rows named by id and text; of persons only
    whether it is the exported person (nothing about anyone else)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in SECRET_FIELDS:
            continue
        if f.is_relation:
            target_id = getattr(obj, f.attname)
            if f.related_model is user_model:
                if target_id == person.pk:
                    data[f.name] = "diese Person"
                continue
            if target_id is None:
                data[f.name] = None
                continue
            target = getattr(obj, f.name, None)
            data[f.name] = {"id": _value(target_id), "text": str(target) if target is not None else ""}
            continue
        data[f.name] = _value(f.value_from_object(obj))
    return data
