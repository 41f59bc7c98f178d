"""The crisis-onset briefing knows the hazard (issue 15): hazard-specific top items, unknown
hazards refused in German (form, console, selector), an explicit "no knowledge yet" with the
nearest related knowledge, and only readable items (observations, scenarios) as candidates."""

import json
from io import StringIO
from itertools import combinations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.demo.loader import demo_uuid
from krisenwissen.knowledge.models import Crisis, HazardType
from krisenwissen.learning import recall
from krisenwissen.learning.models import ScenarioExercise, TrainingModule
from krisenwissen.learning.selectors import briefing, briefing_result

# One crisis per hazard type and an item a crisis staff of that hazard must see in the top 5.
CRISES = {
    "Starkregen": ("Hochwasser an der Ruhr", "Warnung vor Hochwasser und Starkregen muss bis zur Bevölkerung durchdringen"),
    "Cyber": ("Ransomware-Angriff auf die Stadtverwaltung", "Notbetrieb ohne IT für kritische Verwaltungsleistungen vorbereiten"),
    "Energie": ("Gasmangellage im Winter", "Wärmeinseln und Anlaufstellen für eine Gasmangellage vorbereiten"),
    "Hitze": ("Hitzewelle im Juli", "Einen Hitzeaktionsplan mit Warnkette für vulnerable Gruppen aufstellen"),
    "Stromausfall": ("Flächendeckender Stromausfall", "Notstrom und Treibstoff für mindestens 72 Stunden sichern"),
}
SPECIFIC = {"gleiche Gefahrenart", "Begriffe dieser Gefahrenart"}


