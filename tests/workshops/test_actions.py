"""Workshop actions: permissions, idempotent cards, private-until-reveal, votes, photos, knowledge."""

import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge.models import Lesson, Observation, Recommendation
from krisenwissen.workshops import actions, selectors
from krisenwissen.workshops.models import CARD_MAX_LENGTH, Card, QuestionBankEntry, WorkshopEvent

from .. import factories as f
from .conftest import image_bytes


def test_question_bank_is_seeded(db):
    texts = set(QuestionBankEntry.objects.values_list("text", flat=True))
    assert "Was lief gut, warum?" in texts
    assert "Wie haben Sie das Krisenmanagement organisiert, um vor die Lage zu kommen?" in texts
    assert QuestionBankEntry.objects.filter(source="after_action").count() >= 5


def test_create_workshop_builds_three_phases_with_questions(workshop, moderator):
    kinds = list(workshop.phases.values_list("kind", flat=True))
    assert kinds == ["deskriptiv", "analytisch", "transfer"]
    assert all(p.questions.exists() for p in workshop.phases.all())
    assert workshop.current_question is not None
    assert AuditEntry.objects.filter(action="workshops.workshop_created").exists()
    assert list(workshop.facilitators.all()) == [moderator]


def test_only_moderation_of_host_creates(host, db):
    reader = f.MembershipFactory(municipality=host, role=Role.MITWIRKENDE).user
    with pytest.raises(PermissionDenied):
        actions.do_create_workshop(host=host, fields={"title": "x", "start_date": "2023-01-01"}, acting_user=reader)
    other = f.MunicipalityFactory(ags="05913")
    mod_other = f.MembershipFactory(municipality=other, role=Role.MODERATION).user
    with pytest.raises(PermissionDenied):
        actions.do_create_workshop(host=host, fields={"title": "x", "start_date": "2023-01-01"}, acting_user=mod_other)


def test_card_is_stored_once_per_uuid(participant):
    key = uuid.uuid4()
    card, created = actions.do_add_card(participant, card_uuid=key, text="  Chaos im ersten Lockdown  ")
    again, created_again = actions.do_add_card(participant, card_uuid=str(key), text="Chaos im ersten Lockdown")
    assert created and not created_again and card.pk == again.pk
    assert Card.objects.count() == 1
    assert card.text == "Chaos im ersten Lockdown"
    assert WorkshopEvent.objects.filter(kind="card").count() == 1


def test_card_uuid_of_someone_else_is_rejected(workshop, participant):
    other = actions.do_join_workshop(workshop, display_name="B")
    key = uuid.uuid4()
    actions.do_add_card(participant, card_uuid=key, text="eins")
    with pytest.raises(ValidationError):
        actions.do_add_card(other, card_uuid=key, text="zwei")


@pytest.mark.parametrize("text, message", [
    ("", "leer"), ("   \n ", "leer"), ("x" * (CARD_MAX_LENGTH + 1), "zu lang"), ("not-a-uuid", None),
])
def test_bad_cards_get_german_messages(participant, text, message):
    key = "kaputt" if message is None else uuid.uuid4()
    with pytest.raises(ValidationError) as info:
        actions.do_add_card(participant, card_uuid=key, text=text or "")
    assert (message or "Kartenkennung") in " ".join(info.value.messages)
    assert Card.objects.count() == 0


def test_script_is_stored_as_text(participant):
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="<script>alert(1)</script>\x00")
    assert card.text == "<script>alert(1)</script>"


def test_private_until_reveal(workshop, participant):
    other = actions.do_join_workshop(workshop, display_name="B")
    mine, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="meine Karte")
    theirs, _ = actions.do_add_card(other, card_uuid=uuid.uuid4(), text="fremde Karte")
    view = selectors.board(workshop, participant=participant)
    assert [c.text for c in view["cards"]] == ["meine Karte"] and view["hidden_count"] == 1
    feed = selectors.events_after(workshop, after=0, participant=participant)
    texts = [e["payload"]["card"]["text"] for e in feed["events"] if e["kind"] == "card"]
    assert texts == ["meine Karte"]
    assert "fremde Karte" not in str(feed)
    assert all("author" not in e["payload"].get("card", {}) for e in feed["events"])
    facilitator = selectors.board(workshop)
    assert facilitator["cards"] == [] and facilitator["hidden_count"] == 2
    seq = feed["seq"]
    assert actions.do_reveal_cards(workshop, acting_user=workshop.facilitators.first()) == 2
    feed = selectors.events_after(workshop, after=seq, participant=participant)
    revealed = [c["text"] for e in feed["events"] if e["kind"] == "reveal" for c in e["payload"]["cards"]]
    assert sorted(revealed) == ["fremde Karte", "meine Karte"]
    assert {c.text for c in selectors.board(workshop, participant=participant)["cards"]} == {"meine Karte", "fremde Karte"}
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revealed and theirs.revealed


