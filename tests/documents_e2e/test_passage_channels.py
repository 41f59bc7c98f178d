"""Document passages reach nobody who may not read the document, on any channel: the search
page, its CSV export, "Meinten Sie" (spelling suggestion), "Gibt es schon" (similar items), the
API, the REFI-QDA project export, the code retrieval. Each channel is first checked to carry the
passage for a reader of the document (so the absence for others means something)."""

import io
import zipfile

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from tests import factories as f

WORD = "Notstromaggregatwartung"
TYPO = "Notstromagregatwartung"
TITLE = "Technikprotokoll"
TEXT = f"Protokoll\n\nDie {WORD} im Rathaus wurde vom Krisenstab am Montag angeordnet.\n"


@pytest.fixture
def world(ingested, city_a, city_b, network, redaktion_a, admin_user):
    from krisenwissen.documents.models import Coding
    from tests.documents_coding.helpers import make_codes

    document = ingested(TEXT, visibility="intern", title=TITLE)
    version = document.versions.get()
    code = make_codes()[3]
    start = version.text.index(WORD)
    Coding.objects.create(version=version, document=document, start=start, end=start + len(WORD), code=code,
                          coder=redaktion_a, coder_name="Redaktion A")
    partner = f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="redaktion-b").user
    return {"document": document, "code": code, "reader": redaktion_a, "outsider": partner}


def _shows(name: str, text: str) -> bool:
    """The passage's document title (search hits are titled "document · S. n"; the pages echo the
    query itself, so the word alone proves nothing there), its address, or the word where the
    query does not carry it (the "Meinten Sie" page, asked with a typo; exports; retrieval)."""
    echoes_query = name in {"search", "search csv", "similar", "api"}
    return TITLE in text or "/dokumente/textstelle/" in text or (not echoes_query and WORD in text)


def _evidence(text: str) -> list[str]:
    import re

    return [text[max(0, m.start() - 120):m.end() + 60] for m in re.finditer(f"{WORD}|{TITLE}|/dokumente/textstelle/", text)]


def _channels(client, code):
    body = lambda response: (response.content if hasattr(response, "content") else b"".join(response.streaming_content))  # noqa: E731
    yield "search", body(client.get(reverse("search:search"), {"q": WORD})).decode()
    yield "search csv", body(client.get(reverse("search:search"), {"q": WORD, "format": "csv"})).decode("utf-8-sig")
    yield "spelling", body(client.get(reverse("search:search"), {"q": TYPO})).decode()
    yield "similar", body(client.get(reverse("search:similar"), {"text": f"{WORD} Rathaus angeordnet"})).decode()
    yield "api", body(client.get(reverse("api:search"), {"q": WORD})).decode()
    export = client.get(reverse("documents:coding_export"))
    with zipfile.ZipFile(io.BytesIO(body(export))) as archive:
        yield "qdpx", " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    yield "retrieval", body(client.get(reverse("documents:coding_code", args=[code.pk]))).decode()


@pytest.mark.django_db(transaction=True)
def test_passage_reaches_readers_on_every_channel_and_nobody_else(client, world):
    client.force_login(world["reader"])
    seen = {name: _shows(name, text) for name, text in _channels(client, world["code"])}
    assert all(seen.values()), seen
    client.force_login(world["outsider"])
    leaked = {name: _evidence(text) for name, text in _channels(client, world["code"]) if _shows(name, text)}
    assert leaked == {}


@pytest.mark.django_db(transaction=True)
def test_after_narrowing_a_network_document_partners_lose_every_channel(client, world,
                                                                        django_capture_on_commit_callbacks):
    from krisenwissen.documents.ingest_actions import do_update_document

    with django_capture_on_commit_callbacks(execute=True):
        do_update_document(world["document"], visibility="netzwerk", acting_user=world["reader"])
    client.force_login(world["outsider"])
    seen = {name: _shows(name, text) for name, text in _channels(client, world["code"])}
    assert all(seen.values()), seen
    with django_capture_on_commit_callbacks(execute=True):
        do_update_document(world["document"], visibility="intern", acting_user=world["reader"])
    leaked = {name: _evidence(text) for name, text in _channels(client, world["code"]) if _shows(name, text)}
    assert leaked == {}
