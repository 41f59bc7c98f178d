"""Workshops in the room, as people there see them.

The projector (presenter view) shows 40 revealed cards in clusters at 1920 × 1080 without any
scrolling and updates live; its QR code is a real, readable QR code (decoded from a screenshot
with zxing-cpp) whose link a phone follows to join; on the phone (375 × 667) the question and
the card box are above the fold, the site header is gone, the question stays in view and the
phase's time box counts down. axe finds nothing on either view (1920, 1280 and 375 px).
"""

from __future__ import annotations

import datetime
import io
import uuid

import pytest

from .conftest import PASSWORD, STEP_TIMEOUT_MS, assert_accessible, check_page, login, url

MODERATOR = "moderation.essen"
PROJECTOR = {"width": 1920, "height": 1080}
SMALL_PHONE = {"width": 375, "height": 667}
CLUSTERS = ["Krisenstab und Führung", "Kommunikation mit der Bevölkerung", "Personal und Belastung",
            "Zusammenarbeit mit dem Land", "Digitalisierung", "Ehrenamt und Spontanhelfende"]


@pytest.fixture
def room(transactional_db, live_server):
    from krisenwissen.accounts.models import Role
    from krisenwissen.workshops import actions

    from .. import factories as f

    essen = f.MunicipalityFactory(name="Essen", ags="05113", is_participating=True)
    dortmund = f.MunicipalityFactory(name="Dortmund", ags="05913", is_participating=True)
    f.MunicipalityFactory(name="Köln", ags="05315", is_participating=True)
    moderator = f.MembershipFactory(municipality=essen, role=Role.MODERATION, user__username=MODERATOR,
                                    user__password=PASSWORD).user
    workshop = actions.do_create_workshop(host=essen, acting_user=moderator, fields={
        "title": "Nachbesprechung Hochwasser Juli", "kind": "nachbesprechung", "start_date": datetime.date(2026, 7, 20),
        "invited": [dortmund], "private_until_reveal": True})
    actions.do_set_current_question(workshop, workshop.phases.get(kind="analytisch").questions.first(), acting_user=moderator)
    people = [actions.do_join_workshop(workshop, municipality=essen if i % 2 else dortmund) for i in range(8)]
    clusters = [actions.do_create_cluster(workshop, name=name, kind="befund", acting_user=moderator) for name in CLUSTERS]
    for i in range(40):
        text = (f"Karte {i + 1}: " + "Die Warnung kam nicht bei allen an. " * (1 + i % 3)).strip()  # 45–120 characters
        card, _created = actions.do_add_card(people[i % len(people)], card_uuid=uuid.uuid4(), text=text)
        if i < 34:
            actions.do_move_card(card, clusters[i % len(clusters)], acting_user=moderator)
    actions.do_reveal_cards(workshop, acting_user=moderator)
    workshop.refresh_from_db()
    return {"workshop": workshop, "moderator": moderator, "people": people}


def _fits(page) -> dict:
    page.wait_for_selector("[data-ws-fitted]", state="attached")
    return page.evaluate("""() => {
        const region = document.querySelector('[data-ws-region]');
        const cards = [...document.querySelectorAll('.ws-present__card')];
        const off = cards.filter(c => { const r = c.getBoundingClientRect(); return r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || r.height === 0; });
        return {page: document.scrollingElement.scrollHeight, inner: innerHeight, pageWidth: document.scrollingElement.scrollWidth,
                regionScroll: region.scrollHeight, regionClient: region.clientHeight, cards: cards.length, off: off.length,
                cardFont: cards.length ? parseFloat(getComputedStyle(cards[0]).fontSize) : 0,
                questionFont: parseFloat(getComputedStyle(document.querySelector('.ws-present__question')).fontSize)};
    }""")