def test_locked_or_finished_workshop_refuses_joins_and_cards(workshop, participant, moderator):
    actions.do_set_locked(workshop, True, acting_user=moderator)
    with pytest.raises(ValidationError, match="gesperrt"):
        actions.do_join_workshop(workshop, display_name="Spät")
    with pytest.raises(ValidationError, match="gesperrt"):
        actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="zu spät")
    actions.do_set_locked(workshop, False, acting_user=moderator)
    actions.do_set_current_question(workshop, workshop.phases.last().questions.first(), acting_user=moderator)
    workshop.refresh_from_db()
    assert workshop.status == "laeuft"
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    with pytest.raises(ValidationError, match="beendet"):
        actions.do_join_workshop(workshop)
    with pytest.raises(ValidationError):
        actions.do_set_status(workshop, "veroeffentlicht", acting_user=moderator)


def test_cards_sent_before_the_lock_are_confirmed_after_it(workshop, participant, moderator):
    key = uuid.uuid4()
    actions.do_add_card(participant, card_uuid=key, text="vor der Sperre")
    actions.do_set_locked(workshop, True, acting_user=moderator)
    card, created = actions.do_add_card(participant, card_uuid=key, text="vor der Sperre")
    assert not created and card.text == "vor der Sperre"


def test_votes_are_limited(workshop, participant, moderator):
    cluster = actions.do_create_cluster(workshop, name="Personal", kind="massnahmenidee", acting_user=moderator)
    with pytest.raises(ValidationError, match="nicht geöffnet"):
        actions.do_cast_vote(participant, cluster)
    actions.do_set_voting(workshop, True, acting_user=moderator)
    key = uuid.uuid4()
    actions.do_cast_vote(participant, cluster, vote_uuid=key)
    actions.do_cast_vote(participant, cluster, vote_uuid=key)  # resend: counted once
    actions.do_cast_vote(participant, cluster)
    actions.do_cast_vote(participant, cluster)
    with pytest.raises(ValidationError, match="alle 3 Punkte"):
        actions.do_cast_vote(participant, cluster)
    assert cluster.votes.count() == 3


def test_clusters_moves_quotes_need_the_facilitator(workshop, participant, moderator, db):
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Karte")
    stranger = f.UserFactory()
    with pytest.raises(PermissionDenied):
        actions.do_create_cluster(workshop, name="X", acting_user=stranger)
    cluster = actions.do_create_cluster(workshop, name="  Vor die   Lage kommen ", kind="befund", acting_user=moderator)
    assert cluster.name == "Vor die Lage kommen"
    with pytest.raises(ValidationError):
        actions.do_create_cluster(workshop, name="   ", acting_user=moderator)
    actions.do_move_card(card, cluster, acting_user=moderator)
    actions.do_mark_quote(card, True, acting_user=moderator)
    card.refresh_from_db()
    assert card.cluster == cluster and card.is_quote
    with pytest.raises(PermissionDenied):
        actions.do_move_card(card, None, acting_user=stranger)


def test_photo_exif_is_stripped_and_thumbnail_made(workshop, moderator):
    from PIL import Image

    data = image_bytes("JPEG", size=(3000, 2000))
    assert b"GeheimKamera" in data
    photo = actions.do_upload_photo(workshop, data=data, caption="Pinnwand", acting_user=moderator)
    stored = photo.image.read()
    assert b"GeheimKamera" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and max(image.size) <= actions.PHOTO_MAX_EDGE
    with Image.open(photo.thumbnail) as thumb:
        assert max(thumb.size) <= actions.THUMB_EDGE


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 kein Bild", "kein lesbares Foto"),
    (b"", "leer"),
    (image_bytes("JPEG")[:200], "kein lesbares Foto"),
    (b"\xff" * (actions.MAX_PHOTO_BYTES + 1), "zu groß"),
])
def test_bad_photos_are_rejected(workshop, moderator, data, message):
    with pytest.raises(ValidationError) as info:
        actions.do_upload_photo(workshop, data=data, caption="x", acting_user=moderator)
    assert message in " ".join(info.value.messages)
    assert not workshop.photos.exists()


def test_photo_needs_caption(workshop, moderator):
    with pytest.raises(ValidationError, match="beschreiben"):
        actions.do_upload_photo(workshop, data=image_bytes(), caption="  ", acting_user=moderator)


def test_transfer_to_knowledge(workshop, participant, moderator):
    a, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Krisenstab tagte täglich")
    b, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Personal früh verstärken")
    c, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Einzelne Beobachtung")
    finding = actions.do_create_cluster(workshop, name="Strukturen", kind="befund", acting_user=moderator)
    idea = actions.do_create_cluster(workshop, name="Personal", kind="massnahmenidee", acting_user=moderator)
    actions.do_move_card(a, finding, acting_user=moderator)
    actions.do_move_card(b, idea, acting_user=moderator)
    counts = actions.do_transfer_to_knowledge(workshop, cards=[c], clusters=[finding, idea], acting_user=moderator)
    assert (counts["beobachtungen"], counts["erkenntnisse"], counts["empfehlungen"]) == (3, 2, 1)
    for obs in Observation.objects.all():
        assert obs.visibility == "intern" and obs.anonymous and obs.source.kind == "workshop"
        assert obs.source.title == workshop.title and obs.municipality == workshop.host
    lesson = Lesson.objects.get(title="Strukturen")
    assert lesson.observations.count() == 1 and lesson.visibility == "intern"
    recommendation = Recommendation.objects.get()
    assert recommendation.title == "Personal"
    assert [o.text for o in recommendation.lessons.get().observations.all()] == ["Personal früh verstärken"]


