"""HTTP flow: join by link, cards as JSON and as plain forms, event feed, documents, CLI."""

import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from krisenwissen.workshops import actions
from krisenwissen.workshops.models import Card, Participant

from .conftest import image_bytes

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}


def join(client, workshop, name="Person", **extra):
    response = client.post(reverse("workshops:join", args=[workshop.join_token]), {"display_name": name, **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return Participant.objects.order_by("-pk").first()


def test_join_and_write_cards(client, workshop, host):
    page = client.get(reverse("workshops:join", args=[workshop.join_token]))
    assert page.status_code == 200 and "Chatham-House" in page.content.decode()
    participant = join(client, workshop, "Person A", municipality=host.pk, department_function="feuerwehr")
    assert participant.municipality == host and participant.department_function == "feuerwehr"
    board = client.get(reverse("workshops:participant_board", args=[workshop.join_token]))
    assert board.status_code == 200
    assert "Karte schreiben" in board.content.decode()
    url = reverse("workshops:participant_card", args=[workshop.join_token])
    key = str(uuid.uuid4())
    first = client.post(url, {"uuid": key, "text": "<script>alert('x')</script> Lagebild"}, **JSON)
    second = client.post(url, {"uuid": key, "text": "<script>alert('x')</script> Lagebild"}, **JSON)
    assert first.status_code == 201 and second.status_code == 200
    assert json.loads(second.content) == {"ok": True, "uuid": key, "created": False}
    assert Card.objects.count() == 1
    html = client.get(reverse("workshops:participant_board", args=[workshop.join_token])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Lagebild" in html
    assert "<script>alert" not in html


def test_card_errors_are_german_and_keep_the_text(client, workshop):
    join(client, workshop)
    url = reverse("workshops:participant_card", args=[workshop.join_token])
    response = client.post(url, {"uuid": str(uuid.uuid4()), "text": "x" * 600}, **JSON)
    assert response.status_code == 400 and "zu lang" in json.loads(response.content)["errors"][0]
    response = client.post(url, {"uuid": str(uuid.uuid4()), "text": "y" * 600})
    body = response.content.decode()
    assert response.status_code == 400 and "zu lang" in body and "y" * 600 in body
    assert Card.objects.count() == 0


def test_locked_board_keeps_cards_queued(client, workshop, moderator):
    join(client, workshop)
    actions.do_set_locked(workshop, True, acting_user=moderator)
    url = reverse("workshops:participant_card", args=[workshop.join_token])
    response = client.post(url, {"uuid": str(uuid.uuid4()), "text": "gesperrt"}, **JSON)
    assert response.status_code == 423 and "gespeichert" in response.json()["errors"][0]
    actions.do_set_locked(workshop, False, acting_user=moderator)
    actions.do_set_current_question(workshop, workshop.current_question, acting_user=moderator)
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    response = client.post(url, {"uuid": str(uuid.uuid4()), "text": "zu spät"}, **JSON)
    assert response.status_code == 410 and "beendet" in response.json()["errors"][0]


def test_joining_a_finished_workshop_explains(client, workshop, moderator):
    actions.do_set_current_question(workshop, workshop.current_question, acting_user=moderator)
    actions.do_set_status(workshop, "dokumentiert", acting_user=moderator)
    page = client.get(reverse("workshops:join", args=[workshop.join_token]))
    assert "beendet" in page.content.decode() and "Beitreten" not in page.content.decode()
    response = client.post(reverse("workshops:join", args=[workshop.join_token]), {"display_name": "x"})
    assert response.status_code == 409 and not Participant.objects.exists()


def test_event_feed_after_n(client, workshop, moderator, django_capture_on_commit_callbacks):
    join(client, workshop)
    events = reverse("workshops:participant_events", args=[workshop.join_token])
    start = client.get(events + "?nach=0").json()["seq"]
    with django_capture_on_commit_callbacks(execute=True):  # the writing process knows at once
        client.post(reverse("workshops:participant_card", args=[workshop.join_token]), {"uuid": str(uuid.uuid4()), "text": "neu"}, **JSON)
    feed = client.get(events + f"?nach={start}").json()
    assert [e["kind"] for e in feed["events"]] == ["card"] and feed["events"][0]["payload"]["card"]["mine"]
    assert client.get(events + f"?nach={feed['seq']}").json()["events"] == []
    assert client.get(events + "?nach=kaputt").status_code == 200


def test_facilitator_board_actions(client, workshop, moderator, participant):
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Karte eins")
    client.force_login(moderator)
    board_url = reverse("workshops:board", args=[workshop.pk])
    action = reverse("workshops:board_action", args=[workshop.pk])
    assert "1 Karte ist noch verdeckt" in client.get(board_url).content.decode()
    assert client.post(action, {"op": "reveal"}).status_code == 302
    response = client.post(action, {"op": "cluster_create", "name": "Strukturen", "kind": "befund"}, **JSON)
    cluster_id = response.json()["cluster"]
    assert client.post(action, {"op": "move", "card": str(card.uuid), "cluster": cluster_id}, **JSON).json()["ok"]
    assert client.post(action, {"op": "move", "card": "kaputt", "cluster": cluster_id}, **JSON).status_code == 400
    assert client.post(action, {"op": "unbekannt"}, **JSON).status_code == 400
    html = client.get(board_url + "?teil=board").content.decode()
    assert "Karte eins" in html and "In Cluster verschieben" in html and "<html" not in html
    feed = client.get(reverse("workshops:events", args=[workshop.pk]) + "?nach=0").json()
    assert {"reveal", "cluster", "card_update"} <= {e["kind"] for e in feed["events"]}


def test_photo_upload_views(client, workshop, moderator):
    join(client, workshop)
    url = reverse("workshops:participant_photo", args=[workshop.join_token])
    bad = client.post(url, {"image": io.BytesIO(b"kein bild"), "caption": "x"}, **JSON)
    assert bad.status_code == 400 and "kein lesbares Foto" in bad.json()["errors"][0]
    upload = io.BytesIO(image_bytes())
    upload.name = "tafel.jpg"
    ok = client.post(url, {"image": upload, "caption": "Tafel"})
    assert ok.status_code == 302
    photo = workshop.photos.get()
    assert client.get(reverse("workshops:photo", args=[workshop.pk, photo.pk, "vorschau"])).status_code == 200


def test_qr_code_is_svg(client, workshop, moderator):
    client.force_login(moderator)
    response = client.get(reverse("workshops:qr", args=[workshop.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    # A standalone SVG document: without its namespace a browser draws nothing for <img src>.
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content and b"viewBox=" in response.content


@pytest.fixture
def full_workshop(workshop, participant, moderator):
    cards = []
    for phase in workshop.phases.all():
        question = phase.questions.first()
        actions.do_set_current_question(workshop, question, acting_user=moderator)
        card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text=f"Karte {phase.get_kind_display()} Ünïcødé")
        cards.append(card)
    actions.do_reveal_cards(workshop, acting_user=moderator)
    cluster = actions.do_create_cluster(workshop, name="Personal verstärken", kind="massnahmenidee", acting_user=moderator)
    actions.do_move_card(cards[-1], cluster, acting_user=moderator)
    actions.do_mark_quote(cards[0], True, acting_user=moderator)
    actions.do_upload_photo(workshop, data=image_bytes(), caption="Pinnwand Transferphase", acting_user=moderator)
    return workshop, cards


def test_protocol_pdf_and_docx_contain_every_card_and_the_photo(client, full_workshop, moderator):
    import docx
    import pypdf

    workshop, cards = full_workshop
    client.force_login(moderator)
    pdf = client.get(reverse("workshops:protocol", args=[workshop.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for card in cards:
        assert card.text in text
    assert "Pinnwand Transferphase" in text and sum(len(page.images) for page in reader.pages) >= 1
    assert "Person A" not in text  # Chatham House: no names in the protocol
    document = docx.Document(io.BytesIO(client.get(reverse("workshops:protocol", args=[workshop.pk, "docx"])).content))
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for card in cards:
        assert card.text in body
    assert len(document.inline_shapes) == 2  # the photo and the timeline wall figure
    synthesis = client.get(reverse("workshops:protocol", args=[workshop.pk, "pdf"]) + "?art=synthese")
    assert synthesis.status_code == 200 and synthesis.content.startswith(b"%PDF")


def test_cli_list_and_protocol(full_workshop, tmp_path, capsys):
    workshop, cards = full_workshop
    call_command("workshop", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == workshop.pk and rows[0]["title"] == workshop.title
    for fmt in ("pdf", "docx"):
        for extra in ([], ["--synthesis"]):
            target = tmp_path / f"out-{fmt}-{len(extra)}.{fmt}"
            call_command("workshop", "protocol", str(workshop.pk), "--format", fmt, "--output", str(target), *extra)
            assert target.stat().st_size > 1000


def test_cli_unknown_workshop(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("workshop", "protocol", "999", "--output", str(tmp_path / "x.pdf"))


def test_synthesis_and_knowledge_pages(client, full_workshop, moderator):
    workshop, cards = full_workshop
    client.force_login(moderator)
    url = reverse("workshops:synthesis", args=[workshop.pk])
    client.post(url, {"op": "generate"})
    workshop.refresh_from_db()
    assert any("Personal verstärken" in b.get("text", "") for b in workshop.synthesis_blocks)
    client.post(url, {"op": "save", "count": "2", "b0-type": "heading", "b0-level": "1", "b0-text": "Eigener Titel",
                      "b1-type": "quote", "b1-text": "Zitat", "final": "on"})
    workshop.refresh_from_db()
    assert workshop.synthesis_final and workshop.synthesis_blocks[0]["text"] == "Eigener Titel"
    knowledge = reverse("workshops:knowledge", args=[workshop.pk])
    assert client.get(knowledge).status_code == 200
    response = client.post(knowledge, {"cluster": [workshop.clusters.get().pk]}, follow=True)
    assert "1 neue Beobachtungen" in response.content.decode()


def test_demo_loader_is_idempotent(db):
    from krisenwissen.knowledge.demo.loader import _DemoLoader
    from krisenwissen.workshops.demo import load
    from krisenwissen.workshops.models import Workshop

    _DemoLoader().run()
    first = load(force=True)
    essen = Workshop.objects.get(title="Reflexionsraum Kommunales Krisenmanagement")
    pk = essen.pk
    second = load(force=True)
    assert first == second and Workshop.objects.count() == 2
    essen = Workshop.objects.get(pk=pk)
    assert essen.cards.count() == first["workshop_karten"] and essen.clusters.count() == 8 and essen.photos.count() == 1
    assert essen.start_date.isoformat() == "2023-03-27" and essen.host.ags == "05113"
    assert all(v.participant.votes.count() <= essen.votes_per_participant for v in essen.votes.all())
    from krisenwissen.workshops.selectors import previous_open_action_ideas

    follow_up = Workshop.objects.exclude(pk=pk).get()
    from krisenwissen.accounts.models import User

    assert len(previous_open_action_ideas(follow_up, user=User.objects.get(username="admin"))) == 3


def test_demo_workshop_documents_via_cli(db, tmp_path):
    import docx
    import pypdf

    from krisenwissen.knowledge.demo.loader import _DemoLoader
    from krisenwissen.workshops.demo import content, load
    from krisenwissen.workshops.models import Workshop

    _DemoLoader().run()
    load(force=True)
    essen = Workshop.objects.get(title=content.ESSEN["title"])
    pdf, word = tmp_path / "p.pdf", tmp_path / "p.docx"
    call_command("workshop", "protocol", str(essen.pk), "--format", "pdf", "--output", str(pdf))
    call_command("workshop", "protocol", str(essen.pk), "--format", "docx", "--output", str(word))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(pdf).pages)
    document = docx.Document(word)
    body = "\n".join(p.text for p in document.paragraphs)
    for card in content.CARDS:
        assert card[-1] in text and card[-1] in body
    assert "Teilnahme" not in text  # Chatham House: pseudonyms stay out of the protocol
    for fmt in ("pdf", "docx"):
        target = tmp_path / f"s.{fmt}"
        call_command("workshop", "protocol", str(essen.pk), "--format", fmt, "--synthesis", "--output", str(target))
        assert target.stat().st_size > 1000


def test_event_feed_with_participant_key_header(client, workshop, moderator):
    participant = join(client, workshop)
    page = client.get(reverse("workshops:participant_board", args=[workshop.join_token])).content.decode()
    assert f'data-participant-key="{participant.key}"' in page
    events = reverse("workshops:participant_events", args=[workshop.join_token])
    from django.test import Client

    fresh = Client()  # no session: the key in the header identifies the device
    feed = fresh.get(events + "?nach=0", HTTP_X_TEILNAHME=participant.key)
    assert feed.status_code == 200 and feed.json()["seq"] >= 1
    assert fresh.get(events + "?nach=0", HTTP_X_TEILNAHME="falsch").status_code == 403
    assert fresh.get(events + "?nach=0").status_code == 403


def test_feed_sees_other_processes_within_the_ttl(client, workshop, participant):
    """A write by another process (no on_commit here) shows up after SEQ_TTL at the latest."""
    import time

    from krisenwissen.workshops import selectors

    feed = selectors.poll_events(workshop.join_token, key=participant.key, after=0)
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="aus einem anderen Prozess")
    time.sleep(selectors.SEQ_TTL + 0.05)
    later = selectors.poll_events(workshop.join_token, key=participant.key, after=feed["seq"])
    assert [e["payload"]["card"]["text"] for e in later["events"]] == ["aus einem anderen Prozess"]
    assert selectors.poll_events(workshop.join_token, key="falsch", after=0) is None
    # A process that lags behind never sends a device back (it would get events twice).
    ahead = later["seq"] + 5
    assert selectors.poll_events(workshop.join_token, key=participant.key, after=ahead)["seq"] == ahead


def test_logged_in_people_join_with_their_account(client, workshop, host, moderator, db):
    """Only in a ``namentlich`` workshop (Chatham House: tests/workshops/test_chatham_house.py)."""
    from .. import factories as f

    actions.do_update_workshop(workshop, fields={"attribution": "namentlich"}, acting_user=moderator)
    person = f.UserFactory(first_name="Erika", last_name="Beispiel")
    client.force_login(person)
    page = client.get(reverse("workshops:join", args=[workshop.join_token])).content.decode()
    assert 'value="Erika Beispiel"' in page
    participant = join(client, workshop, "Erika Beispiel")
    assert participant.user == person


def test_vote_with_a_uuid_of_another_person_is_refused_in_german(client, workshop, moderator, participant):
    cluster = actions.do_create_cluster(workshop, name="Personal", acting_user=moderator)
    actions.do_set_voting(workshop, True, acting_user=moderator)
    key = uuid.uuid4()
    actions.do_cast_vote(participant, cluster, vote_uuid=key)
    join(client, workshop, "Person B")
    url = reverse("workshops:participant_vote", args=[workshop.join_token])
    response = client.post(url, {"cluster": cluster.pk, "uuid": str(key)}, **JSON)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": "Diese Kennung ist bereits vergeben."}
    assert cluster.votes.count() == 1


def test_status_buttons_come_from_the_lifecycle(client, workshop, moderator):
    client.force_login(moderator)
    detail = reverse("workshops:detail", args=[workshop.pk])
    board = reverse("workshops:board", args=[workshop.pk])
    page = client.get(detail).content.decode()
    assert "Workshop starten" in page and "Workshop beenden" not in client.get(board).content.decode()
    action = reverse("workshops:board_action", args=[workshop.pk])
    assert client.post(action, {"op": "status", "value": "laeuft", "next": "detail"}).status_code == 302
    assert "Workshop beenden" in client.get(board).content.decode()
    client.post(action, {"op": "status", "value": "dokumentiert"})
    page = client.get(detail).content.decode()
    assert "Workshop wieder öffnen" in page and "Ergebnisse validieren" in page and "Workshop starten" not in page
    response = client.post(action, {"op": "status", "value": "veroeffentlicht"}, **JSON)
    assert response.status_code == 400 and "nächsten Schritt" in response.json()["errors"][0]


def test_photos_are_shown_to_facilitators_and_participants_only(client, workshop, moderator, participant):
    photo = actions.do_upload_photo(workshop, data=image_bytes(), caption="Tafel", acting_user=moderator)
    url = reverse("workshops:photo", args=[workshop.pk, photo.pk, "vorschau"])
    assert client.get(url).status_code == 404
    join(client, workshop)  # this session is now a participant
    assert client.get(url).status_code == 200
    from django.test import Client

    other = Client()
    other.force_login(moderator)
    assert other.get(url).status_code == 200