def _qr_text(page, locator) -> str:
    import zxingcpp
    from PIL import Image

    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=locator.element_handle())
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))
    assert results, "no QR code found in the screenshot of the QR image"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def test_presenter_fits_forty_cards_on_the_projector_and_updates_live(page, room):
    from playwright.sync_api import expect

    from krisenwissen.workshops import actions

    workshop = room["workshop"]
    login(page, MODERATOR)
    page.goto(url("workshops:detail", workshop.pk))
    with page.expect_navigation():
        page.get_by_role("link", name="Präsentationsansicht").click()
    page.set_viewport_size(PROJECTOR)
    page.wait_for_timeout(400)
    question = workshop.current_question.text
    expect(page.locator(".ws-present__question")).to_have_text(question)
    fit = _fits(page)
    assert fit["cards"] == 40
    assert fit["page"] <= fit["inner"], f"the projector page scrolls: {fit}"
    assert fit["pageWidth"] <= PROJECTOR["width"], fit
    assert fit["regionScroll"] <= fit["regionClient"] + 1, f"the board needs scrolling: {fit}"
    assert fit["off"] == 0, fit
    assert fit["cardFont"] >= 12, f"cards are too small to read: {fit}"
    assert fit["questionFont"] >= 28, fit
    for name in CLUSTERS:
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.locator("[data-ws-clock]")).to_be_visible()
    qr = page.get_by_role("img", name="QR-Code mit dem Link zum Mitmachen")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 240  # large enough to scan from the back of the room
    join_url = live_url = page.evaluate("() => location.origin") + url("workshops:join", workshop.join_token)
    assert _qr_text(page, qr) == join_url == live_url
    assert_accessible(page)

    # live: a new card, once revealed, appears without a reload
    card, _ = actions.do_add_card(room["people"][0], card_uuid=uuid.uuid4(), text="Neue Karte live am Beamer")
    expect(page.get_by_text("1 Karte noch verdeckt")).to_be_visible()
    expect(page.get_by_text("Neue Karte live am Beamer")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Karten aufdecken").click()
    expect(page.get_by_text("Neue Karte live am Beamer")).to_be_visible()
    actions.do_add_card(room["people"][1], card_uuid=uuid.uuid4(), text="Zweite Karte per Polling")
    actions.do_reveal_cards(workshop, acting_user=room["moderator"])
    expect(page.get_by_text("Zweite Karte per Polling")).to_be_visible()
    fit = _fits(page)
    assert fit["cards"] == 42 and fit["page"] <= fit["inner"] and fit["off"] == 0, fit

    page.set_viewport_size({"width": 1280, "height": 900})
    check_page(page)  # axe at 1280 and 375 px, no sideways overflow at 375 px


def test_phone_joins_through_the_decoded_qr_code_and_sees_question_and_card_box(page, browser, base_url, room):
    from playwright.sync_api import expect

    workshop = room["workshop"]
    login(page, MODERATOR)
    page.goto(url("workshops:detail", workshop.pk))
    join_url = _qr_text(page, page.get_by_role("img", name="QR-Code mit dem Link zum Mitmachen"))
    assert join_url.endswith(url("workshops:join", workshop.join_token))

    phone_ctx = browser.new_context(base_url=base_url, viewport=SMALL_PHONE, locale="de-DE", timezone_id="Europe/Berlin",
                                    reduced_motion="reduce", has_touch=True, is_mobile=True)
    phone_ctx.set_default_timeout(STEP_TIMEOUT_MS)
    phone = phone_ctx.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        phone.goto(join_url)  # what the phone's camera app opens
        assert phone.locator(".site-header, [role=search], .main-nav").count() == 0  # lean from the first page on
        check_page(phone)
        phone.set_viewport_size(SMALL_PHONE)  # check_page leaves the desktop size
        options = phone.locator("#id_municipality option").all_inner_texts()
        assert "Essen" in options and "Dortmund" in options and "Köln" not in options, options
        phone.locator("#id_municipality").select_option(label="Dortmund")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Beitreten").click()
        assert phone.url.endswith(url("workshops:participant_board", workshop.join_token))
        assert workshop.participants.filter(municipality__name="Dortmund").count() == 5

        # lean: no site header, search or navigation; no empty timeline block
        assert phone.locator(".site-header, [role=search], .main-nav").count() == 0
        expect(phone.get_by_role("heading", name="Zeitstrahl")).to_have_count(0)
        # above the fold at 375 × 667: the question and the card box (text field and send button)
        question = phone.get_by_role("heading", level=2, name=workshop.current_question.text)
        textarea = phone.get_by_label("Ihre Karte")
        send = phone.get_by_role("button", name="Karte senden")
        for element in (question, textarea, send):
            box = element.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"], (element, box)
        # the question stays in view while scrolling down to the cards
        phone.evaluate("() => window.scrollTo(0, document.scrollingElement.scrollHeight)")
        phone.wait_for_timeout(100)
        box = question.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"], box
        # the time box counts down, from the server's clock
        clock = phone.locator("[data-ws-clock-time]")
        first = clock.inner_text()
        phone.wait_for_timeout(2200)
        assert clock.inner_text() != first
        minutes = workshop.current_question.phase.timebox_minutes
        assert first.startswith(f"{minutes - 1}:") or first == f"{minutes}:00", first

        phone.evaluate("() => window.scrollTo(0, 0)")
        check_page(phone)
        phone.set_viewport_size(SMALL_PHONE)
        assert_accessible(phone)
        # writing a card still works from the lean view
        textarea.fill("Karte vom Telefon")
        send.click()
        expect(phone.get_by_text("Karte vom Telefon")).to_be_visible()
        assert not errors, errors
    finally:
        phone_ctx.close()
