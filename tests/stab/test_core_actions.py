"""Activation, assignments and alert level of the staff core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.stab import actions
from krisenwissen.stab.models import (
    AlertLevel,
    AssignmentRole,
    LogCategory,
    LogEntry,
    StaffAssignment,
    StaffTemplate,
)

from ..factories import MunicipalityFactory
from .helpers import activate, city_with_admin, member, shipped

pytestmark = pytest.mark.django_db


def test_shipped_templates_are_idempotent_and_complete():
    actions.ensure_shipped_templates()
    assert actions.ensure_shipped_templates() == 0
    keys = set(StaffTemplate.objects.filter(municipality__isnull=True).values_list("key", flat=True))
    assert keys == {"pandemie", "hochwasser-starkregen", "stromausfall", "gasmangellage", "grossveranstaltung"}
    flood = StaffTemplate.objects.get(municipality__isnull=True, key="hochwasser-starkregen")
    assert flood.kind == "fuehrungsstab" and flood.hazard == "Starkregen"
    assert {f["code"] for f in flood.data["functions"]} >= {"s1", "s2", "s3", "s4", "s5", "s6", "leitung"}


def test_activation_copies_functions_assigns_notifies_and_opens_the_log():
    city, admin = city_with_admin()
    holder, deputy = member(city, first_name="Ina", last_name="Lage"), member(city)
    meeting = timezone.now() + dt.timedelta(hours=3)
    staff = activate(municipality=city, acting_user=admin, name="Stab Corona",
                     assignments={"lage": [(holder, AssignmentRole.INHABER), (deputy, AssignmentRole.VERTRETUNG)]},
                     first_meeting_at=meeting)
    template = shipped()
    assert staff.functions.count() == len(template.data["functions"])
    optional = {f["code"] for f in template.data["functions"] if f.get("optional")}
    assert set(staff.functions.filter(active=False).values_list("code", flat=True)) == optional
    assert staff.next_meeting_at == meeting and staff.meeting_rhythm_hours == 24
    assert StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).count() == 2
    first = LogEntry.objects.get(staff=staff, number=1)
    assert first.category == LogCategory.LAGE and first.text.startswith("Stab aktiviert: Stab Corona")
    notes = Notification.objects.filter(recipient__in=[holder, deputy])
    assert notes.count() == 2 and all("ÜBUNG" not in n.subject for n in notes)
    assert AuditEntry.objects.filter(action="stab.staff_activated", object_id=str(staff.pk)).exists()
    assert admin.has_perm("stab.manage_staff", staff) and holder.has_perm("stab.view_staff", staff)


def test_exercise_notification_and_log_say_uebung():
    city, admin = city_with_admin()
    person = member(city)
    staff = activate(shipped("hochwasser-starkregen"), municipality=city, acting_user=admin, exercise=True,
                     assignments={"s2": [(person, AssignmentRole.INHABER)]})
    note = Notification.objects.get(recipient=person)
    assert note.subject.startswith("ÜBUNG") and "ÜBUNG" in note.body
    assert "ÜBUNG" in LogEntry.objects.get(staff=staff, number=1).text


def test_partial_activation_only_chosen_functions():
    city, admin = city_with_admin()
    staff = activate(municipality=city, acting_user=admin, functions=["leitung", "lage"], alert_level=AlertLevel.TEILAKTIVIERUNG)
    assert set(staff.functions.filter(active=True).values_list("code", flat=True)) == {"leitung", "lage"}
    assert "Teilaktivierung" in LogEntry.objects.get(staff=staff, number=1).text


@pytest.mark.parametrize("kwargs, message", [
    ({"functions": ["gibtsnicht"]}, "Unbekannte Funktionen"),
    ({"functions": []}, "mindestens eine Funktion"),
    ({"functions": ["leitung"], "assignments": {"lage": []}}, "nicht aktivierte Funktionen"),
    ({"alert_level": 9}, "Alarmstufe"),
])
def test_bad_activation_input_is_refused_and_writes_nothing(kwargs, message):
    city, admin = city_with_admin()
    with pytest.raises(ValidationError, match=message):
        activate(municipality=city, acting_user=admin, **kwargs)
    assert not LogEntry.objects.exists() and not city.__class__.objects.filter(pk=city.pk, ags="x").exists()
    from krisenwissen.stab.models import Staff
    assert not Staff.objects.exists()


def test_outsider_cannot_be_assigned_and_nothing_is_half_written():
    city, admin = city_with_admin()
    outsider = member(MunicipalityFactory())
    from krisenwissen.stab.models import Staff
    with pytest.raises(ValidationError, match="gehört nicht zur Kommune"):
        activate(municipality=city, acting_user=admin, assignments={"lage": [(outsider, AssignmentRole.INHABER)]})
    assert not Staff.objects.exists() and not Notification.objects.exists()


def test_only_the_municipalitys_administration_activates():
    city, _admin = city_with_admin()
    other_city, other_admin = city_with_admin()
    reader = member(city)
    for user in (reader, other_admin):
        with pytest.raises(PermissionDenied):
            activate(municipality=city, acting_user=user)


def test_assign_and_release_write_log_entries_and_coverage():
    from krisenwissen.stab.selectors import function_rows

    city, admin = city_with_admin()
    person = member(city, first_name="Kai", last_name="Koord")
    staff = activate(municipality=city, acting_user=admin)
    kgs = staff.functions.get(code="kgs")
    row = next(r for r in function_rows(staff) if r.function.code == "kgs")
    assert row.missing_holder and row.missing_deputies == 1
    assignment = actions.do_assign_function(kgs, person, acting_user=admin)
    assert person.has_perm("stab.view_staff", staff)
    with pytest.raises(ValidationError, match="bereits"):
        actions.do_assign_function(kgs, person, role=AssignmentRole.VERTRETUNG, acting_user=admin)
    row = next(r for r in function_rows(staff) if r.function.code == "kgs")
    assert not row.missing_holder
    actions.do_release_function(assignment, acting_user=admin)
    actions.do_release_function(assignment, acting_user=admin)  # twice: absorbed
    texts = list(LogEntry.objects.filter(staff=staff).order_by("number").values_list("text", flat=True))
    assert any("besetzt: Kai Koord" in t for t in texts) and sum("freigegeben: Kai Koord" in t for t in texts) == 1
    fresh = type(person).objects.get(pk=person.pk)  # a new request: the per-request role cache is empty
    assert not fresh.has_perm("stab.view_staff", staff)


def test_a_member_who_is_not_leitung_cannot_assign():
    city, admin = city_with_admin()
    person, other = member(city), member(city)
    staff = activate(municipality=city, acting_user=admin, assignments={"lage": [(person, AssignmentRole.INHABER)]})
    with pytest.raises(PermissionDenied):
        actions.do_assign_function(staff.functions.get(code="kgs"), other, acting_user=person)
    leader = member(city)
    actions.do_assign_function(staff.functions.get(code="leitung"), leader, acting_user=admin)
    actions.do_assign_function(staff.functions.get(code="kgs"), other, acting_user=leader)


def test_alert_level_change_is_logged_and_bad_level_refused():
    city, admin = city_with_admin()
    staff = activate(municipality=city, acting_user=admin)
    actions.do_set_alert_level(staff, AlertLevel.VORBEREITUNG, acting_user=admin)
    staff.refresh_from_db()
    assert staff.alert_level == AlertLevel.VORBEREITUNG
    assert LogEntry.objects.filter(staff=staff, category=LogCategory.ENTSCHEIDUNG, text__contains="Alarmstufe").count() == 1
    with pytest.raises(ValidationError):
        actions.do_set_alert_level(staff, "x", acting_user=admin)


def test_copy_and_update_template():
    city, admin = city_with_admin()
    copy = actions.do_copy_template(shipped(), municipality=city, acting_user=admin)
    assert copy.municipality == city and copy.data == shipped().data
    data = {**copy.data, "meeting_rhythm_hours": 12}
    actions.do_update_template(copy, name="Unser Pandemiestab", kind="verwaltungsstab", data=data, acting_user=admin)
    copy.refresh_from_db()
    assert copy.data["meeting_rhythm_hours"] == 12 and copy.name == "Unser Pandemiestab"
    with pytest.raises(ValidationError, match="Mitgelieferte"):
        actions.do_update_template(shipped(), name="x", kind="verwaltungsstab", data=data, acting_user=SYSTEM)
    reader = member(city, Role.REDAKTION)
    with pytest.raises(PermissionDenied):
        actions.do_update_template(copy, name="x", kind="verwaltungsstab", data=data, acting_user=reader)
