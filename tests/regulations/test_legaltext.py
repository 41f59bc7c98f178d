"""The pure parser of German legal texts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.regulations.legaltext import (
    LegalTextError,
    build_tree,
    check_usable,
    decode_bytes,
    parse,
    split_sentences,
)

SAMPLE = """% Verordnung zum Schutz vor Beispielen  (Beispielverordnung - BspV)
% Ausfertigungsdatum: 01.02.2021

# Eingangsformel

Auf Grund des § 1 verordnet die Landesregierung:

# Inhaltsübersicht

Erster Teil - Allgemeines

§ 1

Zweck

§ 2

(weggefallen)

# Teil 1 – Allgemeines

# § 1 – Zweck

(1) Diese Verordnung regelt Beispiele. Sie gilt nach § 2 Abs. 3 S. 1 auch für Versammlungen.

(2) Verboten sind

1. Ansammlungen,

2. Veranstaltungen

a) in Schulen,

b) in Kitas mit

aa) Kindern,

bb) Eltern,

soweit nichts anderes bestimmt ist.

# § 2 – (weggefallen)

# Artikel 3 – Inkrafttreten

Diese Verordnung tritt am Tag nach der Verkündung in Kraft.

# Anlage 1 – (zu § 1) Liste

Eintrag
"""


def test_structure_of_a_markdown_text():
    doc = parse(SAMPLE)
    assert doc.title.startswith("Verordnung zum Schutz")
    assert doc.abbreviation == "BspV"
    assert [u.label for u in doc.units] == ["Titel", "Eingangsformel", "§ 1", "§ 2", "Artikel 3", "Anlage 1"]
    assert [t.text for t in doc.toc][:3] == ["Inhaltsübersicht", "Erster Teil - Allgemeines", "§ 1"]
    para = doc.unit("§ 1")
    assert para.title == "Zweck"
    assert para.outline == ["Teil 1 – Allgemeines"]
    tree = para.tree()
    assert [n.label for n in tree] == ["Abs. 1", "Abs. 2"]
    abs2 = tree[1]
    assert [n.label for n in abs2.children] == ["Nr. 1", "Nr. 2", "Text 1"]
    nr2 = abs2.children[1]
    assert [n.label for n in nr2.children] == ["Buchst. a", "Buchst. b"]
    assert [n.label for n in nr2.children[1].children] == ["Doppelbuchst. aa", "Doppelbuchst. bb"]
    assert doc.unit("§ 2").repealed
    assert doc.unit("Anlage 1").title == "(zu § 1) Liste"
    assert doc.structured and not doc.notices


def test_sentences_do_not_split_at_abbreviations():
    text = "Sie gilt nach § 2 Abs. 3 S. 1 auch für Versammlungen. Das BGBl. I S. 1045 bleibt. Ende"
    assert split_sentences(text) == [
        "Sie gilt nach § 2 Abs. 3 S. 1 auch für Versammlungen.", "Das BGBl. I S. 1045 bleibt.", "Ende"]


def test_plain_early_format(shared_data):
    raw = (shared_data / "laws/IfSG/early-formats/2021-04-23.md").read_bytes()
    doc = parse(decode_bytes(raw))
    assert doc.abbreviation == "IfSG"
    assert doc.unit("§ 28b").title.startswith("Bundesweit einheitliche Schutzmaßnahmen")
    # "§ 9 Absatz 3 Satz 2 bis 4 gilt entsprechend." is text of § 10, not a heading
    assert "§ 9 Absatz 3 Satz 2 bis 4 gilt entsprechend." in doc.unit("§ 10").body_text
    assert len(doc.toc) > 100


def test_mixed_encoding_is_read(shared_data):
    raw = (shared_data / "laws/IfSG/early-formats/2021-04-22.md").read_bytes()
    try:
        raw.decode("utf-8")
        pytest.fail("the sample is expected to contain stray Latin-1 bytes")
    except UnicodeDecodeError:
        pass
    doc = parse(decode_bytes(raw))
    assert "Verhütung" in doc.title
    assert doc.unit("§ 28a") is not None


def test_headings_with_two_hashes(shared_data):
    doc = parse((shared_data / "laws/IfSG/early-formats/2021-04-28.md").read_text("utf-8"))
    assert doc.unit("§ 28b") is not None
    assert doc.norm_count > 80


def test_stub_is_refused(shared_data):
    for path in sorted((shared_data / "laws/CoronaEinreiseV/broken").glob("*.md")):
        doc = parse(decode_bytes(path.read_bytes()))
        with pytest.raises(LegalTextError, match="nur den Titel"):
            check_usable(doc)


def test_unstructured_text_becomes_paragraphs():
    doc = parse("Erster Absatz ohne Gliederung.\n\nZweiter Absatz,\nzweite Zeile.\n")
    assert not doc.structured
    assert [u.label for u in doc.units] == ["Textabsatz 1", "Textabsatz 2"]
    assert "absatzweise" in doc.notices[0]


def test_decode_variants():
    assert decode_bytes("§ 1 Größe".encode("utf-16")) == "§ 1 Größe"
    assert decode_bytes(b"\xef\xbb\xbf\xc2\xa7 1") == "§ 1"
    assert decode_bytes(b"Gr\xf6\xdfe \x80") == "Größe €"


def test_marker_alone_on_a_line_takes_the_next_line():
    doc = parse("# § 1 – Test\n\n(1) Eingang\n\n1. Nummer\n\na) Buchstabe\n\naa)  \nText des aa\n\nbb) Zweiter\n")
    tree = doc.unit("§ 1").tree()
    buchst = tree[0].children[0].children[0]
    assert [c.label for c in buchst.children] == ["Doppelbuchst. aa", "Doppelbuchst. bb"]
    assert buchst.children[0].text == "aa) Text des aa"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("§#%()[]-–.:1234 abcAaÄ\n\t\u00a0\\") + [
    "Anlage", "Artikel", "Abschnitt", "weggefallen", "Inhaltsübersicht", "\n\n", "aa)", "(1)", "1.", "# ", "§ 1",
    "Teil", "Eingangsformel"]), max_size=120).map("".join))
def test_parser_never_crashes(text):
    doc = parse(text)
    lines = [line for u in doc.units for line in u.lines]
    assert len(lines) == len(set(lines)), "a source line belongs to one unit only"
    for unit in doc.units:
        build_tree(unit.blocks)
        _ = unit.content_key, unit.repealed, unit.display
    try:
        check_usable(doc)
    except LegalTextError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_never_crashes(data):
    parse(decode_bytes(data))


def test_state_portal_plain_text():
    text = """Verordnung zum Schutz vor Neuinfizierungen mit dem Coronavirus SARS-CoV-2
