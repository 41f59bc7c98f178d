"""Retention of ended workshops: participants pseudonymised, photos deleted (rows and files)."""

from __future__ import annotations

import datetime as dt
import uuid

from krisenwissen.core.events import CoreEvent
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.retention import do_apply_retention
from krisenwissen.workshops import actions
from krisenwissen.workshops.models import Card, Participant, Photo

from .. import factories as f
from .conftest import image_bytes

# The fixture's workshop ended on 2023-03-28.
LATE = dt.datetime(2024, 6, 1, 3, 0, tzinfo=dt.UTC)   # more than 365 days after
EARLY = dt.datetime(2023, 9, 1, 3, 0, tzinfo=dt.UTC)  # less than 365 days after


def _named_workshop_with_photo(workshop, moderator):
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    person = actions.do_join_workshop(workshop, display_name="Erika Mustermann", acting_user=f.UserFactory())
    card, _ = actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Die Lage war unklar.")
    photo = actions.do_upload_photo(workshop, data=image_bytes(), caption="Pinnwand", acting_user=moderator)
    actions.do_set_status(workshop, "laeuft", acting_user=moderator)
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    return person, card, photo


def test_ended_workshop_loses_names_and_photos_after_the_period(settings, workshop, moderator, django_capture_on_commit_callbacks):
    settings.KRISENWISSEN_RETENTION = {**settings.KRISENWISSEN_RETENTION, "workshops": 365}
    person, card, photo = _named_workshop_with_photo(workshop, moderator)
    storage, files = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    assert all(storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        counts = do_apply_retention(now=EARLY)
    assert counts["workshop_teilnehmende"] == counts["workshop_fotos"] == 0
    assert Photo.objects.filter(pk=photo.pk).exists() and all(storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        counts = do_apply_retention(now=LATE)
    person.refresh_from_db()
    assert (person.display_name, person.user_id) == ("", None)
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(storage.exists(name) for name in files)
    assert Card.objects.filter(pk=card.pk, author=person).exists()  # the knowledge stays
    assert "Mustermann" not in repr(list(workshop.events.values_list("payload", flat=True)))
    assert counts["workshop_teilnehmende"] == counts["workshop_fotos"] == 1
    row = AuditEntry.objects.filter(action=CoreEvent.RETENTION_APPLIED).latest("id")
    assert row.details["anzahl_workshop_fotos"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = do_apply_retention(now=LATE)
    assert again["workshop_teilnehmende"] == again["workshop_fotos"] == again["workshop_ereignisse"] == 0


def test_a_running_workshop_keeps_its_data(settings, workshop, moderator):
    settings.KRISENWISSEN_RETENTION = {**settings.KRISENWISSEN_RETENTION, "workshops": 365}
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    person = actions.do_join_workshop(workshop, display_name="Erika Mustermann")
    actions.do_upload_photo(workshop, data=image_bytes(), caption="Pinnwand", acting_user=moderator)
    do_apply_retention(now=LATE)
    assert Participant.objects.get(pk=person.pk).display_name == "Erika Mustermann"
    assert Photo.objects.count() == 1
