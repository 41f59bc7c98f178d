"""Walk the sign-in, security and data-protection pages of issue 11 as a person would.

Each page: the element a person needs is visible, axe (WCAG 2.1 AA) at desktop and phone width,
nothing sticks out sideways at 375 px. Screenshots go to /tmp/walk/ when KRISENWISSEN_WALK_SHOTS
is set (for looking at the pages, not part of the check).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core import mail

from .conftest import DESKTOP, PASSWORD, PHONE, check_page, login, url

ADMIN = "admin.gelsenkirchen"
GE = "05513"
SHOTS = os.environ.get("KRISENWISSEN_WALK_SHOTS")


def shot(page, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def walk(page, name: str) -> None:
    shot(page, name)
    check_page(page)


def test_signed_out_pages_login_reset_and_throttle(page, demo, settings):
    # with a configured OpenID provider the login page offers the service account (long label)
    settings.OIDC_RP_CLIENT_ID = "krisenwissen"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.de/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.de/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.de/userinfo"
    settings.KRISENWISSEN_OIDC_BUTTON_LABEL = "Mit Dienstkonto der Stadtverwaltung Gelsenkirchen anmelden"
    page.goto(url("accounts:login"))
    assert page.get_by_role("heading", name="Anmelden").is_visible()
    assert page.get_by_role("link", name="Passwort vergessen?").is_visible()
    assert page.get_by_role("link", name=settings.KRISENWISSEN_OIDC_BUTTON_LABEL).is_visible()
    walk(page, "login")

    page.get_by_role("link", name="Passwort vergessen?").click()
    assert page.get_by_role("heading", name="Passwort vergessen").is_visible()
    walk(page, "password_reset")
    page.get_by_label("E-Mail").fill("admin.gelsenkirchen@example.de")
    with page.expect_navigation():
        page.get_by_role("button", name="Link anfordern").click()
    assert page.get_by_role("heading", name="E-Mail unterwegs").is_visible()
    walk(page, "password_reset_done")

    from krisenwissen.accounts.models import User

    User.objects.filter(username=ADMIN).update(email="admin.gelsenkirchen@example.de")
    page.goto(url("accounts:password_reset"))
    page.get_by_label("E-Mail").fill("admin.gelsenkirchen@example.de")
    with page.expect_navigation():
        page.get_by_role("button", name="Link anfordern").click()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    assert page.get_by_role("heading", name="Neues Passwort festlegen").is_visible()
    walk(page, "password_reset_confirm")
    page.get_by_label("Neues Passwort", exact=True).fill("Krisenstab-Notfallplan-2024")
    page.get_by_label("Neues Passwort bestätigen").fill("Krisenstab-Notfallplan-2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Passwort speichern").click()
    assert page.get_by_role("heading", name="Passwort gespeichert").is_visible()
    walk(page, "password_reset_complete")

    # Too many wrong passwords: the login page answers 429 and says how long to wait.
    page.goto(url("accounts:login"))
    for _ in range(7):
        page.get_by_label("Benutzername").fill("leser.essen")
        page.get_by_label("Passwort", exact=True).fill("falsch-falsch")
        with page.expect_navigation() as nav:
            page.locator("main form").get_by_role("button", name="Anmelden").click()
        if nav.value.status == 429:
            break
    assert nav.value.status == 429
    assert page.get_by_role("alert").first.is_visible() or page.get_by_text(re.compile("Bitte warten")).is_visible()
    walk(page, "login_throttled")


def test_administration_security_members_and_erasure(page, demo):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from krisenwissen.accounts.models import Membership, Municipality, Role, User

    # someone invited who has not set a password yet (the resend button shows)
    invited = User.objects.create(username="nora.neu", first_name="Nora", last_name="Neu", email="nora@example.de")
    invited.set_unusable_password()
    invited.save()
    Membership.objects.create(user=invited, municipality=Municipality.objects.get(ags=GE), role=Role.MITWIRKENDE)

    login(page, ADMIN)
    page.goto(url("accounts:security"))
    assert page.get_by_role("heading", name="Anmeldung und Sicherheit").is_visible()
    assert page.get_by_role("link", name=re.compile("Datenauskunft herunterladen")).is_visible()
    # the own account pages belong to "Konto", not to the administration area
    assert page.get_by_role("link", name="Konto").get_attribute("aria-current") == "page"
    assert page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Verwaltung").get_attribute("aria-current") is None
    walk(page, "security")

    page.goto(url("accounts:password_change"))
    assert page.get_by_role("heading", name="Passwort ändern").is_visible()
    walk(page, "password_change")

    page.goto(url("accounts:otp_setup"))
    assert page.get_by_role("heading", name="Authenticator-App einrichten").is_visible()
    qr = page.get_by_role("img", name=re.compile("QR-Code"))
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    walk(page, "otp_setup")
    device = TOTPDevice.objects.filter(user__username=ADMIN).latest("pk")
    page.get_by_label(re.compile("Code")).fill(f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Bestätigen").click()

    page.goto(url("accounts:members", GE))
    assert page.get_by_role("heading", name=re.compile("Personen und Rollen")).is_visible()
    for name in ("Einladung erneut senden nora.neu", f"Zweiten Faktor zurücksetzen {ADMIN}"):
        assert page.get_by_role("button", name=name).is_visible()
    for name in ("Datenauskunft (DSGVO Art. 15) nora.neu", "Person löschen (DSGVO Art. 17) nora.neu"):
        assert page.get_by_role("link", name=name).is_visible()
    assert page.get_by_role("heading", name="Freigaben").is_visible()
    # the four-eyes checkbox sits beside its label, the explanation is read with it
    box = page.get_by_role("checkbox", name="Vier-Augen-Prinzip bei Freigaben")
    label = page.locator("label", has_text="Vier-Augen-Prinzip bei Freigaben")
    assert abs(box.bounding_box()["y"] - label.bounding_box()["y"]) < 12
    assert "Eingeschaltet erteilt" in page.locator(f"#{box.get_attribute('aria-describedby')}").inner_text()
    # the form cards line up at the top instead of floating in the middle of the row
    tops = [page.locator("form.card", has=page.get_by_role("heading", name=n)).bounding_box()["y"]
            for n in ("Rolle vergeben", "Neue Person anlegen")]
    assert abs(tops[0] - tops[1]) < 2
    # on a phone the row actions are on screen, not in a column beyond the right edge
    page.set_viewport_size(PHONE)
    for name in ("Einladung erneut senden nora.neu", f"Zweiten Faktor zurücksetzen {ADMIN}"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)
    walk(page, "members")

    with page.expect_navigation():
        page.get_by_role("link", name="Person löschen (DSGVO Art. 17) nora.neu").click()
    erase = page.get_by_role("button", name="Person endgültig löschen")
    assert erase.is_visible()
    assert "btn--danger" in erase.get_attribute("class"), "an irreversible deletion must look like one"
    walk(page, "person_erase")

    # second sign-in: the code page
    page.get_by_role("button", name="Abmelden").click()
    page.goto(url("accounts:login"))
    page.get_by_label("Benutzername").fill(ADMIN)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Anmelden").click()
    page.goto(url("accounts:otp_verify"))
    assert page.get_by_role("heading", name="Code eingeben").is_visible()
    walk(page, "otp_verify")


def test_review_page_shows_a_pending_revision(page, demo):
    from krisenwissen.accounts.models import User
    from krisenwissen.knowledge import actions
    from krisenwissen.knowledge.models import Observation, PublicationReview, ReviewStatus

    editor = User.objects.get(username="redaktion.dortmund")
    item = Observation.objects.filter(municipality__ags="05913").exclude(visibility="intern").first()
    actions.do_update_item(item, fields={"text": item.text + " Rückfragen an das Bürgertelefon."}, acting_user=editor)
    review = PublicationReview.objects.get(object_id=item.pk, status=ReviewStatus.OFFEN)

    login(page, "redaktion.dortmund")
    page.goto(url("knowledge:review_detail", review.pk))
    assert page.get_by_role("heading", name=re.compile("Geänderte Fassung")).is_visible()
    changes = page.get_by_role("heading", name="Änderungen gegenüber der freigegebenen Fassung")
    assert changes.is_visible()
    # the comparison does not stick to the card above it
    card = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("Geänderte Fassung")))
    box = card.bounding_box()
    assert changes.bounding_box()["y"] - (box["y"] + box["height"]) >= 16
    walk(page, "review_revision")

    # the import page explains who imports the shared (RKI, DIVI) data
    page.goto(url("situation:import"))
    assert page.get_by_role("heading", name="Daten importieren").is_visible()
    assert page.get_by_text(re.compile("Plattform-Datenpflege")).is_visible()
    walk(page, "situation_import")


def test_workshop_too_many_requests_page(page, demo):
    """The workshops' 429 page (rendered by the view's template, shown at the live server's origin)."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import resolve

    path = url("workshops:list")
    request = RequestFactory().get(path)
    request.user, request.session, request.resolver_match = AnonymousUser(), SessionStore(), resolve(path)
    html = render_to_string("workshops/too_many.html", {
        "message": "Zu viele Beiträge von diesem Gerät. Bitte warten Sie 30 Sekunden.", "back": "/"}, request=request)
    page.goto(url("accounts:login"))  # same origin, so the page's styles load
    page.set_content(html)
    assert page.get_by_role("heading", name="Zu viele Anfragen").is_visible()
    assert page.get_by_role("link", name="Zurück zum Workshop").is_visible()
    walk(page, "workshop_too_many")
