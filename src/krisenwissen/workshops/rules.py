"""Permission predicates for workshops.

The Moderation role (or higher) of the host municipality manages a workshop; people entered
as its facilitators manage it as well. Participants need no account: they hold a join link.
"""

import rules

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import has_role, municipalities_with_role


@rules.predicate
def can_manage_workshop(user, workshop) -> bool:
    if workshop is None or not user.is_authenticated or not user.is_active:
        return False
    if has_role(user, municipality_id=workshop.host_id, minimum=Role.MODERATION):
        return True
    return workshop.facilitators.filter(pk=user.pk).exists()


@rules.predicate
def can_create_workshop(user) -> bool:
    return municipalities_with_role(user, minimum=Role.MODERATION).exists()


rules.add_perm("workshops.change_workshop", can_manage_workshop)
rules.add_perm("workshops.add_workshop", can_create_workshop)
