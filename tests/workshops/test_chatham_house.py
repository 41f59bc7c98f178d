"""Chatham House and anonymous workshops persist no name (or account) that a card could be linked to."""

import uuid

import pytest
from django.urls import reverse

from krisenwissen.workshops import actions
from krisenwissen.workshops.models import Card, Participant, WorkshopEvent

from .. import factories as f


def _stored_text(workshop) -> str:
    """Everything the database holds about the workshop's participants, cards and board events."""
    rows = [repr(list(Participant.objects.filter(workshop=workshop).values()))]
    rows += [repr(list(Card.objects.filter(workshop=workshop).values()))]
    rows += [repr(list(WorkshopEvent.objects.filter(workshop=workshop).values_list("payload", flat=True)))]
    return "\n".join(rows)


@pytest.mark.parametrize("attribution", ["chatham_house", "anonym"])
def test_no_name_is_stored_with_a_card(workshop, moderator, host, attribution):
    actions.do_update_workshop(workshop, fields={"attribution": attribution}, acting_user=moderator)
    user = f.UserFactory(first_name="Erika", last_name="Mustermann")
    person = actions.do_join_workshop(workshop, display_name="Erika Mustermann", municipality=host, acting_user=user)
    card, _ = actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Die Lage war unklar.")
    assert "Mustermann" not in _stored_text(workshop)
    card.refresh_from_db()
    assert card.author is None or (card.author.display_name == "" and card.author.user_id is None)
    # Switching to "namentlich" later reveals no name of a card written before.
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    card.refresh_from_db()
    assert actions.author_label(card, "namentlich") == ""


def test_namentlich_keeps_the_name(workshop, moderator):
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    person = actions.do_join_workshop(workshop, display_name="Erika Mustermann")
    card, _ = actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Die Lage war unklar.")
    card.refresh_from_db()
    assert actions.author_label(card, "namentlich") == "Erika Mustermann"


def test_chatham_house_join_page_asks_for_no_name(client, workshop):
    url = reverse("workshops:join", args=[workshop.join_token])
    assert 'name="display_name"' not in client.get(url).content.decode()
    assert client.post(url, {"display_name": "Erika Mustermann"}).status_code == 302
    assert "Mustermann" not in _stored_text(workshop)


def test_leaving_namentlich_forgets_the_names(workshop, moderator):
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    person = actions.do_join_workshop(workshop, display_name="Erika Mustermann", acting_user=f.UserFactory())
    actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Die Lage war unklar.")
    actions.do_update_workshop(workshop, fields={"attribution": "chatham_house"}, acting_user=moderator)
    person.refresh_from_db()
    assert (person.display_name, person.user_id) == ("", None)
    assert "Mustermann" not in _stored_text(workshop)


def test_migration_forgets_names_stored_before(workshop, moderator):
    """Names stored under Chatham House before the fix are removed by the data migration."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("krisenwissen.workshops.migrations.0003_forget_names_outside_namentlich")
    old = Participant.objects.create(workshop=workshop, display_name="Erika Mustermann", user=f.UserFactory())
    named = actions.do_create_workshop(host=workshop.host, acting_user=moderator, fields={
        "title": "Namentlich", "start_date": workshop.start_date, "attribution": "namentlich"})
    kept = Participant.objects.create(workshop=named, display_name="Max Muster")
    migration.forget_names(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.display_name, old.user_id) == ("", None)
    assert kept.display_name == "Max Muster"