def test_previous_open_action_ideas(workshop, participant, moderator, host):
    import datetime

    idea = actions.do_create_cluster(workshop, name="Rückführung planen", kind="massnahmenidee", acting_user=moderator)
    actions.do_create_cluster(workshop, name="Nur ein Befund", kind="befund", acting_user=moderator)
    later = actions.do_create_workshop(host=host, acting_user=moderator,
                                       fields={"title": "Folgeworkshop", "start_date": datetime.date(2023, 9, 1)})
    assert [c.pk for c in selectors.previous_open_action_ideas(later, user=moderator)] == [idea.pk]
    assert selectors.previous_open_action_ideas(workshop, user=moderator) == []
    actions.do_update_cluster(idea, action_done=True, acting_user=moderator)
    assert selectors.previous_open_action_ideas(later, user=moderator) == []


def test_anonymous_workshop_stores_no_names(workshop, moderator):
    actions.do_update_workshop(workshop, fields={"attribution": "anonym"}, acting_user=moderator)
    p = actions.do_join_workshop(workshop, display_name="Erika Muster")
    assert p.display_name == ""


def test_synthesis_generate_and_save(workshop, participant, moderator):
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Die Kommune kann Krise.")
    actions.do_mark_quote(card, True, acting_user=moderator)
    blocks = actions.do_generate_synthesis(workshop, acting_user=moderator)
    assert {"type": "quote", "text": "Die Kommune kann Krise.", "source": "Stimme aus dem Workshop (anonym)"} in blocks
    blocks.append({"type": "paragraph", "text": "Ergänzt."})
    actions.do_save_synthesis_blocks(workshop, blocks=blocks, final=True, acting_user=moderator)
    workshop.refresh_from_db()
    assert workshop.synthesis_final and workshop.synthesis_blocks[-1]["text"] == "Ergänzt."
    # final: read-only until reopened
    with pytest.raises(ValidationError, match="abgeschlossen"):
        actions.do_save_synthesis_blocks(workshop, blocks=blocks[:1], final=False, acting_user=moderator)
    actions.do_reopen_synthesis(workshop, acting_user=moderator)
    actions.do_save_synthesis_blocks(workshop, blocks=blocks[:1], final=False, acting_user=moderator)
    workshop.refresh_from_db()
    assert len(workshop.synthesis_blocks) == 1


def test_timebox(workshop, moderator):
    phase = workshop.phases.first()
    actions.do_set_timebox(phase, 45, acting_user=moderator)
    phase.refresh_from_db()
    assert phase.timebox_minutes == 45
    for bad in (0, 1000, "x"):
        with pytest.raises(ValidationError, match="Zeitrahmen"):
            actions.do_set_timebox(phase, bad, acting_user=moderator)


def test_invited_cities_link_workshops(moderator, host, db):
    import datetime

    dortmund = f.MunicipalityFactory(name="Dortmund", ags="05913", is_participating=True)
    other_host = f.MunicipalityFactory(name="Köln", ags="05315", is_participating=True)
    first = actions.do_create_workshop(host=host, acting_user=moderator, fields={
        "title": "Essen", "start_date": datetime.date(2023, 3, 27), "invited": [dortmund]})
    assert list(first.invited.all()) == [dortmund]
    idea = actions.do_create_cluster(first, name="Netzwerke pflegen", kind="massnahmenidee", acting_user=moderator)
    koeln_mod = f.MembershipFactory(municipality=other_host, role=Role.MODERATION).user
    later = actions.do_create_workshop(host=other_host, acting_user=koeln_mod, fields={
        "title": "Köln", "start_date": datetime.date(2023, 9, 1), "invited": [dortmund]})
    # Köln's facilitators do not manage the Essen workshop: its board stays closed to them.
    assert selectors.previous_open_action_ideas(later, user=koeln_mod) == []
    both = f.UserFactory(is_superuser=True)
    assert [c.pk for c in selectors.previous_open_action_ideas(later, user=both)] == [idea.pk]
    actions.do_update_workshop(later, fields={"invited": []}, acting_user=koeln_mod)
    assert selectors.previous_open_action_ideas(later, user=both) == []


def test_choosing_the_question_and_moving_cards_are_audited(workshop, participant, moderator):
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Karte")
    cluster = actions.do_create_cluster(workshop, name="Personal", acting_user=moderator)
    actions.do_move_card(card, cluster, acting_user=moderator)
    question = workshop.phases.last().questions.first()
    actions.do_set_current_question(workshop, question, acting_user=moderator)
    moved = AuditEntry.objects.get(action="workshops.card_moved")
    assert moved.actor == moderator and moved.details == {"card": str(card.uuid), "cluster": cluster.pk}
    assert AuditEntry.objects.get(action="workshops.question_chosen").details == {"question": question.pk}
