"""The one way to write into the Einsatztagebuch: numbered, chained, idempotent."""

import pytest
from django.utils import timezone

from krisenwissen.stab.etb_actions import entry_content
from krisenwissen.stab.etb_chain import first_broken
from krisenwissen.stab.journal import record_in_log
from krisenwissen.stab.models import LogCategory, LogEntry, Staff
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _chain(staff):
    return [(entry_content(e), e.prev_hash, e.hash) for e in LogEntry.objects.filter(staff=staff).order_by("number")]


def test_entries_are_numbered_chained_and_a_changed_row_is_found():
    staff = Staff.objects.create(municipality=MunicipalityFactory(), name="Stab", activated_at=timezone.now())
    user = UserFactory()
    for text in ("Lage 1", "Lage 2", "Lage 3"):
        record_in_log(staff, category=LogCategory.LAGE, text=text, acting_user=user)
    assert list(LogEntry.objects.filter(staff=staff).values_list("number", flat=True)) == [1, 2, 3]
    assert first_broken(_chain(staff)) is None
    LogEntry.objects.filter(staff=staff, number=2).update(text="Lage 2 (geändert)")
    assert first_broken(_chain(staff)) == 2


def test_a_double_submit_is_stored_once():
    staff = Staff.objects.create(municipality=MunicipalityFactory(), name="Stab", activated_at=timezone.now())
    from krisenwissen.stab.etb_actions import do_append_entry

    user = UserFactory()
    first = do_append_entry(staff, category=LogCategory.LAGE, text="x", client_key="k1", acting_user=user)
    second = do_append_entry(staff, category=LogCategory.LAGE, text="x", client_key="k1", acting_user=user)
    assert first.pk == second.pk and LogEntry.objects.filter(staff=staff).count() == 1
