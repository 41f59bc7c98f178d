"""Every URL pattern × every kind of user: allowed or denied, and nothing leaks.

When you add a URL, add it to MATRIX; ``test_every_url_pattern_is_in_the_matrix`` fails
until you do. Items carry unique marker words so that leaks through search, API, CSV
exports and listings are detected by plain text search in the response.
"""

from __future__ import annotations

import importlib
import json
import pathlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from krisenwissen.accounts.models import Role
from krisenwissen.knowledge import actions

from . import factories as f

USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")

# Marker word per item; the item with marker M is readable exactly by READERS[M].
READERS = {
    "markeraintern": {"reader_a", "admin"},
    "markerbintern": {"editor_b", "admin"},
    "markerbnetz": {"editor_b", "network_member", "admin"},
    "markercpublic": set(USERS),
    "markercintern": {"admin"},
}


@pytest.fixture
def world(db):
    """City A alone; B and D share a network; C outside. One user per kind."""
    a = f.MunicipalityFactory(name="Stadt A", ags="05913")
    b = f.MunicipalityFactory(name="Stadt B", ags="05111")
    c = f.MunicipalityFactory(name="Stadt C", ags="05113")
    d = f.MunicipalityFactory(name="Stadt D", ags="05315")
    f.NetworkFactory(name="Netz", slug="netz", members=[b, d])
    users = {
        "anonymous": None,
        "reader_a": f.MembershipFactory(municipality=a, role=Role.LESER, user__username="leser-a").user,
        "editor_b": f.MembershipFactory(municipality=b, role=Role.REDAKTION, user__username="redaktion-b").user,
        "network_member": f.MembershipFactory(municipality=d, role=Role.LESER, user__username="netz-d").user,
        "admin": f.UserFactory(username="plattform-admin", is_superuser=True, is_staff=True),
    }
    theme = f.CodeFactory(key="zusammenarbeit", name="Zusammenarbeit")
    phase = f.PhaseFactory(number=1, name="Eindämmung")
    items = {}
    owners = {"markeraintern": (a, "intern"), "markerbintern": (b, "intern"), "markerbnetz": (b, "netzwerk"),
              "markercpublic": (c, "oeffentlich"), "markercintern": (c, "intern")}
    for marker, (city, visibility) in owners.items():
        obs = f.ObservationFactory(municipality=city, visibility=visibility, phase=phase, crisis=phase.crisis,
                                   text=f"Krisenstab Beobachtung {marker} zur Schutzausrüstung.")
        obs.codes.add(theme)
        lesson = f.LessonFactory(municipality=city, visibility=visibility, title=f"Erkenntnis {marker}", finding=f"Befund {marker} Krisenstab")
        lesson.observations.add(obs)
        lesson.codes.add(theme)
        rec = f.RecommendationFactory(municipality=city, visibility=visibility, title=f"Empfehlung {marker}", text=f"Text {marker} Krisenstab")
        rec.lessons.add(lesson)
        gp = f.GoodPracticeFactory(municipality=city, visibility=visibility, title=f"Praxis {marker}", solution=f"Lösung {marker} Krisenstab")
        items[marker] = {"observation": obs, "lesson": lesson, "recommendation": rec, "goodpractice": gp}
    # One lesson in B (netzwerk) that cites an intern observation of B: the evidence must be hidden from D.
    review_item = f.ObservationFactory(municipality=b, visibility="intern", text="Frau Schneider vom Ordnungsamt sagte markerreview.")
    contributor_b = f.MembershipFactory(municipality=b, role=Role.MITWIRKENDE, user__username="mitwirkende-b").user
    review = actions.do_request_publication(review_item, "oeffentlich", acting_user=contributor_b)
    from krisenwissen.search.indexing import reindex_all

    world = {"users": users, "items": items, "cities": {"a": a, "b": b, "c": c, "d": d}, "theme": theme, "phase": phase, "review": review}
    for fragment in FRAGMENTS:
        fragment.extend_world(world)
    reindex_all()
    return world


def client_for(client, world, who):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    return client


OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404


def detail_expectation(marker):
    return {u: (OK if u in READERS[marker] else NOT_FOUND) for u in USERS}


def everyone(status):
    return {u: status for u in USERS}


def logged_in(status, anonymous=LOGIN):
    return {u: (anonymous if u == "anonymous" else status) for u in USERS}


