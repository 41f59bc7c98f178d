"""Defect 9: the JSON import must never grant privileges or passwords taken from the file."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from krisenwissen.accounts.models import User
from krisenwissen.core.exchange import ExchangeError, import_document

from ..core.test_exchange import small_document


def hostile_document(**user_fields) -> dict:
    document = small_document()
    document["users"][0].update({"is_staff": True, "is_superuser": True, **user_fields})
    return document


@pytest.mark.django_db
class TestImportGrantsNoPrivileges:
    def test_new_user_from_file_is_neither_superuser_nor_staff(self):
        import_document(hostile_document())
        anna = User.objects.get(username="anna")
        assert not anna.is_superuser and not anna.is_staff
        assert not anna.has_usable_password()
        assert not anna.groups.exists() and not anna.user_permissions.exists()

    def test_existing_user_is_not_promoted(self):
        existing = User.objects.create_user("anna", password="ihr-eigenes-passwort-123")
        import_document(hostile_document())
        existing.refresh_from_db()
        assert not existing.is_superuser and not existing.is_staff
        # the import does not touch the password either
        assert authenticate(username="anna", password="ihr-eigenes-passwort-123") == existing

    def test_existing_administrator_is_not_demoted_or_changed_by_flags(self):
        boss = User.objects.create_superuser("anna", password="ihr-eigenes-passwort-123")
        document = small_document()  # says is_superuser: false
        import_document(document)
        boss.refresh_from_db()
        assert boss.is_superuser and boss.is_staff

    @pytest.mark.parametrize("field, value", [
        ("password", "md5$abc$0123456789abcdef0123456789abcdef"),
        ("groups", ["Administratoren"]),
        ("user_permissions", ["accounts.change_user"]),
    ])
    def test_passwords_groups_and_permissions_in_the_file_are_refused(self, field, value):
        with pytest.raises(ExchangeError) as excinfo:
            import_document(hostile_document(**{field: value}))
        assert any(field in str(p) for p in excinfo.value.problems)
        assert not User.objects.filter(username="anna").exists()

    def test_console_import_of_a_hostile_file_grants_no_login(self, tmp_path):
        path = tmp_path / "boese.json"
        path.write_text(json.dumps(hostile_document()), encoding="utf-8")
        call_command("import", str(path), stdout=StringIO())
        anna = User.objects.get(username="anna")
        assert not anna.is_superuser and not anna.is_staff
        with pytest.raises(CommandError):
            bad = copy.deepcopy(hostile_document(password="x"))
            path.write_text(json.dumps(bad), encoding="utf-8")
            call_command("import", str(path), stdout=StringIO())
