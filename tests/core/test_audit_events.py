"""The audit vocabulary: record() accepts only declared events; every event has a German label."""

import pytest

from krisenwissen.core.audit import EVENT_LABELS, event_label, record
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM


@pytest.mark.django_db
def test_record_refuses_an_undeclared_event_and_writes_nothing():
    with pytest.raises(ValueError, match="not declared"):
        record("beobachtung_eingereicht", acting_user=SYSTEM)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_record_of_the_system_has_no_actor_and_says_so():
    entry = record(next(iter(EVENT_LABELS)), acting_user=SYSTEM)
    assert entry.actor is None
    assert entry.details == {"system": True}


def test_every_event_key_is_english_and_prefixed_with_its_app():
    from django.apps import apps

    labels = {c.label for c in apps.get_app_configs()}
    for key in EVENT_LABELS:
        app, _, name = key.partition(".")
        assert app in labels, key
        assert name.isascii() and name == name.lower(), key


def test_labels_are_german_text_not_the_key():
    for key in EVENT_LABELS:
        assert str(event_label(key)) != key
