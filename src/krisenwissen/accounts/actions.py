"""State changes of accounts, memberships and the code book; each writes an audit row."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record

from .models import LoginAttempt, Membership, Role, User
from .selectors import has_role


def _require_admin(acting_user, municipality_id):
    if not has_role(acting_user, municipality_id, Role.ADMINISTRATION):
        raise PermissionDenied(_("Nur die Administration dieser Kommune darf das."))


@transaction.atomic
def do_create_user(*, username: str, first_name: str, last_name: str, email: str, municipality, role: str, acting_user) -> User:
    """Create a person with an unusable password (they set one via the administrator) and a membership."""
    _require_admin(acting_user, municipality.pk)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Dieser Benutzername ist bereits vergeben.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=role)
    record("person_angelegt", acting_user=acting_user, obj=user, municipality=municipality, role=role)
    return user


@transaction.atomic
def do_set_membership(*, user: User, municipality, role: str, acting_user) -> Membership:
    """Give ``user`` a role in ``municipality`` (creating or changing the membership)."""
    _require_admin(acting_user, municipality.pk)
    if role not in Role.values:
        raise ValidationError(_("Unbekannte Rolle."))
    membership, created = Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    record("mitgliedschaft_gesetzt", acting_user=acting_user, obj=membership, municipality=municipality, role=role, created=created)
    return membership


@transaction.atomic
def do_remove_membership(membership: Membership, *, acting_user) -> None:
    _require_admin(acting_user, membership.municipality_id)
    if membership.user_id == acting_user.pk and membership.role == Role.ADMINISTRATION:
        raise ValidationError(_("Sie können sich nicht selbst die Administration entziehen."))
    record("mitgliedschaft_entfernt", acting_user=acting_user, obj=membership, municipality=membership.municipality)
    membership.delete()


def login_is_throttled(username: str, ip_address: str | None) -> bool:
    """True when too many failed logins for this name or address happened within the window."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(timestamp__gte=since)
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    by_name = recent.filter(username__iexact=username).count() if username else 0
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return by_name >= limit or by_ip >= limit * 4


@transaction.atomic
def do_record_failed_login(username: str, ip_address: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address)
    record("anmeldung_fehlgeschlagen", acting_user=None, username=username[:150])


@transaction.atomic
def do_clear_failed_logins(username: str) -> None:
    LoginAttempt.objects.filter(username__iexact=username).delete()
