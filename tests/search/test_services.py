"""The view-facing search service: labels, URLs, safe snippets, facets, paging, scope."""

from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString

from krisenwissen.search.selectors import search


def test_hits_are_labelled(world, admin_user):
    page = search(admin_user, "Bürgertelefon")
    hit = page.hits[0]
    assert hit.kind == "goodpractice" and hit.kind_label == "Gute Praxis"
    assert hit.object_id == world.items.goodpractice.pk
    assert hit.municipality_name == "Stadt C"
    assert hit.visibility == "oeffentlich" and hit.visibility_label == "öffentlich"
    assert hit.created_at is not None
    assert isinstance(hit.snippet, SafeString)


def test_kind_labels(world, admin_user):
    labels = {hit.kind: hit.kind_label for hit in search(admin_user, per_page=50).hits}
    assert labels == {
        "observation": "Beobachtung", "lesson": "Erkenntnis",
        "recommendation": "Handlungsempfehlung", "goodpractice": "Gute Praxis",
    }


def test_url_is_the_items_address(world, admin_user):
    hit = search(admin_user, "Personalreserven früh planen").hits[0]
    assert hit.url == world.items.lesson.get_absolute_url()


def test_anonymous_user_sees_public_only(world):
    page = search(AnonymousUser(), "Codewort")
    assert page.total == 3
    assert {hit.visibility for hit in page.hits} == {"oeffentlich"}


def test_facets_are_labelled_and_marked_selected(world, reader_a):
    page = search(reader_a, "Krisenstab", filters={"kind": ["observation"], "theme": [str(world.themes.personal.pk)]})
    assert list(page.facets) == ["kind", "observation_kind", "theme", "phase", "crisis", "municipality", "department_function"]
    kind = page.facets["kind"][0]
    assert (kind.value, kind.label, kind.count, kind.selected) == ("observation", "Beobachtung", 6, True)
    themes = {entry.label: entry for entry in page.facets["theme"]}
    assert themes["Personal"].selected and themes["Personal"].count == 6
    assert not themes["Personalreserve"].selected
    assert page.facets["observation_kind"][0].label == "Herausforderung"
    assert {entry.label for entry in page.facets["municipality"]} == {"Stadt A", "Stadt B", "Stadt C"}
    assert page.facets["department_function"][0].label == "Krisenstab"
    assert {entry.label for entry in page.facets["phase"]} == {"1. Erste Welle (COVID-19-Pandemie)", "2. Zweite Welle (COVID-19-Pandemie)"}
    assert page.facets["crisis"][0].label == "COVID-19-Pandemie"


def test_selected_value_without_matches_stays_visible(world, admin_user):
    page = search(admin_user, "Krisenstab", filters={"kind": ["lesson"]})
    assert page.total == 0
    assert [(entry.value, entry.count, entry.selected) for entry in page.facets["kind"]] == [("lesson", 0, True)]


def test_paging_is_clamped(world, admin_user):
    page = search(admin_user, per_page=5, page=2)
    assert (page.page, page.num_pages, page.total, len(page.hits)) == (2, 3, 12, 5)
    assert page.has_next and page.has_previous
    last = search(admin_user, per_page=5, page=99)
    assert last.page == 3 and len(last.hits) == 2
    assert search(admin_user, per_page=5, page=0).page == 1


def test_no_results(world, admin_user):
    page = search(admin_user, "Vulkanausbruch")
    assert (page.total, page.hits, page.page, page.num_pages) == (0, [], 1, 1)
