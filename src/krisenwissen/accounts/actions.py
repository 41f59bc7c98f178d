"""State changes of accounts, memberships and the municipality directory; each writes an audit row.

Each ``do_*`` enforces a named permission of ``accounts.rules``. The login throttle and the
audit rows of sign-ins live in ``accounts.throttle`` (no action of a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.policy import SYSTEM, require_perm
from krisenwissen.core.ratelimit import RateLimited, hit

from .directorymapping import desired_roles, plan_sync
from .events import AccountsEvent
from .gemeinden import GV100Record, district_populations
from .models import (
    AccountSource,
    Membership,
    MembershipSource,
    Municipality,
    Network,
    Role,
    User,
)

ONLY_ADMINISTRATION = gettext_lazy("Nur die Administration dieser Kommune darf das.")


@transaction.atomic
def do_create_user(*, username: str, first_name: str, last_name: str, email: str, municipality, role: str, acting_user) -> User:
    """Create a person with an unusable password and a membership; with an e-mail address they
    are sent an invitation link to set their first password."""
    require_perm(acting_user, "accounts.manage_memberships", municipality, message=ONLY_ADMINISTRATION)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Dieser Benutzername ist bereits vergeben.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=role)
    record(AccountsEvent.PERSON_CREATED, acting_user=acting_user, obj=user, municipality=municipality, role=role)
    if user.email:
        _invite(user, municipality, acting_user=acting_user)
    return user


def _invite(user: User, municipality, *, acting_user) -> None:
    from .tasks import send_invitation

    record(AccountsEvent.INVITATION_SENT, acting_user=acting_user, obj=user, municipality=municipality)
    user_id, municipality_id = user.pk, municipality.pk
    transaction.on_commit(lambda: send_invitation.enqueue(user_id, municipality_id))


@transaction.atomic
def do_send_invitation(membership: Membership, *, acting_user) -> None:
    """(Re)send the invitation link to a member who has not set a password yet.

    The person gets a fresh unusable password first, so links of earlier invitations die.
    """
    require_perm(acting_user, "accounts.manage_memberships", membership.municipality, message=ONLY_ADMINISTRATION)
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.is_superuser and not getattr(acting_user, "is_superuser", False):
        raise ValidationError(_("Konten der Plattform-Administration verwaltet nur die Plattform-Administration."))
    if not user.email:
        raise ValidationError(_("Für diese Person ist keine E-Mail-Adresse hinterlegt."))
    if not user.is_active:
        raise ValidationError(_("Dieses Konto ist deaktiviert."))
    if user.account_source:
        # A directory account signs in with its directory password; a local password set
        # through an invitation would be a second way in that the directory cannot revoke.
        raise ValidationError(_("Diese Person meldet sich über das Verzeichnis an und braucht keine Einladung."))
    if user.has_usable_password():
        raise ValidationError(_("Diese Person hat bereits ein Passwort. Sie kann es über „Passwort vergessen?“ zurücksetzen."))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    _invite(user, membership.municipality, acting_user=acting_user)


@transaction.atomic
def do_set_password(user: User, password: str, *, via: str) -> None:
    """A person sets their password through a one-time link (``via``: "invitation" or "reset").

    The link's token proved who they are (the person acts for themselves, so an inactive
    account cannot); the form has validated the password.
    """
    require_perm(user, "accounts.manage_own_credentials")
    user.set_password(password)
    user.save(update_fields=["password"])
    record(AccountsEvent.PASSWORD_SET, acting_user=user, obj=user, via=via)


@transaction.atomic
def do_change_password(user: User, password: str, *, acting_user) -> None:
    """A signed-in person changes their own password (the form checked the old one)."""
    require_perm(acting_user, "accounts.manage_own_credentials")
    if acting_user.pk != user.pk:
        raise ValidationError(_("Nur die Person selbst kann ihr Passwort ändern."))
    user.set_password(password)
    user.save(update_fields=["password"])
    record(AccountsEvent.PASSWORD_CHANGED, acting_user=acting_user, obj=user)


@transaction.atomic
def do_request_password_reset(email: str, ip_address: str | None, *, acting_user) -> int:
    """Count a reset request and, within the limits, mail links to the accounts with that address.

    The caller answers the same whatever happens here (nothing reveals whether an address is
    known). At most ``KRISENWISSEN_PASSWORD_RESET_LIMIT`` requests per address and ten times as
    many per client address within the window send mail. Returns how many accounts are mailed.
    """
    from .tasks import send_password_reset

    require_perm(acting_user, "accounts.request_password_reset")
    email = email.strip().lower()[:254]
    limit, window = settings.KRISENWISSEN_PASSWORD_RESET_LIMIT, settings.KRISENWISSEN_PASSWORD_RESET_WINDOW_SECONDS
    # Counted atomically in the database (core.ratelimit), so parallel requests cannot slip past.
    try:
        hit("password_reset_email", email, limit=(limit, window))
        if ip_address:
            hit("password_reset_client", ip_address, limit=(limit * 10, window))
        throttled = False
    except RateLimited:
        throttled = True
    users = [u for u in User.objects.filter(email__iexact=email, is_active=True) if u.has_usable_password()]
    for user in users:
        record(AccountsEvent.PASSWORD_RESET_REQUESTED, acting_user=SYSTEM, obj=user, throttled=throttled, client_address=ip_address)
    if throttled or not users:
        return 0
    user_ids = [u.pk for u in users]
    transaction.on_commit(lambda: send_password_reset.enqueue(user_ids))
    return len(user_ids)


def start_totp_enrolment(user: User):
    """The person's unconfirmed authenticator (created on first call); confirmed by a code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator-App"), confirmed=False)
    return device


