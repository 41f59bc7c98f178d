"""Pending revisions of published items: the proposed content, kept apart from the item.

A published item (visibility Netzwerk or öffentlich) is not changed by an edit. The edit is
stored on an open ``PublicationReview`` as ``changes``::

    {"fields": {"text": "...", "source": 3, ...}, "codes": [1, 2] | None, "links": {"observations": [4]}}

Relations are stored by primary key, so the stored form is plain JSON. The item row, and
with it every surface that reads items (pages, lists, CSV, comparison, search index, API),
keeps the approved content until Redaktion approves the review; ``apply_changes`` then
writes the proposed content (the lifecycle effect of the approval). These helpers check no
permission: they are called by the actions and lifecycle effects that do.
"""

from __future__ import annotations

import copy
import json

from django.core.serializers.json import DjangoJSONEncoder

NOT_REVISED = frozenset({"visibility", "status", "municipality", "created_by", "uuid", "id"})


def _field(item, name):
    return item._meta.get_field(name)


def _pks(values) -> list[int]:
    return sorted({getattr(value, "pk", value) for value in values})


def serialise_changes(item, *, fields: dict, codes=None, links: dict | None = None) -> dict:
    """The proposed content as plain JSON.

    Visibility and lifecycle states are never part of a revision (they change only through
    their own steps); the owner does not change either.
    """
    stored = {}
    for name, value in fields.items():
        if name in NOT_REVISED:
            continue
        field = _field(item, name)
        if field.is_relation:
            stored[name] = getattr(value, "pk", value)
        else:
            stored[name] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return {
        "fields": stored,
        "codes": None if codes is None else _pks(codes),
        "links": {name: _pks(values) for name, values in (links or {}).items()},
    }


def merge_changes(older: dict, newer: dict) -> dict:
    """A second edit of a pending revision: the newer values win, untouched ones stay."""
    if not older:
        return newer
    return {
        "fields": {**older.get("fields", {}), **newer.get("fields", {})},
        "codes": newer["codes"] if newer.get("codes") is not None else older.get("codes"),
        "links": {**older.get("links", {}), **newer.get("links", {})},
    }


def _set_fields(item, stored_fields: dict) -> None:
    for name, value in stored_fields.items():
        field = _field(item, name)
        if field.is_relation:
            setattr(item, field.attname, value)
        else:
            setattr(item, name, field.to_python(value))


def proposed(item, changes: dict):
    """An unsaved copy of ``item`` with the proposed field values (for flags and display)."""
    copy_ = copy.copy(item)
    copy_._state = copy.copy(item._state)
    copy_._state.fields_cache = {}
    _set_fields(copy_, (changes or {}).get("fields", {}))
    return copy_


def changed_field_names(item, changes: dict) -> list[str]:
    """The names of the fields (and relations) whose proposed value differs from the item's."""
    names = []
    for name, value in (changes or {}).get("fields", {}).items():
        field = _field(item, name)
        current = getattr(item, field.attname)
        if field.is_relation:
            if current != value:
                names.append(name)
        elif current != field.to_python(value):
            names.append(name)
    if (changes or {}).get("codes") is not None and _pks(item.codes.all()) != changes["codes"]:
        names.append("codes")
    for name, pks in (changes or {}).get("links", {}).items():
        if _pks(getattr(item, name).all()) != pks:
            names.append(name)
    return names


def comparison(item, changes: dict) -> list[dict]:
    """Field by field: label, approved value, proposed value (for the review page)."""
    rows = []
    new = proposed(item, changes)
    for name in changed_field_names(item, changes):
        field = _field(item, name)
        if name == "codes" or field.many_to_many:
            model = field.related_model
            pks = changes["codes"] if name == "codes" else changes["links"][name]
            old_value = ", ".join(str(obj) for obj in getattr(item, name).all())
            new_value = ", ".join(str(obj) for obj in model._default_manager.filter(pk__in=pks))
        elif field.choices:
            old_value = getattr(item, f"get_{name}_display")()
            new_value = getattr(new, f"get_{name}_display")()
        else:
            old_value = "" if getattr(item, name) is None else str(getattr(item, name))
            new_value = "" if getattr(new, name) is None else str(getattr(new, name))
        rows.append({"label": field.verbose_name, "old": old_value, "new": new_value})
    return rows


def form_initial(item, changes: dict) -> dict:
    """Initial values of the edit form that show the pending revision, not the approved text."""
    initial = dict((changes or {}).get("fields", {}))
    if (changes or {}).get("codes") is not None:
        initial["codes"] = changes["codes"]
    initial.update((changes or {}).get("links", {}))
    return initial


def apply_changes(item, changes: dict) -> list[str]:
    """Write the proposed content to the item (after approval); returns the changed names."""
    names = changed_field_names(item, changes)
    _set_fields(item, changes.get("fields", {}))
    item.full_clean()
    item.save()
    relations = {name: pks for name, pks in changes.get("links", {}).items()}
    if changes.get("codes") is not None:
        relations["codes"] = changes["codes"]
    for name, pks in relations.items():
        # Only rows that still exist (a linked item may have been deleted meanwhile).
        model = _field(item, name).related_model
        getattr(item, name).set(model._default_manager.filter(pk__in=pks))
    return names