# (url name, kwargs builder, method, expectations[, data builder]). Builders get the world.
MATRIX = [
    ("ui:start", lambda w: {}, "get", everyone(OK)),
    ("ui:create", lambda w: {}, "get", logged_in(OK)),
    ("search:browse", lambda w: {}, "get", everyone(OK)),
    ("search:search", lambda w: {}, "get", everyone(OK)),
    ("search:similar", lambda w: {}, "get",
     {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("knowledge:lesson_list", lambda w: {}, "get", everyone(OK)),
    ("knowledge:recommendation_list", lambda w: {}, "get", everyone(OK)),
    ("knowledge:goodpractice_list", lambda w: {}, "get", everyone(OK)),
    ("knowledge:compare", lambda w: {}, "get", everyone(OK)),
    ("knowledge:taxonomy", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("knowledge:review_list", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("knowledge:review_detail", lambda w: {"pk": w["review"].pk}, "get",
     {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("knowledge:item_create", lambda w: {"kind": "observation"}, "get",
     {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("knowledge:item_edit", lambda w: {"kind": "observation", "pk": w["items"]["markerbnetz"]["observation"].pk}, "get",
     {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("knowledge:request_publication", lambda w: {"kind": "observation", "pk": w["items"]["markerbnetz"]["observation"].pk}, "post",
     {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": 302, "network_member": DENIED, "admin": 302}),
    ("accounts:login", lambda w: {}, "get", logged_in(302, anonymous=OK)),
    ("accounts:logout", lambda w: {}, "post", everyone(302)),
    ("accounts:admin_home", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}),
    ("accounts:members", lambda w: {"ags": w["cities"]["a"].ags}, "get",
     {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}),
    ("accounts:membership_remove", lambda w: {"pk": w["users"]["reader_a"].memberships.get().pk}, "post",
     {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": 302}),
    ("accounts:audit_log", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}),
    ("api:openapi", lambda w: {}, "get", everyone(OK)),
    ("api:search", lambda w: {}, "get", everyone(OK)),
    ("api:crises", lambda w: {}, "get", everyone(OK)),
    ("api:codebook", lambda w: {}, "get", everyone(OK)),
    ("api:municipalities", lambda w: {}, "get", everyone(OK)),
    ("api:item_list", lambda w: {"resource": "beobachtungen"}, "get", everyone(OK)),
    ("set_language", lambda w: {}, "post", everyone(302)),
    ("core:notifications", lambda w: {}, "get", logged_in(OK)),
    ("core:notifications_read", lambda w: {}, "post", logged_in(302)),
]
for _kind, _name in [("observation", "observation_detail"), ("lesson", "lesson_detail"),
                     ("recommendation", "recommendation_detail"), ("goodpractice", "goodpractice_detail")]:
    for _marker in READERS:
        MATRIX.append((f"knowledge:{_name}", (lambda k, m: lambda w: {"pk": w["items"][m][k].pk})(_kind, _marker), "get",
                       detail_expectation(_marker)))
_API_RESOURCE = {"observation": "beobachtungen", "lesson": "erkenntnisse", "recommendation": "empfehlungen", "goodpractice": "gute-praxis"}
for _kind, _resource in _API_RESOURCE.items():
    for _marker in READERS:
        MATRIX.append(("api:item_detail", (lambda k, r, m: lambda w: {"resource": r, "uuid": w["items"][m][k].uuid})(_kind, _resource, _marker),
                       "get", detail_expectation(_marker)))

# Each app's tests/<app>/matrix_fragment.py adds its own URLs (ENTRIES), objects
# (extend_world) and listing/export URLs for the leak check (LEAK_URLS).
FRAGMENTS = [
    importlib.import_module(f"tests.{path.parent.name}.matrix_fragment")
    for path in sorted(pathlib.Path(__file__).parent.glob("*/matrix_fragment.py"))
]
for _fragment in FRAGMENTS:
    MATRIX.extend(_fragment.ENTRIES)

# Django's own admin is covered separately (it redirects everyone but staff to its own login).
EXEMPT_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_matrix():
    covered = {name for name, *_ in MATRIX}
    missing = sorted(set(_all_url_names()) - covered)
    assert not missing, f"URL patterns without permission expectations: {missing}"


@pytest.mark.parametrize("who", USERS)
def test_matrix(client, world, who):
    from django.urls import reverse

    client_for(client, world, who)
    failures = []
    for name, build_kwargs, method, expectations, *build_data in MATRIX:
        url = reverse(name, kwargs=build_kwargs(world))
        if build_data:  # optional fifth element: builder of the POST/GET data
            data = build_data[0](world)
        else:
            data = {"visibility": "intern"} if name == "knowledge:request_publication" else ({"language": "de", "next": "/"} if name == "set_language" else {})
        response = getattr(client, method)(url, data)
        expected = expectations[who]
        if expected == LOGIN:
            ok = response.status_code == 302 and "/konto/anmelden/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{method.upper()} {url} ({name}) as {who}: got {response.status_code}, expected {expected}")
        if name == "accounts:logout" and world["users"][who] is not None:
            client.force_login(world["users"][who])
    assert not failures, "\n".join(failures)


def test_django_admin_only_for_staff(client, world):
    for who in USERS:
        client.logout()
        client_for(client, world, who)
        response = client.get("/verwaltung/django/")
        if who == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/verwaltung/django/login/" in response["Location"]


LISTING_URLS = [
    "/wissen/", "/wissen/?format=csv", "/suche/?q=Krisenstab", "/suche/?q=Krisenstab&format=csv", "/suche/?q=marker",
    "/erkenntnisse/", "/erkenntnisse/?format=csv", "/empfehlungen/", "/empfehlungen/?format=csv",
    "/gute-praxis/", "/gute-praxis/?format=csv", "/", "/api/v1/suche/?q=Krisenstab",
    "/api/v1/beobachtungen/", "/api/v1/erkenntnisse/", "/api/v1/empfehlungen/", "/api/v1/gute-praxis/",
    # issue 19: every facet value ("mehr"), API pages by cursor, the comparison's further pages
    "/wissen/?alle=municipality&alle=theme", "/suche/?q=Krisenstab&alle=municipality",
    "/api/v1/beobachtungen/?cursor=0", "/api/v1/beobachtungen/?limit=1&cursor=1", "/api/v1/erkenntnisse/?cursor=0",
    "/api/v1/empfehlungen/?cursor=0", "/api/v1/gute-praxis/?cursor=0",
]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.mark.parametrize("who", USERS)
def test_no_leaks_through_lists_search_api_and_exports(client, world, who):
    client_for(client, world, who)
    compare_url = "/vergleich/?" + "&".join(f"stadt={c.pk}" for c in world["cities"].values())
    fragment_urls = [url for fragment in FRAGMENTS for url in fragment.LEAK_URLS]
    for url in [*LISTING_URLS, *fragment_urls, compare_url, compare_url + "&format=csv", compare_url + "&seite=2"]:
        body = _body(client.get(url)).lower()
        for marker, readers in READERS.items():
            if who not in readers:
                assert marker not in body, f"{marker} leaked to {who} via {url}"


@pytest.mark.parametrize("who", USERS)
def test_no_leaks_through_spelling_suggestions_or_similar_items(client, world, who):
    """ "Meinten Sie …?" and "Gibt es schon" only ever name words and items the user may read."""
    client_for(client, world, who)
    every_marker = " ".join(READERS)
    for marker, readers in READERS.items():
        typo = marker[:-3] + marker[-2:]  # one letter dropped
        urls = [f"/suche/?q={typo}", f"/wissen/?q={typo}"]
        if who in ("editor_b", "admin"):  # those who may create items (the others get 403/login, see MATRIX)
            urls.append(f"/suche/aehnliche/?text=Krisenstab+{every_marker}")
        for url in urls:
            body = _body(client.get(url, HTTP_HX_REQUEST="true")).lower()
            for hidden, hidden_readers in READERS.items():
                if who not in hidden_readers:
                    assert hidden not in body, f"{hidden} leaked to {who} via {url}"
        if who in readers and who != "anonymous":
            assert f"q={marker}" in _body(client.get(f"/suche/?q={typo}")).lower()


@pytest.mark.parametrize("who", USERS)
def test_readable_items_do_appear(client, world, who):
    client_for(client, world, who)
    body = _body(client.get("/wissen/?format=csv")).lower()
    for marker, readers in READERS.items():
        if who in readers:
            assert marker in body, f"{marker} missing for {who} in CSV export"


def test_evidence_trail_hides_unreadable_observations(client, world):
    """A network lesson citing an internal observation shows the evidence only to its own city."""
    b = world["cities"]["b"]
    hidden = f.ObservationFactory(municipality=b, visibility="intern", text="verdeckterbeleg aus B")
    lesson = world["items"]["markerbnetz"]["lesson"]
    lesson.observations.add(hidden)
    client_for(client, world, "network_member")
    body = client.get(f"/erkenntnisse/{lesson.pk}/").content.decode()
    assert "verdeckterbeleg" not in body
    data = json.loads(client.get(f"/api/v1/erkenntnisse/{lesson.uuid}/").content)
    assert str(hidden.uuid) not in data["observations"]
    client.logout()
    client_for(client, world, "editor_b")
    assert "verdeckterbeleg" in client.get(f"/erkenntnisse/{lesson.pk}/").content.decode()


@pytest.mark.parametrize("who", USERS)
def test_api_cursor_pages_hold_exactly_the_readable_items(client, world, who):
    """Issue 19: walking the API by its next links (one item a page) yields what the user may read, once."""
    client_for(client, world, who)
    url, texts = "/api/v1/beobachtungen/?limit=1", []
    while url:
        data = json.loads(client.get(url).content)
        texts += [item["text"].lower() for item in data["results"]]
        url = data["next"]
    found = {marker for marker in READERS for text in texts if marker in text}
    assert found == {marker for marker, readers in READERS.items() if who in readers}
    assert len(texts) == len(set(texts))