@transaction.atomic
def do_confirm_totp(device, token: str, *, acting_user) -> bool:
    """Confirm a new authenticator with a code it shows; False when the code is wrong."""
    require_perm(acting_user, "accounts.manage_own_credentials")
    if device.user_id != acting_user.pk or device.confirmed:
        raise ValidationError(_("Dieses Gerät gehört nicht zu Ihrem Konto."))
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save()
    type(device).objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    record(AccountsEvent.TOTP_ENROLLED, acting_user=acting_user, obj=acting_user)
    return True


@transaction.atomic
def do_reset_totp(membership: Membership, *, acting_user) -> int:
    """Remove a member's authenticators (lost phone); they sign in with the password and enrol anew."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require_perm(acting_user, "accounts.manage_memberships", membership.municipality, message=ONLY_ADMINISTRATION)
    user = membership.user
    if user.is_superuser and not getattr(acting_user, "is_superuser", False):
        raise ValidationError(_("Konten der Plattform-Administration verwaltet nur die Plattform-Administration."))
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    record(AccountsEvent.TOTP_RESET, acting_user=acting_user, obj=user, municipality=membership.municipality, removed=removed)
    return removed


def record_failed_totp(user: User, ip_address: str | None) -> None:
    record(AccountsEvent.TOTP_FAILED, acting_user=user, obj=user, client_address=ip_address)


@transaction.atomic
def do_set_membership(*, user: User, municipality, role: str, acting_user) -> Membership:
    """Give ``user`` a role in ``municipality`` (creating or changing the membership)."""
    require_perm(acting_user, "accounts.manage_memberships", municipality, message=ONLY_ADMINISTRATION)
    if role not in Role.values:
        raise ValidationError(_("Unbekannte Rolle."))
    # Set by an administrator, the membership is local from now on: directory sign-ins leave it alone.
    membership, created = Membership.objects.update_or_create(
        user=user, municipality=municipality, defaults={"role": role, "source": MembershipSource.LOCAL})
    record(AccountsEvent.MEMBERSHIP_SET, acting_user=acting_user, obj=membership, municipality=municipality, role=role, created=created)
    return membership


@transaction.atomic
def do_set_publication_four_eyes(municipality: Municipality, *, enabled: bool, acting_user) -> Municipality:
    """Switch the four-eyes principle for publication approvals of ``municipality`` on or off."""
    require_perm(acting_user, "accounts.change_municipality_settings", municipality, message=ONLY_ADMINISTRATION)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    old = municipality.publication_four_eyes
    municipality.publication_four_eyes = bool(enabled)
    municipality.save(update_fields=["publication_four_eyes"])
    record(AccountsEvent.PUBLICATION_FOUR_EYES_CHANGED, acting_user=acting_user, obj=municipality,
           municipality=municipality, old=old, new=municipality.publication_four_eyes)
    return municipality


@transaction.atomic
def do_remove_membership(membership: Membership, *, acting_user) -> None:
    require_perm(acting_user, "accounts.manage_memberships", membership.municipality, message=ONLY_ADMINISTRATION)
    if membership.user_id == acting_user.pk and membership.role == Role.ADMINISTRATION:
        raise ValidationError(_("Sie können sich nicht selbst die Administration entziehen."))
    record(AccountsEvent.MEMBERSHIP_REMOVED, acting_user=acting_user, obj=membership, municipality=membership.municipality)
    membership.delete()


@transaction.atomic
def do_sync_directory_memberships(*, user: User, groups, mapping, source: str, acting_user=SYSTEM) -> dict:
    """Align ``user``'s directory-managed memberships with their directory ``groups``.

    ``mapping`` is the parsed group mapping (``directorymapping.parse_group_mapping``). Directory
    memberships are created, changed and removed; memberships an administrator set locally are
    never touched. Municipalities the mapping names but the platform does not know are skipped.
    Called by both the LDAP and the OpenID Connect sign-in; the directory acts as the system.
    """
    require_perm(acting_user, "accounts.sync_directory_memberships")
    desired = desired_roles(groups, mapping, roles=Role.values)
    memberships = list(Membership.objects.select_for_update().filter(user=user).select_related("municipality"))
    directory = {m.municipality.ags: m for m in memberships if m.source == MembershipSource.DIRECTORY}
    local = {m.municipality.ags for m in memberships if m.source != MembershipSource.DIRECTORY}
    plan = plan_sync(desired=desired, directory={a: m.role for a, m in directory.items()}, local=local)
    municipalities = Municipality.objects.in_bulk(list(plan.create), field_name="ags")
    for ags, role in sorted(plan.create.items()):
        municipality = municipalities.get(ags)
        if municipality is None:
            continue
        membership = Membership.objects.create(user=user, municipality=municipality, role=role, source=MembershipSource.DIRECTORY)
        record(AccountsEvent.DIRECTORY_MEMBERSHIP_SET, acting_user=acting_user, obj=membership, municipality=municipality,
               role=role, created=True, directory=source, person=user.username)
    for ags, role in sorted(plan.change.items()):
        membership = directory[ags]
        previous, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        record(AccountsEvent.DIRECTORY_MEMBERSHIP_SET, acting_user=acting_user, obj=membership, municipality=membership.municipality,
               role=role, previous_role=previous, created=False, directory=source, person=user.username)
    for ags in plan.remove:
        membership = directory[ags]
        record(AccountsEvent.DIRECTORY_MEMBERSHIP_REMOVED, acting_user=acting_user, obj=membership, municipality=membership.municipality,
               role=membership.role, directory=source, person=user.username)
        membership.delete()
    return {"created": sorted(a for a in plan.create if a in municipalities), "changed": sorted(plan.change),
            "removed": plan.remove, "kept_local": plan.kept_local,
            "unknown": sorted(a for a in plan.create if a not in municipalities)}


@transaction.atomic
def do_create_directory_account(*, username: str, source: str, external_id: str = "", first_name: str = "",
                                last_name: str = "", email: str = "", acting_user=SYSTEM) -> User:
    """Create the local record of a person who signs in through a directory (no usable password)."""
    require_perm(acting_user, "accounts.sync_directory_memberships")
    if source not in (AccountSource.LDAP, AccountSource.OIDC):
        raise ValueError(f"unknown directory source {source!r}")
    user = User(username=username[:150], first_name=first_name[:150], last_name=last_name[:150], email=email[:254],
                account_source=source, external_id=external_id[:255])
    user.set_unusable_password()
    user.save()
    record(AccountsEvent.DIRECTORY_ACCOUNT_CREATED, acting_user=acting_user, obj=user, directory=source)
    return user


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


# --- Data protection: erasure (Art. 17 GDPR) and data export (Art. 15) -----------------------

ERASE_REFUSED = gettext_lazy("Diese Person darf nur die Plattform-Administration oder die Administration aller ihrer Kommunen löschen.")


def _end_sessions(user: User) -> int:
    """Delete the stored sessions signed in as ``user`` (database sessions)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            signed_in_as = session.get_decoded().get("_auth_user_id")
        except Exception:  # noqa: BLE001 - an undecodable session is nobody's
            continue
        if str(signed_in_as) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _scrub_audit_rows(user: User, *, old_username: str, membership_ids: list[int], pseudonym: str) -> int:
    """Audit rows stay (legal obligation); those *about* the person show the pseudonym instead of
    the name (the actor column shows it anyway, it points to the pseudonymous account)."""
    from django.db.models import Q

    from krisenwissen.core.models import AuditEntry

    about = (Q(object_type=User._meta.label_lower, object_id=str(user.pk))
             | Q(object_type=Membership._meta.label_lower, object_id__in=[str(i) for i in membership_ids]))
    names = {old_username, throttle_name(old_username)}
    changed = 0
    for entry in AuditEntry.objects.filter(about | Q(details__username__in=names) | Q(details__person__in=names)).iterator():
        if entry.object_type == User._meta.label_lower and entry.object_id == str(user.pk):
            entry.object_repr = pseudonym
        elif entry.object_type == Membership._meta.label_lower and entry.object_id in {str(i) for i in membership_ids}:
            entry.object_repr = pseudonym
        for key in ("username", "person"):
            if entry.details.get(key) in names:
                entry.details[key] = pseudonym
        entry.save(update_fields=["object_repr", "details"])
        changed += 1
    return changed


