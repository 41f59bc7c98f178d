"""The accounts part of the exchange format (see :mod:`krisenwissen.core.exchange`).

Sections::

    municipalities   participating municipalities and every municipality referenced
                     elsewhere in the file; each with its ``departments``
    networks         with ``members`` as AGS keys
    users            without password hashes; each with its ``memberships``

Natural keys: the AGS for municipalities (department: AGS plus name), the slug for networks,
the username for users (membership: username plus AGS). Users created by an import get no
usable password (they have to reset it).

An import never grants privileges: ``is_staff`` and ``is_superuser`` are not exported and,
when an older or hand-made file carries them, ignored; passwords, groups and permissions are
unknown fields and refuse the file. Of an existing user only the name and e-mail address are
updated (``is_active`` is taken for new users only, so an import cannot reactivate an account).
"""

from __future__ import annotations

from django.core.validators import EmailValidator
from django.db import models

from krisenwissen.core.exchange import (
    AGS_RE,
    AGS_REF,
    POSTCODE_RE,
    SLUG,
    USERNAME_RE,
    ExchangePart,
    ExportContext,
    ImportResult,
    ReferenceChecker,
    list_of,
    model_field,
    optional,
    quote,
    record,
    records,
    ref,
)

from .models import Department, Membership, Municipality, Network, User

M, D, U, MS = Municipality, Department, User, Membership

DepartmentRecord = record(
    "DepartmentRecord",
    name=model_field(D, "name", blank=False),
    function=model_field(D, "function", blank=False),
)
MunicipalityRecord = record(
    "MunicipalityRecord",
    ags=model_field(M, "ags", blank=False, pattern=AGS_RE, pattern_hint="2, 5 oder 8 Ziffern"),
    name=model_field(M, "name", blank=False),
    state=optional(M, "state"),
    kind=optional(M, "kind"),
    population=optional(M, "population"),
    postcode=optional(M, "postcode", pattern=POSTCODE_RE, pattern_hint="5 Ziffern"),
    is_participating=optional(M, "is_participating"),
    departments=records(DepartmentRecord),
)
NetworkRecord = record(
    "NetworkRecord",
    slug=model_field(Network, "slug", blank=False, **SLUG),
    name=model_field(Network, "name", blank=False),
    description=optional(Network, "description"),
    members=list_of(ref("str", **AGS_REF)),
)
MembershipRecord = record(
    "MembershipRecord",
    municipality=ref("str", **AGS_REF),
    role=optional(MS, "role"),
    department=ref("str", required=False, nullable=True, max_length=200),
)
UserRecord = record(
    "UserRecord",
    username=model_field(U, "username", blank=False, pattern=USERNAME_RE,
                         pattern_hint="Buchstaben, Ziffern und . @ + - _"),
    first_name=optional(U, "first_name"),
    last_name=optional(U, "last_name"),
    email=optional(U, "email", validator=EmailValidator(), validator_hint="erwartet eine E-Mail-Adresse"),
    is_active=optional(U, "is_active", default=True),
    # Accepted for files of older versions, never applied (see the module docstring).
    is_staff=optional(U, "is_staff", default=False),
    is_superuser=optional(U, "is_superuser", default=False),
    memberships=records(MembershipRecord),
)


# --- references ---------------------------------------------------------------------------


def known_municipalities(doc: dict, wanted) -> set:
    """AGS keys defined in the file or existing in the database, out of ``wanted``."""
    in_file = {m["ags"] for m in doc["municipalities"]}
    return in_file | ReferenceChecker.existing(Municipality, "ags", set(wanted) - in_file)


def known_users(doc: dict, wanted) -> set:
    """Usernames defined in the file or existing in the database, out of ``wanted``."""
    in_file = {u["username"] for u in doc["users"]}
    return in_file | ReferenceChecker.existing(User, "username", set(wanted) - in_file)


def check(doc: dict, checker: ReferenceChecker) -> None:
    checker.unique("municipalities", doc["municipalities"], lambda r: r["ags"], "AGS")
    for i, municipality in enumerate(doc["municipalities"]):
        checker.unique("departments", municipality["departments"], lambda r: r["name"], "Dienststelle",
                       prefix=f"municipalities[{i}].")
    checker.unique("networks", doc["networks"], lambda r: r["slug"], "Kurzname")
    checker.unique("networks", doc["networks"], lambda r: r["name"], "Name")
    checker.unique("users", doc["users"], lambda r: r["username"], "Benutzername")
    for i, user in enumerate(doc["users"]):
        checker.unique("memberships", user["memberships"], lambda r: r["municipality"], "Kommune",
                       prefix=f"users[{i}].")

    wanted = {ags for network in doc["networks"] for ags in network["members"]}
    wanted |= {m["municipality"] for user in doc["users"] for m in user["memberships"]}
    known_ags = known_municipalities(doc, wanted)
    for i, network in enumerate(doc["networks"]):
        for j, ags in enumerate(network["members"]):
            if ags not in known_ags:
                checker.missing(f"networks[{i}].members[{j}]", ags, "Kommune")

    departments_in_file = {(m["ags"], d["name"]) for m in doc["municipalities"] for d in m["departments"]}
    for i, user in enumerate(doc["users"]):
        for j, membership in enumerate(user["memberships"]):
            position = f"users[{i}].memberships[{j}]"
            ags = membership["municipality"]
            if ags not in known_ags:
                checker.missing(f"{position}.municipality", ags, "Kommune")
                continue
            name = membership["department"]
            if name is not None and (ags, name) not in departments_in_file and not Department.objects.filter(
                    municipality__ags=ags, name=name).exists():
                checker.problem(f"{position}.department", f"Dienststelle {quote(name)} gibt es in der Kommune {ags} nicht")


