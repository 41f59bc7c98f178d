"""The lifecycles of knowledge items, each declared once (see ``core.lifecycle``).

* Observation review: Entwurf/abgelehnt → eingereicht → geprüft or abgelehnt.
* Lesson lifecycle (lesson identified → lesson learned): erkannt → bestätigt → Maßnahmen in
  Umsetzung → überprüft → verankert (re-checked: verankert → überprüft again); any open state
  → archiviert or ersetzt.
* Publication review: offen → freigegeben (a pending revision becomes the item's content and
  the item takes the requested visibility) or abgelehnt. Approving needs
  ``knowledge.approve_publication``: under the municipality's four-eyes principle nobody
  approves what they requested or wrote; rejecting (also withdrawing one's own request) needs
  ``knowledge.decide_publication``.

The side effects of a step (notifications, applying an approved visibility) are the
``effects`` of its row; the actions in ``actions.py`` check the input and call ``apply``.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.predicates import is_member_of_object
from krisenwissen.accounts.selectors import members_with_role
from krisenwissen.core.audit import record
from krisenwissen.core.lifecycle import Lifecycle, Transition
from krisenwissen.core.notifications import notify

from . import revisions, selectors
from .events import KnowledgeEvent as E
from .models import LessonStatus as L
from .models import ObservationStatus as O
from .models import ReviewStatus as R

# --- side effects ----------------------------------------------------------------------------


def notify_moderation(observation, transition, *, acting_user, **details) -> None:
    """A submitted observation: tell the Moderation (and up) of its municipality, except the submitter."""
    people = members_with_role(observation.municipality_id, minimum=Role.MODERATION)
    if getattr(acting_user, "pk", None) is not None:
        people = people.exclude(pk=acting_user.pk)
    people = list(people)
    if people:
        notify(people, subject=gettext("Beobachtung zur Prüfung eingereicht"), url=observation.get_absolute_url(),
               body=gettext("Eine Beobachtung der Kommune %(city)s wartet auf Ihre Prüfung: %(item)s")
               % {"city": observation.municipality.name, "item": observation})


def notify_author_of_rejection(observation, transition, *, acting_user, grund: str = "", **details) -> None:
    """A rejected observation: tell its author (if still a member and not the reviewer) why."""
    author = observation.created_by
    if author is None or author == acting_user or not is_member_of_object(author, observation):
        return
    notify([author], subject=gettext("Beobachtung abgelehnt"), url=observation.get_absolute_url(),
           body=gettext("Ihre Beobachtung wurde abgelehnt. Begründung: %(reason)s") % {"reason": grund})


def apply_approved_publication(review, transition, *, acting_user, **details) -> None:
    """An approved review: a pending revision becomes the item's content, then the item takes
    the requested visibility (each with its own audit row on the item)."""
    item = review.item
    if review.changes:
        fields = revisions.apply_changes(item, review.changes)
        record(E.REVISION_PUBLISHED, acting_user=acting_user, obj=item, fields=fields, review=review.pk)
    old = item.visibility
    if review.requested_visibility != old:
        item.visibility = review.requested_visibility
        item.save(update_fields=["visibility", "updated_at"])
        record(E.VISIBILITY_RAISED, acting_user=acting_user, obj=item, old=old, new=item.visibility, review=review.pk)
    if item.kind_key in ("lesson", "recommendation"):
        publish_evidence_strength(item, reviewer=acting_user)


def publish_evidence_strength(item, *, reviewer) -> None:
    """Store the evidence strength ("in 4 von 5 Städten beobachtet") with an approved lesson or
    recommendation: counted over the evidence the reviewer can read, so readers who cannot see
    the (internal) observations still learn how well it is founded, never which items."""
    if item.kind_key == "lesson":
        coverage = selectors.lesson_evidence(item, user=reviewer).coverage
    else:
        coverage = selectors.recommendation_evidence(item, user=reviewer).coverage
    item.evidence_cities = coverage.count
    item.evidence_total = coverage.total
    item.save(update_fields=["evidence_cities", "evidence_total"])


# --- the tables ------------------------------------------------------------------------------

OBSERVATION_REVIEW = Lifecycle(
    key="knowledge.observation_review",
    model="knowledge.Observation",
    initial=O.ENTWURF,
    transitions=[
        Transition("submit", sources=[O.ENTWURF, O.ABGELEHNT], target=O.EINGEREICHT,
                   permission="knowledge.submit_observation", event=E.OBSERVATION_SUBMITTED,
                   label=_("Zur Prüfung einreichen"), effects=[notify_moderation]),
        Transition("accept", sources=[O.EINGEREICHT], target=O.GEPRUEFT,
                   permission="knowledge.review_observation", event=E.OBSERVATION_ACCEPTED,
                   label=_("Als geprüft annehmen")),
        Transition("reject", sources=[O.EINGEREICHT], target=O.ABGELEHNT,
                   permission="knowledge.review_observation", event=E.OBSERVATION_REJECTED,
                   label=_("Mit Begründung ablehnen"), effects=[notify_author_of_rejection]),
    ],
)

_OPEN_LESSON_STATES = [L.ERKANNT, L.BESTAETIGT, L.IN_UMSETZUNG, L.UEBERPRUEFT, L.VERANKERT]

LESSON = Lifecycle(
    key="knowledge.lesson",
    model="knowledge.Lesson",
    initial=L.ERKANNT,
    transitions=[
        Transition("endorse", sources=[L.ERKANNT], target=L.BESTAETIGT,
                   permission="knowledge.endorse_lesson", event=E.LESSON_ENDORSED,
                   label=_("Erkenntnis bestätigen")),
        Transition("start_implementation", sources=[L.BESTAETIGT], target=L.IN_UMSETZUNG,
                   permission="knowledge.implement_lesson", event=E.LESSON_IMPLEMENTATION_STARTED,
                   label=_("Maßnahmen in Umsetzung")),
        Transition("validate", sources=[L.IN_UMSETZUNG, L.VERANKERT], target=L.UEBERPRUEFT,
                   permission="knowledge.validate_lesson", event=E.LESSON_VALIDATED,
                   label=_("Überprüfung eintragen")),
        Transition("embed", sources=[L.UEBERPRUEFT], target=L.VERANKERT,
                   permission="knowledge.embed_lesson", event=E.LESSON_EMBEDDED,
                   label=_("Als verankert kennzeichnen")),
        Transition("archive", sources=_OPEN_LESSON_STATES, target=L.ARCHIVIERT,
                   permission="knowledge.close_lesson", event=E.LESSON_ARCHIVED,
                   label=_("Archivieren")),
        Transition("replace", sources=_OPEN_LESSON_STATES, target=L.ERSETZT,
                   permission="knowledge.close_lesson", event=E.LESSON_REPLACED,
                   label=_("Durch andere Erkenntnis ersetzen")),
    ],
)

PUBLICATION_REVIEW = Lifecycle(
    key="knowledge.publication_review",
    model="knowledge.PublicationReview",
    initial=R.OFFEN,
    transitions=[
        Transition("approve", sources=[R.OFFEN], target=R.FREIGEGEBEN,
                   permission="knowledge.approve_publication", event=E.PUBLICATION_APPROVED,
                   label=_("Freigeben"), effects=[apply_approved_publication]),
        Transition("reject", sources=[R.OFFEN], target=R.ABGELEHNT,
                   permission="knowledge.decide_publication", event=E.PUBLICATION_REJECTED,
                   label=_("Ablehnen")),
    ],
)
