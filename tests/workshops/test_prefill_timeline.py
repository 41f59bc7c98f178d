"""Prefilled timeline items: the facilitators put context cards (an ETB's key entries, decisions,
open tasks) on the timeline wall before the board opens, through ``do_prefill_timeline``."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.workshops import actions, selectors
from krisenwissen.workshops.models import CARD_MAX_LENGTH, Card, WorkshopEvent

from .. import factories as f


@pytest.fixture
def dated_crisis(crisis):
    phases = list(crisis.phases.order_by("number"))
    spans = [(datetime.date(2020, 1, 27), datetime.date(2020, 3, 15)), (datetime.date(2020, 3, 16), datetime.date(2020, 6, 30)),
             (datetime.date(2020, 7, 1), None)]
    for phase, (start, end) in zip(phases, spans, strict=True):
        phase.start, phase.end = start, end
        phase.save()
    return crisis


def test_prefilled_items_land_on_the_timeline_wall_once(workshop, moderator, dated_crisis, host):
    items = [
        {"key": "etb-1", "text": "Lage: erster bestätigter Fall in Essen", "when": datetime.date(2020, 3, 1)},
        {"key": "etb-7", "text": "Entscheidung: Schulen schließen", "when": datetime.datetime(2020, 3, 16, 9, 30, tzinfo=datetime.UTC)},
        {"key": "task-3", "text": "Offener Auftrag: Hygienekonzept Rathaus", "crisis_phase": dated_crisis.phases.get(number=3)},
    ]
    cards = actions.do_prefill_timeline(workshop, items=items, acting_user=moderator)
    assert [c.crisis_phase.number for c in cards] == [1, 2, 3]
    assert all(c.revealed and c.author_id is None and c.phase.kind == "deskriptiv" for c in cards)
    # Shown on the timeline wall of the board, also to a participant.
    participant = actions.do_join_workshop(workshop, municipality=host)
    board = selectors.board(workshop, participant=participant)
    on_wall = {c.text for col in board["timeline"] for c in col["cards"]}
    assert on_wall == {i["text"] for i in items}
    assert WorkshopEvent.objects.filter(workshop=workshop, kind="card").count() == 3
    assert AuditEntry.objects.filter(action="workshops.timeline_prefilled").count() == 1
    # The same keys again: nothing new (a retried scheduling stores every item once).
    again = actions.do_prefill_timeline(workshop, items=items, acting_user=moderator)
    assert again == [] and Card.objects.filter(workshop=workshop).count() == 3


def test_prefill_is_for_the_facilitators_and_validates_its_input(workshop, host, dated_crisis):
    reader = f.MembershipFactory(municipality=host, role=Role.LESER).user
    with pytest.raises(PermissionDenied):
        actions.do_prefill_timeline(workshop, items=[{"key": "a", "text": "x"}], acting_user=reader)
    moderator = workshop.facilitators.get()
    other_crisis = f.CrisisFactory(title="Hochwasser")
    foreign = f.PhaseFactory(crisis=other_crisis, number=1, name="Flut")
    with pytest.raises(ValidationError, match="anderen Krise"):
        actions.do_prefill_timeline(workshop, items=[{"key": "a", "text": "x", "crisis_phase": foreign}], acting_user=moderator)
    with pytest.raises(ValidationError, match="Kennung"):
        actions.do_prefill_timeline(workshop, items=[{"key": " ", "text": "x"}], acting_user=moderator)
    with pytest.raises(ValidationError, match="höchstens"):
        actions.do_prefill_timeline(workshop, items=[{"key": str(i), "text": "x"} for i in range(actions.PREFILL_MAX_ITEMS + 1)],
                                    acting_user=moderator)
    assert not Card.objects.filter(workshop=workshop).exists()  # nothing half-written
    # A long text is shortened to a card, never refused.
    [card] = actions.do_prefill_timeline(workshop, items=[{"key": "long", "text": "Lage " * 400}], acting_user=moderator)
    assert len(card.text) <= CARD_MAX_LENGTH and card.text.endswith("…")


def test_a_finished_workshop_takes_no_prefill(workshop, moderator):
    actions.do_set_status(workshop, "laeuft", acting_user=moderator)
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    with pytest.raises(ValidationError, match="beendet"):
        actions.do_prefill_timeline(workshop, items=[{"key": "a", "text": "x"}], acting_user=moderator)
