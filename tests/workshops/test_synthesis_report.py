"""The Synthesebericht after the structure of the PanReflex report (issue 15, part 1).

Generated from the demo Essen workshop: every section with prose, the timeline figure as a
vector drawing in the PDF and as SVG (with PNG fallback) in the DOCX, cross-city statements as
counts, quotes beside their paragraph, H1/H2/H3 in the PDF structure tree and DOCX styles.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import uuid
import zipfile

import pikepdf
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from krisenwissen.reports.render import render_docx, render_pdf
from krisenwissen.workshops import actions, questionbank, selectors, synthesis
from krisenwissen.workshops.documents import synthesis_document
from krisenwissen.workshops.synthesis import ReportCard, ReportCluster, ReportInput, ReportPhase

from .. import factories as f

SECTION_HEADINGS = [title for _key, title in synthesis.REPORT_SECTIONS]
SENTENCE_END = re.compile(r"[.!?“](?:\s|$)")


def _sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def _sections(blocks: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    current = None
    for block in blocks:
        if block["type"] == "heading" and block["level"] == 2:
            current = block["text"]
            out[current] = []
        elif current is not None:
            out[current].append(block)
    return out


@pytest.fixture
def essen(db):
    from krisenwissen.knowledge.demo.loader import _DemoLoader
    from krisenwissen.workshops.demo import content, load
    from krisenwissen.workshops.models import Workshop

    _DemoLoader().run()
    load(force=True)
    return Workshop.objects.get(title=content.ESSEN["title"])


def _struct_tree(data: bytes) -> list[tuple[int, str, str, str]]:
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        def walk(node, depth=0):
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    out.append((depth, str(node.S), str(node.get("/T", "")), str(node.get("/Alt", ""))))
                kids = node.get("/K")
                if kids is not None:
                    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                        walk(kid, depth + 1)
        walk(pdf.Root.StructTreeRoot)
    return out


def test_demo_report_has_every_section_as_prose_with_cross_city_counts_and_quotes_beside(essen):
    blocks = synthesis.build_report(selectors.report_input(essen))
    assert blocks[0] == {"type": "heading", "level": 1, "text": "Synthesebericht: Reflexionsraum Kommunales Krisenmanagement"}
    sections = _sections(blocks)
    assert list(sections) == ["Einleitung", *SECTION_HEADINGS]
    for title, content in sections.items():
        paragraphs = [b for b in content if b["type"] == "paragraph"]
        assert any(_sentences(p["text"]) >= 2 for p in paragraphs), f"{title}: no prose paragraph"
    intro = " ".join(b.get("text", "") for b in sections["Einleitung"])
    assert "drei Phasen" in intro and "zweitägigen" in intro and "keinen Anspruch auf Vollständigkeit" in intro
    assert "Gesundheitsamt" in intro and "Feuerwehr" in intro and "fünf Kommunen" in intro
    box = next(b for b in sections["Einleitung"] if b["type"] == "list")
    assert box["box"] and box["title"] == "Leitfragen des Workshops"
    assert any("Was war anders als bei anderen Krisen" in item for item in box["items"])
    # The timeline figure and its event table in the phases section.
    figure = next(b for b in sections["Phasen der Krise"] if b["type"] == "figure")
    assert len(figure["data"]["phases"]) == 5 and len(figure["data"]["events"]) == 10
    assert [b["text"] for b in sections["Phasen der Krise"] if b["type"] == "heading"][0].startswith("1. Eindämmung")
    # Section fed by the question: "Was lief gut, warum?" cards stand under what helped.
    text_of = {title: " ".join(b.get("text", "") for b in content) for title, content in sections.items()}
    helped = "Ein Werkzeug, das Textänderungen zwischen den Verordnungsversionen markiert, hat viel Zeit gespart."
    assert helped in text_of["Was geholfen hat"] and helped not in text_of["Herausforderungen"]
    assert "Gemischte Streifen" in text_of["Was geholfen hat"]
    assert "Umsetzungsfristen von wenigen Stunden" in text_of["Herausforderungen"]
    assert "Hochwasser oder Großbrand" in text_of["Vergleich mit anderen Krisen"]
    assert "Leistungsträger" in text_of["Belastung der Beschäftigten"]
    # Cross-city statements as counts.
    everything = " ".join(text_of.values())
    assert "in vier der fünf Kommunen" in everything and "aus einer Partnerkommune" in everything
    # Quotes stand right after the paragraph they belong to, not collected at the end.
    quotes = [i for i, b in enumerate(blocks) if b["type"] == "quote"]
    assert len(quotes) == 3
    assert all(blocks[i - 1]["type"] in ("paragraph", "quote") for i in quotes)
    marathon = next(i for i in quotes if "Marathon" in blocks[i]["text"])
    assert "Leistungsträger" in blocks[marathon - 1]["text"]
    assert blocks[-1]["type"] != "quote" and "Stimmen aus dem Reflexionsraum" not in everything
    assert synthesis.word_count(blocks) > 1800


def test_demo_report_pdf_and_docx_have_headings_vector_timeline_and_quotes_beside(essen):
    document = synthesis_document(essen)
    pdf = render_pdf(document)
    tree = _struct_tree(pdf)
    headings = [(tag, title) for _d, tag, title, _a in tree if re.fullmatch(r"/H\d", tag)]
    assert headings[0] == ("/H1", "Synthesebericht: Reflexionsraum Kommunales Krisenmanagement")
    assert [t for tag, t in headings if tag == "/H1"] == [headings[0][1]]
    assert [t for tag, t in headings if tag == "/H2"] == ["Einleitung", *SECTION_HEADINGS]
    assert ("/H3", "1. Eindämmung & Unsicherheit (März bis Mai 2020)") in headings
    assert "/Title" not in {tag for _d, tag, _t, _a in tree}  # the title is the H1, not a second title
    # No level skipped: every H3 follows an H2 or H3.
    levels = [int(tag[2]) for tag, _t in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    figures = [alt for _d, tag, _t, alt in tree if tag == "/Figure"]
    assert len(figures) == 1 and figures[0].startswith("Zeitstrahl mit 5 Phasen")
    # The timeline is drawn as vector paths (no raster image in the PDF).
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [name for page in doc.pages for name, obj in (page.Resources.get("/XObject") or {}).items()
                  if obj.get("/Subtype") == "/Image"]
        assert images == []
        drawn = 0
        for page in doc.pages:
            for _operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("re", "l", "c"):
                    drawn += 1
            for _name, xobj in (page.Resources.get("/XObject") or {}).items():
                if xobj.get("/Subtype") == "/Form":
                    drawn += sum(1 for _o, op in pikepdf.parse_content_stream(xobj) if str(op) in ("re", "l", "c"))
        assert drawn > 50
    # DOCX: Heading 1/2/3 styles, the chart as SVG with PNG fallback, framed quotes beside their paragraph.
    import docx

    data = render_docx(document)
    word = docx.Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in word.paragraphs]
    assert [t for s, t in styled if s == "Heading 1"] == ["Synthesebericht: Reflexionsraum Kommunales Krisenmanagement"]
    assert [t for s, t in styled if s == "Heading 2"] == ["Einleitung", *SECTION_HEADINGS]
    assert ("Heading 3", "1. Eindämmung & Unsicherheit (März bis Mai 2020)") in styled
    assert "Title" not in {s for s, _t in styled}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        body = archive.read("word/document.xml").decode()
        assert any(n.endswith(".svg") for n in names) and any(n.endswith(".png") for n in names)
        assert "svgBlip" in body and 'descr="Zeitstrahl mit 5 Phasen' in body
        svg = archive.read(next(n for n in names if n.endswith(".svg"))).decode()
        assert "<svg" in svg and "<path" in svg
    paragraphs = word.paragraphs
    marathon = next(i for i, p in enumerate(paragraphs) if "Marathon ohne Ziellinie" in p.text)
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"  # noqa: N806
    frame = paragraphs[marathon]._p.pPr.find(f"{{{W}}}framePr")
    assert frame is not None and frame.get(f"{{{W}}}xAlign") == "right"  # floats beside the text …
    assert "Leistungsträger" in paragraphs[marathon + 1].text  # … of the paragraph it is anchored to


def _report_input(attribution: str) -> ReportInput:
    cities = ["Bochum", "Hagen", "Witten"]
    cards = [
        ReportCard(text="Die Lage änderte sich stündlich, wir kamen nicht hinterher.", question="Was lief weniger gut, warum?",
                   section="herausforderungen", city="Bochum", cluster="a"),
        ReportCard(text="Auch bei uns änderte sich die Lage ständig und ohne Vorwarnung.", question="Was lief weniger gut, warum?",
                   section="herausforderungen", city="Hagen", cluster="a"),
        ReportCard(text="Der Krisenstab traf sich täglich und entschied schnell.", question="Was lief gut, warum?",
                   section="geholfen", city="Witten", cluster="b"),
        ReportCard(text="In Hagen war alles anders.", question="Wie haben Sie die Krise vor Ort erlebt?",
                   section="phasen", city="Hagen", crisis_phase=1, when=datetime.date(2021, 7, 15)),
        ReportCard(text="Wir waren alle am Limit.", section="herausforderungen", city="Witten", cluster="a", is_quote=True,
                   author="Erika Muster"),
    ]
    return ReportInput(title="Reflexionsraum Starkregen", crisis="Starkregen 2021", start_date=datetime.date(2022, 5, 2),
                       place="Hagen", attribution=attribution, cities=cities, departments=["Feuerwehr"],
                       participant_count=3, questions=[("Analytische Phase", "Was lief gut, warum?")],
                       crisis_phases=[ReportPhase(1, "Akutphase", "Juli 2021", datetime.date(2021, 7, 14), datetime.date(2021, 7, 31))],
                       cards=cards, clusters=[ReportCluster("a", "Lage ändert sich ständig", "befund", 4),
                                              ReportCluster("b", "Schneller Stab", "befund", 2)])


def _text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_anonymous_workshop_report_names_no_city_but_counts():
    blocks = synthesis.build_report(_report_input("anonym"))
    text = _text(blocks)
    # The card text "In Hagen war alles anders." is the participants' own words; only the
    # report's own statements must not name a city.
    own = text.replace("In Hagen war alles anders.", "")
    for city in ("Bochum", "Hagen", "Witten"):
        assert city not in own
    assert "Erika Muster" not in text
    assert "aus zwei der drei Kommunen" in text and "in allen drei Kommunen" in text


def test_chatham_house_names_participating_cities_only_in_the_introduction():
    blocks = synthesis.build_report(_report_input("chatham_house"))
    phases_at = next(i for i, b in enumerate(blocks) if b.get("text") == "Phasen der Krise")
    assert "Bochum, Hagen und Witten" in _text(blocks[:phases_at])
    after = _text(blocks[phases_at:]).replace("In Hagen war alles anders.", "")
    assert not any(city in after for city in ("Bochum", "Hagen", "Witten"))
    assert "Erika Muster" not in _text(blocks)
    named = _text(synthesis.build_report(_report_input("namentlich")))
    assert "Erika Muster" in named  # quotes carry the name only under attribution "namentlich"


def test_anonymous_workshop_pdf_names_no_city(db, crisis):
    import pypdf

    cities = [f.MunicipalityFactory(name=name, ags=ags, is_participating=True)
              for name, ags in (("Bochum", "05911"), ("Hagen", "05914"), ("Witten", "05954"))]
    moderator = f.MembershipFactory(municipality=cities[0], role="moderation", user__username="mod-bochum").user
    workshop = actions.do_create_workshop(host=cities[0], acting_user=moderator, fields={
        "title": "Reflexionsraum Test", "start_date": datetime.date(2023, 3, 27), "crisis": crisis,
        "place": "Bochum", "attribution": "anonym", "private_until_reveal": False})
    workshop.invited.set(cities)
    cluster = actions.do_create_cluster(workshop, name="Lage", kind="befund", acting_user=moderator)
    questions = list(workshop.phases.get(kind="analytisch").questions.all())
    for number, city in enumerate(cities):
        participant = actions.do_join_workshop(workshop, display_name="", municipality=city)
        actions.do_set_current_question(workshop, questions[number % len(questions)], acting_user=moderator)
        card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text=f"Beobachtung Nummer {number} zur Lage.")
        actions.do_move_card(card, cluster, acting_user=moderator)
    actions.do_generate_synthesis(workshop, acting_user=moderator)
    workshop.refresh_from_db()
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(synthesis_document(workshop)))).pages)
    text = " ".join(text.split())
    assert "Synthesebericht" in text and "drei" in text
    for city in ("Bochum", "Hagen", "Witten"):
        assert city not in text


def test_question_bank_says_which_section_a_question_feeds():
    assert questionbank.section_for_question("Was lief gut, warum?") == "geholfen"
    assert questionbank.section_for_question("Was lief weniger gut, warum?") == "herausforderungen"
    assert questionbank.section_for_question("Was war anders als bei anderen Krisen, und warum?") == "vergleich"
    assert questionbank.section_for_question("Was würden Sie wieder so machen?") == "lernen"
    assert questionbank.section_for_question("Wie haben Warnung der Bevölkerung und Evakuierung funktioniert?") == "strukturen"
    assert questionbank.section_for_question("Welche Werkzeuge haben Ihnen geholfen?") == "geholfen"  # own wording
    assert questionbank.section_for_question("Freitext", "transfer") == "potenziale"
    every = {text for _p, _s, text, _h in questionbank.bank()}
    assert every <= set(questionbank.QUESTION_SECTIONS)
    assert set(questionbank.QUESTION_SECTIONS.values()) <= {k for k, _t in synthesis.REPORT_SECTIONS}


def test_cross_city_phrases():
    assert synthesis.cities_phrase(4, 5) == "in vier der fünf Kommunen"
    assert synthesis.cities_phrase(5, 5) == "in allen fünf Kommunen"
    assert synthesis.cities_phrase(1, 5) == "in einer der fünf Kommunen"
    assert synthesis.from_cities_phrase(1, 5) == "Eine Partnerkommune"


@pytest.mark.parametrize("bad", [
    "nope", [1], [{"type": "video"}], [{"type": "heading", "level": 7, "text": "x"}],
    [{"type": "heading", "level": 2, "text": ""}], [{"type": "table", "header": ["a", "b"], "rows": [["1"]]}],
    [{"type": "figure", "figure": "timeline", "alt": "x", "data": {"phases": [{"number": 1, "start": "gestern"}], "events": []}}],
    [{"type": "paragraph", "text": "x" * 30_000}], [{"type": "paragraph", "text": 5}],
])
def test_malformed_blocks_are_refused_in_german(bad):
    with pytest.raises(synthesis.BlockError) as exc:
        synthesis.validate_blocks(bad)
    assert re.search(r"Block|Bericht", str(exc.value))


# --------------------------------------------------------------------------------------------
# The block editor (no JavaScript): what a browser without scripts sends
# --------------------------------------------------------------------------------------------


def _form_data(page: bytes, *, op: str) -> dict:
    """The editor form's fields as a browser submits them when the button ``op`` is pressed."""
    tree = lxml_html.fromstring(page.decode())
    form = next(f for f in tree.forms if f.inputs.keys() and "count" in f.inputs.keys())
    data: dict = {}
    for element in form.inputs:
        name = element.get("name")
        if not name or name == "op":
            continue
        if element.tag == "input" and element.get("type") == "checkbox":
            if element.checked:
                data[name] = "on"
        elif element.tag == "select":
            data[name] = element.value
        else:
            data[name] = element.value or ""
    buttons = [b.get("value") for b in form.xpath(".//button[@name='op']")]
    assert op in buttons or op.startswith("add"), f"no button {op}"
    data["op"] = op
    return data


