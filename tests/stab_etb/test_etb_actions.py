"""The ETB as evidence: append-only, corrections, the time window, idempotency, attachments, handover."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from krisenwissen.stab import etb_actions as actions
from krisenwissen.stab.etb_selectors import verify
from krisenwissen.stab.journal import record_in_log
from krisenwissen.stab.models import AppendOnlyError, LogCategory, LogEntry
from tests.factories import UserFactory

from .factories import make_staff

pytestmark = pytest.mark.django_db


def test_an_entry_can_be_neither_changed_nor_deleted():
    staff, users = make_staff()
    entry = actions.do_write_entry(staff, category=LogCategory.LAGE, text="Lage 1", acting_user=users["s2"])
    entry.text = "geändert"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        entry.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        LogEntry.objects.filter(staff=staff).delete()
    assert LogEntry.objects.get(pk=entry.pk).text == "Lage 1"


def test_a_correction_is_a_new_entry_and_both_stay():
    staff, users = make_staff()
    wrong = actions.do_write_entry(staff, category=LogCategory.LAGE, text="12 Fälle", acting_user=users["s2"])
    fix = actions.do_correct_entry(wrong, text="Richtig: 21 Fälle", acting_user=users["s2"])
    assert fix.number == 2 and fix.corrects_id == wrong.pk and fix.category == LogCategory.KORREKTUR
    assert LogEntry.objects.get(pk=wrong.pk).text == "12 Fälle"
    assert verify(staff=staff).holds


def test_two_corrections_of_the_same_entry_are_both_kept_in_order():
    staff, users = make_staff()
    wrong = actions.do_write_entry(staff, category=LogCategory.LAGE, text="12 Fälle", acting_user=users["s2"])
    actions.do_correct_entry(wrong, text="21 Fälle", acting_user=users["s2"])
    actions.do_correct_entry(wrong, text="22 Fälle", acting_user=users["leitung"])
    assert list(wrong.corrections.order_by("number").values_list("number", "text")) == [(2, "21 Fälle"), (3, "22 Fälle")]
    assert verify(staff=staff).holds


RACE_SCRIPT = """
import json, multiprocessing, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db import transaction
from django.utils import timezone

call_command("migrate", verbosity=0)
from krisenwissen.accounts.models import Municipality
from krisenwissen.stab import etb_actions
from krisenwissen.stab.models import LogCategory, LogEntry, Staff, StaffAssignment, StaffFunction
from django.contrib.auth import get_user_model

city = Municipality.objects.create(name="Teststadt", ags="05999")
staff = Staff.objects.create(municipality=city, name="Stab", activated_at=timezone.now())
function = StaffFunction.objects.create(staff=staff, code="s2", name="S2")
user = get_user_model().objects.create(username="s2")
StaffAssignment.objects.create(function=function, user=user, started_at=timezone.now())
wrong = etb_actions.do_write_entry(staff, category=LogCategory.LAGE, text="12 Faelle", acting_user=user)
connection.close()


def worker(i):
    out = []
    for k in range(5):
        try:
            etb_actions.do_correct_entry(LogEntry.objects.get(pk=wrong.pk), text=f"Korrektur {i}-{k}", acting_user=user)
            out.append("ok")
        except Exception as exc:
            out.append(repr(exc))
    connection.close()
    return out


if __name__ == "__main__":
    with multiprocessing.get_context("fork").Pool(4) as pool:
        results = [r for chunk in pool.map(worker, range(4)) for r in chunk]
    from krisenwissen.stab.etb_selectors import verify
    numbers = sorted(LogEntry.objects.filter(staff=staff).values_list("number", flat=True))
    print(json.dumps({"results": results, "numbers": numbers, "corrections": wrong.corrections.count(),
                      "holds": verify(staff=staff).holds}))
