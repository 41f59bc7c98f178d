"""Reads of the ui app (keyword-only, permission-aware)."""

from __future__ import annotations

from krisenwissen.core.policy import require_perm

from .models import AccessibilityFeedback


def own_roles(*, user) -> set[str]:
    """The roles ``user`` holds in any municipality (empty for visitors without an account)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.memberships.values_list("role", flat=True))


def accessibility_feedback(*, user, limit: int = 200):
    """The newest feedback messages, for the operator only."""
    require_perm(user, "ui.view_accessibility_feedback")
    return AccessibilityFeedback.objects.order_by("-created_at")[:limit]


def directory_matches(query: str, *, user, limit: int = 25):
    """Municipalities of the directory (participating or not) whose name or AGS matches ``query``."""
    from django.db.models import Q

    from krisenwissen.accounts.models import Municipality

    require_perm(user, "accounts.set_up_municipality")
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return Municipality.objects.none()
    condition = Q(ags__startswith=query) if query.isdigit() else Q(name__icontains=query)
    return Municipality.objects.filter(condition).order_by("-is_participating", "name")[:limit]


def setup_state(municipality, *, user) -> dict:
    """What the set-up of ``municipality`` has reached: members per role and networks."""
    from krisenwissen.accounts.models import Network

    require_perm(user, "accounts.set_up_municipality", municipality)
    roles = list(municipality.memberships.values_list("role", flat=True))
    return {
        "members": len(roles),
        "administrators": roles.count("administration"),
        "editors": sum(1 for r in roles if r in ("redaktion", "administration")),
        "networks": list(municipality.networks.order_by("name")),
        "other_networks": list(Network.objects.exclude(members=municipality).order_by("name")),
    }
