"""State changes of the research sources part: interviews, surveys, literature.

Each import reads and checks the whole file first (pure cores ``interviews``, ``survey``,
``literature``; German messages with line and column) and then writes everything in one
transaction: a refused file leaves nothing behind.

Interview transcripts are pseudonymised before anything is stored: the original upload (with
the real names) is never written; the stored "original" is the pseudonymised text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm
from krisenwissen.knowledge.names import find_personal_data

from . import literature, survey
from .extract import ExtractError, precheck
from .extract.markup import decode_text
from .extract.office import extract_docx
from .ingest_limits import limits
from .interviews import TranscriptError, pseudonymise
from .models import Document, DocumentKind, DocumentVersion, Passage, VersionStatus
from .sources_events import SourcesEvent
from .sources_models import Interview, LiteratureRecord, Survey, SurveyFreeText

NOT_HERE = _("Sie dürfen in dieser Kommune keine Forschungsquellen importieren.")


def _person(user):
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


def _check_visibility(visibility: str) -> None:
    if visibility not in {v for v, _label in Document._meta.get_field("visibility").choices}:
        raise ValidationError(_("Unbekannte Sichtbarkeit „%(v)s“.") % {"v": visibility})


def _max_bytes() -> int:
    return int(getattr(settings, "KRISENWISSEN_SOURCES_MAX_BYTES", 10 * 1024 * 1024))


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ValidationError(_("Die Datei ist leer."))
    if len(data) > max_bytes:
        raise ValidationError(_("Die Datei ist zu groß (%(n)s Bytes, höchstens %(max)s).") % {"n": len(data), "max": max_bytes})


def _text_document(*, municipality, title: str, kind: str, visibility: str, text: str, filename: str,
                   spans: list[tuple[str, int, int, str]], acting_user) -> tuple[Document, DocumentVersion]:
    """A document with one extracted version whose text is ``text``; ``spans`` (key, start, end,
    heading) become its passages. Call inside a transaction."""
    document = Document(municipality=municipality, title=title[:300], kind=kind, visibility=visibility,
                        created_by=_person(acting_user))
    document.full_clean()
    document.save()
    data = text.encode("utf-8")
    content_hash = hashlib.sha256(data).hexdigest()
    version = DocumentVersion(document=document, number=1, content_hash=content_hash, original_name=filename,
                              media_type="text/plain", size=len(data), status=VersionStatus.FERTIG, progress=100,
                              text=text, created_by=_person(acting_user))
    version.file.save(f"{content_hash[:16]}.txt", ContentFile(data), save=False)
    version.save()
    Passage.objects.bulk_create([
        Passage(version=version, document=document, key=key, order=n, page=None, heading=heading[:300], start=start,
                end=end, text=text[start:end]) for n, (key, start, end, heading) in enumerate(spans) if end > start
    ], batch_size=500)
    document_id = document.pk
    transaction.on_commit(lambda: _reindex(document_id))
    return document, version


def _reindex(document_id: int) -> None:
    from .ingest_actions import _reindex as reindex

    reindex(document_id)


# --- interviews --------------------------------------------------------------------------

def transcript_text(data: bytes, filename: str) -> str:
    """The text of a transcript upload (plain text in any common encoding, or DOCX)."""
    lower = filename.lower()
    try:
        if lower.endswith(".docx"):
            precheck(data, filename, limits())
            extraction = extract_docx(data, limits())
            return "\n".join(block.text for page in extraction.pages for block in page.blocks)
        if lower.endswith((".txt", ".text", ".md")) or not os.path.splitext(lower)[1]:
            if b"\x00" in data[:4096]:
                raise ValidationError(_("Die Datei ist keine Textdatei."))
            return decode_text(data)
    except ExtractError as exc:
        raise ValidationError(str(exc)) from None
    raise ValidationError(_("Transkripte bitte als Textdatei (.txt) oder Word-Datei (.docx) hochladen."))


def _check_consent(consent_date, consent_note: str, retention_until) -> None:
    today = timezone.localdate()
    if consent_date is None:
        raise ValidationError(_("Bitte das Datum der Einwilligung angeben."))
    if consent_date > today:
        raise ValidationError(_("Die Einwilligung kann nicht in der Zukunft liegen."))
    if not (consent_note or "").strip():
        raise ValidationError(_("Bitte die Form der Einwilligung angeben (z. B. „schriftlich, Formular v2“)."))
    if retention_until is None:
        raise ValidationError(_("Bitte angeben, bis wann das Interview aufbewahrt werden darf."))
    if retention_until <= today:
        raise ValidationError(_("Das Aufbewahrungsdatum muss in der Zukunft liegen."))


def retention_date(*, until: dt.date | None = None, months: int | None = None, start: dt.date | None = None) -> dt.date | None:
    """The retention date from a date or from a period in months after ``start`` (default today)."""
    if until is not None:
        return until
    if months:
        start = start or timezone.localdate()
        month = start.month - 1 + months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31][month - 1])
        return dt.date(year, month, day)
    return None


def do_upload_interview(*, municipality, data: bytes, filename: str, title: str, consent_date, consent_note: str,
                        retention_until, acting_user, visibility: str = "intern") -> Interview:
    require_perm(acting_user, "documents.import_sources_into", municipality, message=NOT_HERE)
    _check_visibility(visibility)
    _check_size(data, min(_max_bytes(), limits().max_bytes))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Bitte einen Titel für das Interview angeben (ohne Namen der Befragten)."))
    if find_personal_data(title):
        raise ValidationError(_("Der Titel scheint einen Namen oder Kontaktdaten zu enthalten. Bitte einen Titel "
                                "ohne personenbezogene Angaben wählen (z. B. „Interview Krisenstab 3“)."))
    _check_consent(consent_date, consent_note, retention_until)
    text = transcript_text(data, filename)
    try:
        transcript = pseudonymise(text, max_chars=limits().max_text_chars)
    except TranscriptError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        spans = [(f"t{n + 1}", t.start, t.end, t.speaker) for n, t in enumerate(transcript.turns)]
        document, _version = _text_document(municipality=municipality, title=title, kind=DocumentKind.INTERVIEW,
                                            visibility=visibility, text=transcript.text, filename="transkript.txt",
                                            spans=spans, acting_user=acting_user)
        interview = Interview.objects.create(document=document, consent_date=consent_date,
                                             consent_note=consent_note.strip()[:500], retention_until=retention_until,
                                             turns=transcript.turns_as_dicts(), speakers=len(transcript.pseudonyms),
                                             replaced=transcript.replaced)
        record(SourcesEvent.INTERVIEW_UPLOADED, acting_user=acting_user, obj=document, sprecherwechsel=len(transcript.turns),
               pseudonyme=len(transcript.pseudonyms), ersetzt=transcript.replaced,
               aufbewahren_bis=retention_until.isoformat())
    return interview


def do_change_interview_consent(interview: Interview, *, consent_date, consent_note: str, retention_until,
                                acting_user) -> Interview:
    require_perm(acting_user, "documents.change_interview", interview.document,
                 message=_("Nur Mitwirkende der Kommune ändern Einwilligung und Aufbewahrung."))
    _check_consent(consent_date, consent_note, retention_until)
    with transaction.atomic():
        interview = Interview.objects.select_for_update().get(pk=interview.pk)
        interview.consent_date, interview.consent_note = consent_date, consent_note.strip()[:500]
        interview.retention_until = retention_until
        interview.save()
        record(SourcesEvent.INTERVIEW_CONSENT_CHANGED, acting_user=acting_user, obj=interview.document,
               aufbewahren_bis=retention_until.isoformat())
    return interview


# --- surveys -----------------------------------------------------------------------------

def survey_bounds() -> survey.Bounds:
    return survey.Bounds(max_bytes=int(getattr(settings, "KRISENWISSEN_SURVEY_MAX_BYTES", 10 * 1024 * 1024)),
                         max_rows=int(getattr(settings, "KRISENWISSEN_SURVEY_MAX_ROWS", 20_000)),
                         max_columns=int(getattr(settings, "KRISENWISSEN_SURVEY_MAX_COLUMNS", 500)))


def _match_municipalities(values: list[str]) -> list[int | None]:
    """Municipality ids for the answers' AGS or name (None when not in the directory)."""
    agss = {survey.normalise_ags(v) for v in values} - {""}
    names = {v.strip().casefold() for v in values if v.strip() and not survey.normalise_ags(v)}
    by_ags = dict(Municipality.objects.filter(ags__in=agss).values_list("ags", "pk")) if agss else {}
    by_name: dict[str, int] = {}
    if names:
        for pk, name in Municipality.objects.order_by("pk").values_list("pk", "name"):
            by_name.setdefault(name.casefold(), pk)
    result = []
    for value in values:
        ags = survey.normalise_ags(value)
        result.append(by_ags.get(ags) if ags else by_name.get(value.strip().casefold()))
    return result


