"""REFI-QDA exchange of the coded project: export (QDPX, QDC) and import, as actions.

Export writes what the acting user may read: the documents (their newest processed version
as a text source), the codings on those versions, memos on those documents and codings, the
code book with its memos, and every person named as coder or memo author. GUIDs are stable:
documents, codings and memos keep their own UUIDs; a code keeps the GUID it came in with
(``CodeGuid``) or gets one derived from its scheme and key, so the shipped code book has the
same GUIDs in every installation; a person's GUID is derived from the name.

Import parses and checks the whole file first (``refi``), then writes everything in one
transaction: codes it does not know (by GUID) are created under the chosen scheme (or below
their known parent), sources become documents of the chosen municipality (a source whose GUID
is a document already there is reused, a changed text becomes a new version), codings are
created at the same code-point offsets, memos are attached to their code, document or coding,
and persons are matched by name to existing accounts (user name or full name) or recorded as
coder names. Importing the same file again adds nothing twice.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.policy import person, require_perm
from krisenwissen.knowledge.models import Code, Scheme

from .coding_events import CodingEvent
from .coding_selectors import current_version, readable_documents
from .models import CodeGuid, Coding, Document, DocumentKind, DocumentVersion, Memo, VersionStatus
from .refi import (
    RefiCode,
    RefiCoding,
    RefiError,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
from .refi.qdc import parse_qdc, write_qdc
from .refi.qdpx import parse_qdpx, write_qdpx

GUID_NS = uuid.UUID("6f1c3a52-8f0e-4f5e-9d43-2b7c0e5a9d11")
IMPORT_SCHEME_KEY = "refi-qda-import"
UNKNOWN = "Unbekannt"


def code_guid(code: Code, stored: dict[int, str] | None = None) -> str:
    if stored is not None and code.pk in stored:
        return stored[code.pk]
    return str(uuid.uuid5(GUID_NS, f"code:{code.scheme.key}:{code.key}"))


def user_guid(name: str) -> str:
    return str(uuid.uuid5(GUID_NS, f"user:{name}"))


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _code_tree() -> list[RefiCode]:
    stored = {c: str(g) for c, g in CodeGuid.objects.values_list("code_id", "guid")}
    codes = list(Code.objects.select_related("scheme").order_by("scheme__order", "scheme__name", "order", "name", "pk"))
    memos = defaultdict(list)
    for code_id, memo_uuid in Memo.objects.filter(code__isnull=False).order_by("created_at", "pk").values_list("code_id", "uuid"):
        memos[code_id].append(str(memo_uuid))
    nodes = {c.pk: RefiCode(guid=code_guid(c, stored), name=c.name, description=c.description, note_refs=memos[c.pk])
             for c in codes}
    roots = []
    for c in codes:
        (nodes[c.parent_id].children if c.parent_id in nodes else roots).append(nodes[c.pk])
    return roots


def build_project(*, user, name: str = "krisenwissen") -> RefiProject:
    """The REFI-QDA project of everything ``user`` may read (a read; the export action audits)."""
    project = RefiProject(name=name, origin="krisenwissen", codes=_code_tree())
    stored = {c: str(g) for c, g in CodeGuid.objects.values_list("code_id", "guid")}
    users: dict[str, RefiUser] = {}
    notes: list[RefiNote] = []

    def user_ref(person_name: str) -> str:
        person_name = person_name or UNKNOWN
        if person_name not in users:
            users[person_name] = RefiUser(guid=user_guid(person_name), name=person_name)
        return users[person_name].guid

    def note_refs(memos) -> list[str]:
        refs = []
        for memo in memos:
            notes.append(RefiNote(guid=str(memo.uuid), name=" ".join(memo.text.split())[:50], text=memo.text,
                                  creating_user=user_ref(memo.author_name), created=_iso(memo.created_at)))
            refs.append(str(memo.uuid))
        return refs

    for memo in Memo.objects.filter(code__isnull=False).order_by("created_at", "pk"):
        note_refs([memo])
    for document in readable_documents(user=user).order_by("title", "pk"):
        version = current_version(document)
        if version is None:
            continue
        source = RefiSource(guid=str(document.uuid), name=document.title, text=version.text,
                            description=document.description, created=_iso(document.created_at))
        codings = version.codings.select_related("code", "code__scheme").prefetch_related("memos").order_by("start", "end", "pk")
        for coding in codings:
            coder = user_ref(coding.coder_name)
            source.selections.append(RefiSelection(
                guid=str(coding.uuid), start=coding.start, end=coding.end, creating_user=coder, created=_iso(coding.created_at),
                codings=[RefiCoding(guid=str(uuid.uuid5(coding.uuid, "coding")), code_guid=code_guid(coding.code, stored),
                                    creating_user=coder, created=_iso(coding.created_at))],
                note_refs=note_refs(sorted(coding.memos.all(), key=lambda m: (m.created_at, m.pk)))))
        source.note_refs = note_refs(document.memos.order_by("created_at", "pk"))
        project.sources.append(source)
    project.users = sorted(users.values(), key=lambda u: u.name)
    project.notes = notes
    return project


@transaction.atomic
def do_export_project(*, acting_user, name: str = "krisenwissen") -> bytes:
    require_perm(acting_user, "documents.export_qda", message=_("Den Export dürfen Mitwirkende."))
    project = build_project(user=acting_user, name=name)
    record(CodingEvent.QDA_EXPORTED, acting_user=acting_user, documents=len(project.sources),
           codings=sum(len(s.selections) for s in project.sources))
    return write_qdpx(project)


@transaction.atomic
def do_export_codebook(*, acting_user) -> bytes:
    require_perm(acting_user, "documents.export_qda", message=_("Den Export dürfen Mitwirkende."))
    record(CodingEvent.CODEBOOK_EXPORTED, acting_user=acting_user)
    return write_qdc(_code_tree())


# --- import -------------------------------------------------------------------------------

@dataclass
class ImportReport:
    documents_created: int = 0
    documents_reused: int = 0
    versions_created: int = 0
    codes_created: int = 0
    codes_known: int = 0
    codings_created: int = 0
    codings_known: int = 0
    memos_created: int = 0
    memos_known: int = 0
    memos_unattached: int = 0
    users_matched: list[str] = field(default_factory=list)
    coder_names: list[str] = field(default_factory=list)
    skipped_sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _known_codes() -> dict[str, Code]:
    known = {}
    for code in Code.objects.select_related("scheme"):
        known[code_guid(code)] = code
    for guid, code in ((str(g.guid), g.code) for g in CodeGuid.objects.select_related("code", "code__scheme")):
        known[guid] = code
    return known


def _unique_key(scheme: Scheme, name: str, taken: dict[int, set[str]]) -> str:
    keys = taken.setdefault(scheme.pk, set(Code.objects.filter(scheme=scheme).values_list("key", flat=True)))
    base = slugify(name)[:40] or "code"
    key, n = base, 1
    while key in keys:
        n += 1
        key = f"{base}-{n}"
    keys.add(key)
    return key


def _import_codes(codes: list[RefiCode], scheme_for_roots, report: ImportReport) -> dict[str, Code]:
    known = _known_codes()
    mapping: dict[str, Code] = {}
    taken: dict[int, set[str]] = {}

    def walk(nodes: list[RefiCode], parent: Code | None) -> None:
        for order, node in enumerate(nodes):
            code = known.get(node.guid)
            if code is not None:
                report.codes_known += 1
            else:
                scheme = parent.scheme if parent is not None else scheme_for_roots()
                code = Code.objects.create(scheme=scheme, parent=parent, key=_unique_key(scheme, node.name, taken),
                                           name=node.name, description=node.description, order=min(order, 32767))
                CodeGuid.objects.create(code=code, guid=node.guid)
                report.codes_created += 1
            mapping[node.guid] = code
            walk(node.children, code)

    walk(codes, None)
    return mapping


def _check_codes(codes) -> None:
    for code in codes:
        if len(code.name) > 200:
            raise ValidationError(_("Der Codename „%(name)s…“ ist zu lang (höchstens 200 Zeichen).") % {"name": code.name[:60]})


def _scheme_getter(scheme: Scheme | None):
    cache = []

    def get() -> Scheme:
        if not cache:
            cache.append(scheme or Scheme.objects.get_or_create(
                key=IMPORT_SCHEME_KEY, defaults={"name": _("Aus REFI-QDA importiert"), "order": 90})[0])
        return cache[0]

    return get


def _match_users(users: list[RefiUser], report: ImportReport) -> dict[str, tuple]:
    User = get_user_model()
    result = {}
    for refi_user in users:
        account = User.objects.filter(username=refi_user.name, is_active=True).first()
        if account is None:
            last = refi_user.name.split()[-1] if refi_user.name.split() else refi_user.name
            account = next((u for u in User.objects.filter(last_name=last, is_active=True)
                            if u.get_full_name().strip() == refi_user.name), None)
        if account is not None:
            report.users_matched.append(refi_user.name)
        else:
            report.coder_names.append(refi_user.name)
        result[refi_user.guid] = (account, refi_user.name[:200])
    return result


def _set_created(model, pk, value) -> None:
    created = parse_datetime(value) if value else None
    if created is not None:
        model.objects.filter(pk=pk).update(created_at=created)


def _document_for(source: RefiSource, *, municipality, acting_user, report: ImportReport) -> DocumentVersion:
    document = Document.objects.filter(uuid=source.guid).first()
    if document is not None:
        if not readable_documents(user=acting_user).filter(pk=document.pk).exists():
            raise ValidationError(_("Die Quelle „%(name)s“ gehört zu einem Dokument, das Sie nicht lesen dürfen.")
                                  % {"name": source.name[:80]})
        report.documents_reused += 1
        version = current_version(document)
        if version is not None and version.text == source.text:
            return version
        number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    else:
        if municipality is None:
            raise ValidationError(_("Für neue Dokumente ist eine Kommune nötig."))
        document = Document.objects.create(uuid=source.guid, municipality=municipality, title=source.name[:300] or _("Ohne Titel"),
                                           kind=DocumentKind.DOKUMENT, description=source.description,
                                           created_by=person(acting_user))
        report.documents_created += 1
        number = 1
    data = source.text.encode("utf-8")
    version = DocumentVersion(document=document, number=number, content_hash=hashlib.sha256(data).hexdigest(),
                              original_name=(slugify(source.name)[:200] or "quelle") + ".txt", media_type="text/plain",
                              size=len(data), status=VersionStatus.FERTIG, progress=100, text=source.text,
                              created_by=person(acting_user))
    version.file.save(version.original_name, ContentFile(data), save=False)
    version.save()
    report.versions_created += 1
    return version


@transaction.atomic
def do_import_project(data: bytes, *, municipality, acting_user, scheme: Scheme | None = None) -> ImportReport:
    """Import a QDPX project (see the module docstring); ValidationError (German) for bad files."""
    require_perm(acting_user, "documents.import_qda",
                 message=_("REFI-QDA-Projekte importiert die Plattform-Administration (der Import erweitert das Codebuch)."))
    try:
        project = parse_qdpx(data)
    except RefiError as exc:
        raise ValidationError(str(exc)) from exc
    _check_codes(project.all_codes())
    report = ImportReport(skipped_sources=list(project.skipped_sources))
    codes = _import_codes(project.codes, _scheme_getter(scheme), report)
    users = _match_users(project.users, report)
    notes = {note.guid: note for note in project.notes}
    targets: list[tuple[RefiNote, dict]] = []

    def person_of(*guids):
        for guid in guids:
            if guid and guid in users:
                return users[guid]
        return (None, UNKNOWN)

    for refi_code in project.all_codes():
        targets += [(notes[ref], {"code": codes[refi_code.guid]}) for ref in refi_code.note_refs]
    for source in project.sources:
        version = _document_for(source, municipality=municipality, acting_user=acting_user, report=report)
        targets += [(notes[ref], {"document": version.document}) for ref in source.note_refs]
        for selection in source.selections:
            first = None
            for index, refi_coding in enumerate(selection.codings):
                guid = selection.guid if index == 0 else refi_coding.guid
                coding = Coding.objects.filter(uuid=guid).first()
                if coding is not None:
                    report.codings_known += 1
                else:
                    account, name = person_of(refi_coding.creating_user, selection.creating_user)
                    coding = Coding.objects.create(uuid=guid, version=version, document=version.document,
                                                   start=selection.start, end=selection.end, code=codes[refi_coding.code_guid],
                                                   coder=account, coder_name=name)
                    _set_created(Coding, coding.pk, refi_coding.created or selection.created)
                    report.codings_created += 1
                first = first or coding
            if first is None:
                report.memos_unattached += len(selection.note_refs)
                continue
            targets += [(notes[ref], {"coding": first}) for ref in selection.note_refs]
    used = set()
    for note, target in targets:
        guid = note.guid if note.guid not in used else str(uuid.uuid4())
        used.add(note.guid)
        if Memo.objects.filter(uuid=guid).exists():
            report.memos_known += 1
            continue
        account, name = person_of(note.creating_user)
        memo = Memo.objects.create(uuid=guid, text=note.text, author=account, author_name=name, **target)
        _set_created(Memo, memo.pk, note.created)
        report.memos_created += 1
    report.memos_unattached += len(set(notes) - used)
    record(CodingEvent.QDA_IMPORTED, acting_user=acting_user, obj=municipality, **{
        k: v for k, v in report.as_dict().items() if isinstance(v, int)})
    return report


@transaction.atomic
def do_import_codebook(data: bytes, *, acting_user, scheme: Scheme | None = None) -> ImportReport:
    require_perm(acting_user, "documents.import_qda",
                 message=_("Codebücher importiert die Plattform-Administration."))
    try:
        codes = parse_qdc(data)
    except RefiError as exc:
        raise ValidationError(str(exc)) from exc
    _check_codes(c for code in codes for c in code.walk())
    report = ImportReport()
    _import_codes(codes, _scheme_getter(scheme), report)
    record(CodingEvent.CODEBOOK_IMPORTED, acting_user=acting_user, created=report.codes_created, known=report.codes_known)
    return report