"""


def test_two_people_correcting_at_once_both_keep_their_correction(tmp_path):
    """4 processes correct the same entry 5 times each at once, on a database file with the
    platform's SQLite settings (the suite's in-memory database fails concurrent writers)."""
    import json
    import os
    import subprocess
    import sys

    import krisenwissen

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="krisenwissen.settings.test", KRISENWISSEN_DATA_DIR=str(tmp_path / "data"),
               DATABASE_URL=os.environ.get("KRISENWISSEN_PG_URL") or f"sqlite:///{tmp_path / 'race.sqlite3'}",
               PYTHONPATH=os.path.dirname(os.path.dirname(krisenwissen.__file__)))
    script = tmp_path / "race.py"
    script.write_text(RACE_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["results"] == ["ok"] * 20
    assert result["numbers"] == list(range(1, 22)) and result["corrections"] == 20 and result["holds"]


@override_settings(KRISENWISSEN_ETB_BACKDATE_HOURS=72)
def test_event_times_outside_the_window_are_refused_naming_the_field():
    staff, users = make_staff()
    now = timezone.now()
    with pytest.raises(ValidationError) as old:
        actions.do_write_entry(staff, category=LogCategory.LAGE, text="x", event_at=now - dt.timedelta(hours=73), acting_user=users["s2"])
    assert "Zeitpunkt des Ereignisses" in old.value.message_dict["event_at"][0] and "72 Stunden" in old.value.message_dict["event_at"][0]
    with pytest.raises(ValidationError) as future:
        actions.do_write_entry(staff, category=LogCategory.LAGE, text="x", event_at=now + dt.timedelta(hours=1), acting_user=users["s2"])
    assert "Zukunft" in future.value.message_dict["event_at"][0]
    with pytest.raises(ValidationError) as written:
        actions.do_write_entry(staff, category=LogCategory.LAGE, text="x", written_at=now - dt.timedelta(days=4), acting_user=users["s2"])
    assert "Zeitpunkt des Schreibens" in written.value.message_dict["written_at"][0]
    ok = actions.do_write_entry(staff, category=LogCategory.LAGE, text="x", event_at=now - dt.timedelta(hours=71), acting_user=users["s2"])
    assert ok.number == 1 and LogEntry.objects.count() == 1


def test_an_entry_written_offline_keeps_its_time_of_writing_and_is_stored_once():
    staff, users = make_staff()
    written = timezone.now() - dt.timedelta(minutes=40)
    first = actions.do_write_entry(staff, category=LogCategory.MELDUNG_EIN, text="offline", written_at=written, client_key="k-1", acting_user=users["s2"])
    again = actions.do_write_entry(staff, category=LogCategory.MELDUNG_EIN, text="offline", written_at=written, client_key="k-1", acting_user=users["s2"])
    assert first.pk == again.pk and again.already_stored and LogEntry.objects.count() == 1
    assert LogEntry.objects.get().written_at == written
    LogEntry.objects.filter(pk=first.pk).update(written_at=written - dt.timedelta(minutes=1))
    assert verify(staff=staff).first_broken == 1  # the time of writing is covered by the hash


def test_only_members_write():
    staff, _users = make_staff()
    with pytest.raises(PermissionDenied):
        actions.do_write_entry(staff, category=LogCategory.LAGE, text="x", acting_user=UserFactory())
    assert not LogEntry.objects.exists()


def test_bad_input_gets_german_messages():
    staff, users = make_staff()
    for kwargs, field in [({"text": "  "}, "text"), ({"text": "x" * 10_001}, "text"), ({"text": "x", "category": "erfunden"}, "category"),
                          ({"text": "x", "client_key": "k" * 65}, "client_key")]:
        with pytest.raises(ValidationError) as exc:
            actions.do_write_entry(staff, **{"category": LogCategory.LAGE, **kwargs}, acting_user=users["s2"])
        assert field in exc.value.message_dict
    assert not LogEntry.objects.exists()


def _png(width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_an_attachment_is_an_entry_of_its_own_and_metadata_is_dropped(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff, users = make_staff()
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    Image.new("RGB", (40, 30), "red").save(out, "JPEG", exif=exif.tobytes())
    entry = actions.do_attach_file(staff, data=out.getvalue(), name="lagekarte.jpg", text="Lagekarte 10 Uhr", acting_user=users["s2"])
    assert entry.category == LogCategory.ANLAGE and entry.attachment_name == "lagekarte.jpg"
    stored = entry.attachment.read()
    assert b"Kamerahersteller" not in stored and len(entry.attachment_sha256) == 64
    assert verify(staff=staff).holds


def test_an_image_bomb_is_refused_before_decoding(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff, users = make_staff()
    with pytest.raises(ValidationError) as exc:
        actions.do_attach_file(staff, data=_png(9000, 9000), name="bombe.png", text="", acting_user=users["s2"])
    assert "Anlage" in exc.value.message_dict["attachment"][0]
    with pytest.raises(ValidationError):
        actions.do_attach_file(staff, data=b"MZ\x90\x00 kein Bild", name="x.exe", text="", acting_user=users["s2"])
    assert not LogEntry.objects.exists()


def test_handing_over_the_log_is_an_entry():
    staff, users = make_staff()
    entry = actions.do_hand_over_log(staff, to_user=users["s2"], acting_user=users["leitung"])
    staff.refresh_from_db()
    assert staff.log_keeper == users["s2"] and entry.category == LogCategory.SCHICHTWECHSEL and "übernimmt" in entry.text
    second = actions.do_hand_over_log(staff, to_user=users["leitung"], acting_user=users["s2"], note="Nachtschicht")
    assert "von" in second.text and "Nachtschicht" in second.text
    with pytest.raises(ValidationError):
        actions.do_hand_over_log(staff, to_user=UserFactory(), acting_user=users["leitung"])


def test_record_in_log_keeps_its_signature():
    staff, users = make_staff()
    entry = record_in_log(staff, category=LogCategory.AUFTRAG, text="Auftrag an S4", acting_user=users["leitung"])
    assert entry.number == 1 and entry.author_function == "Leitung"