def test_block_editor_round_trip_keeps_the_figure(client, workshop, participant, moderator, crisis):
    for phase in crisis.phases.all():
        phase.start, phase.end = datetime.date(2020, phase.number * 2, 1), datetime.date(2020, phase.number * 2 + 1, 28)
        phase.save()
    actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Erster Lockdown, alles neu.",
                        crisis_phase=crisis.phases.get(number=1), when=datetime.date(2020, 3, 1))
    client.force_login(moderator)
    url = reverse("workshops:synthesis", args=[workshop.pk])
    client.post(url, {"op": "generate"})
    workshop.refresh_from_db()
    original = workshop.synthesis_blocks
    figure_at = next(i for i, b in enumerate(original) if b["type"] == "figure")
    page = client.get(url)
    assert page.status_code == 200 and b"Block 1: \xc3\x9cberschrift" in page.content
    # Edit a paragraph and move the figure up in one submit: both take effect.
    data = _form_data(page.content, op=f"up-{figure_at}")
    paragraph_at = next(i for i, b in enumerate(original) if b["type"] == "paragraph")
    data[f"b{paragraph_at}-text"] = "Geänderter Absatz. Mit zwei Sätzen."
    assert client.post(url, data).status_code == 302
    workshop.refresh_from_db()
    blocks = workshop.synthesis_blocks
    assert blocks[figure_at - 1] == original[figure_at]  # the figure, unchanged data and all
    assert paragraph_at < figure_at - 1 and blocks[paragraph_at]["text"] == "Geänderter Absatz. Mit zwei Sätzen."
    # Add a table after block 1, then remove block 1.
    data = _form_data(client.get(url).content, op="add")
    data.update({"add_type": "table", "add_after": "0"})
    client.post(url, data)
    workshop.refresh_from_db()
    assert workshop.synthesis_blocks[1]["type"] == "table" and len(workshop.synthesis_blocks) == len(original) + 1
    data = _form_data(client.get(url).content, op="remove-1")
    data["b1-rows"] = "ignored | too"
    client.post(url, data)
    workshop.refresh_from_db()
    assert len(workshop.synthesis_blocks) == len(original)
    assert sum(1 for b in workshop.synthesis_blocks if b["type"] == "figure") == 1
    # The preview shows the timeline as inline SVG, the PDF still has the figure.
    preview = client.get(url + "?ansicht=vorschau").content.decode()
    assert '<svg' in preview and 'role="img"' in preview and "Abbildung:" in preview
    pdf = client.get(reverse("workshops:protocol", args=[workshop.pk, "pdf"]) + "?art=synthese")
    assert any(tag == "/Figure" for _d, tag, _t, _a in _struct_tree(pdf.content))
    # Final: read-only; a later edit is refused.
    data = _form_data(client.get(url).content, op="save")
    data["final"] = "on"
    client.post(url, data)
    workshop.refresh_from_db()
    assert workshop.synthesis_final
    page = client.get(url).content.decode()
    assert 'name="count"' not in page and "nur noch lesbar" in page
    response = client.post(url, {**data, "op": "remove-0"})
    assert response.status_code == 400 and "abgeschlossen" in response.content.decode()
    workshop.refresh_from_db()
    assert len(workshop.synthesis_blocks) == len(original)