def throttle_name(username: str) -> str:
    from .throttle import normalize

    return normalize(username)


@transaction.atomic
def do_erase_person(user: User, *, acting_user) -> User:
    """Erase a person (Art. 17 GDPR) and keep their knowledge.

    The account stays as a pseudonymous shell ("Gelöschte Person 482913": random user name, no
    names, e-mail or directory id, unusable password, inactive, no rights); everything that only
    concerns the person (memberships, second-factor devices, notifications, subscriptions,
    sessions, login-throttle counters) is deleted. Contributions stay, attributed to the
    pseudonym; free text in them is not rewritten (editorial review). Audit rows stay.
    """
    from django.db.models import Q

    from . import privacy
    from .models import LoginThrottle

    require_perm(acting_user, "accounts.erase_person", user, message=ERASE_REFUSED)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == getattr(acting_user, "pk", None):
        raise ValidationError(_("Sie können sich nicht selbst löschen."))
    if privacy.is_erased(user):
        raise ValidationError(_("Diese Person ist bereits gelöscht."))
    if user.is_superuser and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists():
        raise ValidationError(_("Die letzte Person der Plattform-Administration kann nicht gelöscht werden."))
    # Filed under the municipality whose Administration decided (before the memberships go).
    municipality = user.memberships.select_related("municipality").order_by("pk").first()
    municipality = municipality.municipality if municipality else None
    membership_ids = list(user.memberships.values_list("pk", flat=True))
    old_username = user.username

    removed: dict[str, int] = {}
    for model, f in privacy.person_relations(User):
        label = model._meta.label_lower
        if label in privacy.KEPT_RECORDS or not privacy.cascades(f):
            continue
        count, _details = model._default_manager.filter(**{f.name: user}).delete()
        if count:
            removed[label] = removed.get(label, 0) + count
    name = throttle_name(old_username)
    throttles, _details = LoginThrottle.objects.filter(Q(key=name) | Q(key__startswith=f"{name}|")).delete()
    sessions = _end_sessions(user)

    username, display_name = privacy.new_pseudonym(User)
    user.username = username
    user.first_name, user.last_name, user.email = display_name, "", ""
    user.external_id = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Participants of workshops linked to the person: their shown name becomes the pseudonym.
    for model, f in privacy.person_relations(User):
        if model._meta.label_lower in privacy.THROUGH_PARENT and any(x.name == "display_name" for x in model._meta.concrete_fields):
            model._default_manager.filter(**{f.name: user}).update(display_name=display_name)
    audit_rows = _scrub_audit_rows(user, old_username=old_username, membership_ids=membership_ids, pseudonym=display_name)
    record(AccountsEvent.PERSON_ERASED, acting_user=acting_user, obj=user, municipality=municipality,
           removed=removed, sessions_ended=sessions, throttle_counters=throttles, audit_rows_pseudonymised=audit_rows)
    return user


