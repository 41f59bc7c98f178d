"""Web views, actions, CLI and imports of the Verordnungs-Synopse."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from krisenwissen.core.models import Notification
from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions, demo
from krisenwissen.regulations.models import KeywordRule, LegalText, Version

OLD = """% Testverordnung  (Testverordnung - TestV)

# § 1 – Versammlungen

(1) Versammlungen sind anzuzeigen.

(2) Die Behörde kann Auflagen erteilen.

# § 2 – Schulen

Schulen bleiben bis auf Weiteres für den Unterricht geöffnet.
"""
NEW = OLD.replace("Unterricht geöffnet", "Unterricht geschlossen").replace("Auflagen erteilen", "Auflagen erteilen oder sie verbieten")


@pytest.fixture
def law(db):
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    old = actions.do_add_version(legal_text, text=OLD, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    new = actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM)
    return legal_text, old, new


def test_default_keyword_rules_are_seeded(db):
    terms = dict(KeywordRule.objects.values_list("term", "department"))
    assert terms["Versammlung"] == "Ordnungsamt"
    assert terms["Quarantäne"] == "Gesundheitsamt" and terms["Absonderung"] == "Gesundheitsamt"
    assert terms["Schule"] == "Schulverwaltung"


@pytest.mark.parametrize("view", ["synopse", "redline", "aenderungen"])
def test_synopse_views_for_anonymous(client, law, view):
    legal_text, old, new = law
    response = client.get(reverse("regulations:synopse", kwargs={"slug": legal_text.slug}),
                          {"alt": old.pk, "neu": new.pk, "ansicht": view})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<li>§ 1 Absatz 2 geändert</li>" in body and "<li>§ 2 geändert</li>" in body
    assert "<del>" in body and "<ins>" in body
    assert "Schulverwaltung" in body and "Ordnungsamt" in body
    if view != "synopse":
        assert "unveränderte Einheit" in body


def test_department_view_shows_only_its_changes(client, law):
    legal_text, old, new = law
    response = client.get(reverse("regulations:synopse", kwargs={"slug": legal_text.slug}),
                          {"alt": old.pk, "neu": new.pk, "amt": "Schulverwaltung"})
    body = response.content.decode()
    assert "für den Unterricht" in body
    assert "geschlossen" in body
    assert "Auflagen erteilen oder sie verbieten" not in body and "oder sie verbieten" not in body


def test_exports(client, law):
    legal_text, old, new = law
    base = {"alt": old.pk, "neu": new.pk}
    data = client.get(reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": "json"}), base).json()
    assert data["summary"] == "§ 1 Absatz 2 geändert; § 2 geändert"
    units = {u["label"]: u for u in data["units"]}
    assert units["§ 2"]["status"] == "modified" and units["§ 2"]["departments"] == ["Schulverwaltung"]
    docx = client.get(reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": "docx"}), base)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    runs = [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert any(r.font.strike and "geöffnet" in r.text for r in runs)
    assert any(r.font.underline and "geschlossen" in r.text for r in runs)
    html = client.get(reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": "html"}), base)
    assert b"<del>" in html.content and b'lang="de"' in html.content


def test_upload_needs_redaktion(client, law, reader_a, editor_b):
    legal_text, _old, _new = law
    url = reverse("regulations:version_add", kwargs={"slug": legal_text.slug})
    client.force_login(reader_a)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2021, 3, 1), acting_user=reader_a)
    client.force_login(editor_b)
    upload = io.BytesIO(NEW.replace("geschlossen", "wieder geöffnet").encode("cp1252"))
    upload.name = "fassung.txt"
    response = client.post(url, {"file": upload, "in_force_from": "2021-03-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert legal_text.versions.count() == 3


def test_overlap_and_same_date_are_refused(law):
    legal_text, _old, _new = law
    with pytest.raises(ValidationError, match="bereits eine Fassung ab 01.02.2021"):
        actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="überschneidet"):
        actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2020, 12, 1),
                               in_force_until=datetime.date(2021, 1, 15), acting_user=SYSTEM)
    # out of order is fine: sorted by date in force
    actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2020, 12, 1),
                           in_force_until=datetime.date(2020, 12, 31), acting_user=SYSTEM)
    assert [v.in_force_from.month for v in legal_text.versions.order_by("in_force_from")] == [12, 1, 2]


def test_stub_upload_is_refused(client, law, editor_b, shared_data):
    legal_text, _old, _new = law
    client.force_login(editor_b)
    stub = shared_data / "laws/CoronaEinreiseV/broken/2021-08-01.md"
    with stub.open("rb") as handle:
        response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}),
                               {"file": handle, "in_force_from": "2021-08-01"})
    assert response.status_code == 200
    assert "nur den Titel" in response.content.decode()
    assert "Ausgewählte Dateien bitte erneut wählen" in response.content.decode()  # the browser drops the file
    assert legal_text.versions.count() == 2


def test_pdf_without_text_layer(editor_b, law):
    import pikepdf

    from krisenwissen.regulations.extract import extract_text
    from krisenwissen.regulations.legaltext import LegalTextError

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(LegalTextError, match="OCR"):
        extract_text(out.getvalue(), "scan.pdf")
    with pytest.raises(LegalTextError, match="zu groß"):
        extract_text(b"x" * (50 * 1024 * 1024 + 1), "riesig.txt")


def test_html_and_docx_uploads_are_read():
    from docx import Document

    from krisenwissen.regulations.extract import extract_text
    from krisenwissen.regulations.legaltext import parse

    html = "<html><body><h2>§ 1 Zweck</h2><p>(1) Eins.</p><p>(2) Zwei &amp; drei.</p><script>x()</script></body></html>"
    doc = parse(extract_text(html.encode(), "v.html"))
    assert [n.label for n in doc.unit("§ 1").tree()] == ["Abs. 1", "Abs. 2"]
    word = Document()
    word.add_heading("§ 1 – Zweck", level=2)
    word.add_paragraph("(1) Eins.")
    out = io.BytesIO()
    word.save(out)
    doc = parse(extract_text(out.getvalue(), "v.docx"))
    assert doc.unit("§ 1").title == "Zweck"


def test_subscription_notifies_with_summary_and_time_left(client, law, reader_a, django_capture_on_commit_callbacks):
    legal_text, _old, new = law
    client.force_login(reader_a)
    assert client.post(reverse("regulations:subscribe", kwargs={"slug": legal_text.slug})).status_code == 302
    future = timezone.localdate() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=False):
        actions.do_add_version(legal_text, text=NEW.replace("anzuzeigen", "anzumelden"), in_force_from=future,
                               acting_user=SYSTEM)
    note = Notification.objects.get(recipient=reader_a)
    assert "in 5 Tagen" in note.subject
    assert "§ 1 Absatz 1 geändert" in note.body
    assert f"neu={legal_text.versions.get(in_force_from=future).pk}" in note.url


def test_notification_says_tomorrow_for_one_day_left(law, reader_a, django_capture_on_commit_callbacks):
    legal_text, _old, _new = law
    assert actions.do_toggle_subscription(legal_text, acting_user=reader_a) is True
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=False):
        actions.do_add_version(legal_text, text=NEW.replace("anzuzeigen", "anzumelden"), in_force_from=tomorrow,
                               acting_user=SYSTEM)
    subject = Notification.objects.get(recipient=reader_a).subject
    assert "tritt morgen in Kraft" in subject and "Tagen" not in subject


def test_keyword_rules_editable_by_redaktion(client, db, editor_b, reader_a):
    url = reverse("regulations:keywords")
    client.force_login(reader_a)
    assert client.post(url, {"term": "Hund", "department": "Ordnungsamt"}).status_code == 403
    client.force_login(editor_b)
    assert client.post(url, {"term": "Hund", "department": "Ordnungsamt", "active": "on"}).status_code == 302
    rule = KeywordRule.objects.get(term="Hund")
    response = client.post(reverse("regulations:keyword_edit", kwargs={"pk": rule.pk}),
                           {"term": "Hunde", "department": "Ordnungsamt", "active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.term == "Hunde"


def test_cli_compare_formats(shared_data, tmp_path, capsys):
    old = shared_data / "laws/IfSG/early-formats/2021-04-22.md"
    new = shared_data / "laws/IfSG/early-formats/2021-04-23.md"
    call_command("compare", str(old), str(new), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert "§ 28b eingefügt" in data["summary"]
    unit = next(u for u in data["units"] if u["label"] == "§ 28b")
    assert unit["status"] == "inserted" and unit["old_label"] is None and isinstance(unit["departments"], list)
    for fmt, magic in (("html", b"<!DOCTYPE html>"), ("docx", b"PK"), ("pdf", b"%PDF")):
        target = tmp_path / f"out.{fmt}"
        call_command("compare", str(old), str(new), "--format", fmt, "--output", str(target))
        assert target.read_bytes().startswith(magic)


def test_cli_refuses_stub(shared_data):
    with pytest.raises(CommandError, match="nur den Titel"):
        call_command("compare", str(shared_data / "laws/CoronaEinreiseV/2021-04-30.md"),
                     str(shared_data / "laws/CoronaEinreiseV/broken/2021-05-13.md"))


def test_import_directory_is_idempotent_and_refuses_stubs(db, shared_data, capsys):
    call_command("regulations", "import", "CoronaEinreiseV", str(shared_data / "laws/CoronaEinreiseV"))
    legal_text = LegalText.objects.get(abbreviation="CoronaEinreiseV")
    assert legal_text.versions.count() == 27
    assert "27 neu" in capsys.readouterr().out
    call_command("regulations", "import", "CoronaEinreiseV", str(shared_data / "laws/CoronaEinreiseV"))
    assert "0 neu, 0 aktualisiert, 27 unverändert" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nur den Titel"):
        call_command("regulations", "import", "CoronaEinreiseV", str(shared_data / "laws/CoronaEinreiseV/broken"))
    assert legal_text.versions.count() == 27


def test_demo_loader(db):
    counts = demo.load(force=False)
    if demo.shared_laws().is_dir():
        assert counts["versions"] == len(demo.DEMO_FILES)
        assert demo.load(force=False)["versions"] == 0
    assert Version.objects.filter(legal_text__slug="ifsg").count() == counts["versions"]


def test_demo_loader_without_shared_data(db, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "shared_laws", lambda: tmp_path / "missing")
    assert demo.load(force=False)["versions"] == 0


def test_list_and_detail_pages(client, law):
    legal_text, old, _new = law
    assert b"TestV" in client.get(reverse("regulations:list")).content
    body = client.get(legal_text.get_absolute_url()).content.decode()
    assert "01.02.2021" in body and "Änderungen zur Vorfassung" in body
    body = client.get(reverse("regulations:version", kwargs={"slug": legal_text.slug, "pk": old.pk})).content.decode()
    assert "Versammlungen sind anzuzeigen" in body


def test_export_with_unknown_department_shows_all_changes_like_the_page(client, law):
    legal_text, old, new = law
    query = {"alt": old.pk, "neu": new.pk, "amt": "Unbekanntes Amt"}
    page = client.get(reverse("regulations:synopse", kwargs={"slug": legal_text.slug}), query).content.decode()
    html = client.get(reverse("regulations:synopse_export", kwargs={"slug": legal_text.slug, "fmt": "html"}),
                      query).content.decode()
    for body in (page, html):
        assert "oder sie verbieten" in body and "geschlossen" in body
        assert "Unbekanntes Amt" not in body


def test_anonymous_keyword_rule_post_goes_to_login(client, db):
    response = client.post(reverse("regulations:keywords"), {"term": "Hund", "department": "Ordnungsamt"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login")) and "next=" in response.url
    assert not KeywordRule.objects.filter(term="Hund").exists()


def test_html_upload_with_nul_bytes_is_refused(client, law, editor_b):
    """NUL characters would be stored on SQLite but crash PostgreSQL: refused with a German message."""
    legal_text, _old, _new = law
    client.force_login(editor_b)
    upload = io.BytesIO(b"<html><body><h2>\xc2\xa7 1 Zweck</h2><p>(1) Eins.\x00</p></body></html>")
    upload.name = "fassung.html"
    response = client.post(reverse("regulations:version_add", kwargs={"slug": legal_text.slug}),
                           {"file": upload, "in_force_from": "2021-03-01"})
    assert response.status_code == 200
    assert "keine Textdatei" in response.content.decode()
    assert legal_text.versions.count() == 2


def test_import_validates_versions_like_an_upload(db, tmp_path):
    (tmp_path / "2021-01-01.md").write_text(OLD, encoding="utf-8")
    with pytest.raises(CommandError, match="höchstens 500 Zeichen"):
        call_command("regulations", "import", "TestV", str(tmp_path), "--source", "x" * 600)
    assert not Version.objects.filter(legal_text__abbreviation="TestV").exists()



def test_takes_effect_in_counts_days_in_local_time(monkeypatch):
    """23:30 UTC is already the next day in Berlin: a version starting that day applies today."""
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC))
    assert Version(in_force_from=datetime.date(2026, 11, 27)).takes_effect_in() == 0
