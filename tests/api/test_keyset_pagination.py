"""Keyset pagination of the API lists: ``next`` links with a cursor (issue 19)."""

from __future__ import annotations

import json

from .. import factories as f


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _follow(client, url, *, between=None):
    """Every item id along the next links; ``between(page_number)`` runs after each page."""
    seen, pages = [], 0
    while url:
        data = _get(client, url)
        seen += [item["id"] for item in data["results"]]
        url = data["next"]
        pages += 1
        if between:
            between(pages)
    return seen, pages


def test_next_links_walk_every_item_once(client, city_a):
    items = [f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text=f"Eintrag {n}") for n in range(7)]
    first = _get(client, "/api/v1/beobachtungen/?limit=3")
    assert first["count"] == 7 and first["offset"] == 0
    assert first["next"].startswith("http://testserver/api/v1/beobachtungen/?") and "cursor=" in first["next"]
    seen, pages = _follow(client, "/api/v1/beobachtungen/?limit=3")
    assert seen == [str(item.uuid) for item in items]
    assert pages == 3
    last = _get(client, first["next"].replace("http://testserver", ""))
    assert last["count"] == 7 and last["offset"] is None


def test_cursor_pages_are_stable_when_items_are_added_and_removed(client, city_a):
    items = [f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text=f"Eintrag {n}") for n in range(6)]
    added = []

    def meanwhile(page):
        if page == 1:
            # a new item (higher id) arrives and an item already seen is deleted: no gap, no duplicate
            added.append(f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="neu"))
            items[0].delete()

    seen, _pages = _follow(client, "/api/v1/beobachtungen/?limit=2", between=meanwhile)
    assert len(seen) == len(set(seen))
    assert seen == [str(item.uuid) for item in items] + [str(added[0].uuid)]


def test_cursor_pages_show_only_readable_items(client, city_a, city_b, reader_a):
    mine = [f.ObservationFactory(municipality=city_a, visibility="intern", text=f"intern {n}") for n in range(3)]
    hidden = [f.ObservationFactory(municipality=city_b, visibility="intern", text=f"fremd {n}") for n in range(3)]
    public = [f.ObservationFactory(municipality=city_b, visibility="oeffentlich", text=f"offen {n}") for n in range(2)]
    seen, _ = _follow(client, "/api/v1/beobachtungen/?limit=2")
    assert seen == [str(item.uuid) for item in public]
    client.force_login(reader_a)
    seen, _ = _follow(client, "/api/v1/beobachtungen/?limit=2")
    assert seen == [str(item.uuid) for item in mine + public]
    # a cursor from the hidden range reveals nothing: it only says where to continue
    after = _get(client, f"/api/v1/beobachtungen/?cursor={hidden[0].pk}")
    assert [item["id"] for item in after["results"]] == [str(item.uuid) for item in public]


def test_filters_are_kept_in_the_next_link(client, city_a, city_b):
    for n in range(3):
        f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text=f"A {n}")
        f.ObservationFactory(municipality=city_b, visibility="oeffentlich", text=f"B {n}")
    seen, _ = _follow(client, f"/api/v1/beobachtungen/?limit=1&kommune={city_a.ags}")
    assert len(seen) == 3
    data = _get(client, f"/api/v1/beobachtungen/?limit=1&kommune={city_a.ags}")
    assert f"kommune={city_a.ags}" in data["next"]


def test_bad_cursor_is_a_german_error_and_a_huge_one_an_empty_page(client, city_a):
    f.ObservationFactory(municipality=city_a, visibility="oeffentlich")
    for bad in ("abc", "-1", "1&offset=2"):
        response = client.get(f"/api/v1/beobachtungen/?cursor={bad}")
        assert response.status_code == 400
        assert "cursor" in json.loads(response.content)["error"]
    data = _get(client, "/api/v1/beobachtungen/?cursor=" + "9" * 60)
    assert data["results"] == [] and data["next"] is None
