"""Every role of the README's demo table can do what the table says (issue 14, "demo that walks")."""

from django.urls import reverse

from krisenwissen.accounts.models import Municipality, User
from krisenwissen.knowledge import actions
from krisenwissen.knowledge.models import Observation, Recommendation


def _login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_koeln_requests_reach_a_koeln_redaktion(client, demo_content):
    """mitwirkende.koeln asks for publication; redaktion.koeln finds it in the queue and may approve."""
    koeln = User.objects.get(username="mitwirkende.koeln")
    item = actions.do_create_item(Observation, municipality=Municipality.objects.get(name="Köln"),
                                  fields={"kind": "erfahrung", "text": "Das Bürgertelefon war in der ersten Woche überlastet."},
                                  acting_user=koeln)
    review = actions.do_request_publication(item, "oeffentlich", acting_user=koeln)
    queue = _login(client, "redaktion.koeln").get(reverse("knowledge:review_list")).content.decode()
    assert reverse("knowledge:review_detail", args=[review.pk]) in queue
    assert "Keine offenen Freigaben" not in queue
    assert client.get(reverse("knowledge:review_detail", args=[review.pk])).status_code == 200


def test_each_demo_role_reaches_its_pages(client, demo_content):
    expectations = {
        "leser.essen": [reverse("search:browse"), reverse("knowledge:lesson_list")],
        "mitwirkende.essen": [reverse("ui:create"), reverse("knowledge:item_create", args=["observation"])],
        "mitwirkende.koeln": [reverse("knowledge:item_create", args=["observation"])],
        "redaktion.dortmund": [reverse("knowledge:review_list"), reverse("learning:crisis_create")],
        "redaktion.koeln": [reverse("knowledge:review_list")],
        "moderation.duesseldorf": [reverse("learning:observation_queue"), reverse("workshops:create")],
        "admin.gelsenkirchen": [reverse("accounts:admin_home"), reverse("accounts:members", args=["05513"])],
        "admin": [reverse("accounts:admin_home"), reverse("knowledge:review_list")],
    }
    for username, urls in expectations.items():
        _login(client, username)
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
        client.logout()


def test_start_page_offers_new_entries_only_to_those_who_may_create(client, demo_content):
    create = reverse("knowledge:item_create", args=["observation"])
    assert create in _login(client, "mitwirkende.koeln").get("/").content.decode()
    client.logout()
    assert create not in _login(client, "leser.essen").get("/").content.decode()
    reader_menu = client.get(reverse("ui:create")).content.decode()
    assert create not in reader_menu and "Mitwirkende" in reader_menu
    client.logout()
    assert create not in client.get("/").content.decode()


def test_public_demo_recommendations_carry_their_evidence_strength(client, demo_content):
    public = Recommendation.objects.filter(visibility="oeffentlich").exclude(evidence_cities=None).first()
    assert public is not None and public.evidence_cities > 0
    page = client.get(public.get_absolute_url()).content.decode()
    assert f"in {public.evidence_cities} von {public.evidence_total} Städten beobachtet" in page
    assert "in 0 von" not in page