def cli(*args) -> list[dict]:
    out = StringIO()
    call_command("crisis", "briefing", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_vocabulary_covers_exactly_the_hazard_types():
    assert set(recall.known_hazards()) == set(HazardType.values)
    assert recall.resolve_hazard("hochwasser") == "Starkregen"
    assert recall.resolve_hazard(" Gasmangellage ") == "Energie"
    for unknown in ("Erdbeben", "Hoch", "", "Cyberkrieg"):
        with pytest.raises(recall.UnknownHazard):
            recall.resolve_hazard(unknown)


def test_top_five_are_specific_to_the_hazard(users):
    admin = users["admin"]
    tops = {}
    for hazard, (title, must) in CRISES.items():
        items = briefing(user=admin, title=title, hazard_type=hazard, limit=5)
        tops[hazard] = {i.title for i in items}
        assert must in tops[hazard], hazard
        for item in items:
            assert SPECIFIC & set(item.reasons), (hazard, item.title, item.reasons)
    # What the review found: four of the five top items were the same for every hazard.
    for a, b in combinations(tops, 2):
        assert len(tops[a] & tops[b]) <= 1, (a, b, tops[a] & tops[b])


def test_scenarios_training_and_observations_are_candidates(users):
    items = briefing(user=users["admin"], title="Flächendeckender Stromausfall", hazard_type="Stromausfall", limit=12)
    kinds = {i.kind for i in items}
    assert {"scenario", "observation", "lesson", "recommendation"} <= kinds
    assert "Stromausfall über 72 Stunden" in {i.title for i in items if i.kind == "scenario"}
    flood = briefing(user=users["admin"], title="Sturzflut", hazard_type="Starkregen", limit=5)
    assert "Krise können 2: Warnen und evakuieren bei Starkregen und Hochwasser" in {i.title for i in flood}


def test_unknown_hazard_is_refused_in_the_form_with_the_known_ones(client, users):
    client.force_login(users["redaktion.dortmund"])
    before = Crisis.objects.count()
    response = client.post("/lernen/krisen/neu/", {"title": "Erdbeben am Niederrhein", "hazard_type": "Erdbeben"})
    page = response.content.decode()
    assert response.status_code == 200 and Crisis.objects.count() == before
    assert "Die Gefahrenart „Erdbeben“ ist unbekannt. Bekannt sind:" in page
    assert "Starkregen/Hochwasser" in page and "Cyberangriff/IT-Ausfall" in page
    # a synonym mapped in the vocabulary is accepted as its hazard type
    response = client.post("/lernen/krisen/neu/", {"title": "Hochwasser 2027", "hazard_type": "Hochwasser"})
    assert response.status_code == 302
    assert Crisis.objects.get(title="Hochwasser 2027").hazard_type == "Starkregen"


def test_unknown_hazard_is_refused_on_the_console_and_in_the_selector(demo_db):
    with pytest.raises(CommandError, match="Die Gefahrenart „Cyberkrieg“ ist unbekannt. Bekannt sind: Pandemie") as exc:
        cli("IT-Ausfall", "--hazard", "Cyberkrieg", "--json")
    assert exc.value.returncode == 1  # the console exits with status 1
    with pytest.raises(CommandError, match="Bitte geben Sie eine Gefahrenart an"):
        cli("Irgendwas")
    with pytest.raises(ValidationError, match="unbekannt"):
        briefing(user=AnonymousUser(), title="x", hazard_type="Vulkan")
    assert cli("Flut 2027", "--hazard", "Hochwasser", "--json")  # explicit synonym


def test_console_text_output_names_the_hazard(demo_db):
    out = StringIO()
    call_command("crisis", "briefing", "Hitze 2027", "--hazard", "Hitzewelle", stdout=out)
    assert out.getvalue().startswith("Gefahrenart: Hitze\n")
    assert "Hitzeaktionsplan" in out.getvalue()


def _remove_cyber_knowledge():
    for model in km.KNOWLEDGE_MODELS:
        model.objects.filter(codes__scheme__key="gefahren", codes__key="cyber").delete()
    TrainingModule.objects.filter(codes__scheme__key="gefahren", codes__key="cyber").delete()
    ScenarioExercise.objects.filter(hazard_type="Cyber").delete()


def test_no_knowledge_about_the_hazard_is_said_with_related_knowledge(client, users):
    _remove_cyber_knowledge()
    result = briefing_result(user=users["admin"], title="Cyberangriff", hazard_type="Cyber")
    assert not result.has_specific and result.items
    # nearest related knowledge first: the power cut (related hazard in the vocabulary)
    assert result.items[0].reasons[0] == "verwandte Gefahrenart"
    client.force_login(users["redaktion.dortmund"])
    response = client.post("/lernen/krisen/neu/", {"title": "Cyberangriff 2027", "hazard_type": "Cyber"})
    page = client.get(response["Location"]).content.decode()
    assert "Zu dieser Gefahrenart gibt es noch keine Erkenntnisse." in page
    assert "nächstliegende Wissen" in page
    assert "Notstrom und Treibstoff für mindestens 72 Stunden sichern" in page
    # with knowledge, no such message
    response = client.post("/lernen/krisen/neu/", {"title": "Hitze 2027", "hazard_type": "Hitze"})
    assert "noch keine Erkenntnisse" not in client.get(response["Location"]).content.decode()


def test_no_one_sees_another_citys_internal_observation(client, users):
    internal = km.Observation.objects.get(uuid=demo_uuid("observation", "h-o04"))  # Köln, intern
    assert internal.visibility == "intern" and internal.municipality.name == "Köln"
    title = str(internal)
    for username in ("leser.essen", "redaktion.dortmund", "moderation.duesseldorf"):
        items = briefing(user=users[username], title="Hochwasser an der Ruhr", hazard_type="Starkregen", limit=200)
        assert title not in {i.title for i in items}, username
        assert internal.get_absolute_url() not in {i.url for i in items}
    client.force_login(users["leser.essen"])
    crisis = Crisis.objects.create(title="Hochwasser an der Ruhr", hazard_type="Starkregen")
    page = client.get(f"/lernen/krisen/{crisis.pk}/briefing/").content.decode()
    assert internal.get_absolute_url() not in page and "Evakuierungsplan für Pflegeeinrichtungen in den" not in page
    # Köln itself sees it, among the top items
    koeln = briefing(user=users["mitwirkende.koeln"], title="Hochwasser an der Ruhr", hazard_type="Starkregen", limit=12)
    assert title in {i.title for i in koeln}
    # the internal cyber scenario of Düsseldorf: Düsseldorf only
    scenario = "Cyberangriff auf die Stadtverwaltung"
    assert scenario in {i.title for i in briefing(user=users["moderation.duesseldorf"], title="Cyber", hazard_type="Cyber")}
    assert scenario not in {i.title for i in briefing(user=users["leser.essen"], title="Cyber", hazard_type="Cyber", limit=200)}


def test_anonymous_sees_only_public_items(demo_db):
    items = briefing(user=AnonymousUser(), title="Hochwasser an der Ruhr", hazard_type="Starkregen", limit=200)
    assert items
    public_urls = set()
    for model in km.KNOWLEDGE_MODELS:
        public_urls |= {x.get_absolute_url() for x in model.objects.filter(visibility="oeffentlich")}
    for model in (TrainingModule, ScenarioExercise):
        public_urls |= {x.get_absolute_url() for x in model.objects.filter(visibility="oeffentlich")}
    assert {i.url for i in items} <= public_urls
    assert not any(i.kind == "action" for i in items)
    assert {"observation", "lesson", "recommendation"} <= {i.kind for i in items}


def test_stored_crisis_with_an_unknown_hazard_gets_a_german_message_not_a_guess(client, users):
    crisis = Crisis.objects.create(title="Altbestand", hazard_type="Erdbeben")  # stored before types were checked
    client.force_login(users["leser.essen"])
    response = client.get(f"/lernen/krisen/{crisis.pk}/briefing/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Die Gefahrenart „Erdbeben“ ist unbekannt. Bekannt sind:" in page
    assert 'class="stack briefing-list"' in page and "Keine passenden Einträge gefunden." in page


def test_every_non_pandemic_demo_item_opens_from_the_briefing(client, users):
    """Each item the briefings link to opens for the person who got the link (no crisis/phase assumed)."""
    for username in ("admin", "leser.essen"):
        client.force_login(users[username])
        for hazard, (title, _must) in CRISES.items():
            for item in briefing(user=users[username], title=title, hazard_type=hazard, limit=15):
                assert client.get(item.url).status_code == 200, (username, item.kind, item.title)


def test_pdf_carries_the_no_knowledge_note(users):
    from krisenwissen.learning.documents import briefing_document

    _remove_cyber_knowledge()
    result = briefing_result(user=users["admin"], title="Cyberangriff", hazard_type="Cyberangriff")
    document = briefing_document("Cyberangriff", result.hazard_label, result.items, "http://x", note=result.no_knowledge_message)
    assert document.blocks[0].title == "Keine Erkenntnisse zu dieser Gefahrenart"
    assert "Zu dieser Gefahrenart gibt es noch keine Erkenntnisse" in document.blocks[0].text
