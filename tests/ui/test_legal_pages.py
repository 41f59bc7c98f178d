"""Pages a German public body must publish: imprint, privacy, accessibility statement with its
feedback form, Leichte Sprache, and the "Erste Schritte" help; editable by the operator."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry, Notification
from krisenwissen.ui.models import AccessibilityFeedback, SitePage

from .. import factories as f

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "ui:imprint": "Impressum",
    "ui:privacy": "Datenschutz",
    "ui:accessibility": "Barrierefreiheit",
    "ui:easy_language": "Leichte Sprache",
    "ui:getting_started": "Erste Schritte",
}


def _footer(html: str) -> str:
    match = re.search(r"<footer class=\"site-footer\">(.*?)</footer>", html, re.S)
    assert match, "no footer"
    return match.group(1)


@pytest.mark.parametrize("path_name", ["ui:start", "knowledge:recommendation_list", "search:browse", "accounts:login",
                                       "ui:imprint", "ui:privacy", "ui:accessibility", "ui:easy_language",
                                       "ui:getting_started", "regulations:list"])
def test_every_page_links_the_legal_pages_in_its_footer_and_they_open_without_login(client, path_name):
    response = client.get(reverse(path_name))
    assert response.status_code == 200
    footer = _footer(response.content.decode())
    for name, label in FOOTER_LINKS.items():
        url = reverse(name)
        assert f'href="{url}"' in footer and label in footer, f"{label} missing in the footer of {path_name}"
        assert client.get(url).status_code == 200, f"{url} not reachable without login"


def test_signed_in_start_page_points_to_getting_started(client):
    user = f.MembershipFactory(role=Role.LESER).user
    client.force_login(user)
    html = client.get(reverse("ui:start")).content.decode()
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    assert reverse("ui:getting_started") in main
    page = client.get(reverse("ui:getting_started")).content.decode()
    assert "Ihre Rolle" in page
    for role in Role.values:
        response = client.get(reverse("ui:getting_started_role", args=[role]))
        assert response.status_code == 200
        assert "Erste Schritte" in response.content.decode()
    assert client.get(reverse("ui:getting_started_role", args=["chef"])).status_code == 404


def test_statement_names_status_method_feedback_and_the_configured_enforcement_body(client):
    with override_settings(KRISENWISSEN_ENFORCEMENT_BODY={"name": "Schlichtungsstelle BGG", "address": "Mauerstraße 53\n10117 Berlin",
                                                           "email": "info@schlichtungsstelle-bgg.de", "url": "https://www.schlichtungsstelle-bgg.de"},
                           KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL="barrierefreiheit@stadt.example"):
        html = client.get(reverse("ui:accessibility")).content.decode()
    for text in ("Stand der Vereinbarkeit", "teilweise", "Nicht barrierefreie Inhalte", "Erstellung dieser Erklärung",
                 "axe-core", "Feedback und Kontakt", "Durchsetzungsverfahren", "Schlichtungsstelle BGG", "10117 Berlin",
                 "mailto:info@schlichtungsstelle-bgg.de", "mailto:barrierefreiheit@stadt.example", 'name="message"'):
        assert text in html, text
    assert "Ombudsstelle" in client.get(reverse("ui:accessibility")).content.decode()  # the NRW default


def test_default_texts_mark_their_placeholders(client):
    html = client.get(reverse("ui:imprint")).content.decode()
    assert '<mark class="placeholder">[Bitte ergänzen: Name der Behörde' in html
    privacy = client.get(reverse("ui:privacy")).content.decode()
    assert "Art. 15" in privacy and "Art. 17" in privacy and "3 Jahre" in privacy


def _operator_group_member():
    group = Group.objects.create(name="Betrieb")
    group.permissions.add(Permission.objects.get(codename="change_sitepage", content_type__app_label="ui"))
    user = f.UserFactory(username="betrieb", email="betrieb@stadt.example")
    user.groups.add(group)
    return user


def test_operator_edits_the_imprint_with_an_audit_row(client):
    operator = _operator_group_member()
    edit_url = reverse("ui:site_page_edit", args=["impressum"])
    client.force_login(operator)
    form = client.get(edit_url).content.decode()
    assert "Bitte ergänzen" in form  # prefilled with the default text
    response = client.post(edit_url, {"body": "## Anbieter\n\nStadt Musterhausen\n\n<script>alert(1)</script> [x](javascript:alert(1))"})
    assert response.status_code == 302 and response["Location"] == reverse("ui:imprint")
    page = SitePage.objects.get(key="impressum")
    assert page.updated_by == operator
    entry = AuditEntry.objects.get(action="ui.site_page_edited")
    assert entry.actor == operator and entry.details["seite"] == "impressum"
    client.logout()
    html = client.get(reverse("ui:imprint")).content.decode()
    assert "Stadt Musterhausen" in html and "<h2>Anbieter</h2>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html  # shown as text
    assert 'href="javascript' not in html


def test_municipal_administration_may_not_edit_the_imprint(client):
    admin = f.MembershipFactory(role=Role.ADMINISTRATION).user
    client.force_login(admin)
    edit_url = reverse("ui:site_page_edit", args=["impressum"])
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"body": "Gekapert"}).status_code == 403
    assert not SitePage.objects.exists()
    assert "Text bearbeiten" not in client.get(reverse("ui:imprint")).content.decode()
    client.logout()
    response = client.get(edit_url)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_empty_text_is_refused_with_a_german_message(client):
    client.force_login(f.UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("ui:site_page_edit", args=["datenschutz"]), {"body": "   "})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode() or "darf nicht leer" in response.content.decode()
    assert not SitePage.objects.exists()
    assert client.get(reverse("ui:site_page_edit", args=["unbekannt"])).status_code == 404


@override_settings(KRISENWISSEN_RATE_LIMITS={"accessibility_feedback": (3, 3600)},
                   KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL="barrierefreiheit@stadt.example")
def test_feedback_is_stored_notifies_the_operator_and_refuses_a_flood(client, django_capture_on_commit_callbacks):
    operator = _operator_group_member()
    superuser = f.UserFactory(is_superuser=True, email="root@stadt.example")
    bystander = f.MembershipFactory(role=Role.ADMINISTRATION, user__email="admin@kommune.example").user
    data = {"message": "Das Menü ist mit der Tastatur nicht erreichbar.", "page_url": "/wissen/",
            "name": "Erika Muster", "email": "erika@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ui:accessibility"), data)
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == data["message"] and feedback.email == "erika@example.org"
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {operator.pk, superuser.pk}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["barrierefreiheit@stadt.example", "betrieb@stadt.example", "root@stadt.example"]
    assert bystander.email not in recipients
    assert all("Tastatur" in m.body for m in mail.outbox)
    assert AuditEntry.objects.filter(action="ui.accessibility_feedback_received").count() == 1
    assert "Vielen Dank" in client.get(reverse("ui:accessibility")).content.decode()

    for _ in range(2):
        assert client.post(reverse("ui:accessibility"), data).status_code == 302
    flood = client.post(reverse("ui:accessibility"), data)
    assert flood.status_code == 429
    assert "Zu viele Anfragen" in flood.content.decode()
    assert AccessibilityFeedback.objects.count() == 3


def test_empty_or_overlong_feedback_is_refused_without_storing(client):
    assert client.post(reverse("ui:accessibility"), {"message": "  "}).status_code == 200
    too_long = client.post(reverse("ui:accessibility"), {"message": "x" * 5001})
    assert too_long.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben" in too_long.content.decode()
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_list_only_for_the_operator(client):
    AccessibilityFeedback.objects.create(message="Kontrast zu schwach")
    client.force_login(f.MembershipFactory(role=Role.ADMINISTRATION).user)
    assert client.get(reverse("ui:accessibility_feedback_list")).status_code == 403
    client.force_login(_operator_group_member())
    assert "Kontrast zu schwach" in client.get(reverse("ui:accessibility_feedback_list")).content.decode()


def test_feedback_is_deleted_after_its_retention_period():
    import datetime as dt

    from django.utils import timezone

    from krisenwissen.ui.retention import apply

    old = AccessibilityFeedback.objects.create(message="alt")
    AccessibilityFeedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    AccessibilityFeedback.objects.create(message="neu")
    assert apply(now=timezone.now(), periods={"accessibility_feedback": 365}) == {"rueckmeldungen_barrierefreiheit": 1}
    assert list(AccessibilityFeedback.objects.values_list("message", flat=True)) == ["neu"]


def test_empty_lists_say_what_to_do_next(client):
    moderator = f.MembershipFactory(role=Role.MODERATION).user
    client.force_login(moderator)
    workshops = client.get(reverse("workshops:list")).content.decode()
    assert "Legen Sie mit „Workshop anlegen“ den ersten an" in workshops
    assert reverse("ui:getting_started_role", args=["moderation"]) in workshops
    assert "Hier erscheinen Hinweise" in client.get(reverse("core:notifications")).content.decode()
    reader = f.MembershipFactory(role=Role.LESER).user
    client.force_login(reader)
    assert "Die Redaktion einer Kommune legt Rechtstexte an" in client.get(reverse("regulations:list")).content.decode()
    client.force_login(f.UserFactory())
    assert "Bitten Sie die Administration Ihrer Kommune" in client.get(reverse("learning:overview_index")).content.decode()
