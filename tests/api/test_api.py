"""The read-only API: valid OpenAPI, permission-aware lists, clear errors."""

import json

from openapi_spec_validator import validate

from .. import factories as f


def test_openapi_document_is_valid(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    validate(spec)
    assert "/beobachtungen/" in spec["paths"]


def test_list_contains_only_public_items_for_anonymous(client, city_a):
    public = f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="öffentlich sichtbar")
    f.ObservationFactory(municipality=city_a, visibility="intern", text="nur intern")
    data = json.loads(client.get("/api/v1/beobachtungen/").content)
    assert data["count"] == 1
    assert data["results"][0]["id"] == str(public.uuid)
    assert data["results"][0]["municipality"]["ags"] == city_a.ags


def test_member_sees_internal_items_of_own_city(client, city_a, reader_a):
    f.ObservationFactory(municipality=city_a, visibility="intern", text="nur intern")
    client.force_login(reader_a)
    assert json.loads(client.get("/api/v1/beobachtungen/").content)["count"] == 1


def test_bad_paging_gives_german_error(client, db):
    response = client.get("/api/v1/beobachtungen/?limit=abc")
    assert response.status_code == 400
    assert "ganze Zahlen" in json.loads(response.content)["error"]


def test_offset_past_the_end_is_an_empty_page(client, city_a):
    f.ObservationFactory(municipality=city_a, visibility="oeffentlich")
    data = json.loads(client.get("/api/v1/beobachtungen/?offset=99999999999999999999999999").content)
    assert data["count"] == 1 and data["results"] == []


def test_search_honours_offset_and_ends_with_an_empty_page(client, city_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index is updated after commit
        for number in range(5):
            f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text=f"Krisenstab Nummer {number}")

    def urls(query):
        return [hit["url"] for hit in json.loads(client.get(f"/api/v1/suche/?{query}").content)["results"]]

    everything = urls("limit=5")
    assert len(everything) == 5
    assert urls("limit=2&offset=1") == everything[1:3]
    assert urls("limit=3&offset=4") == everything[4:]
    assert urls("limit=2&offset=6") == []  # was the last page again: clients paging until empty never stopped


def test_unknown_item_is_404_json(client, db):
    response = client.get("/api/v1/beobachtungen/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