(Coronaschutzverordnung – CoronaSchVO)
Vom 30. November 2020

Teil 1
Allgemeine Regeln

§ 1
Zweck und Anwendungsbereich
(1) Diese Verordnung trifft Regelungen.
(2) Weitergehende Anordnungen bleiben unberührt.

§ 2 Begriffsbestimmungen
Im Sinne dieser Verordnung sind
1. Versammlungen: Zusammenkünfte,
2. Schulen: alle Schulen.

Teil 2
Schlussvorschriften

§ 3 Inkrafttreten
Diese Verordnung tritt am 1. Dezember 2020 in Kraft.
"""
    doc = parse(text)
    assert doc.abbreviation == "CoronaSchVO"
    assert doc.title.startswith("Verordnung zum Schutz")
    assert [(u.label, u.title) for u in doc.units[1:]] == [
        ("§ 1", "Zweck und Anwendungsbereich"), ("§ 2", "Begriffsbestimmungen"), ("§ 3", "Inkrafttreten")]
    assert doc.unit("§ 1").outline == ["Teil 1 – Allgemeine Regeln"]
    assert doc.unit("§ 3").outline == ["Teil 2 – Schlussvorschriften"]
    assert [n.label for n in doc.unit("§ 2").tree()] == ["Text 1", "Nr. 1", "Nr. 2"]