# --- writing --------------------------------------------------------------------------------


def _upsert(result: ImportResult, kind: str, model, lookup: dict, values: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=values)
    result.count(kind, created)
    return obj


# The user fields an import writes (of new and existing users); nothing that grants access.
IMPORTED_USER_FIELDS = ("first_name", "last_name", "email")


def write(doc: dict, result: ImportResult) -> None:
    municipalities: dict[str, Municipality] = {}

    def municipality(ags: str) -> Municipality:
        if ags not in municipalities:
            municipalities[ags] = Municipality.objects.get(ags=ags)
        return municipalities[ags]

    for row in doc["municipalities"]:
        values = {k: v for k, v in row.items() if k not in ("ags", "departments")}
        municipalities[row["ags"]] = obj = _upsert(result, "municipalities", Municipality, {"ags": row["ags"]}, values)
        for department in row["departments"]:
            _upsert(result, "departments", Department, {"municipality": obj, "name": department["name"]},
                    {"function": department["function"]})

    for row in doc["networks"]:
        network = _upsert(result, "networks", Network, {"slug": row["slug"]},
                          {"name": row["name"], "description": row["description"]})
        network.members.set([municipality(ags) for ags in row["members"]])

    for row in doc["users"]:
        # Privileges never come from a file: is_staff/is_superuser are ignored, passwords,
        # groups and permissions are not part of the format (unknown fields are refused).
        values = {k: row[k] for k in IMPORTED_USER_FIELDS}
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User(username=row["username"], is_active=row["is_active"], is_staff=False,
                        is_superuser=False, **values)
            user.set_unusable_password()  # passwords are never exported
            user.save()
            result.count("users", True)
        else:
            for name, field_value in values.items():
                setattr(user, name, field_value)
            user.save(update_fields=list(values))
            result.count("users", False)
        for membership in row["memberships"]:
            place = municipality(membership["municipality"])
            department = (
                Department.objects.get(municipality=place, name=membership["department"])
                if membership["department"] is not None else None
            )
            _upsert(result, "memberships", Membership, {"user": user, "municipality": place},
                    {"role": membership["role"], "department": department})


# --- export ---------------------------------------------------------------------------------


def export(context: ExportContext) -> dict[str, list]:
    # Participating municipalities plus every municipality something in the file points to
    # (the upper parts noted theirs in the context already).
    referenced_ags = set(context.references.get("municipalities", ()))
    referenced_ags |= set(Membership.objects.values_list("municipality__ags", flat=True))
    referenced_ags |= set(Network.members.through.objects.values_list("municipality__ags", flat=True))
    municipalities = Municipality.objects.filter(
        models.Q(is_participating=True) | models.Q(ags__in=sorted(referenced_ags))
    ).prefetch_related("departments").order_by("ags")
    return {
        "municipalities": [
            {
                "ags": m.ags, "name": m.name, "state": m.state, "kind": m.kind, "population": m.population,
                "postcode": m.postcode, "is_participating": m.is_participating,
                "departments": [{"name": d.name, "function": d.function}
                                for d in sorted(m.departments.all(), key=lambda d: d.name)],
            }
            for m in municipalities
        ],
        "networks": [
            {"slug": n.slug, "name": n.name, "description": n.description,
             "members": sorted(n.members.values_list("ags", flat=True))}
            for n in Network.objects.order_by("slug")
        ],
        "users": [
            {
                "username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email,
                "is_active": u.is_active,
                "memberships": [
                    {"municipality": ms.municipality.ags, "role": ms.role,
                     "department": ms.department.name if ms.department else None}
                    for ms in u.memberships.select_related("municipality", "department").order_by("municipality__ags")
                ],
            }
            for u in User.objects.order_by("username")
        ],
    }


PART = ExchangePart(
    sections={"municipalities": MunicipalityRecord, "networks": NetworkRecord, "users": UserRecord},
    counted={"municipalities": "Kommunen", "departments": "Dienststellen", "networks": "Netzwerke",
             "users": "Personen", "memberships": "Mitgliedschaften"},
    check=check,
    write=write,
    export=export,
)
