"""Directory groups → municipality roles: parsing the operator's mapping and planning a sync.

Pure core (no Django): shared by LDAP/Active Directory and OpenID Connect sign-in.

A mapping is written by the operator either as text, entries separated by ``;`` or new lines::

    cn=ks-essen-redaktion,ou=groups,dc=example,dc=org=05113:redaktion;
    cn=ks-essen-leser,ou=groups,dc=example,dc=org=05113:leser

(the group is everything before the *last* ``=``, so LDAP DNs need no quoting), or as a JSON
object whose values are ``"AGS:role"`` or a list of them::

    {"/krisenstab/essen": "05113:redaktion", "ks-admins": ["05113:administration", "05913:leser"]}

Groups are compared case-insensitively, DNs without blanks around ``,`` and ``=``. When several
groups of a person map to the same municipality, the highest role wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

AGS_PATTERN = re.compile(r"^[0-9]{5}([0-9]{3})?$|^[0-9]{2}$")
MAX_MAPPING_ENTRIES = 2000
MAX_GROUPS = 5000


class MappingError(ValueError):
    """The mapping text is malformed (the message names the bad entry)."""


def normalize_group(group: str) -> str:
    """Case- and blank-insensitive form of a group name or DN."""
    text = str(group).strip().lower()
    return re.sub(r"\s*([,=])\s*", r"\1", text)


def _parse_target(value: str, group: str, roles: Sequence[str]) -> tuple[str, str]:
    ags, sep, role = str(value).strip().partition(":")
    ags, role = ags.strip(), role.strip().lower()
    if not sep or not AGS_PATTERN.match(ags):
        raise MappingError(f"Eintrag für {group!r}: {value!r} ist nicht „AGS:Rolle“ (AGS mit 2, 5 oder 8 Ziffern).")
    if role not in roles:
        raise MappingError(f"Eintrag für {group!r}: unbekannte Rolle {role!r} (erlaubt: {', '.join(roles)}).")
    return ags, role


def parse_group_mapping(text: str, *, roles: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """Parse the operator's mapping: normalized group → [(AGS, role), ...]. Raises MappingError."""
    text = (text or "").strip()
    if not text:
        return {}
    pairs: list[tuple[str, str]] = []
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise MappingError(f"Die Zuordnung ist kein gültiges JSON: {exc}") from None
        except RecursionError:
            raise MappingError("Die Zuordnung ist kein gültiges JSON: zu tief verschachtelt.") from None
        if not isinstance(data, dict):
            raise MappingError("Die JSON-Zuordnung muss ein Objekt sein.")
        for group, targets in data.items():
            for target in (targets if isinstance(targets, list) else [targets]):
                if not isinstance(target, str):
                    raise MappingError(f"Eintrag für {group!r}: {target!r} ist kein Text „AGS:Rolle“.")
                pairs.append((group, target))
    else:
        for raw in re.split(r"[;\n]", text):
            entry = raw.strip()
            if not entry:
                continue
            group, sep, target = entry.rpartition("=")
            if not sep or not group.strip():
                raise MappingError(f"Eintrag {entry!r}: erwartet „Gruppe=AGS:Rolle“.")
            pairs.append((group, target))
    if len(pairs) > MAX_MAPPING_ENTRIES:
        raise MappingError(f"Zu viele Einträge ({len(pairs)}, höchstens {MAX_MAPPING_ENTRIES}).")
    mapping: dict[str, list[tuple[str, str]]] = {}
    for group, target in pairs:
        key = normalize_group(group)
        if not key:
            raise MappingError(f"Leerer Gruppenname bei {target!r}.")
        parsed = _parse_target(target, group, roles)
        if parsed not in mapping.setdefault(key, []):
            mapping[key].append(parsed)
    return mapping


def desired_roles(
    groups: Iterable[str], mapping: Mapping[str, list[tuple[str, str]]], *, roles: Sequence[str]
) -> dict[str, str]:
    """AGS → role a person with these directory groups should hold (highest role per AGS)."""
    rank = {role: i for i, role in enumerate(roles)}
    result: dict[str, str] = {}
    for count, group in enumerate(groups):
        if count >= MAX_GROUPS:
            break
        for ags, role in mapping.get(normalize_group(group), ()):
            if ags not in result or rank[role] > rank[result[ags]]:
                result[ags] = role
    return result


@dataclass(frozen=True)
class SyncPlan:
    create: dict[str, str]  # AGS → role, new directory memberships
    change: dict[str, str]  # AGS → new role of an existing directory membership
    remove: list[str]  # AGS of directory memberships the person no longer has
    kept_local: list[str]  # AGS the directory wants but an administrator manages locally


def plan_sync(*, desired: Mapping[str, str], directory: Mapping[str, str], local: Iterable[str]) -> SyncPlan:
    """What to do with a person's memberships: ``directory`` (AGS → role) are those the directory
    manages, ``local`` the AGS set by an administrator; local ones are never touched."""
    local = set(local)
    create = {a: r for a, r in desired.items() if a not in directory and a not in local}
    change = {a: r for a, r in desired.items() if a in directory and directory[a] != r}
    remove = sorted(a for a in directory if a not in desired)
    kept_local = sorted(a for a in desired if a in local)
    return SyncPlan(create=create, change=change, remove=remove, kept_local=kept_local)