def test_malformed_block_json_gives_a_german_message_and_changes_nothing(client, workshop, moderator):
    client.force_login(moderator)
    url = reverse("workshops:synthesis", args=[workshop.pk])
    client.post(url, {"op": "generate"})
    workshop.refresh_from_db()
    before = workshop.synthesis_blocks
    response = client.post(url, {"op": "json", "blocks_json": '[{"type": "paragraph", "text": '})
    assert response.status_code == 400
    assert "kein gültiges JSON" in response.content.decode() and "nichts gespeichert" in response.content.decode()
    response = client.post(url, {"op": "json", "blocks_json": '[{"type": "video", "src": "x"}]'})
    assert response.status_code == 400 and "Unbekannter Blocktyp" in response.content.decode()
    # Nesting beyond Python's recursion limit (and just below it) is refused, not a server error.
    response = client.post(url, {"op": "json", "blocks_json": "[" * 200_000 + "]" * 200_000})
    assert response.status_code == 400 and "zu tief verschachtelt" in response.content.decode()
    deep = '[{"type": "figure", "figure": "x", "caption": "", "alt": "", "data": ' + "[" * 900 + "]" * 900 + "}]"
    response = client.post(url, {"op": "json", "blocks_json": deep})
    assert response.status_code == 400
    response = client.post(url, {"op": "save", "count": "1", "b0-type": "heading", "b0-level": "9", "b0-text": "x"})
    assert response.status_code == 400 and "Überschriftenebene" in response.content.decode()
    response = client.post(url, {"op": "save", "count": "abc"})
    assert response.status_code == 400
    workshop.refresh_from_db()
    assert workshop.synthesis_blocks == before
    response = client.post(url, {"op": "json", "blocks_json": json.dumps([{"type": "paragraph", "text": "Neu."}])})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.synthesis_blocks == [{"type": "paragraph", "text": "Neu."}]


