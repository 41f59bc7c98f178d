"""Permission-aware reads about users, municipalities and scopes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from krisenwissen.core.audit import SECURITY_EVENTS
from krisenwissen.core.models import AuditEntry

from .models import ROLE_RANK, Membership, Municipality, Network, Role, User


@dataclass(frozen=True)
class VisibilityScope:
    """What a user may read: the basis of every permission-aware query.

    ``everything``: platform administrators. Otherwise a user reads items that are public,
    items of their own municipalities (any visibility), and items at visibility
    ``netzwerk`` of municipalities that share a network with one of their own.
    """

    everything: bool = False
    own: frozenset[int] = field(default_factory=frozenset)
    network: frozenset[int] = field(default_factory=frozenset)

    def q(self, prefix: str = "") -> Q:
        """A Q object for models with ``municipality`` and ``visibility`` fields."""
        if self.everything:
            return Q()
        condition = Q(**{f"{prefix}visibility": "oeffentlich"})
        if self.own:
            condition |= Q(**{f"{prefix}municipality_id__in": self.own})
        if self.network:
            condition |= Q(**{f"{prefix}visibility": "netzwerk", f"{prefix}municipality_id__in": self.network})
        return condition

    def allows(self, municipality_id: int | None, visibility: str) -> bool:
        if self.everything or visibility == "oeffentlich":
            return True
        if municipality_id in self.own:
            return True
        return visibility == "netzwerk" and municipality_id in self.network


ANONYMOUS_SCOPE = VisibilityScope()


def visibility_scope(user) -> VisibilityScope:
    """The read scope of ``user`` (anonymous users see only public items). Cached per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_krisenwissen_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = VisibilityScope(everything=True)
    else:
        own = frozenset(Membership.objects.filter(user=user).values_list("municipality_id", flat=True))
        network = frozenset(
            Network.members.through.objects.filter(network__members__in=own).values_list("municipality_id", flat=True)
        ) - own if own else frozenset()
        scope = VisibilityScope(own=own, network=frozenset(network))
    user._krisenwissen_scope = scope
    return scope


def _roles(user) -> dict[int, str]:
    """municipality id → the user's role there; read once per user object (one request)."""
    roles = getattr(user, "_krisenwissen_roles", None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("municipality_id", "role"))
        user._krisenwissen_roles = roles
    return roles


def role_in(user, *, municipality_id: int | None) -> str | None:
    """The user's role in a municipality, or None."""
    if not user.is_authenticated or municipality_id is None:
        return None
    return _roles(user).get(municipality_id)


def has_role_anywhere(user, *, minimum: str) -> bool:
    """True if the user holds ``minimum`` or a higher role in some municipality (or is superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(ROLE_RANK[role] >= ROLE_RANK[minimum] for role in _roles(user).values())


def has_role(user, *, municipality_id: int | None, minimum: str) -> bool:
    """True if the user holds ``minimum`` or a higher role in the municipality (or is superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, municipality_id=municipality_id)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def municipalities_with_role(user, *, minimum: str) -> QuerySet[Municipality]:
    """Municipalities in which the user holds at least ``minimum``."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.filter(is_participating=True)
    return Municipality.objects.filter(memberships__user=user, memberships__role__in=roles_at_least(minimum)).distinct()


def roles_at_least(minimum: str) -> list[str]:
    """The roles that include ``minimum`` (roles are cumulative)."""
    return [r for r in Role.values if ROLE_RANK[r] >= ROLE_RANK[minimum]]


def members_with_role(municipality_id: int, *, minimum: str) -> QuerySet[User]:
    """Active people holding at least ``minimum`` in the municipality (recipients of its notices)."""
    return User.objects.filter(
        is_active=True, memberships__municipality_id=municipality_id, memberships__role__in=roles_at_least(minimum),
    ).distinct()


def participating_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_participating=True).order_by("name")


def memberships_of(municipalities) -> QuerySet[Membership]:
    """Memberships in one municipality or a queryset of them (the caller has checked Administration)."""
    if isinstance(municipalities, Municipality):
        municipalities = [municipalities]
    return Membership.objects.filter(municipality__in=municipalities).select_related("user", "municipality").order_by("user__username")


def administered_municipalities(*, user) -> QuerySet[Municipality]:
    """The municipalities whose people and roles ``user`` manages (Administration there)."""
    return municipalities_with_role(user, minimum=Role.ADMINISTRATION)


def audit_entries_for(*, user, action: str = ""):
    """Audit rows a user may read: everything for superusers, own municipalities for administrators.

    ``action``: only rows of this event key.
    """
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    rows = AuditEntry.objects.select_related("actor", "municipality")
    if action:
        rows = rows.filter(action=action)
    if user.is_superuser:
        return rows
    admin_of = municipalities_with_role(user, minimum=Role.ADMINISTRATION)
    # Security events (sign-ins, downloads, ...) of their people too, wherever they were filed
    # (a person in several municipalities has them under the first one).
    people = Membership.objects.filter(municipality__in=admin_of)
    about_people = Q(actor_id__in=people.values("user_id")) | Q(
        object_type=User._meta.label_lower, object_id__in=people.annotate(uid=Cast("user_id", CharField())).values("uid"))
    return rows.filter(Q(municipality__in=admin_of) | (Q(action__in=SECURITY_EVENTS) & about_people))


def users_with_authenticator(*, memberships) -> set[int]:
    """Ids of the members (of these memberships) who have a confirmed TOTP authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(TOTPDevice.objects.filter(user__in=memberships.values("user"), confirmed=True).values_list("user_id", flat=True))
