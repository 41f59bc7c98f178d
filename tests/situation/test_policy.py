"""Permissions and audit events of the Lagebild (issue 10)."""

from __future__ import annotations

import ast
import importlib
import inspect
from datetime import date

import pytest
import rules
from django.apps import apps
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.audit import event_label
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.situation import actions
from krisenwissen.situation.events import SituationEvent
from krisenwissen.situation.models import Area, ImportRun, Indicator
from tests import factories as f

SHARED_EVENTS = {SituationEvent.SHARED_DATA_REVISED, SituationEvent.RULE_STATUS_CHANGED}
PERMISSIONS = [
    "situation.view_open_data", "situation.view_public_page", "situation.follow_area", "situation.import_data",
    "situation.import_open_data", "situation.import_shared_data", "situation.add_indicator", "situation.manage_indicator",
    "situation.record_value", "situation.add_note", "situation.write_note", "situation.publish_note",
    "situation.add_ruleset", "situation.manage_ruleset",
]
RULESET = ("key: eigene\nname: Eigene Stufe\nrules:\n  - key: a\n    name: Über 200\n    indicator: inzidenz_rki\n"
           "    entry: {op: '>', threshold: 200, days: 3}\n    exit: {op: '<', threshold: 200, days: 5}\n")


def test_permissions_are_declared():
    assert all(rules.perm_exists(name) for name in PERMISSIONS)


def test_every_action_enforces_a_declared_permission():
    tree = ast.parse(inspect.getsource(actions))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("do_")]
    assert functions
    for function in functions:
        perms = [call.args[1].value for call in ast.walk(function)
                 if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "require_perm"]
        assert perms, f"{function.name} enforces no permission"
        assert all(rules.perm_exists(p) for p in perms), (function.name, perms)


def test_roles_per_action(db, city_a, city_b):
    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    contributor = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE).user
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    editor_b = f.MembershipFactory(municipality=city_b, role=Role.REDAKTION).user
    for user in (reader, contributor, editor_b, None):
        with pytest.raises(PermissionDenied, match="in dieser Kommune"):
            actions.do_create_indicator(municipality=city_a, name="x", acting_user=user)
        with pytest.raises(PermissionDenied, match="in dieser Kommune"):
            actions.do_create_ruleset(municipality=city_a, text=RULESET, acting_user=user)
    for user in (reader, None):
        with pytest.raises(PermissionDenied):
            actions.do_import_file(b"ags;indikator;datum;wert\n", filename="x.csv", acting_user=user)
        with pytest.raises(PermissionDenied, match="in dieser Kommune"):
            actions.do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="x", acting_user=user)
    with pytest.raises(PermissionDenied, match="Bitte melden Sie sich an"):
        actions.do_set_followed_areas([], acting_user=None)
    indicator = actions.do_create_indicator(municipality=city_a, name="Anrufe", acting_user=editor)
    area = Area.objects.create(ags="05913", name="Dortmund", level="kreis", municipality=city_a)
    with pytest.raises(PermissionDenied, match="in dieser Kommune"):
        actions.do_record_observation(indicator=indicator, area=area, day=date(2021, 4, 26), value=1,
                                      acting_user=editor_b)
    actions.do_record_observation(indicator=indicator, area=area, day=date(2021, 4, 26), value=1, acting_user=editor)
    note = actions.do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="x", acting_user=contributor)
    assert note.created_by == contributor


def test_open_data_values_come_only_from_imports_also_for_the_system(db):
    open_indicator = Indicator.objects.get(key="faelle_neu")
    area = Area.objects.create(ags="05913", name="Dortmund", level="kreis")
    with pytest.raises(PermissionDenied, match="Werte offener Daten kommen nur aus Importen"):
        actions.do_record_observation(indicator=open_indicator, area=area, day=date(2021, 4, 26), value=1,
                                      acting_user=SYSTEM)


def test_system_actor_imports_and_is_audited_as_system(db):
    Area.objects.create(ags="05913", name="Dortmund", level="kreis")
    run = actions.do_import_file(b"ags;indikator;datum;wert\n05913;faelle_neu;2021-04-26;5\n", filename="x.csv",
                                 acting_user=SYSTEM)
    assert run.created == 1 and run.user is None
    row = AuditEntry.objects.get(action=SituationEvent.DATA_IMPORTED)
    assert row.actor is None and row.details["system"] is True
    assert str(event_label(row.action)) == "Daten importiert"


def test_audit_rows_use_declared_event_keys(db, city_a):
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    area = Area.objects.create(ags="05913", name="Dortmund", level="kreis", municipality=city_a)
    indicator = actions.do_create_indicator(municipality=city_a, name="Anrufe", acting_user=editor)
    actions.do_record_observation(indicator=indicator, area=area, day=date(2021, 4, 26), value=1, acting_user=editor)
    actions.do_set_followed_areas([area], acting_user=editor)
    actions.do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="x", acting_user=editor)
    actions.do_create_ruleset(municipality=city_a, text=RULESET, acting_user=editor)
    actions.do_import_file(f"ags;indikator;datum;wert\n05913;{indicator.key};2021-04-27;2\n".encode(),
                           filename="x.csv", acting_user=editor)
    # the two events of shared-data revisions are exercised in test_shared_data.py
    assert set(AuditEntry.objects.values_list("action", flat=True)) == set(SituationEvent.values) - SHARED_EVENTS


def test_migration_renames_old_audit_keys(db):
    migration = importlib.import_module("krisenwissen.situation.migrations.0003_audit_event_keys")
    old = AuditEntry.objects.create(action="lagebild_wert_erfasst")
    migration.Migration.operations[0].code(apps, None)
    old.refresh_from_db()
    assert old.action == SituationEvent.VALUE_RECORDED
    migration.Migration.operations[0].reverse_code(apps, None)
    old.refresh_from_db()
    assert old.action == "lagebild_wert_erfasst"
    assert set(migration.RENAMES.values()) == set(SituationEvent.values) - SHARED_EVENTS  # new in 0004


def test_links_and_forms_follow_the_declared_permissions(client, db, city_a):
    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    contributor = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE).user
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    expected = {  # user: (import link, note link, indicator form, rule set form)
        reader: (False, False, False, False),
        contributor: (False, True, False, False),
        editor: (True, True, True, True),
    }
    for user, (can_import, can_note, can_indicator, can_ruleset) in expected.items():
        client.force_login(user)
        overview = client.get(reverse("situation:overview"), {"datum": "2021-04-26"}).content.decode()
        compare = client.get(reverse("situation:compare"), {"datum": "2021-04-26"}).content.decode()
        import_link = f'href="{reverse("situation:import")}"'
        assert (import_link in overview) is can_import and (import_link in compare) is can_import
        assert ("Notiz zur Lage erfassen" in overview) is can_note
        assert ("Eigenen Indikator anlegen" in client.get(reverse("situation:indicators")).content.decode()) \
            is can_indicator
        assert ("Eigenen Regelsatz speichern" in client.get(reverse("situation:rulesets")).content.decode()) \
            is can_ruleset


def test_posting_without_the_permission_is_refused(client, db, city_a):
    client.force_login(f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE).user)
    assert client.post(reverse("situation:indicators"), {"neu-name": "x"}).status_code == 403
    assert client.post(reverse("situation:rulesets"), {"kommune": city_a.pk, "text": RULESET}).status_code == 403
    assert client.post(reverse("situation:import"), {}).status_code == 403
    assert not ImportRun.objects.exists()
