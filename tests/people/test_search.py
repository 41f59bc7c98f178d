"""Who-to-call search: German full text and facets within the read scope, never private channels."""

import datetime as dt

from django.utils import timezone

from krisenwissen.core.policy import SYSTEM
from krisenwissen.people import actions
from krisenwissen.people.selectors import channel_available, search_people


def names(page):
    return {row.person.display_name for row in page.rows}


def test_competence_search_crosses_network_cities_but_not_intern_of_a_third_city(world):
    page = search_people(user=world["users"]["reader_a"], text="Krisenkommunikation")
    assert "Lena Leitwolf" in names(page)  # own city
    assert "Nora Netzwerkerin" in names(page)  # netzwerk entry of city B
    assert "Carla Drittstadt" not in names(page)  # intern entry of city C (same network)
    assert "Ines Internbach" not in names(page)  # intern entry of city B
    assert "Otto Offen" in names(page)  # public entry of city D
    assert page.total == len(page.rows) == 3


def test_competence_facet_and_partial_words(world):
    user = world["users"]["reader_a"]
    page = search_people(user=user, text="kommunikation")  # part of the compound "Krisenkommunikation"
    assert "Nora Netzwerkerin" in names(page)
    page = search_people(user=user, filters={"kompetenz": ["krisenkommunikation"], "kommune": [str(world["cities"]["b"].pk)]})
    assert names(page) == {"Nora Netzwerkerin"}
    counts = {f.value: f.count for f in page.facets["kommune"]}
    assert counts[str(world["cities"]["a"].pk)] == 1 and str(world["cities"]["c"].pk) not in counts


def test_function_and_umlaut_folding(world):
    page = search_people(user=world["users"]["reader_b"], text="leitung krisenstab")
    assert names(page) == {"Lena Leitwolf"}
    actions.do_update_person(world["people"]["netz_b"], acting_user=SYSTEM, position="Ärztliche Leitung")
    assert "Nora Netzwerkerin" in names(search_people(user=world["users"]["reader_b"], text="aerztliche"))


def test_private_numbers_never_in_search(world):
    for who in ("reader_a", "s1_a", "superuser"):
        page = search_people(user=world["users"][who], text="Leitwolf")
        values = {c.value for row in page.rows for c in row.channels}
        assert "+49 30 23125999" not in values
        assert "+49 30 23125100" in values
    # nor can the number be searched for
    assert not search_people(user=world["users"]["superuser"], text="23125999").rows
    assert "23125" not in world["people"]["leitung_a"].__class__.objects.get(pk=world["people"]["leitung_a"].pk).search_text


def test_anonymous_reads_only_public_entries(world):
    assert names(search_people(user=None, text="")) == {"Otto Offen"}


def test_availability_now(world):
    from krisenwissen.people.models import Channel

    office = Channel(kind="buero", value="x", availability="buerozeiten")
    on_call = Channel(kind="mobil", value="x", availability="rufbereitschaft")
    sunday = timezone.make_aware(dt.datetime(2026, 12, 6, 12, 0))
    monday = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))
    assert not channel_available(office, sunday) and channel_available(office, monday)
    assert channel_available(on_call, sunday)


def test_stale_entries_are_marked_and_counted(world):
    user = world["users"]["reader_a"]
    page = search_people(user=user)
    assert page.stale_count == len(page.rows)  # nobody confirmed yet
    actions.do_confirm_entry(world["people"]["reader_a"], acting_user=user)
    page = search_people(user=user)
    assert page.stale_count == len(page.rows) - 1
    assert not next(r for r in page.rows if r.person.pk == world["people"]["reader_a"].pk).stale
    stale_only = search_people(user=user, filters={"aktualitaet": ["veraltet"]})
    assert "Rolf Leser" not in names(stale_only)


def test_hostile_query_does_not_crash(world):
    user = world["users"]["reader_a"]
    for text in ["%", "' OR 1=1 --", "a" * 5000, "\x00", "\"", "*:*"]:
        search_people(user=user, text=text, filters={"kommune": ["x", "9" * 40], "kompetenz": ["<script>"]})


def test_department_facet(world):
    from tests import factories as f

    a = world["cities"]["a"]
    press = f.DepartmentFactory(municipality=a, name="Presseamt", function="presse")
    actions.do_update_person(world["people"]["leitung_a"], acting_user=SYSTEM, department=press)
    page = search_people(user=world["users"]["reader_a"], filters={"bereich": ["presse"]})
    assert names(page) == {"Lena Leitwolf"}
    assert {f.value: f.label for f in page.facets["bereich"]}["presse"] == "Presse und Kommunikation"
    assert names(search_people(user=world["users"]["reader_a"], text="Presseamt")) == {"Lena Leitwolf"}


def test_platform_search_and_api_find_entries_in_scope_without_channels(client, world, django_capture_on_commit_callbacks):
    from krisenwissen.search.indexing import reindex_all

    reindex_all()
    client.force_login(world["users"]["reader_b"])
    body = client.get("/suche/?q=Krisenkommunikation").content.decode()
    assert "Lena Leitwolf" in body and "Nora Netzwerkerin" in body  # network entry of A, own entry of B
    assert "Carla Drittstadt" not in body  # intern entry of C
    api = client.get("/api/v1/suche/?q=Leitwolf").json()
    assert [r["title"] for r in api["results"]] == ["Lena Leitwolf"]
    for url in ["/suche/?q=Leitwolf", "/suche/?q=Leitwolf&format=csv", "/api/v1/suche/?q=Leitwolf", "/wissen/?format=csv"]:
        response = client.get(url)
        text = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert "23125999" not in text and "23125100" not in text, url
    # a competence change reaches the platform search after the commit
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_set_competences(world["people"]["netz_b"], [(world["competences"]["warn"], "", "")], acting_user=SYSTEM)
    body = client.get("/suche/?q=Warnung").content.decode()
    assert "Nora Netzwerkerin" in body


def test_each_city_is_one_facet_value_with_all_its_people(world):
    """Regression: the model's default ordering split a city into one facet row per person."""
    page = search_people(user=world["users"]["reader_a"], text="")
    labels = [f.label for f in page.facets["kommune"]]
    assert len(labels) == len(set(labels))
    per_city = {}
    for row in page.rows:
        per_city[row.person.municipality.name] = per_city.get(row.person.municipality.name, 0) + 1
    assert {f.label: f.count for f in page.facets["kommune"]} == per_city