@transaction.atomic
def do_export_person_data(user: User, *, acting_user) -> dict:
    """Everything the platform holds about ``user`` (Art. 15 GDPR) as a JSON-ready document:
    the account, memberships, contributions (with their texts and dates), workshop
    participations, notifications and the audit rows the person caused. Nothing about another
    person: references to other people are left out."""
    from django.utils import timezone

    from krisenwissen.core.audit import event_label
    from krisenwissen.core.models import AuditEntry

    from . import privacy

    require_perm(acting_user, "accounts.export_person_data", user,
                 message=gettext_lazy("Auskunft erhalten nur die Person selbst und die Administration ihrer Kommunen."))
    document = {
        "format": "krisenwissen-datenauskunft-1",
        "created_at": timezone.now().isoformat(),
        "account": {
            "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "account_source": user.account_source, "external_id": user.external_id, "is_active": user.is_active,
            "date_joined": user.date_joined.isoformat() if user.date_joined else None,
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "has_password": user.has_usable_password(),
        },
        "memberships": [
            {"municipality": m.municipality.name, "ags": m.municipality.ags, "role": m.role,
             "department": str(m.department) if m.department_id else None, "source": m.source}
            for m in user.memberships.select_related("municipality", "department").order_by("pk")
        ],
        "contributions": [],
        "workshop_participations": [],
        "notifications": [],
        "audit": [],
    }
    skip = {Membership._meta.label_lower, "core.notification", *privacy.KEPT_RECORDS}
    for model, f in privacy.person_relations(User):
        label = model._meta.label_lower
        if label in skip or label.startswith("otp_"):
            continue
        rows = model._default_manager.filter(**{f.name: user}).order_by("pk")[:10000]
        for obj in rows:
            entry = {"type": label, "type_name": str(model._meta.verbose_name), "id": obj.pk, "relation": f.name,
                     "text": str(obj), "fields": privacy.row_data(obj, person=user, user_model=User)}
            if label in privacy.THROUGH_PARENT:
                entry["items"] = _children(obj, person=user)
                document["workshop_participations"].append(entry)
            else:
                document["contributions"].append(entry)
    for n in user.notifications.order_by("pk")[:10000]:
        document["notifications"].append({"created_at": n.created_at.isoformat(), "subject": n.subject, "body": n.body,
                                          "url": n.url, "read_at": n.read_at.isoformat() if n.read_at else None})
    about_people = {User._meta.label_lower, Membership._meta.label_lower}
    for e in AuditEntry.objects.filter(actor=user).select_related("municipality").order_by("pk")[:50000]:
        document["audit"].append({
            "timestamp": e.timestamp.isoformat(), "action": e.action, "label": str(event_label(e.action)),
            "object_type": e.object_type, "object_id": e.object_id,
            # a row about another person names them: only the type and id then
            "object": e.object_repr if e.object_type not in about_people or e.object_id == str(user.pk) else "",
            "municipality": e.municipality.name if e.municipality_id else None, "client_address": e.client_address,
        })
    record(AccountsEvent.PERSON_DATA_EXPORTED, acting_user=acting_user, obj=user,
           municipality=user.memberships.select_related("municipality").order_by("pk").first().municipality
           if user.memberships.exists() else None)
    return document


