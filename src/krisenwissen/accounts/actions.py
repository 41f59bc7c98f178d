"""State changes of accounts, memberships and the municipality directory; each writes an audit row.

Each ``do_*`` enforces a named permission of ``accounts.rules``. The login throttle and the
audit rows of sign-ins live in ``accounts.throttle`` (no action of a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm

from .events import AccountsEvent
from .gemeinden import GV100Record, district_populations
from .models import Membership, Municipality, Role, User

ONLY_ADMINISTRATION = gettext_lazy("Nur die Administration dieser Kommune darf das.")


@transaction.atomic
def do_create_user(*, username: str, first_name: str, last_name: str, email: str, municipality, role: str, acting_user) -> User:
    """Create a person with an unusable password (they set one via the administrator) and a membership."""
    require_perm(acting_user, "accounts.manage_memberships", municipality, message=ONLY_ADMINISTRATION)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Dieser Benutzername ist bereits vergeben.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=role)
    record(AccountsEvent.PERSON_CREATED, acting_user=acting_user, obj=user, municipality=municipality, role=role)
    return user


@transaction.atomic
def do_set_membership(*, user: User, municipality, role: str, acting_user) -> Membership:
    """Give ``user`` a role in ``municipality`` (creating or changing the membership)."""
    require_perm(acting_user, "accounts.manage_memberships", municipality, message=ONLY_ADMINISTRATION)
    if role not in Role.values:
        raise ValidationError(_("Unbekannte Rolle."))
    membership, created = Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    record(AccountsEvent.MEMBERSHIP_SET, acting_user=acting_user, obj=membership, municipality=municipality, role=role, created=created)
    return membership


@transaction.atomic
def do_remove_membership(membership: Membership, *, acting_user) -> None:
    require_perm(acting_user, "accounts.manage_memberships", membership.municipality, message=ONLY_ADMINISTRATION)
    if membership.user_id == acting_user.pk and membership.role == Role.ADMINISTRATION:
        raise ValidationError(_("Sie können sich nicht selbst die Administration entziehen."))
    record(AccountsEvent.MEMBERSHIP_REMOVED, acting_user=acting_user, obj=membership, municipality=membership.municipality)
    membership.delete()


# Fields the directory is authoritative for. ``is_participating`` is never touched.
OFFICIAL_FIELDS = ("name", "kind", "state", "population", "postcode")
BATCH_SIZE = 500


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})


def official_rows(records: list[GV100Record]) -> dict[str, dict]:
    """Map AGS → official field values for every Kreis (5 digits) and Gemeinde (8 digits).

    A Kreis gets the summed population of its Gemeinden; a kreisfreie Stadt also gets the
    postcode of its single Gemeinde (key ``…000``), since Kreis records carry neither.
    """
    populations = district_populations(records)
    postcodes = {r.ags: r.postcode for r in records if r.record_type == "60"}
    rows: dict[str, dict] = {}
    for rec in records:
        if rec.record_type == "40":
            rows[rec.ags] = {
                "name": rec.name,
                "kind": rec.kind,
                "state": rec.state,
                "population": populations.get(rec.ags),
                "postcode": postcodes.get(rec.ags + "000", "") if rec.kind == "kreisfreie_stadt" else "",
            }
        elif rec.record_type == "60":
            rows[rec.ags] = {
                "name": rec.name,
                "kind": rec.kind,
                "state": rec.state,
                "population": rec.population,
                "postcode": rec.postcode,
            }
    return rows


@transaction.atomic
def do_import_municipalities(records: list[GV100Record], *, acting_user) -> ImportCounts:
    """Create or update Municipality rows by AGS in one transaction, using bulk queries.

    Names of participating municipalities are kept: they were chosen for display on the
    platform (e.g. "Essen" instead of the official "Essen, Stadt"). The console command acts
    as ``SYSTEM`` (an operator on the server, like ``import``).
    """
    require_perm(acting_user, "accounts.import_municipalities",
                 message=_("Nur die Plattform-Administration darf das Gemeindeverzeichnis importieren."))
    rows = official_rows(records)
    counts = ImportCounts()
    existing = {m.ags: m for m in Municipality.objects.filter(ags__in=list(rows))}
    to_create, to_update = [], []
    for ags, values in rows.items():
        level = "kreis" if len(ags) == 5 else "gemeinde"
        current = existing.get(ags)
        if current is None:
            to_create.append(Municipality(ags=ags, **values))
            counts.created[level] += 1
            continue
        changed = False
        for name, value in values.items():
            if name == "name" and current.is_participating:
                continue
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed = True
        if changed:
            to_update.append(current)
            counts.updated[level] += 1
        else:
            counts.unchanged[level] += 1
    Municipality.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Municipality.objects.bulk_update(to_update, OFFICIAL_FIELDS, batch_size=BATCH_SIZE)
    record(
        AccountsEvent.MUNICIPALITIES_IMPORTED,
        acting_user=acting_user,
        created=sum(counts.created.values()),
        updated=sum(counts.updated.values()),
        unchanged=sum(counts.unchanged.values()),
    )
    return counts