def do_import_survey(*, municipality, data: bytes, filename: str, title: str = "", acting_user,
                     visibility: str = "intern") -> Survey:
    require_perm(acting_user, "documents.import_sources_into", municipality, message=NOT_HERE)
    _check_visibility(visibility)
    if not data:
        raise ValidationError(_("Die Datei ist leer."))
    try:
        parsed = survey.parse_survey(data, survey_bounds())
    except survey.SurveyError as exc:
        raise ValidationError(str(exc)) from None
    title = ((title or "").strip() or os.path.splitext(os.path.basename(filename))[0] or _("Umfrage"))[:300]
    # keep only the question columns (no IP address, token, names from system columns)
    keep = sorted({c for q in parsed.questions for c in q.columns})
    position = {c: n for n, c in enumerate(keep)}
    questions = []
    for q in parsed.questions:
        item = q.as_dict()
        item["columns"] = [position[c] for c in q.columns]
        questions.append(item)
    answers = [[row[c] for c in keep] for row in parsed.rows]
    places = ([row[parsed.municipality_column] for row in parsed.rows] if parsed.municipality_column is not None else [])
    matched = _match_municipalities(places) if places else [None] * len(answers)
    unmatched = sum(1 for value, pk in zip(places, matched, strict=False) if value.strip() and pk is None)
    with transaction.atomic():
        result = Survey.objects.create(municipality=municipality, title=title, visibility=visibility,
                                       original_name=os.path.basename(filename)[:255], questions=questions,
                                       answers=answers, response_municipalities=matched,
                                       unmatched_municipalities=unmatched, created_by=_person(acting_user))
        documents = 0
        for question in questions:
            if question["kind"] != "frei":
                continue
            column = question["columns"][0]
            texts = [(n + 1, row[column]) for n, row in enumerate(answers) if row[column].strip()]
            if not texts:
                continue
            parts, spans, offsets, position_ = [], [], [], 0
            for row_number, answer in texts:
                answer = answer.strip()
                spans.append((f"a{row_number}", position_, position_ + len(answer), _("Antwort %(n)s") % {"n": row_number}))
                offsets.append({"row": row_number, "start": position_, "end": position_ + len(answer)})
                parts.append(answer)
                position_ += len(answer) + 2
            text = "\n\n".join(parts)
            doc_title = f"{title}: {question['code']} – {question['text']}"
            document, _v = _text_document(municipality=municipality, title=doc_title, kind=DocumentKind.UMFRAGE,
                                          visibility=visibility, text=text, filename=f"{question['code']}.txt"[:255],
                                          spans=spans, acting_user=acting_user)
            SurveyFreeText.objects.create(survey=result, code=question["code"][:300], document=document, answers=offsets)
            documents += 1
        record(SourcesEvent.SURVEY_IMPORTED, acting_user=acting_user, obj=result, municipality=municipality,
               datei=result.original_name, antworten=len(answers), fragen=len(questions), freitext_dokumente=documents,
               kommunen_nicht_gefunden=unmatched)
    return result