def _children(parent, *, person) -> list[dict]:
    """Rows that belong to the person through ``parent`` (cards of a workshop participant)."""
    from . import privacy

    items = []
    for rel in parent._meta.related_objects:
        if not rel.one_to_many:
            continue
        model = rel.related_model
        for obj in model._default_manager.filter(**{rel.field.name: parent}).order_by("pk")[:10000]:
            items.append({"type": model._meta.label_lower, "type_name": str(model._meta.verbose_name), "id": obj.pk,
                          "text": str(obj), "fields": privacy.row_data(obj, person=person, user_model=User)})
    return items


@transaction.atomic
def do_set_up_municipality(municipality: Municipality, *, acting_user) -> Municipality:
    """Take a municipality of the directory into the platform (``is_participating``); idempotent."""
    require_perm(acting_user, "accounts.set_up_municipality", municipality)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if not municipality.is_participating:
        municipality.is_participating = True
        municipality.save(update_fields=["is_participating"])
        record(AccountsEvent.MUNICIPALITY_JOINED, acting_user=acting_user, obj=municipality, municipality=municipality)
    return municipality


@transaction.atomic
def do_join_network(municipality: Municipality, network: Network, *, acting_user) -> None:
    """Add a participating municipality to a network (it then reads the network's shared items)."""
    require_perm(acting_user, "accounts.set_up_municipality", municipality)
    if not municipality.is_participating:
        raise ValidationError(_("Die Kommune nimmt noch nicht an der Plattform teil."))
    if network.members.filter(pk=municipality.pk).exists():
        return
    network.members.add(municipality)
    record(AccountsEvent.NETWORK_JOINED, acting_user=acting_user, obj=municipality, municipality=municipality,
           netzwerk=network.slug)
