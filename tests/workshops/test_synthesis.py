"""The pure synthesis module: draft writer and forgiving parser."""

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.workshops.synthesis import DraftCard, DraftData, classify, draft, parse


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


@given(st.lists(st.text(min_size=1, max_size=200), max_size=20))
def test_draft_round_trips_through_parse(texts):
    data = DraftData(title="Workshop", crisis_phases=[("Eindämmung", "2020")],
                     cards=[DraftCard(text=t, is_quote=i % 3 == 0, crisis_phase="Eindämmung" if i % 4 == 1 else "") for i, t in enumerate(texts)])
    blocks = parse(draft(data))
    assert blocks[0] == ("heading", 1, "Synthesebericht: Workshop")
    parts = []
    for block in blocks:
        parts += block[1] if block[0] == "bullets" else [str(block[-1])]
    flat = "\n".join(parts)
    for t in texts:
        line = " ".join(t.split())
        if line:
            assert line in flat


def test_draft_sections_and_quotes():
    data = DraftData(title="Essen", crisis_phases=[("Eindämmung & Unsicherheit", "März bis Mai 2020")],
                     cards=[DraftCard("Chaos im ersten Lockdown", crisis_phase="Eindämmung & Unsicherheit"),
                            DraftCard("Wenige Leistungsträger waren überlastet"),
                            DraftCard("Die Kommune kann Krise.", is_quote=True)],
                     clusters=[("Personal früh verstärken", "massnahmenidee", 4)])
    text = draft(data)
    assert "### Eindämmung & Unsicherheit (März bis Mai 2020)" in text
    assert "- Chaos im ersten Lockdown" in text
    assert "## Belastung der Beschäftigten\n\n- Wenige Leistungsträger waren überlastet" in text
    assert "Personal früh verstärken (4 Punkte)" in text.split("## Erkenntnisse und Bedarfe")[1]
    assert "> Die Kommune kann Krise." in text


def test_classify():
    assert classify("Der Krisenstab tagte täglich") == "strukturen"
    assert classify("irgendwas", phase_kind="transfer") == "lernen"
