"""The pure synthesis module: the forgiving parser of older plain-text drafts, the keyword fallback."""

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.workshops.synthesis import classify, parse


def test_parse_blocks():
    text = "# Titel\n\nEin Absatz\nüber zwei Zeilen.\n\n## Abschnitt\n- eins\n- zwei\n> Ein Zitat\n### Tiefer\nText"
    assert parse(text) == [
        ("heading", 1, "Titel"),
        ("paragraph", "Ein Absatz über zwei Zeilen."),
        ("heading", 2, "Abschnitt"),
        ("bullets", ["eins", "zwei"]),
        ("quote", "Ein Zitat"),
        ("heading", 3, "Tiefer"),
        ("paragraph", "Text"),
    ]


def test_parse_tolerates_odd_markup():
    assert parse("#####\n-\n>\n#Ohne Leerzeichen") == [("paragraph", "##### -"), ("heading", 1, "Ohne Leerzeichen")]
    assert parse("") == []
    assert parse(None) == []


@given(st.text(max_size=2000))
def test_parse_never_raises_and_keeps_no_empty_blocks(text):
    for block in parse(text):
        assert block[0] in {"heading", "paragraph", "bullets", "quote"}
        if block[0] == "heading":
            assert 1 <= block[1] <= 4 and block[2].strip()
        elif block[0] == "bullets":
            assert block[1] and all(item.strip() for item in block[1])
        else:
            assert block[-1].strip()


def test_classify():
    assert classify("Der Krisenstab tagte täglich") == "strukturen"
    assert classify("irgendwas", phase_kind="transfer") == "lernen"
