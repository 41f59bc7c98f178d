"""REFI-QDA export and import of a coded project: round trip, permissions, hostile files."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.core.policy import SYSTEM
from krisenwissen.documents import coding_actions as actions
from krisenwissen.documents import coding_qda as qda
from krisenwissen.documents.models import CodeGuid, Coding, Document, DocumentVersion, Memo
from krisenwissen.documents.refi.qdpx import parse_qdpx
from krisenwissen.knowledge.models import Code, Scheme

from .helpers import TEXT, make_codes, make_document, span

EMOJI_TEXT = "Zeile 1: 🚒🚒 Feuerwehr\nZeile 2: Umlaute äöüß und 👩‍👩‍👧 Familie. Ende."


def summary(project):
    """What a round trip must keep: codes (GUID, name, place), segment texts, memos, users."""
    def codes(nodes, path=()):
        for node in nodes:
            yield (node.guid, node.name, path, tuple(node.note_refs))
            yield from codes(node.children, (*path, node.name))
    notes = {n.guid: (n.text, next(u.name for u in project.users if u.guid == n.creating_user)) for n in project.notes}
    users = {u.guid: u.name for u in project.users}
    selections = sorted(
        (s.guid, s.name, sel.guid, sel.start, sel.end, s.text[sel.start:sel.end], users[sel.creating_user],
         tuple(c.code_guid for c in sel.codings), tuple(notes[r] for r in sel.note_refs))
        for s in project.sources for sel in s.selections)
    return {"codes": sorted(codes(project.codes)), "selections": selections, "users": sorted(users.values()),
            "notes": sorted(notes.values()), "texts": sorted((s.guid, s.text) for s in project.sources),
            "source_notes": sorted((s.guid, tuple(notes[r] for r in s.note_refs)) for s in project.sources)}


@pytest.fixture
def project_data(city_a, contributor_a, admin_user):
    document, version = make_document(city_a)
    _d2, emoji_version = make_document(city_a, text=EMOJI_TEXT, title="Notizen mit Emoji")
    scheme, parent, child, other = make_codes()
    c1 = actions.do_code_segment(version, **dict(zip(("start", "end"), span(TEXT, "Bürgerhotline ist überlastet 📞"), strict=True)),
                                 code=child, acting_user=contributor_a)
    actions.do_code_segment(version, start=0, end=9, code=parent, acting_user=admin_user)
    c3 = actions.do_code_segment(emoji_version, **dict(zip(("start", "end"), span(EMOJI_TEXT, "👩‍👩‍👧 Familie"), strict=True)),
                                 code=other, acting_user=contributor_a)
    actions.do_code_segment(emoji_version, start=9, end=11, code=other, acting_user=admin_user)  # "🚒🚒"
    actions.do_add_memo(text="Memo zum Code ✅", code=child, acting_user=contributor_a)
    actions.do_add_memo(text="Memo zum Dokument", document=document, acting_user=admin_user)
    actions.do_add_memo(text="Memo zur Stelle 👋🏽", coding=c1, acting_user=contributor_a)
    actions.do_add_memo(text="Familie!", coding=c3, acting_user=contributor_a)
    return qda.do_export_project(acting_user=admin_user)


def wipe():
    """What a fresh installation does not have: documents, codings, memos, research codes."""
    Memo.objects.all().delete()
    Coding.objects.all().delete()
    DocumentVersion.objects.all().delete()
    Document.objects.all().delete()
    CodeGuid.objects.all().delete()
    Code.objects.filter(scheme__key="forschung").delete()
    Scheme.objects.filter(key="forschung").delete()


def test_round_trip_export_import_export_keeps_everything(project_data, city_a, admin_user, contributor_a):
    first = parse_qdpx(project_data)
    assert len(first.sources) == 2 and sum(len(s.selections) for s in first.sources) == 4
    wipe()
    report = qda.do_import_project(project_data, municipality=city_a, acting_user=admin_user)
    assert report.codings_created == 4 and report.memos_created == 4 and report.codes_created == 3
    assert sorted(report.users_matched) == sorted([admin_user.get_full_name(), contributor_a.get_full_name()])
    second = parse_qdpx(qda.do_export_project(acting_user=admin_user))
    assert summary(second) == summary(first)
    # The emoji segment: code points, so the same characters as before.
    coding = Coding.objects.get(start=9, end=11)
    assert coding.segment == "🚒🚒" and coding.coder == admin_user
    # The imported code lands in the import scheme, under its parent.
    assert Code.objects.get(name="Bürgerhotline").parent.name == "Kommunikation"


def test_importing_twice_adds_nothing(project_data, city_a, admin_user):
    wipe()
    qda.do_import_project(project_data, municipality=city_a, acting_user=admin_user)
    counts = (Document.objects.count(), Coding.objects.count(), Memo.objects.count(), Code.objects.count())
    report = qda.do_import_project(project_data, municipality=city_a, acting_user=admin_user)
    assert report.codings_created == 0 and report.codings_known == 4
    assert (Document.objects.count(), Coding.objects.count(), Memo.objects.count(), Code.objects.count()) == counts


def test_unknown_coders_are_kept_as_names(project_data, city_a, admin_user, contributor_a):
    wipe()
    contributor_a.delete()
    report = qda.do_import_project(project_data, municipality=city_a, acting_user=admin_user)
    assert report.coder_names == ["Erika " + contributor_a.last_name]
    assert Coding.objects.filter(coder__isnull=True, coder_name=f"Erika {contributor_a.last_name}").count() == 2


def test_export_holds_only_readable_documents(city_a, city_b, contributor_a, admin_user):
    _d, version_b = make_document(city_b, title="Geheim in B", text="Interne Notiz markerbintern")
    _s, _p, child, _o = make_codes()
    coding = actions.do_code_segment(version_b, start=0, end=7, code=child, acting_user=admin_user)
    actions.do_add_memo(text="Memo markerbintern", coding=coding, acting_user=admin_user)
    data = qda.do_export_project(acting_user=contributor_a)
    archive = zipfile.ZipFile(io.BytesIO(data))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"markerbintern" not in everything and b"Geheim in B" not in everything
    assert len(parse_qdpx(qda.do_export_project(acting_user=admin_user)).sources) == 1


def test_only_administration_imports(project_data, city_a, contributor_a):
    with pytest.raises(PermissionDenied):
        qda.do_import_project(project_data, municipality=city_a, acting_user=contributor_a)


def test_codebook_round_trip(city_a, admin_user):
    make_codes()
    data = qda.do_export_codebook(acting_user=admin_user)
    wipe()
    report = qda.do_import_codebook(data, acting_user=SYSTEM)
    assert report.codes_created == 3
    assert qda.do_export_codebook(acting_user=admin_user) == data


def _state():
    return (Document.objects.count(), DocumentVersion.objects.count(), Coding.objects.count(), Memo.objects.count(),
            Code.objects.count(), Scheme.objects.count(), CodeGuid.objects.count())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_import_never_half_writes(project_data, city_a, admin_user, data):
    """Valid projects with bytes of project.qde changed: imported whole, or refused (German) with nothing written."""
    archive = zipfile.ZipFile(io.BytesIO(project_data))
    members = {name: archive.read(name) for name in archive.namelist()}
    qde = bytearray(members["project.qde"])
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(qde) - 1))
        qde[pos] = data.draw(st.sampled_from(b"<>\"'&/=0123456789abcdef -"))
    members["project.qde"] = bytes(qde)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, content in members.items():
            out.writestr(name, content)
    before = _state()
    try:
        qda.do_import_project(buffer.getvalue(), municipality=city_a, acting_user=admin_user)
    except ValidationError as exc:
        assert exc.messages and all(message for message in exc.messages)
        assert _state() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=500))
def test_fuzz_import_of_arbitrary_bytes(city_a, admin_user, blob):
    before = _state()
    with pytest.raises(ValidationError):
        qda.do_import_project(blob, municipality=city_a, acting_user=admin_user)
    with pytest.raises(ValidationError):
        qda.do_import_codebook(blob, acting_user=admin_user)
    assert _state() == before
