"""Permissions, audit events and request parameters of the Verordnungs-Synopse (issue 10)."""

from __future__ import annotations

import ast
import datetime
import importlib
import inspect

import pytest
import rules
from django.apps import apps
from django.urls import reverse

from krisenwissen.core.audit import event_label
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.regulations import actions
from krisenwissen.regulations.events import RegulationsEvent
from krisenwissen.regulations.models import KeywordRule

TEXT = """% Testverordnung  (Testverordnung - TestV)

# § 1 – Versammlungen

(1) Versammlungen sind anzuzeigen.
"""

PERMISSIONS = [
    "regulations.view_legaltext", "regulations.add_legaltext", "regulations.change_legaltext",
    "regulations.add_version", "regulations.import_versions", "regulations.view_keywordrule",
    "regulations.add_keywordrule", "regulations.change_keywordrule", "regulations.delete_keywordrule",
    "regulations.subscribe_legaltext",
]


def test_permissions_are_declared():
    assert all(rules.perm_exists(name) for name in PERMISSIONS)


def test_every_action_enforces_a_declared_permission():
    """Each public do_* calls require_perm with a permission declared in rules.py."""
    tree = ast.parse(inspect.getsource(actions))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("do_")]
    assert functions
    for function in functions:
        perms = [call.args[1].value for call in ast.walk(function)
                 if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "require_perm"]
        assert perms, f"{function.name} enforces no permission"
        assert all(rules.perm_exists(p) for p in perms), (function.name, perms)


def test_maintenance_needs_redaktion_and_none_is_no_system(db, reader_a, editor_b):
    with pytest.raises(PermissionDenied, match="Rechtstexte pflegen darf nur die Redaktion"):
        actions.do_create_legal_text(title="T", abbreviation="T", acting_user=reader_a)
    with pytest.raises(PermissionDenied):
        actions.do_create_legal_text(title="T", abbreviation="T", acting_user=None)
    rule = KeywordRule.objects.first()
    for call in (lambda u: actions.do_save_keyword_rule(None, term="Hund", department="Ordnungsamt", acting_user=u),
                 lambda u: actions.do_save_keyword_rule(rule, term="Hund", department="Ordnungsamt", acting_user=u),
                 lambda u: actions.do_delete_keyword_rule(rule, acting_user=u)):
        with pytest.raises(PermissionDenied):
            call(reader_a)
    legal_text = actions.do_create_legal_text(title="T", abbreviation="T", acting_user=editor_b)
    with pytest.raises(PermissionDenied, match="Zum Abonnieren bitte anmelden"):
        actions.do_toggle_subscription(legal_text, acting_user=None)


def test_system_actor_is_audited_as_system(db):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    version = actions.do_add_version(legal_text, text=TEXT, in_force_from=datetime.date(2021, 1, 1),
                                     acting_user=SYSTEM)
    assert version.created_by is None
    row = AuditEntry.objects.get(action=RegulationsEvent.VERSION_ADDED)
    assert row.actor is None and row.details["system"] is True
    assert str(event_label(row.action)) == "Fassung hinzugefügt"


def test_audit_rows_use_declared_event_keys(db, editor_b, reader_a):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=editor_b)
    actions.do_add_version(legal_text, text=TEXT, in_force_from=datetime.date(2021, 1, 1), acting_user=editor_b)
    rule = actions.do_save_keyword_rule(None, term="Hund", department="Ordnungsamt", acting_user=editor_b)
    actions.do_save_keyword_rule(rule, term="Hunde", department="Ordnungsamt", acting_user=editor_b)
    actions.do_delete_keyword_rule(rule, acting_user=editor_b)
    actions.do_toggle_subscription(legal_text, acting_user=reader_a)
    actions.do_toggle_subscription(legal_text, acting_user=reader_a)
    keys = set(AuditEntry.objects.values_list("action", flat=True))
    assert keys == {RegulationsEvent.LEGAL_TEXT_CREATED, RegulationsEvent.VERSION_ADDED,
                    RegulationsEvent.KEYWORD_RULE_CREATED, RegulationsEvent.KEYWORD_RULE_CHANGED,
                    RegulationsEvent.KEYWORD_RULE_DELETED, RegulationsEvent.SUBSCRIPTION_STARTED,
                    RegulationsEvent.SUBSCRIPTION_ENDED}


def test_migration_renames_old_audit_keys(db):
    migration = importlib.import_module("krisenwissen.regulations.migrations.0002_audit_event_keys")
    old = AuditEntry.objects.create(action="fassung_hinzugefuegt")
    other = AuditEntry.objects.create(action="knowledge.item_created")
    migration.Migration.operations[0].code(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.action == RegulationsEvent.VERSION_ADDED and other.action == "knowledge.item_created"
    migration.Migration.operations[0].reverse_code(apps, None)
    old.refresh_from_db()
    assert old.action == "fassung_hinzugefuegt"
    # Every event that existed as a free string is renamed; events declared later have no old key.
    later = {RegulationsEvent.VERSION_DETAILS_CHANGED, RegulationsEvent.AMENDING_ACT_APPLIED}
    assert set(migration.RENAMES.values()) == set(RegulationsEvent.values) - later


@pytest.mark.parametrize("raw", ["²", "1e9", "9" * 40, "-3", "abc", "٣"])
def test_synopse_ignores_hostile_version_ids(client, db, raw):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    actions.do_add_version(legal_text, text=TEXT, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    actions.do_add_version(legal_text, text=TEXT.replace("anzuzeigen", "anzumelden"),
                           in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM)
    url = reverse("regulations:synopse", kwargs={"slug": legal_text.slug})
    response = client.get(url, {"alt": raw, "neu": raw})
    assert response.status_code == 200
    assert "§ 1 Absatz 1 geändert" in response.content.decode()  # falls back to the two latest versions


def test_buttons_follow_the_declared_permissions(client, db, reader_a, editor_b):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    pages = {"list": reverse("regulations:list"), "detail": legal_text.get_absolute_url(),
             "keywords": reverse("regulations:keywords")}
    body = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "Rechtstext anlegen" not in body["list"] and "Fassung hochladen" not in body["detail"]
    assert "Anmelden, um bei neuen Fassungen" in body["detail"] and "Regel hinzufügen" not in body["keywords"]
    client.force_login(reader_a)
    body = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "Rechtstext anlegen" not in body["list"] and "Fassung hochladen" not in body["detail"]
    assert "Bei neuer Fassung benachrichtigen" in body["detail"] and "Regel hinzufügen" not in body["keywords"]
    client.force_login(editor_b)
    body = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "Rechtstext anlegen" in body["list"] and "Fassung hochladen" in body["detail"]
    assert "Regel hinzufügen" in body["keywords"] and "Bearbeiten" in body["keywords"]


def test_detail_of_a_legal_text_without_versions(client, db):
    """versions_of zipped a list of one against an empty one: the page of a new legal text was a 500."""
    legal_text = actions.do_create_legal_text(title="Neue Verordnung", abbreviation="NeuV", acting_user=SYSTEM)
    response = client.get(legal_text.get_absolute_url())
    assert response.status_code == 200 and "Noch keine Fassung erfasst." in response.content.decode()
