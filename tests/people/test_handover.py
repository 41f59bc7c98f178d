"""Wissensübergabe: checklist from what the platform knows, successors, completion."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.learning.models import Action
from krisenwissen.people import actions
from krisenwissen.people.models import (
    FunctionHolder,
    HandoverItemKind,
    HandoverStatus,
    HolderRole,
    Person,
)
from tests import factories as f


@pytest.fixture
def departing(world):
    a = world["cities"]["a"]
    user = world["users"]["leitung_a_user"]
    leitung = world["people"]["leitung_a"]
    f.LessonFactory(municipality=a, created_by=user, title="Erkenntnis der Leitung")
    f.ObservationFactory(municipality=a, created_by=user, text="Beobachtung der Leitung")
    Action.objects.create(municipality=a, title="Offene Maßnahme der Leitung", description="x", owner=user,
                          due=timezone.localdate() + dt.timedelta(days=30))
    contact = actions.do_create_person(a, acting_user=SYSTEM, display_name="Stadtwerke Leitwarte", maintained_by=user)
    actions.do_set_leaving(leitung, leaving_on=timezone.localdate() + dt.timedelta(days=90), reason="ruhestand", acting_user=SYSTEM)
    return leitung, contact


def test_checklist_is_generated_from_what_the_platform_knows(world, departing):
    leitung, contact = departing
    handover = actions.do_start_handover(leitung, acting_user=world["users"]["s1_a"])
    kinds = {}
    for item in handover.items.all():
        kinds.setdefault(item.kind, []).append(item.label)
    assert any("Leitung Krisenstab" in label for label in kinds[HandoverItemKind.STABSFUNKTION])
    assert any("S1" in label for label in kinds[HandoverItemKind.VERTRETUNG])
    assert kinds[HandoverItemKind.MASSNAHME] == ["Offene Maßnahme der Leitung"]
    assert kinds[HandoverItemKind.ERKENNTNIS] == ["Erkenntnis der Leitung"]
    assert kinds[HandoverItemKind.BEOBACHTUNG]
    assert kinds[HandoverItemKind.KONTAKT] == ["Stadtwerke Leitwarte"]
    assert any("Warnung der Bevölkerung" in label for label in kinds[HandoverItemKind.KOMPETENZ])
    assert handover.interview and all(entry["question"] for entry in handover.interview)
    assert AuditEntry.objects.filter(action="people.handover_started").exists()
    with pytest.raises(ValidationError, match="läuft schon"):
        actions.do_start_handover(leitung, acting_user=world["users"]["s1_a"])


def test_only_s1_or_administration_run_a_handover(world, departing):
    leitung, _contact = departing
    for who in ("reader_a", "s1_b"):
        with pytest.raises(PermissionDenied):
            actions.do_start_handover(leitung, acting_user=world["users"][who])


def test_complete_needs_a_successor_per_item_and_passes_functions(world, departing):
    leitung, contact = departing
    s1 = world["users"]["s1_a"]
    successor = world["people"]["s1_a"]
    handover = actions.do_start_handover(leitung, acting_user=s1)
    with pytest.raises(ValidationError, match="Noch ohne Nachfolge"):
        actions.do_complete_handover(handover, acting_user=s1)
    with pytest.raises(ValidationError, match="derselben Kommune"):
        actions.do_assign_successor(handover.items.first(), successor=world["people"]["netz_b"], acting_user=s1)
    for item in handover.items.all():
        if item.kind == HandoverItemKind.BEOBACHTUNG:
            actions.do_assign_successor(item, successor=None, done=True, note="archiviert", acting_user=s1)
        else:
            actions.do_assign_successor(item, successor=successor, acting_user=s1)
    actions.do_save_handover_interview(handover, ["Antwort eins"], summary="Alles übergeben.", acting_user=s1)
    actions.do_complete_handover(handover, acting_user=s1)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ABGESCHLOSSEN and handover.completed_at
    assert handover.interview[0]["answer"] == "Antwort eins"
    leitung_fn = world["functions"]["leitung_a"]
    assert FunctionHolder.objects.get(function=leitung_fn, person=successor).role == HolderRole.INHABER
    assert not FunctionHolder.objects.filter(person=leitung).exists()
    assert Person.objects.get(pk=contact.pk).maintained_by_id == s1.pk
    assert all(item.done for item in handover.items.all())
    with pytest.raises(ValidationError):
        actions.do_complete_handover(handover, acting_user=s1)
    with pytest.raises(ValidationError, match="abgeschlossen"):
        actions.do_assign_successor(handover.items.first(), successor=None, acting_user=s1)