# --- literature --------------------------------------------------------------------------

class LiteratureImport:
    def __init__(self, created: list[LiteratureRecord], duplicates: list[literature.Reference]):
        self.created = created
        self.duplicates = duplicates

    @property
    def message(self) -> str:
        return _("%(n)s Literaturangaben importiert, %(d)s Dubletten übersprungen.") % {
            "n": len(self.created), "d": len(self.duplicates)}


def _source_url(reference: literature.Reference) -> str:
    url = f"https://doi.org/{reference.doi}" if reference.doi else reference.url
    if not url or len(url) > 200:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _source_for(reference: literature.Reference, municipality, acting_user):
    from krisenwissen.knowledge.actions import do_ensure_source
    from krisenwissen.knowledge.models import SourceKind

    if reference.doi:
        other = LiteratureRecord.objects.filter(doi=reference.doi).select_related("source").order_by("pk").first()
        if other is not None:
            return other.source
    title = reference.title[:290] + (f" ({reference.year})" if reference.year else "")
    date = dt.date(reference.year, 1, 1) if reference.year else None
    return do_ensure_source(kind=SourceKind.LITERATURE, title=title[:300], municipality=municipality,
                            defaults={"citation": reference.citation(), "url": _source_url(reference), "date": date},
                            acting_user=acting_user)


def known_keys(municipality) -> set[str]:
    keys = set()
    for doi, title_key, year in LiteratureRecord.objects.filter(municipality=municipality).values_list("doi", "title_key", "year"):
        if doi:
            keys.add(f"doi:{doi}")
        keys.add(f"titel:{title_key}|{year or ''}")
    return keys


def do_import_literature(*, municipality, data: bytes, filename: str, acting_user,
                         visibility: str = "intern") -> LiteratureImport:
    require_perm(acting_user, "documents.import_sources_into", municipality, message=NOT_HERE)
    _check_visibility(visibility)
    _check_size(data, _max_bytes())
    if b"\x00" in data:
        raise ValidationError(_("Die Datei ist keine Textdatei."))
    text = survey.decode(data)
    try:
        references = literature.parse_references(text, filename)
    except literature.LiteratureError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        new, duplicates = literature.deduplicate(references, known_keys(municipality))
        created = []
        for reference in new:
            source = _source_for(reference, municipality, acting_user)
            created.append(LiteratureRecord.objects.create(
                municipality=municipality, visibility=visibility, title=reference.title[:1000] or reference.doi,
                authors=reference.authors, year=reference.year if reference.year and reference.year < 32767 else None,
                doi=reference.doi[:300], title_key=literature.normalise_title(reference.title)[:1000],
                container=reference.container[:500], publisher=reference.publisher[:300], url=reference.url[:500],
                entry_type=reference.kind[:20], abstract=reference.abstract, keywords=reference.keywords,
                source=source, created_by=_person(acting_user)))
        record(SourcesEvent.LITERATURE_IMPORTED, acting_user=acting_user, obj=None, municipality=municipality,
               datei=os.path.basename(filename)[:255], neu=len(created), dubletten=len(duplicates))
    return LiteratureImport(created, duplicates)