_card = st.builds(
    ReportCard,
    text=st.text(min_size=1, max_size=60).filter(str.strip),
    question=st.sampled_from(["", "Was lief gut, warum?", "Eigene Frage?"]),
    section=st.sampled_from(["", "phasen", "herausforderungen", "geholfen", "belastung", "vergleich", "lernen", "potenziale", "x"]),
    city=st.sampled_from(["", "1", "2", "3"]),
    crisis_phase=st.sampled_from([None, 1, 2, 9]),
    cluster=st.sampled_from(["", "a", "b", "zz"]),
    is_quote=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(cards=st.lists(_card, max_size=25), named=st.booleans())
def test_any_board_gives_a_valid_report_with_every_quote_once(cards, named):
    data = ReportInput(title="T", attribution="namentlich" if named else "anonym", cities=["A", "B", "C"],
                       crisis_phases=[ReportPhase(1, "Eins", "", datetime.date(2020, 1, 1), datetime.date(2020, 2, 1)),
                                      ReportPhase(2, "Zwei")],
                       cards=cards, clusters=[ReportCluster("a", "Cluster A", "befund", 3), ReportCluster("b", "B", "massnahmenidee", 0)])
    blocks = synthesis.build_report(data)
    assert synthesis.validate_blocks(blocks) == blocks
    quoted = sorted(b["text"] for b in blocks if b["type"] == "quote")
    expected = (" ".join(c.text.replace("\x00", "").split()) for c in cards if c.is_quote)
    assert quoted == sorted(t for t in expected if t)
    assert [b["text"] for b in blocks if b["type"] == "heading" and b["level"] == 2] == ["Einleitung", *SECTION_HEADINGS]


def test_names_in_quotes_are_forgotten_when_the_workshop_is_no_longer_named(workshop, moderator, host):
    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    participant = actions.do_join_workshop(workshop, display_name="Erika Beispiel", municipality=host)
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Wir waren am Limit.")
    actions.do_mark_quote(card, True, acting_user=moderator)
    blocks = actions.do_generate_synthesis(workshop, acting_user=moderator)
    assert {"type": "quote", "text": "Wir waren am Limit.", "source": "Erika Beispiel"} in blocks
    actions.do_update_workshop(workshop, fields={"attribution": "chatham_house"}, acting_user=moderator)
    workshop.refresh_from_db()
    assert "Erika Beispiel" not in json.dumps(workshop.synthesis_blocks, ensure_ascii=False)
    assert {"type": "quote", "text": "Wir waren am Limit.", "source": synthesis.ANONYMOUS_SOURCE} in workshop.synthesis_blocks


def test_a_refused_save_keeps_the_edits_on_screen(client, workshop, moderator):
    client.force_login(moderator)
    url = reverse("workshops:synthesis", args=[workshop.pk])
    client.post(url, {"op": "generate"})
    data = _form_data(client.get(url).content, op="save")
    data["b1-text"] = "Mein neuer Text, noch nicht gespeichert."
    figure = next(k.split("-")[0] for k in data if k.endswith("-figure"))
    data[f"{figure}-alt"] = ""
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400 and "Der Text darf nicht leer sein" in page
    assert "Mein neuer Text, noch nicht gespeichert." in page and f'name="{figure}-data"' in page
    workshop.refresh_from_db()
    assert "Mein neuer Text" not in json.dumps(workshop.synthesis_blocks, ensure_ascii=False)


def test_an_older_text_draft_keeps_its_sections_side_by_side_in_pdf_and_docx(workshop):
    """Regression: every section after "Phasen der Krise" was nested under it (H1 → H2)."""
    import docx

    workshop.synthesis_text = ("# Synthesebericht: Test\n\n## Phasen der Krise\n\n### 1. Eindämmung\n\nText.\n\n"
                               "## Herausforderungen\n\nMehr Text.\n\n## Was geholfen hat\n\n- Punkt\n")
    workshop.save()
    document = synthesis_document(workshop)
    headings = [(tag, title) for _d, tag, title, _a in _struct_tree(render_pdf(document)) if re.fullmatch(r"/H\d", tag)]
    assert headings == [("/H1", "Synthesebericht: Test"), ("/H2", "Phasen der Krise"), ("/H3", "1. Eindämmung"),
                        ("/H2", "Herausforderungen"), ("/H2", "Was geholfen hat")]
    styled = [(p.style.name, p.text) for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs
              if p.style.name.startswith("Heading")]
    assert styled == [("Heading 1", "Synthesebericht: Test"), ("Heading 2", "Phasen der Krise"), ("Heading 3", "1. Eindämmung"),
                      ("Heading 2", "Herausforderungen"), ("Heading 2", "Was geholfen hat")]
