"""Permission predicates for knowledge items (django-rules).

Reading follows the item's visibility (see accounts.selectors.VisibilityScope). Writing
needs a role in the item's own municipality: Mitwirkende create and edit, Redaktion
decides on publication requests.
"""

import rules

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import has_role, visibility_scope


@rules.predicate
def can_read_item(user, item) -> bool:
    if item is None:
        return False
    return visibility_scope(user).allows(item.municipality_id, item.visibility)


@rules.predicate
def can_edit_item(user, item) -> bool:
    return item is not None and has_role(user, item.municipality_id, Role.MITWIRKENDE)


@rules.predicate
def can_review_item(user, item) -> bool:
    return item is not None and has_role(user, item.municipality_id, Role.REDAKTION)


@rules.predicate
def can_contribute_somewhere(user) -> bool:
    from krisenwissen.accounts.selectors import municipalities_with_role

    return municipalities_with_role(user, Role.MITWIRKENDE).exists()


@rules.predicate
def can_review_somewhere(user) -> bool:
    from krisenwissen.accounts.selectors import municipalities_with_role

    return municipalities_with_role(user, Role.REDAKTION).exists()


for _model in ("observation", "lesson", "recommendation", "goodpractice"):
    rules.add_perm(f"knowledge.view_{_model}", can_read_item)
    rules.add_perm(f"knowledge.change_{_model}", can_edit_item)
    rules.add_perm(f"knowledge.publish_{_model}", can_review_item)
rules.add_perm("knowledge.add_observation", can_contribute_somewhere)
rules.add_perm("knowledge.review", can_review_somewhere)

# Lifecycle steps (knowledge.lifecycles). Built from the shared predicates.
from krisenwissen.accounts.predicates import (  # noqa: E402
    is_contributor_for_object,
    is_editor_for_object,
    is_moderator_for_object,
)

rules.add_perm("knowledge.submit_observation", is_contributor_for_object)
rules.add_perm("knowledge.review_observation", is_moderator_for_object)
rules.add_perm("knowledge.endorse_lesson", is_editor_for_object)
rules.add_perm("knowledge.implement_lesson", is_contributor_for_object)
rules.add_perm("knowledge.validate_lesson", is_contributor_for_object)
rules.add_perm("knowledge.embed_lesson", is_editor_for_object)
rules.add_perm("knowledge.close_lesson", is_editor_for_object)
rules.add_perm("knowledge.decide_publication", is_editor_for_object)
