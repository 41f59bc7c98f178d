"""Permission predicates of the learning loop (django-rules).

Action plans are internal to the municipality: members read them and the leadership overview
(Leser and up; reads go through ``selectors``), Mitwirkende create and update them, Redaktion
decides (beschlossen) and drops them (nicht umgesetzt).
Self-assessments: members read, Mitwirkende score. Training modules and exercises follow
their visibility like knowledge items; running an exercise needs Mitwirkende.
"""

import rules

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import has_role, municipalities_with_role


@rules.predicate
def can_edit_action(user, action) -> bool:
    return action is not None and has_role(user, municipality_id=action.municipality_id, minimum=Role.MITWIRKENDE)


@rules.predicate
def can_decide_action(user, action) -> bool:
    return action is not None and has_role(user, municipality_id=action.municipality_id, minimum=Role.REDAKTION)


@rules.predicate
def can_plan_somewhere(user) -> bool:
    return municipalities_with_role(user, minimum=Role.MITWIRKENDE).exists()


rules.add_perm("learning.change_action", can_edit_action)
rules.add_perm("learning.decide_action", can_decide_action)
rules.add_perm("learning.add_action", can_plan_somewhere)
