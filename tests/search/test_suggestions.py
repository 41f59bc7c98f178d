"""Spelling suggestions, similar items and the anonymous empty-result hint never reveal unreadable items."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.search.indexing import reindex_all
from krisenwissen.search.selectors import similar_items, spelling_suggestion

from .. import factories as f


@pytest.fixture
def corpus(city_a, city_b, city_c, network):
    """A public "Krisenstab" item, and words that exist only in non-public items of single cities."""
    items = {
        "public": f.ObservationFactory(municipality=city_a, visibility="oeffentlich", kind="herausforderung",
                                       text="Der Krisenstab tagte täglich im Rathaus."),
        "a_intern": f.ObservationFactory(municipality=city_a, visibility="intern", kind="herausforderung",
                                         text="Die Notstromversorgung im Wasserwerk fiel aus."),
        "c_intern": f.ObservationFactory(municipality=city_c, visibility="intern", kind="herausforderung",
                                         text="Das Geheimlager Zeltstadt wurde vorbereitet."),
        "c_netz": f.ObservationFactory(municipality=city_c, visibility="netzwerk", kind="herausforderung",
                                       text="Der Katastrophenschutzplan Sonderfall wurde geübt."),
        "b_netz": f.ObservationFactory(municipality=city_b, visibility="netzwerk", kind="herausforderung",
                                       text="Die Pegelmessung am Oberlauf war zu spät."),
    }
    reindex_all()
    return items


def test_anonymous_gets_krisenstab_for_krisenstap(corpus):
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) == "Krisenstab"


def test_words_only_in_unreadable_items_are_never_suggested(corpus, reader_a, editor_b):
    # "Zeltstadt" exists only in city C's internal item: nobody outside C may get it suggested.
    for user in (AnonymousUser(), reader_a, editor_b):
        assert spelling_suggestion(user=user, text="Zeltstatt", total=0) is None
    # City B's network item is readable by members of the network (A), not by anonymous visitors.
    assert spelling_suggestion(user=AnonymousUser(), text="Pegelmesung", total=0) is None
    assert spelling_suggestion(user=reader_a, text="Pegelmesung", total=0) == "Pegelmessung"
    # A's own internal word for A's member, not for B (A's intern items are not shared).
    assert spelling_suggestion(user=reader_a, text="Notstromversorgnug", total=0) == "Notstromversorgung"
    assert spelling_suggestion(user=editor_b, text="Notstromversorgnug", total=0) is None


def test_search_page_offers_a_working_correction_link(client, corpus):
    response = client.get(reverse("search:search"), {"q": "Krisenstap"})
    html = response.content.decode()
    assert "Meinten Sie" in html
    link = re.search(r'href="([^"]*q=Krisenstab[^"]*)"', html)
    assert link is not None
    followed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Der Krisenstab tagte" in followed


def test_search_page_suggests_nothing_from_another_citys_intern_item(client, corpus):
    html = client.get(reverse("search:search"), {"q": "Zeltstatt"}).content.decode()
    assert "Meinten Sie" not in html
    assert "Zeltstadt" not in html


def test_similar_items_respect_read_permission(corpus, reader_a, editor_b):
    draft = "Im Wasserwerk fiel die Notstromversorgung aus; auch die Zeltstadt und der Krisenstab."
    seen_a = {(hit.kind, hit.object_id) for hit in similar_items(user=reader_a, text=draft, limit=10)}
    seen_b = {(hit.kind, hit.object_id) for hit in similar_items(user=editor_b, text=draft, limit=10)}
    assert ("observation", corpus["a_intern"].pk) in seen_a
    assert ("observation", corpus["public"].pk) in seen_a
    assert ("observation", corpus["c_intern"].pk) not in seen_a
    assert ("observation", corpus["a_intern"].pk) not in seen_b
    assert ("observation", corpus["c_intern"].pk) not in seen_b


def test_similar_endpoint_lists_readable_items_only(client, corpus, editor_b):
    client.force_login(editor_b)
    url = reverse("search:similar")
    html = client.get(url, {"text": "Notstromversorgung Zeltstadt Krisenstab"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Der Krisenstab tagte" in html
    assert "Notstromversorgung" not in html.replace("Notstromversorgung Zeltstadt", "")
    assert "Zeltstadt" not in html
    # without JavaScript: the form is posted into a new tab and gets a full page
    page = client.post(url, {"text": "Krisenstab im Rathaus"})
    assert page.status_code == 200
    assert "Ähnliche Einträge" in page.content.decode()
    assert "Der Krisenstab tagte" in page.content.decode()


def test_similar_endpoint_requires_sign_in(client, corpus):
    response = client.get(reverse("search:similar"), {"text": "Krisenstab"})
    assert response.status_code == 302


def _hint(html: str) -> str:
    match = re.search(r'<div class="signin-hint">(.*?)</div>\s*</div>\s*<p>.*?</p></div>', html, re.S)
    return match.group(0) if match else ""


def test_anonymous_empty_result_explains_sign_in_identically_with_and_without_internal_matches(client, corpus):
    # "Zeltstadt" matches an internal item of city C; "Quallenplage" matches nothing at all.
    with_internal = client.get(reverse("search:search"), {"q": "Zeltstadt"}).content.decode()
    without = client.get(reverse("search:search"), {"q": "Quallenplage"}).content.decode()
    hint_with, hint_without = _hint(with_internal), _hint(without)
    assert "Angemeldete Mitglieder einer Kommune" in hint_with
    assert hint_with.replace("Zeltstadt", "X") == hint_without.replace("Quallenplage", "X")
    # The page differs only where the query itself is echoed (and in per-response tokens).
    assert _normalised(with_internal).replace("Zeltstadt", "X") == _normalised(without).replace("Quallenplage", "X")


def _normalised(html: str) -> str:
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{16,}"', r'\1=""', html)


def test_signed_in_members_get_no_sign_in_hint(client, corpus, reader_a):
    client.force_login(reader_a)
    html = client.get(reverse("search:search"), {"q": "Quallenplage"}).content.decode()
    assert "Angemeldete Mitglieder einer Kommune" not in html


def test_suggestion_respects_the_active_filters(corpus):
    anonymous = AnonymousUser()
    assert spelling_suggestion(user=anonymous, text="Krisenstap", total=0, filters={"kind": ["observation"]}) == "Krisenstab"
    assert spelling_suggestion(user=anonymous, text="Krisenstap", total=0, filters={"kind": ["lesson"]}) is None


def test_a_stale_vocabulary_never_suggests_what_became_unreadable(corpus, monkeypatch):
    from krisenwissen.search import suggest

    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) == "Krisenstab"
    # Pretend the index is large, so the vocabulary is kept for a while after changes ...
    monkeypatch.setattr(suggest, "CHEAP_REBUILD_DOCUMENTS", 0)
    corpus["public"].visibility = "intern"
    corpus["public"].save()
    reindex_all()
    # ... the vocabulary still knows "Krisenstab" as public, but the live check drops it.
    assert "Krisenstab" in suggest.vocabulary_for(suggest.VisibilityScope())
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) is None


def test_hostile_input_never_crashes(client, corpus, editor_b):
    client.force_login(editor_b)
    for text in ("x" * 50_000, '"*) OR NEAR( aclpublic §', "Krisenstab " * 5_000, "\x00\u202e"):
        assert client.get(reverse("search:similar"), {"text": text}, HTTP_HX_REQUEST="true").status_code == 200
        assert client.get(reverse("search:search"), {"q": text}).status_code == 200
    assert similar_items(user=editor_b, text="", limit=5) == []
    assert spelling_suggestion(user=editor_b, text="   ", total=0) is None


def test_a_large_index_builds_the_vocabulary_in_the_background(corpus, monkeypatch):
    """At 100,000 items building takes seconds: the search answers at once (without a
    suggestion) and the vocabulary follows from one background build."""
    from krisenwissen.search import suggest

    started = []
    monkeypatch.setattr(suggest, "_run_in_background", started.append)
    monkeypatch.setattr(suggest, "CHEAP_REBUILD_DOCUMENTS", 0)
    # A process that has not built a vocabulary yet (the module's own is restored afterwards).
    monkeypatch.setattr(suggest, "_memo", {**suggest._memo, "key": None, "building": False})
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) is None
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) is None
    assert len(started) == 1  # one build, however many requests come meanwhile
    started[0]()  # the build ends
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) == "Krisenstab"
    assert not suggest._memo["building"]


def test_the_server_warm_up_builds_the_vocabulary_before_the_first_search(corpus, monkeypatch):
    from krisenwissen.search import suggest, warmup

    monkeypatch.setattr(suggest, "CHEAP_REBUILD_DOCUMENTS", 0)
    monkeypatch.setattr(suggest, "_memo", {**suggest._memo, "key": None, "building": False})
    warmup.warm_up_now()
    assert suggest._memo["key"] is not None
    assert spelling_suggestion(user=AnonymousUser(), text="Krisenstap", total=0) == "Krisenstab"


@given(st.text(alphabet=st.sampled_from("aäbßcz19²_- .,\u00b5\u0391\u4e00"), max_size=60))
def test_vocabulary_words_are_the_letter_words_of_4_to_40_characters(text):
    from krisenwissen.search.spelling import WORD_RE
    from krisenwissen.search.suggest import document_words

    expected = {word for word in WORD_RE.findall(text) if 4 <= len(word) <= 40 and word.isalpha()}
    assert document_words(text) == expected
