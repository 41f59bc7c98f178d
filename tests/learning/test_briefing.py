"""Crisis-onset recall: the briefing page, its PDF and the console command agree; nothing is saved."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from krisenwissen.knowledge.models import Crisis
from krisenwissen.learning import recall
from krisenwissen.learning.selectors import briefing

EXPECTED = {
    "Wärmeinseln und Anlaufstellen für eine Gasmangellage vorbereiten",  # heating centres (public)
    "Krisenstäbe für lang andauernde Lagen aufstellen",               # long-lasting crises, gas shortage 2022 (public)
}


def cli(*args) -> list[dict]:
    out = StringIO()
    call_command("crisis", "briefing", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_top_items_and_nothing_saved(demo_db):
    crises = Crisis.objects.count()
    items = cli("Gasmangellage 2022", "--hazard", "Energie", "--json")
    assert Crisis.objects.count() == crises
    assert all({"kind", "title", "url"} <= set(item) for item in items)
    top = {item["title"] for item in items[:6] if item["kind"] == "lesson"}
    assert EXPECTED <= top


def test_page_shows_the_same_top_items_as_the_cli(client, users):
    client.force_login(users["redaktion.dortmund"])
    response = client.post("/lernen/krisen/neu/", {"title": "Gasmangellage 2022", "hazard_type": "Energie", "start": "2022-06-23"})
    crisis = Crisis.objects.get(title="Gasmangellage 2022")
    assert response.status_code == 302 and response["Location"] == f"/lernen/krisen/{crisis.pk}/briefing/"
    page = client.get(response["Location"]).content.decode()
    items = cli("Gasmangellage 2022", "--hazard", "Energie", "--json", "--user", "redaktion.dortmund")
    positions = [page.find(f'href="{item["url"]}"') for item in items]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    for title in EXPECTED:
        assert title in page
    pdf = client.get(f"/lernen/krisen/{crisis.pk}/briefing/?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_anonymous_scope_sees_only_public_items(demo_db):
    from django.contrib.auth.models import AnonymousUser

    from krisenwissen.knowledge.models import Lesson

    items = briefing(user=AnonymousUser(), title="Gasmangellage 2022", hazard_type="Energie", limit=50)
    lesson_titles = {i.title for i in items if i.kind == "lesson"}
    public = set(Lesson.objects.filter(visibility="oeffentlich").values_list("title", flat=True))
    assert lesson_titles <= public
    assert not any(i.kind == "action" for i in items)  # action plans are internal


def test_network_lesson_visible_to_member(users):
    items = briefing(user=users["leser.essen"], title="Gasmangellage 2022", hazard_type="Energie", limit=20)
    # a network item of Köln, readable for a member of another network city
    assert "Versorgungsprioritäten mit Stadtwerken und Netzbetreibern vor der Krise klären" in {i.title for i in items}


def test_cli_errors(demo_db):
    with pytest.raises(CommandError, match="Unbekannte"):
        cli("X", "--user", "niemand")


def test_ranking_is_pure_and_explained():
    cands = [
        recall.Candidate("lesson", 1, "Gas im Winter", "Wärmeinseln fehlten", frozenset({"gefahren:energiemangellage"}), 1),
        recall.Candidate("lesson", 2, "Impfzentren", "Logistik der Impfkampagne", frozenset({"gefahren:pandemie"}), 5),
        recall.Candidate("lesson", 3, "Stromausfall im Winter", "Notstrom fehlte", frozenset({"gefahren:stromausfall"}), 1),
    ]
    ranked = recall.rank(cands, title="Gasmangellage", hazard_type="Energie")
    assert [r.candidate.key for r in ranked] == [1, 3, 2]
    assert "gleiche Gefahrenart" in recall.reasons(ranked[0].signals)
    assert "verwandte Gefahrenart" in recall.reasons(ranked[1].signals)
    assert recall.rank([], title="x", hazard_type="") == []
