"""Interview transcripts: speaker turns, pseudonymisation, consent and retention."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krisenwissen.core.models import AuditEntry
from krisenwissen.core.retention import do_apply_retention
from krisenwissen.documents.interviews import TranscriptError, pseudonymise, split_turns
from krisenwissen.documents.models import Document, DocumentKind, Passage
from krisenwissen.documents.sources_actions import (
    do_change_interview_consent,
    do_upload_interview,
    retention_date,
)
from krisenwissen.documents.sources_models import Interview

from .samples import TRANSCRIPT


def test_turns_with_labels_named_speakers_and_timestamps():
    turns = split_turns(TRANSCRIPT)
    assert [label for label, _t, _s in turns] == ["I", "Petra Schneider", "I", "Petra Schneider", "B"]
    assert turns[0][1] == "00:00:05" and turns[3][1] == "00:01:10"
    assert turns[3][2].endswith("Das war wichtig.")  # continuation line joins the turn


def test_pseudonymisation_replaces_speakers_and_names_in_text():
    result = pseudonymise(TRANSCRIPT)
    for secret in ("Petra", "Schneider", "Becker", "Thomas Wagner", "p.schneider@stadt.example"):
        assert secret not in result.text
    assert "Person 1:" in result.text and "[Name]" in result.text and "[E-Mail]" in result.text
    roles = [t.role for t in result.turns]
    assert roles == ["interviewer", "person", "interviewer", "person", "befragt"]
    for turn in result.turns:
        spoken = result.text[turn.start:turn.end]
        assert spoken and not spoken.startswith(("I:", "B:", "Person"))


def test_text_without_speaker_labels_is_refused_in_german():
    with pytest.raises(TranscriptError, match="Sprecherwechsel"):
        pseudonymise("Nur ein Absatz ohne Kennung.\nNoch einer.")


def _upload(user, city, data=None, **kw):
    today = timezone.localdate()
    args = {"municipality": city, "data": TRANSCRIPT.encode() if data is None else data, "filename": "interview.txt", "title": "Interview Krisenstab 1",
            "consent_date": today - dt.timedelta(days=3), "consent_note": "schriftlich, Formular v2",
            "retention_until": today + dt.timedelta(days=365), "acting_user": user}
    args.update(kw)
    return do_upload_interview(**args)


def test_upload_stores_only_the_pseudonymised_transcript(contributor_a, city_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interview = _upload(contributor_a, city_a)
    document = interview.document
    assert document.kind == DocumentKind.INTERVIEW
    version = document.versions.get()
    assert "Schneider" not in version.text
    with version.file.open("rb") as handle:
        assert b"Schneider" not in handle.read()  # the stored "original" is the pseudonymised text
    assert interview.turns and interview.speakers == 1 and interview.replaced >= 2
    passages = list(Passage.objects.filter(document=document).order_by("order"))
    assert len(passages) == len(interview.turns)
    assert all(version.text[p.start:p.end] == p.text for p in passages)
    assert AuditEntry.objects.filter(action="documents.interview_uploaded").count() == 1


def test_docx_transcript(contributor_a, city_a):
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph("I: Wie war die Lage?")
    doc.add_paragraph("B: Angespannt, Frau Krause hat viel getragen.")
    buffer = io.BytesIO()
    doc.save(buffer)
    interview = _upload(contributor_a, city_a, data=buffer.getvalue(), filename="interview.docx")
    text = interview.document.versions.get().text
    assert "Krause" not in text and text.startswith("I: Wie war die Lage?")


@pytest.mark.parametrize("change, message", [
    ({"consent_date": None}, "Datum der Einwilligung"),
    ({"consent_note": " "}, "Form der Einwilligung"),
    ({"retention_until": None}, "aufbewahrt"),
    ({"retention_until": dt.date(2000, 1, 1)}, "Zukunft"),
    ({"data": b""}, "leer"),
    ({"title": "Interview mit Frau Schneider"}, "Titel"),
    ({"data": b"\x00\x01binary", "filename": "x.txt"}, "Textdatei"),
    ({"filename": "x.pdf"}, "Textdatei"),
])
def test_bad_interview_uploads_are_refused_and_store_nothing(contributor_a, city_a, change, message):
    with pytest.raises(ValidationError, match=message):
        _upload(contributor_a, city_a, **change)
    assert not Document.objects.exists() and not Interview.objects.exists()


def test_readers_cannot_upload_interviews(reader_a, city_a):
    with pytest.raises(PermissionDenied):
        _upload(reader_a, city_a)


def test_retention_period_in_months():
    assert retention_date(months=12, start=dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert retention_date(until=dt.date(2030, 1, 1), months=3) == dt.date(2030, 1, 1)


def test_retention_run_deletes_transcript_after_its_date(contributor_a, city_a, django_capture_on_commit_callbacks):
    interview = _upload(contributor_a, city_a)
    kept = _upload(contributor_a, city_a, title="Interview 2", data=b"I: Frage?\nB: Antwort.",
                   retention_until=timezone.localdate() + dt.timedelta(days=3000))
    file_name = interview.document.versions.get().file.name
    from django.core.files.storage import default_storage

    assert default_storage.exists(file_name)
    later = timezone.now() + dt.timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        counts = do_apply_retention(now=later)
    assert counts["interviews"] == 1
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not Document.objects.filter(pk=interview.document_id).exists()
    assert Interview.objects.filter(pk=kept.pk).exists()
    assert not default_storage.exists(file_name)


def test_change_consent_checks_and_records(contributor_a, reader_a, city_a):
    interview = _upload(contributor_a, city_a)
    new_date = timezone.localdate() + dt.timedelta(days=30)
    do_change_interview_consent(interview, consent_date=interview.consent_date, consent_note="mündlich, protokolliert",
                                retention_until=new_date, acting_user=contributor_a)
    interview.refresh_from_db()
    assert interview.retention_until == new_date and interview.consent_note == "mündlich, protokolliert"
    with pytest.raises(PermissionDenied):
        do_change_interview_consent(interview, consent_date=interview.consent_date, consent_note="x",
                                    retention_until=new_date, acting_user=reader_a)


def test_honorific_in_a_speaker_label_is_not_treated_as_a_name():
    result = pseudonymise("Frau Krause: Ich leite das Amt.\nI: Wie geht es Ihrer Frau?\nFrau Krause: Krause ist mein Name.")
    assert "Krause" not in result.text
    assert "Wie geht es Ihrer Frau?" in result.text
