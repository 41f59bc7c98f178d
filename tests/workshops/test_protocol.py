"""The Ergebnisprotokoll as a facilitator hands it out (issue 15): timeline wall as a figure
with its cards (vector in PDF), each cluster with all its cards together, the agenda with
days and times of day, findings sorted by votes, totals in the participants table."""

import datetime
import io
import uuid

import pytest

from krisenwissen.reports.document import BulletList, Chart, Heading, Table
from krisenwissen.reports.render import render_pdf
from krisenwissen.workshops import actions
from krisenwissen.workshops.documents import agenda, protocol_document
from krisenwissen.workshops.timeline_figure import (
    Timeline,
    TimelineCard,
    TimelinePhase,
    note_lines,
    timeline_spec,
)

from . import three_cities


@pytest.fixture
def w(db):
    w = three_cities.build()
    workshop, host_moderator = w["workshop"], w["host_moderator"]
    # a second finding with more votes, and a card of the finding cluster answering another question
    more = actions.do_create_cluster(workshop, name="Vorgaben von Land und Bund", kind="befund", acting_user=host_moderator)
    analytic = workshop.phases.get(kind="analytisch").questions.first()
    person = workshop.participants.get(municipality=w["essen"])
    extra, _ = actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Verordnungen kamen freitags, galten montags.",
                                   question=analytic)
    actions.do_move_card(extra, more, acting_user=host_moderator)
    late, _ = actions.do_add_card(person, card_uuid=uuid.uuid4(), text="Auch in der Analyse: Überlastung bei Leistungsträgern.",
                                  question=analytic)
    actions.do_move_card(late, w["finding"], acting_user=host_moderator)
    type(workshop).objects.filter(pk=workshop.pk).update(voting_open=True)
    workshop.refresh_from_db()
    for p in workshop.participants.all():
        actions.do_cast_vote(p, more)
        actions.do_cast_vote(p, more)
    actions.do_cast_vote(person, w["finding"])
    w.update(more=more, late=late)
    return w


def _heading_index(blocks, text):
    return next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and text in b.text)


def test_cluster_keeps_all_its_cards_together(w):
    blocks = protocol_document(w["workshop"]).blocks
    headings = [b.text for b in blocks if isinstance(b, Heading) and "Belastung weniger Leistungsträger" in b.text]
    assert len(headings) == 1  # not split across the questions
    at = _heading_index(blocks, "Belastung weniger Leistungsträger")
    items = " ".join(str(i) for i in blocks[at + 1].items)
    for key in ("e1", "d1", "s1"):
        assert w["cards"][key].text in items
    assert w["late"].text in items  # the card answering a question of another phase stands with its cluster


def test_findings_sorted_by_votes(w):
    blocks = protocol_document(w["workshop"]).blocks
    at = _heading_index(blocks, "Befunde")
    findings = blocks[at + 1]
    assert isinstance(findings, BulletList)
    assert findings.items[0].startswith("Vorgaben von Land und Bund (6")
    assert findings.items[1].startswith("Belastung weniger Leistungsträger (1")


def test_participant_table_has_totals(w):
    blocks = protocol_document(w["workshop"]).blocks
    table = next(b for b in blocks if isinstance(b, Table) and "Teilnehmende" in b.caption)
    last = table.rows[-1]
    assert last[0][0].text == "Gesamt" and last[2][0].text == "3" and last[1][0].text == "3 Kommunen"


def test_agenda_has_days_and_times(w):
    workshop = w["workshop"]
    workshop.start_time = datetime.time(13, 0)
    for phase in workshop.phases.all():
        phase.timebox_minutes = 120
        phase.save()
    rows = agenda(workshop, list(workshop.phases.all()))
    assert rows[0] == {"day": "Tag 1 (Mo, 27.03.2023)", "time": "13:00–13:30", "item": rows[0]["item"]}
    assert rows[1]["time"] == "13:30–15:30" and rows[1]["item"].startswith("Deskriptive Phase")
    day_two = [r for r in rows if r["day"].startswith("Tag 2")]
    assert day_two and day_two[0]["time"] == "09:00–11:00" and day_two[0]["item"].startswith("Analytische Phase")
    assert [r["item"] for r in rows if r["day"].startswith("Tag 1")][-1].startswith("Deskriptive Phase")  # no break at day's end
    assert rows[-1]["item"].startswith("Abschluss")
    blocks = protocol_document(workshop).blocks
    table = next(b for b in blocks if isinstance(b, Table) and "Tagesordnung" in b.caption)
    assert table.header == ["Tag", "Uhrzeit", "Programmpunkt"]


def test_timeline_wall_is_a_figure_with_its_cards(w):
    blocks = protocol_document(w["workshop"]).blocks
    chart = next(b for b in blocks if isinstance(b, Chart))
    texts = [" ".join(r["lines"]) for r in chart.spec["data"]["values"]]
    assert any(t.startswith("Wenige Leistungsträger") for t in texts)  # e1 hangs on phase 1
    assert "Eindämmung & Unsicherheit" in chart.alt and chart.alt.count(":") >= 3
    pdf = render_pdf(protocol_document(w["workshop"]))
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Wenige Leistungsträger" in text  # the figure is vector: its notes are text in the PDF
    assert sum(len(page.images) for page in reader.pages) == 0  # and no raster image


def test_timeline_spec_pure():
    t = Timeline([TimelinePhase(1, "Eins", "2020"), TimelinePhase(2, "Zwei")],
                 [TimelineCard(1, "a"), TimelineCard(9, "unbekannte Phase")] + [TimelineCard(2, f"k{i}") for i in range(15)])
    spec = timeline_spec(t, max_cards_per_phase=12)
    values = spec["data"]["values"]
    assert [v["lines"] for v in values if v["kind"] == "head"] == [["1. Eins", "2020"], ["2. Zwei"]]
    assert not any("unbekannte" in " ".join(v["lines"]) for v in values)
    assert any("3 weitere" in " ".join(v["lines"]) for v in values)
    assert note_lines("x " * 200)[-1].endswith("…") and len(note_lines("x " * 200)) == 4
