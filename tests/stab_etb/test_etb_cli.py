"""``krisenwissen etb verify`` and ``etb export``: a changed row is found, the archive PDF says page x of y."""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from krisenwissen.stab import etb_actions as actions
from krisenwissen.stab.models import LogCategory, LogEntry

from .factories import make_staff

pytestmark = pytest.mark.django_db


def _filled_staff(**kwargs):
    staff, users = make_staff(**kwargs)
    for text in ("Lage 8 Uhr", "Meldung Gesundheitsamt", "Entscheidung Schulschließung"):
        actions.do_write_entry(staff, category=LogCategory.LAGE, text=text, acting_user=users["s2"])
    return staff, users


def _verify(ref):
    with pytest.raises(SystemExit) as exit_info:
        call_command("etb", "verify", str(ref))
    return exit_info.value.code


def test_verify_exits_0_on_an_unchanged_chain_by_id_and_uuid(capsys):
    staff, _ = _filled_staff()
    call_command("etb", "verify", str(staff.pk))
    call_command("etb", "verify", str(staff.uuid))
    assert "Hash-Kette intakt: 3 Einträge" in capsys.readouterr().out


def test_verify_names_the_entry_changed_by_an_orm_update(capsys):
    staff, _ = _filled_staff()
    LogEntry.objects.filter(staff=staff, number=2).update(text="Meldung Gesundheitsamt (nachträglich)")
    assert _verify(staff.pk) == 1
    assert "Eintrag Nr. 2" in capsys.readouterr().err


def test_verify_names_the_entry_changed_by_raw_sql(capsys):
    staff, _ = _filled_staff()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LogEntry._meta.db_table} SET author_name = 'Jemand anders' WHERE staff_id = %s AND number = 3", [staff.pk])
    assert _verify(staff.uuid) == 1
    assert "Eintrag Nr. 3" in capsys.readouterr().err


def test_verify_of_an_unknown_staff_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("etb", "verify", "999999")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_export_pdf_has_page_numbers_hashes_and_the_exercise_mark(tmp_path):
    staff, users = _filled_staff(exercise=True)
    wrong = LogEntry.objects.get(staff=staff, number=2)
    actions.do_correct_entry(wrong, text="Meldung Ordnungsamt", acting_user=users["s2"])
    out = tmp_path / "etb.pdf"
    call_command("etb", "export", str(staff.pk), "--format", "pdf", "--output", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Seite 1 von" in text and "ÜBUNG" in text
    head = LogEntry.objects.get(staff=staff, number=4).hash
    assert head[:16] in text.replace("\n", "").replace(" ", "")
    flat = " ".join(text.split())
    assert "Korrigiert durch Nr. 4" in flat and "Korrigiert Nr. 2" in flat and "Unterschrift" in flat
