"""Named permissions of the knowledge base, built from the shared predicates (``accounts.predicates``).

Reading follows the item's visibility (``VisibilityScope``). Writing needs a role in the
item's own municipality: Mitwirkende create and edit and ask for publication, Moderation
reviews observations, Redaktion decides on publication requests and on the lesson
lifecycle; under the municipality's four-eyes principle (on by default) nobody approves a
publication they requested or a revision they wrote. Crises are created by the Redaktion of
some municipality (or the platform administration); the code book is kept by the platform
administration.

Permissions asked without an object ("may this person create something somewhere?") and
with one (the municipality, the item) share a name where the page and the action ask the
same question, e.g. ``knowledge.add_item``.
"""

import rules

from krisenwissen.accounts.predicates import (
    can_read_object,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_editor_for_object,
    is_editor_somewhere,
    is_moderator_for_object,
    is_superuser,
)


@rules.predicate
def no_object(user, obj) -> bool:
    """The permission is asked for a page, not for one object."""
    return obj is None


@rules.predicate
def is_own_publication_under_four_eyes(user, review) -> bool:
    """Four-eyes principle: ``user`` requested this publication or wrote the text under review,
    and the owning municipality requires a second person (``Municipality.publication_four_eyes``)."""
    if review is None or getattr(user, "pk", None) is None:
        return False
    if not review.municipality.publication_four_eyes:
        return False
    return review.requested_by_id == user.pk or user.pk in (review.authors or [])


# Creating: the page asks without an object (Mitwirkende somewhere), the action with the
# municipality that will own the item or source (Mitwirkende there).
may_contribute = (no_object & is_contributor_somewhere) | is_contributor_for_object

for _model in ("observation", "lesson", "recommendation", "goodpractice"):
    rules.add_perm(f"knowledge.view_{_model}", can_read_object)
    rules.add_perm(f"knowledge.change_{_model}", is_contributor_for_object)
    rules.add_perm(f"knowledge.publish_{_model}", is_editor_for_object)
rules.add_perm("knowledge.add_item", may_contribute)
rules.add_perm("knowledge.add_observation", may_contribute)
rules.add_perm("knowledge.add_source", may_contribute)
rules.add_perm("knowledge.review", is_editor_somewhere)
rules.add_perm("knowledge.add_crisis", is_editor_somewhere)
rules.add_perm("knowledge.view_codebook", is_contributor_somewhere)
rules.add_perm("knowledge.add_code", is_superuser)

# Lifecycle steps (knowledge.lifecycles).
rules.add_perm("knowledge.submit_observation", is_contributor_for_object)
rules.add_perm("knowledge.review_observation", is_moderator_for_object)
rules.add_perm("knowledge.endorse_lesson", is_editor_for_object)
rules.add_perm("knowledge.implement_lesson", is_contributor_for_object)
rules.add_perm("knowledge.validate_lesson", is_contributor_for_object)
rules.add_perm("knowledge.embed_lesson", is_editor_for_object)
rules.add_perm("knowledge.close_lesson", is_editor_for_object)
rules.add_perm("knowledge.decide_publication", is_editor_for_object)
rules.add_perm("knowledge.approve_publication", is_editor_for_object & ~is_own_publication_under_four_eyes)
