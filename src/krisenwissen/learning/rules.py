"""Named permissions of the learning loop (django-rules), built from ``accounts.predicates``.

Action plans are internal to the municipality: members read them and the leadership overview
(Leser and up), Mitwirkende create and update them, the Redaktion decides (beschlossen) and
drops them (nicht umgesetzt) — the steps themselves are in ``lifecycles.py``.
Self-assessments: members read, Mitwirkende score. Training modules and exercises follow
their visibility like knowledge items; the Redaktion maintains them; running an exercise
needs Mitwirkende. Moderation reviews submitted observations; Mitwirkende derive lessons.

Permissions that are asked both for one object and without one ("may this person do this
anywhere?", e.g. to show a "new" button) hold for the object's municipality when an object
(a municipality, action, lesson, assessment, module, exercise or run) is given, and for some
municipality otherwise.
"""

import rules

from krisenwissen.accounts.predicates import (
    can_read_object,
    is_active_user,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_editor_for_object,
    is_editor_somewhere,
    is_member_of_object,
    is_member_somewhere,
    is_moderator_somewhere,
    is_superuser,
)


def _for_object_or_somewhere(for_object, somewhere):
    """``for_object`` when the permission is asked about an object, else ``somewhere``."""

    @rules.predicate(name=f"{for_object.name}_or_{somewhere.name}")
    def predicate(user, obj=None) -> bool:
        return bool(for_object(user, obj)) if obj is not None else bool(somewhere(user))

    return predicate


is_member = _for_object_or_somewhere(is_member_of_object, is_member_somewhere)
is_contributor = _for_object_or_somewhere(is_contributor_for_object, is_contributor_somewhere)
is_editor = _for_object_or_somewhere(is_editor_for_object, is_editor_somewhere)

# Actions (Maßnahmen) and the leadership overview.
rules.add_perm("learning.view_actions", is_member)
rules.add_perm("learning.view_overview", is_member)
rules.add_perm("learning.add_action", is_contributor)
rules.add_perm("learning.change_action", is_contributor_for_object)
rules.add_perm("learning.decide_action", is_editor_for_object)

# Observations and lessons as the learning loop's pages handle them.
rules.add_perm("learning.review_observations", is_moderator_somewhere)
rules.add_perm("learning.derive_lesson", is_contributor_for_object)

# The crisis-onset page: creating a crisis is for a Redaktion somewhere.
rules.add_perm("learning.add_crisis", is_editor_somewhere)

# Self-assessment.
rules.add_perm("learning.view_assessments", is_member)
rules.add_perm("learning.score_assessment", is_contributor)
rules.add_perm("learning.load_framework", is_superuser)

# Training modules and scenario exercises.
rules.add_perm("learning.answer_module", is_active_user & can_read_object)
rules.add_perm("learning.edit_training_module", is_editor)
rules.add_perm("learning.edit_exercise", is_editor)
rules.add_perm("learning.run_exercise", is_contributor)
