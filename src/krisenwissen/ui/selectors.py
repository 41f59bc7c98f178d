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
