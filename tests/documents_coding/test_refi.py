"""REFI-QDA writing and parsing (pure): round trips, code-point positions, hostile input."""

import io
import uuid
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.documents.refi import (
    RefiCode,
    RefiCoding,
    RefiError,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
from krisenwissen.documents.refi.qdc import parse_qdc, write_qdc
from krisenwissen.documents.refi.qdpx import parse_qde, parse_qdpx, write_qde, write_qdpx


def g():
    return str(uuid.uuid4())


def sample_project():
    anna, ben = RefiUser(g(), "Anna Müller"), RefiUser(g(), "Ben Öztürk")
    lage = RefiCode(g(), "Lage")
    fuehrung = RefiCode(g(), "Führung", description="Wer entscheidet?", children=[lage])
    note = RefiNote(g(), "Memo", "Auffällig: 👋🏽 Emoji im Text.", creating_user=anna.guid)
    text = "Grüße 👋🏽 aus Köln: der Krisenstab tagt täglich. 🚒 Feuerwehr"
    start = text.index("Krisenstab")
    selection = RefiSelection(g(), start, start + len("Krisenstab"), [RefiCoding(g(), lage.guid, ben.guid)], [note.guid],
                              creating_user=ben.guid)
    source = RefiSource(g(), "Protokoll", text, [selection], creating_user=anna.guid)
    return RefiProject("Projekt", origin="krisenwissen", users=[anna, ben], codes=[fuehrung], sources=[source], notes=[note])


def test_qdpx_round_trip_keeps_everything():
    project = sample_project()
    assert parse_qdpx(write_qdpx(project)) == project


def test_positions_are_code_points_not_utf16_units():
    project = sample_project()
    data = write_qdpx(project)
    parsed = parse_qdpx(data)
    selection = parsed.sources[0].selections[0]
    assert parsed.sources[0].text[selection.start:selection.end] == "Krisenstab"
    # Two emoji before the segment: 👋🏽 is two code points (four UTF-16 units).
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode()
    text = project.sources[0].text
    assert f'startPosition="{text.index("Krisenstab")}"' in qde
    assert len(text[:text.index("Krisenstab")].encode("utf-16-le")) // 2 != text.index("Krisenstab")


def test_qdpx_layout_after_the_standard():
    project = sample_project()
    archive = zipfile.ZipFile(io.BytesIO(write_qdpx(project)))
    source = project.sources[0]
    assert set(archive.namelist()) == {"project.qde", f"sources/{source.guid}.txt"}
    assert archive.read(f"sources/{source.guid}.txt").decode("utf-8") == source.text
    qde = archive.read("project.qde").decode()
    assert 'xmlns="urn:QDA-XML:project:1.0"' in qde
    assert f'plainTextPath="internal://{source.guid}.txt"' in qde


def test_qdc_round_trip():
    codes = sample_project().codes
    data = write_qdc(codes)
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in data
    parsed = parse_qdc(data)
    assert [c.name for c in parsed[0].walk()] == ["Führung", "Lage"]
    assert parsed[0].description == "Wer entscheidet?"


def test_byte_order_mark_is_not_part_of_the_text():
    project = sample_project()
    source = project.sources[0]
    members = {f"sources/{source.guid}.txt": b"\xef\xbb\xbf" + source.text.encode()}
    assert parse_qde(write_qde(project), members).sources[0].text == source.text


@pytest.mark.parametrize("mutate, message", [
    (lambda q: q.replace('startPosition="', 'startPosition="9999'), "liegt nicht im Text"),
    (lambda q: q.replace('startPosition="', 'startPosition="-'), "keine gültige Zeichenposition"),
    (lambda q: q.replace("<CodeRef targetGUID=\"", "<CodeRef targetGUID=\"0"), "keine gültige GUID"),
    (lambda q: q.replace("<Project", "<Projekt").replace("</Project>", "</Projekt>"), "kein REFI-QDA-Projekt"),
    (lambda q: q[:-30], "kein gültiges XML"),
    # found by the fuzz test: an unknown encoding in the XML declaration raised LookupError
    (lambda q: q.replace("encoding='utf-8'", "encoding='u0f-8'"), "kein gültiges XML"),
    (lambda q: q.replace("internal://", "file:///etc/"), "außerhalb des Projekts"),
])
def test_broken_project_files_get_a_german_message(mutate, message):
    project = sample_project()
    source = project.sources[0]
    members = {f"sources/{source.guid}.txt": source.text.encode()}
    with pytest.raises(RefiError, match=message):
        parse_qde(mutate(write_qde(project).decode()).encode(), members)


def test_coding_of_a_missing_code_is_refused():
    project = sample_project()
    project.sources[0].selections[0].codings[0].code_guid = g()
    with pytest.raises(RefiError, match="Code, der im Codebuch fehlt"):
        parse_qdpx(write_qdpx(project))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="&lol3;"/></Codes></CodeBook>"""


def test_billion_laughs_is_refused():
    with pytest.raises(RefiError, match="unzulässige XML-Konstrukte"):
        parse_qdc(BILLION_LAUGHS)


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project/>")
        archive.writestr("sources/x.txt", b"0" * (40 * 1024 * 1024))
    with pytest.raises(RefiError):
        parse_qdpx(buffer.getvalue())


def test_archive_without_project_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", b"hallo")
    with pytest.raises(RefiError, match="project.qde"):
        parse_qdpx(buffer.getvalue())


# --- property-based ------------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip).filter(bool)
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)
note_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=100)


@st.composite
def projects(draw):
    users = [RefiUser(g(), draw(names)) for _ in range(draw(st.integers(0, 3)))]
    codes = [RefiCode(g(), draw(names), children=[RefiCode(g(), draw(names)) for _ in range(draw(st.integers(0, 2)))])
             for _ in range(draw(st.integers(1, 3)))]
    all_codes = [c for code in codes for c in code.walk()]
    notes = [RefiNote(g(), draw(names), draw(note_texts), creating_user=users[0].guid if users else None)
             for _ in range(draw(st.integers(0, 3)))]
    sources = []
    for _ in range(draw(st.integers(0, 3))):
        text = draw(texts)
        selections = []
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            code = draw(st.sampled_from(all_codes))
            user = draw(st.sampled_from(users)).guid if users else None
            selections.append(RefiSelection(g(), start, end, [RefiCoding(g(), code.guid, user)],
                                            [n.guid for n in notes[:1]], creating_user=user))
        sources.append(RefiSource(g(), draw(names), text, selections, [n.guid for n in notes[1:2]]))
    return RefiProject(draw(names), origin="krisenwissen", users=users, codes=codes, sources=sources, notes=notes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_round_trip_property(project):
    parsed = parse_qdpx(write_qdpx(project))
    assert parsed == project
    for source, again in zip(project.sources, parsed.sources, strict=True):
        for a, b in zip(source.selections, again.selections, strict=True):
            assert source.text[a.start:a.end] == again.text[b.start:b.end]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_qdpx_bytes(data):
    try:
        parse_qdpx(data)
    except RefiError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_qdc_bytes(data):
    try:
        parse_qdc(data)
    except RefiError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_project_xml(data):
    """Valid project files with random bytes replaced, removed or inserted: parsed or refused."""
    project = sample_project()
    source = project.sources[0]
    qde = bytearray(write_qde(project))
    for _ in range(data.draw(st.integers(1, 5))):
        pos = data.draw(st.integers(0, len(qde) - 1))
        op = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        byte = data.draw(st.integers(0, 255))
        if op == "replace":
            qde[pos] = byte
        elif op == "delete":
            del qde[pos]
        else:
            qde.insert(pos, byte)
    members = {f"sources/{source.guid}.txt": source.text.encode()}
    try:
        parsed = parse_qde(bytes(qde), members)
    except RefiError as exc:
        assert str(exc)
    else:
        for s in parsed.sources:
            for sel in s.selections:
                assert 0 <= sel.start < sel.end <= len(s.text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["project.qde", "sources/a.txt", "x"]), st.binary(max_size=300)), max_size=3, unique_by=lambda m: m[0]))
def test_fuzz_archives(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    try:
        parse_qdpx(buffer.getvalue())
    except RefiError as exc:
        assert str(exc)
