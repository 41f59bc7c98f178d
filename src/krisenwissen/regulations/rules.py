"""Permission predicates: legal texts are public; Redaktion (any municipality) maintains them."""

import rules

from krisenwissen.accounts.models import Role


@rules.predicate
def is_editor(user) -> bool:
    """Redaktion in any municipality, or a superuser."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    from krisenwissen.accounts.selectors import municipalities_with_role

    return municipalities_with_role(user, minimum=Role.REDAKTION).exists()


rules.add_perm("regulations.view_legaltext", rules.always_allow)
rules.add_perm("regulations.change_legaltext", is_editor)
rules.add_perm("regulations.change_keywordrule", is_editor)
rules.add_perm("regulations.subscribe", rules.is_authenticated)
