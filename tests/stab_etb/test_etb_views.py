"""The ETB pages: fast entry (JSON and plain form), live events, filters, corrections shown, API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from krisenwissen.stab import etb_actions as actions
from krisenwissen.stab.models import LogCategory, LogEntry

from .factories import make_staff

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def setup(client):
    staff, users = make_staff()
    client.force_login(users["s2"])
    return staff, users, client


def test_fast_entry_stores_a_resent_entry_once_with_its_time_of_writing(setup):
    staff, _users, client = setup
    url = reverse("stab:etb_new", args=[staff.pk])
    written = (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0)
    data = {"category": "meldung_ein", "text": "Meldung Feuerwehr", "client_key": "c0ffee", "written_at": written.isoformat()}
    first = client.post(url, data, **JSON)
    again = client.post(url, data, **JSON)
    assert first.status_code == 201 and again.status_code == 200 and again.json()["already_stored"]
    entry = LogEntry.objects.get(staff=staff)
    assert entry.written_at == written and entry.author_function == "S2 Lage"


def test_fast_entry_refuses_an_old_event_time_with_a_german_message_naming_the_field(setup):
    staff, _users, client = setup
    old = (timezone.now() - dt.timedelta(days=10)).isoformat()
    response = client.post(reverse("stab:etb_new", args=[staff.pk]), {"category": "lage", "text": "alt", "event_at": old}, **JSON)
    assert response.status_code == 400
    assert "Zeitpunkt des Ereignisses" in " ".join(response.json()["errors"])
    assert not LogEntry.objects.exists()


def test_fast_entry_without_script_redirects_with_a_message(setup):
    staff, _users, client = setup
    response = client.post(reverse("stab:etb_new", args=[staff.pk]), {"category": "lage", "text": "ohne Skript"}, follow=True)
    assert "Eintrag Nr. 1 gespeichert" in response.content.decode()


def test_the_page_shows_both_the_corrected_entry_and_the_correction(setup):
    staff, users, client = setup
    wrong = actions.do_write_entry(staff, category=LogCategory.LAGE, text="12 Fälle", acting_user=users["s2"])
    response = client.post(reverse("stab:etb_correct", args=[staff.pk, wrong.number]), {"text": "21 Fälle"}, follow=True)
    html = response.content.decode()
    assert "12 Fälle" in html and "21 Fälle" in html and "korrigiert durch Nr. 2" in html


def test_live_events_return_the_new_entries(setup):
    staff, users, client = setup
    for text in ("eins", "zwei", "drei"):
        actions.do_write_entry(staff, category=LogCategory.LAGE, text=text, acting_user=users["s2"])
    data = client.get(reverse("stab:etb_events", args=[staff.pk]), {"nach": 1}).json()
    assert [e["number"] for e in data["entries"]] == [2, 3] and data["last"] == 3 and "zwei" in data["entries"][0]["html"]


def test_filters_by_category_function_and_text(setup):
    staff, users, client = setup
    actions.do_write_entry(staff, category=LogCategory.LAGE, text="Pegel steigt", acting_user=users["s2"])
    actions.do_write_entry(staff, category=LogCategory.ENTSCHEIDUNG, text="Evakuierung beschlossen", acting_user=users["leitung"])
    url = reverse("stab:etb_log", args=[staff.pk])
    html = client.get(url, {"kategorie": "entscheidung"}).content.decode()
    assert "Evakuierung" in html and "Pegel steigt" not in html
    html = client.get(url, {"funktion": "S2"}).content.decode()
    assert "Pegel steigt" in html and "Evakuierung" not in html
    html = client.get(url, {"text": "pegel"}).content.decode()
    assert "Pegel steigt" in html and "Evakuierung" not in html


def test_the_panel_shows_the_last_entries_and_the_links(setup):
    staff, users, client = setup
    actions.do_write_entry(staff, category=LogCategory.LAGE, text="Lagemeldung 9 Uhr", acting_user=users["s2"])
    html = client.get(reverse("stab:staff_detail", args=[staff.pk])).content.decode()
    assert "Lagemeldung 9 Uhr" in html and reverse("stab:etb_new", args=[staff.pk]) in html


def test_api_lists_entries_with_hashes_and_the_verification(setup):
    staff, users, client = setup
    for text in ("eins", "zwei", "drei"):
        actions.do_write_entry(staff, category=LogCategory.LAGE, text=text, acting_user=users["s2"])
    page = client.get(reverse("api:etb_entries", args=[staff.uuid]), {"limit": 2}).json()
    assert [e["number"] for e in page["results"]] == [1, 2] and page["next"] and len(page["results"][0]["hash"]) == 64
    check = client.get(reverse("api:etb_verification", args=[staff.uuid])).json()
    assert check == {"entries": 3, "holds": True, "first_broken": None, "head": LogEntry.objects.get(number=3).hash}
    spec = client.get(reverse("api:openapi")).json()
    assert "/staebe/{id}/etb/" in spec["paths"]


def test_attachment_upload_and_a_bomb_refused_through_the_page(setup, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    staff, _users, client = setup
    url = reverse("stab:etb_attach", args=[staff.pk])
    out = io.BytesIO()
    Image.new("RGB", (9000, 9000), "white").save(out, "PNG")
    response = client.post(url, {"file": SimpleUploadedFile("bombe.png", out.getvalue()), "text": ""}, **JSON)
    assert response.status_code == 400 and "Anlage" in " ".join(response.json()["errors"])
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "PNG")
    response = client.post(url, {"file": SimpleUploadedFile("lage.png", out.getvalue()), "text": "Lagekarte"}, follow=True)
    assert "Anlage als Eintrag Nr. 1 gespeichert" in response.content.decode()
    download = client.get(reverse("stab:etb_attachment", args=[staff.pk, 1]))
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"


def test_handover_through_the_page_writes_an_entry(setup):
    staff, users, client = setup
    client.force_login(users["leitung"])
    response = client.post(reverse("stab:etb_handover", args=[staff.pk]), {"to_user": users["s2"].pk, "note": ""}, follow=True)
    assert "ETB-Führung übergeben (Eintrag Nr. 1)" in response.content.decode()
    staff.refresh_from_db()
    assert staff.log_keeper == users["s2"] and LogEntry.objects.get(staff=staff).category == LogCategory.SCHICHTWECHSEL


def _poll_queries(client, staff, after):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("stab:etb_events", args=[staff.pk]), {"nach": after})
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in ctx.captured_queries]


def test_live_events_poll_is_keyset_and_cheap(setup):
    """Every open log polls every 500 ms: the staff is read once, nothing new answers at once,
    and new rows cost no query per row (3 rows and 30 rows take the same number of queries)."""
    staff, users, client = setup
    for i in range(33):
        actions.do_write_entry(staff, category=LogCategory.LAGE, text=f"Eintrag {i}", acting_user=users["s2"])
    empty, empty_sql = _poll_queries(client, staff, 33)
    assert empty == {"last": 33, "entries": [], "more": False}
    assert sum(1 for q in empty_sql if 'FROM "stab_staff"' in q) == 1
    few, few_sql = _poll_queries(client, staff, 30)
    many, many_sql = _poll_queries(client, staff, 3)
    assert len(few["entries"]) == 3 and len(many["entries"]) == 30
    assert len(few_sql) == len(many_sql)
    assert len(empty_sql) < len(few_sql)
