"""Permissions of the workshops app (Reflexionsräume), declared once.

Two kinds of people act on a workshop:

* **Facilitators** have an account. The Moderation role (or higher) of the host municipality
  manages a workshop; people entered as its facilitators manage it as well
  (``workshops.manage_workshop``). Creating a workshop needs the Moderation role somewhere
  (``workshops.create_workshop``), and in the municipality chosen as host
  (``workshops.host_workshop``, checked on that ``Municipality``).
* **Participants** need no account: they hold the join link, and after joining a key (session
  or the ``X-Teilnahme`` header). They act as a :class:`ParticipantActor`, the subject of
  their permissions: an action calls ``require_perm(ParticipantActor(participant),
  "workshops.write_card", workshop)`` exactly as it would for a user, and
  :meth:`ParticipantActor.has_perm` asks the same ``rules`` permission set
  (``rules.has_perm``) that the ``rules`` authentication backend asks for users. The
  predicates below accept either kind of subject: user predicates refuse a participant (it is
  not an authenticated user), participant predicates refuse users.

What a participant may do also depends on the board: ``board_is_open`` (the workshop's
``accepts_contributions``: planned or running, not locked) and ``voting_is_open``. Actions
first explain a closed board with a German ``ValidationError`` ("beendet", "gesperrt"), then
enforce the permission, so that the rule itself is here and nowhere else.
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.models import Municipality
from krisenwissen.accounts.predicates import (
    is_active_user,
    is_contributor_for_object,
    is_moderator_for_object,
    is_moderator_somewhere,
)

from .models import Card, TransferScope, Workshop


class ParticipantActor:
    """A participant (with or without an account) as the subject of a permission check.

    Not a user: it is not authenticated, holds no role and never passes a user predicate. It
    answers ``has_perm`` from the declared ``rules`` permissions, like the ``rules`` backend
    does for users, so that ``core.policy.require_perm`` works unchanged.
    """

    is_authenticated = False
    is_anonymous = True
    is_active = False
    is_superuser = False
    is_staff = False
    is_system = False
    pk = None
    id = None

    def __init__(self, participant):
        self.participant = participant

    @property
    def workshop_id(self) -> int:
        return self.participant.workshop_id

    def has_perm(self, perm: str, obj=None) -> bool:
        return rules.has_perm(perm, self, obj)

    def has_perms(self, perms, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perms)

    def __str__(self) -> str:
        return str(self.participant)


def workshop_of(obj) -> Workshop | None:
    """The workshop an object belongs to (a workshop, or anything with a ``workshop``)."""
    if obj is None or isinstance(obj, Workshop):
        return obj
    if getattr(obj, "workshop_id", None) is not None:
        return obj.workshop
    phase = getattr(obj, "phase", None)  # a Question
    return phase.workshop if phase is not None else None


def _host(workshop: Workshop) -> Municipality:
    """The host as an object for the shared predicates, without a query."""
    return workshop.host if Workshop.host.is_cached(workshop) else Municipality(pk=workshop.host_id)


@rules.predicate
def is_host_moderator(user, obj) -> bool:
    """Moderation (or higher) in the workshop's host municipality."""
    workshop = workshop_of(obj)
    return workshop is not None and is_moderator_for_object(user, _host(workshop))


@rules.predicate
def is_facilitator(user, obj) -> bool:
    """Entered as one of the workshop's facilitators."""
    workshop = workshop_of(obj)
    if workshop is None or not is_active_user(user):
        return False
    return workshop.facilitators.filter(pk=user.pk).exists()


@rules.predicate
def is_participant(subject, obj) -> bool:
    """A participant of this very workshop (``ParticipantActor``)."""
    workshop = workshop_of(obj)
    return isinstance(subject, ParticipantActor) and workshop is not None and subject.workshop_id == workshop.pk


@rules.predicate
def board_is_open(subject, obj) -> bool:
    """The board takes contributions: planned or running, and not locked."""
    workshop = workshop_of(obj)
    return workshop is not None and workshop.accepts_contributions


@rules.predicate
def voting_is_open(subject, obj) -> bool:
    workshop = workshop_of(obj)
    return workshop is not None and workshop.voting_open


manages_workshop = is_host_moderator | is_facilitator


@rules.predicate
def agreement_lets_moderation_transfer_all(user, obj) -> bool:
    """The sharing agreement says: the moderation takes every municipality's cards."""
    workshop = workshop_of(obj)
    return workshop is not None and workshop.transfer_scope == TransferScope.MODERATION


def _card_municipality(card: Card) -> Municipality | None:
    return card.author.municipality if card.author_id and card.author.municipality_id else None


@rules.predicate
def card_is_from_own_municipality(user, obj) -> bool:
    """The card's author came from a municipality where ``user`` contributes (Mitwirkende or
    higher); a card without a municipality belongs to the host."""
    if not isinstance(obj, Card):
        return False
    city = _card_municipality(obj)
    return is_contributor_for_object(user, city if city is not None else _host(obj.workshop))

# Facilitators
rules.add_perm("workshops.create_workshop", is_moderator_somewhere)
rules.add_perm("workshops.host_workshop", is_moderator_for_object)  # obj: the host Municipality
rules.add_perm("workshops.manage_workshop", manages_workshop)
rules.add_perm("workshops.present_workshop", manages_workshop)  # the projector view (QR code, revealed cards)
rules.add_perm("workshops.change_status", manages_workshop)  # workshops.lifecycles.WORKSHOP_STATUS
rules.add_perm("workshops.view_protocol", manages_workshop)
# Board → knowledge base (the sharing agreement is ``Workshop.transfer_scope``). Every card
# becomes an observation of its author's municipality. Under the agreement "moderation" the
# host's Moderation and every facilitator of the workshop (also one from an invited
# municipality) may take all cards; under "eigene" each of them takes only the cards of
# participants from a municipality where they contribute themselves.
rules.add_perm("workshops.set_sharing_agreement", is_host_moderator)  # a facilitator cannot widen their own rights
rules.add_perm("workshops.transfer_results", manages_workshop)  # obj: the workshop (the page)
rules.add_perm("workshops.transfer_all_cards", manages_workshop & agreement_lets_moderation_transfer_all)
rules.add_perm("workshops.transfer_card",  # obj: a Card
               manages_workshop & (agreement_lets_moderation_transfer_all | card_is_from_own_municipality))

# Participants (and anyone holding the link)
rules.add_perm("workshops.join_workshop", board_is_open)
rules.add_perm("workshops.write_card", is_participant & board_is_open)
rules.add_perm("workshops.cast_vote", is_participant & board_is_open & voting_is_open)
rules.add_perm("workshops.upload_photo", manages_workshop | (is_participant & board_is_open))
rules.add_perm("workshops.view_photos", manages_workshop | is_participant)
