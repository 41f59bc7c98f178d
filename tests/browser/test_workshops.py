"""Reflexionsraum end to end: one facilitator and three participants on their own devices.

Join via link, cards in all three phases, private until reveal, timeline wall, clustering by
keyboard and by drag and drop, dot voting, photo upload, an offline card sent exactly once,
closing; the generated PDF and DOCX protocols contain every card and the photo; axe finds
nothing on the facilitator and participant views (desktop and 375 px).
"""

from __future__ import annotations

import io
import re

import pytest

from .conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    STEP_TIMEOUT_MS,
    assert_accessible,
    check_page,
    login,
    url,
)

MODERATOR = "moderation.essen"


@pytest.fixture
def room(transactional_db, live_server):
    from krisenwissen.accounts.models import Role

    from .. import factories as f

    essen = f.MunicipalityFactory(name="Essen", ags="05113", is_participating=True)
    for name, ags in (("Dortmund", "05913"), ("Köln", "05315")):
        f.MunicipalityFactory(name=name, ags=ags, is_participating=True)
    f.MembershipFactory(municipality=essen, role=Role.MODERATION, user__username=MODERATOR, user__password=PASSWORD)
    crisis = f.CrisisFactory(title="COVID-19-Pandemie")
    for number, name in enumerate(["Eindämmung & Unsicherheit", "Schutz & Weiterbetrieb", "Kontrolle & Legitimation"], 1):
        f.PhaseFactory(crisis=crisis, number=number, name=name, period_label=f"Phase {number}")
    return crisis


def _device(browser, base_url, errors):
    ctx = browser.new_context(base_url=base_url, viewport=PHONE, locale="de-DE", timezone_id="Europe/Berlin",
                              reduced_motion="reduce", has_touch=True)
    ctx.set_default_timeout(STEP_TIMEOUT_MS)
    page = ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    return ctx, page


def _photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (320, 200), "#f4f1e8")
    ex = Image.Exif()
    ex[0x010F] = "GeheimKamera"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=ex.tobytes())
    return out.getvalue()


def _send_card(page, text, *, crisis_phase=None, feeling=None):
    page.locator("#id_text").fill(text)
    if crisis_phase or feeling:
        details = page.locator("details.ws-extra")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        if crisis_phase:
            page.locator("#id_crisis_phase").select_option(label=crisis_phase)
        if feeling:
            page.locator("#id_feeling").select_option(label=feeling)
    page.get_by_role("button", name="Karte senden").click()


def _submit(page, button):
    with page.expect_navigation():
        button.click()


def _assert_qr_code_loads(page):
    """The QR code image is really drawn (an SVG the browser cannot read has naturalWidth 0)."""
    from playwright.sync_api import expect

    qr = page.get_by_role("img", name="QR-Code mit dem Link zum Mitmachen")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete", arg=qr.element_handle())
    assert qr.evaluate("img => img.naturalWidth") > 0, "the QR code image does not load"
    assert qr.evaluate("img => img.naturalHeight") > 0


def test_complete_reflexionsraum(page, browser, base_url, room):
    from playwright.sync_api import expect

    from krisenwissen.workshops.models import Card, Workshop

    # --- The facilitator sets the workshop up --------------------------------------------
    login(page, MODERATOR)
    page.goto(url("workshops:list"))
    check_page(page)
    _submit(page, page.get_by_role("link", name="Workshop anlegen"))
    check_page(page)
    page.locator("#id_title").fill("Reflexionsraum Krisenmanagement Test")
    page.locator("#id_host").select_option(label="Essen")
    page.locator("#id_crisis").select_option(label="COVID-19-Pandemie")
    page.locator("#id_start_date").fill("2026-03-27")
    page.locator("#id_end_date").fill("2026-03-28")
    page.locator("#id_place").fill("Essen")
    invited = page.get_by_role("group", name=re.compile("Eingeladene Kommunen"))
    for city in ("Dortmund", "Essen", "Köln"):
        invited.get_by_label(city).check()
    page.locator("#id_attribution").select_option(label="Chatham House")
    expect(page.get_by_label("Karten bleiben verdeckt, bis die Moderation sie aufdeckt")).to_be_checked()
    _submit(page, page.get_by_role("button", name="Speichern"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflexionsraum Krisenmanagement Test")
    check_page(page)
    join_url = page.locator(".ws-join-link a").get_attribute("href")
    assert "/reflexionsraeume/mitmachen/" in join_url
    _assert_qr_code_loads(page)
    workshop = Workshop.objects.get(title="Reflexionsraum Krisenmanagement Test")
    assert sorted(workshop.invited.values_list("name", flat=True)) == ["Dortmund", "Essen", "Köln"]
    _submit(page, page.get_by_role("link", name="Board öffnen (Moderation)"))
    check_page(page)

    # --- Three participants join on their phones -----------------------------------------
    errors: list[str] = []
    devices = []
    for city in ("Dortmund", "Essen", "Köln"):
        ctx, p = _device(browser, base_url, errors)
        p.goto(join_url)
        expect(p.locator("#id_display_name")).to_have_count(0)  # Chatham House: no name is asked for
        p.locator("#id_municipality").select_option(label=city)
        p.locator("#id_department_function").select_option(label="Krisenstab")
        _submit(p, p.get_by_role("button", name="Beitreten"))
        expect(p.get_by_role("heading", level=2, name="Wie haben Sie die Pandemie vor Ort erlebt?")).to_be_visible()
        devices.append((ctx, p))
    first = devices[0][1]
    assert_accessible(first)
    check_page(first)
    first.set_viewport_size(PHONE)

    cards: list[str] = []
    # --- Descriptive phase: timeline wall, feelings, private until reveal ----------------
    descriptive = [("Erster Lockdown: niemand wusste etwas über das Virus.", "1. Eindämmung & Unsicherheit", "verunsichert"),
                   ("Maskenpflicht und Abstandsregeln mussten über Nacht umgesetzt werden.", "2. Schutz & Weiterbetrieb", "angespannt"),
                   ("3G-Kontrollen bei sinkender Akzeptanz <script>alert(1)</script>", "3. Kontrolle & Legitimation", "überlastet")]
    for (_ctx, p), (text, phase, feeling) in zip(devices, descriptive, strict=True):
        _send_card(p, text, crisis_phase=phase, feeling=feeling)
        expect(p.locator("[data-ws-card-status]")).to_have_text("Karte gespeichert.")
        cards.append(text)
    # Each participant sees only their own card until the reveal.
    expect(first.locator(".ws-cards .ws-card")).to_have_count(1)
    expect(first.locator(".ws-cards .ws-card")).to_contain_text(descriptive[0][0])
    expect(first.get_by_text("2 Karten anderer Teilnehmender sind noch verdeckt.")).to_be_visible()
    expect(page.get_by_text("3 Karten sind noch verdeckt.")).to_be_visible()  # live on the projector
    assert "niemand wusste" not in page.locator("[data-ws-region]").inner_text()
    _submit(page, page.get_by_role("button", name=re.compile("Karten aufdecken")))
    for _ctx, p in devices:
        expect(p.locator(".ws-cards .ws-card")).to_have_count(3)
    # Timeline wall on both screens, script shown as text.
    timeline = page.locator(".ws-timeline")
    expect(timeline.locator(".ws-timeline__col").nth(0)).to_contain_text(descriptive[0][0])
    expect(timeline.locator(".ws-timeline__col").nth(2)).to_contain_text("<script>alert(1)</script>")
    expect(first.locator(".ws-timeline")).to_contain_text(descriptive[1][0])
    expect(page.locator(".ws-feelings")).to_contain_text("verunsichert")
    check_page(page)
    assert_accessible(first)

    # --- Analytic phase (one card is written offline and sent once the device is back) ---
    _submit(page, page.get_by_role("button", name="Wie haben Sie das Krisenmanagement organisiert, um vor die Lage zu kommen?"))
    analytic = ["Thementeams neben dem Krisenstab haben Entscheidungen beschleunigt.",
                "Das Corona-Dashboard gab allen dasselbe Lagebild.",
                "Gemischte Streifen mit der Polizei haben gut funktioniert."]
    for (ctx, p), text in zip(devices, analytic, strict=True):
        expect(p.get_by_role("heading", level=2, name=re.compile("vor die Lage zu kommen"))).to_be_visible()
        if p is devices[1][1]:
            ctx.set_offline(True)
            _send_card(p, text)
            expect(p.locator("[data-ws-queue]")).to_contain_text("1 Karte(n) warten auf das Senden.")
            expect(p.locator("[data-ws-connection]")).to_contain_text("Keine Verbindung")
            ctx.set_offline(False)
            expect(p.locator("[data-ws-card-status]")).to_have_text("Karte gespeichert.")
            expect(p.locator("[data-ws-queue]")).to_have_text("")
        else:
            _send_card(p, text)
            expect(p.locator("[data-ws-card-status]")).to_have_text("Karte gespeichert.")
        cards.append(text)
    assert Card.objects.filter(text=analytic[1]).count() == 1
    _submit(page, page.get_by_role("button", name=re.compile("Karten aufdecken")))

    # --- Transfer phase ------------------------------------------------------------------
    _submit(page, page.get_by_role("button", name="Was würden Sie wieder so machen?"))
    transfer = ["Verstärkung früh anfordern und Überlastung im Blick behalten.",
                "Die Köpfe kennen, bevor die Krise kommt.",
                "Die Rückkehr aus dem Krisenmodus von Anfang an planen."]
    for (_ctx, p), text in zip(devices, transfer, strict=True):
        expect(p.get_by_role("heading", level=2, name="Was würden Sie wieder so machen?")).to_be_visible()
        _send_card(p, text)
        expect(p.locator("[data-ws-card-status]")).to_have_text("Karte gespeichert.")
        cards.append(text)
    expect(page.get_by_text("3 Karten sind noch verdeckt.")).to_be_visible()
    _submit(page, page.get_by_role("button", name=re.compile("Karten aufdecken")))
    expect(page.locator("#cl-none").locator("..").locator(".ws-card")).to_have_count(9)

    # --- Clustering: keyboard alternative and drag and drop ------------------------------
    for name, kind in (("Personal und Belastung", "Maßnahmenidee"), ("Strukturen", "Befund")):
        page.locator("#new-cluster-name").fill(name)
        page.locator("#new-cluster-kind").select_option(label=kind)
        _submit(page, page.get_by_role("button", name="Cluster anlegen"))
    card = page.locator(".ws-card", has_text=transfer[0])
    card.get_by_label("In Cluster verschieben").select_option(label="Personal und Belastung")
    _submit(page, card.get_by_role("button", name="Verschieben"))
    personal = page.locator(".ws-cluster", has=page.get_by_role("heading", name="Personal und Belastung"))
    expect(personal.locator(".ws-card")).to_contain_text(transfer[0])
    structures = page.locator(".ws-cluster", has=page.get_by_role("heading", name="Strukturen"))
    # Drag and drop through the browser's DragEvent path (dragstart on the card, dragover and
    # drop on the cluster) with a real DataTransfer; Playwright's mouse-driven drag did not
    # deliver the drop event in headless Chromium.
    transfer_handle = page.evaluate_handle("() => new DataTransfer()")
    source = page.locator(".ws-card", has_text=analytic[0])
    source.dispatch_event("dragstart", {"dataTransfer": transfer_handle})
    structures.dispatch_event("dragover", {"dataTransfer": transfer_handle})
    structures.dispatch_event("drop", {"dataTransfer": transfer_handle})
    source.dispatch_event("dragend", {"dataTransfer": transfer_handle})
    expect(page.locator("[data-ws-connection]")).to_contain_text("verschoben")
    page.set_viewport_size(DESKTOP)
    expect(structures.locator(".ws-card")).to_contain_text(analytic[0])
    assert Card.objects.get(text=analytic[0]).cluster.name == "Strukturen"
    quote = page.locator(".ws-card", has_text=transfer[1])
    _submit(page, quote.get_by_role("button", name="Als Zitat markieren"))
    expect(page.locator(".ws-card", has_text=transfer[1]).get_by_role("button", name="Als Zitat markieren")).to_have_attribute("aria-pressed", "true")
    check_page(page)

    # --- Dot voting ----------------------------------------------------------------------
    _submit(page, page.get_by_role("button", name="Punktabfrage starten"))
    for _ctx, p in devices:
        button = p.get_by_role("button", name=re.compile(r"Punkt vergeben\s*: Personal und Belastung"))
        expect(button).to_be_visible()
        _submit(p, button)
        expect(p.get_by_text("Punkt für „Personal und Belastung“ vergeben.")).to_be_visible()
    assert_accessible(first)
    first.set_viewport_size(PHONE)
    expect(personal).to_contain_text("3 Punkte")

    # --- Photo from a phone --------------------------------------------------------------
    phone = devices[2][1]
    phone.locator("#id_image").set_input_files({"name": "pinnwand.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
    phone.locator("#id_caption").fill("Pinnwand der Transferphase")
    _submit(phone, phone.get_by_role("button", name="Foto hochladen"))
    expect(phone.get_by_text("Foto gespeichert.")).to_be_visible()
    # A file that is no image gets a clear message.
    phone.locator("#id_image").set_input_files({"name": "notiz.jpg", "mimeType": "image/jpeg", "buffer": b"kein Bild"})
    phone.locator("#id_caption").fill("Kaputt")
    _submit(phone, phone.get_by_role("button", name="Foto hochladen"))
    expect(phone.get_by_text("Die Datei ist kein lesbares Foto.", exact=False)).to_be_visible()
    assert workshop.photos.count() == 1
    assert b"GeheimKamera" not in workshop.photos.get().image.read()

    # --- Close ---------------------------------------------------------------------------
    page.reload()
    _submit(page, page.get_by_role("button", name="Workshop beenden"))
    expect(page.locator("[data-ws-region]")).to_contain_text("dokumentiert")
    _send_card(first, "Nach dem Ende geschrieben")
    expect(first.locator("[data-ws-card-status]")).to_contain_text("beendet")
    expect(first.locator("#id_text")).to_have_value("Nach dem Ende geschrieben")
    late_ctx, late = _device(browser, base_url, errors)
    late.goto(join_url)
    expect(late.get_by_text("Dieser Workshop ist beendet.", exact=False)).to_be_visible()
    assert_accessible(late)
    late_ctx.close()

    # --- Documents -----------------------------------------------------------------------
    import docx
    import pypdf

    page.goto(url("workshops:detail", workshop.pk))
    with page.expect_download() as download:
        page.get_by_role("link", name="Ergebnisprotokoll (PDF)").click()
    reader = pypdf.PdfReader(download.value.path())
    text = " ".join(" ".join((pg.extract_text() or "").split()) for pg in reader.pages)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ergebnisprotokoll (Word)").click()
    document = docx.Document(download.value.path())
    body = "\n".join(par.text for par in document.paragraphs)
    body += "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert len(cards) == 9 and Card.objects.filter(workshop=workshop).count() == 9
    for card_text in cards:
        assert card_text in text, card_text
        assert card_text in body, card_text
    assert "Pinnwand der Transferphase" in text and sum(len(pg.images) for pg in reader.pages) >= 1
    assert len(document.inline_shapes) >= 1
    assert not workshop.participants.exclude(display_name="").exists()  # Chatham House: no names stored
    for ctx, _p in devices:
        ctx.close()
    assert not errors, "JavaScript-/CSP-Fehler auf den Teilnehmergeräten:\n" + "\n".join(errors)
    page.set_viewport_size(DESKTOP)


def test_demo_workshop_pages_are_accessible(page, demo):
    """The Essen demo workshop as its facilitator sees it: data, board, synthesis, knowledge."""
    from playwright.sync_api import expect

    from krisenwissen.workshops.models import Workshop

    essen = Workshop.objects.filter(title="Reflexionsraum Kommunales Krisenmanagement").order_by("pk").first()
    login(page, "moderation.duesseldorf")
    page.goto(url("workshops:list"))
    expect(page.get_by_role("link", name="Reflexionsraum Kommunales Krisenmanagement")).to_be_visible()
    check_page(page)
    for name in ("workshops:detail", "workshops:board", "workshops:synthesis", "workshops:knowledge"):
        page.goto(url(name, essen.pk))
        check_page(page)
        if name == "workshops:detail":
            _assert_qr_code_loads(page)
    page.goto(url("workshops:board", essen.pk))
    expect(page.locator(".ws-cluster", has=page.get_by_role("heading", name="Belastung weniger Leistungsträger"))).to_contain_text("10 Punkte")
    # The follow-up workshop starts with the open action ideas of Essen.
    follow_up = Workshop.objects.get(title="Reflexionsraum Krisenkommunikation")
    page.goto(url("workshops:detail", follow_up.pk))
    expect(page.get_by_role("heading", name="Offene Maßnahmenideen aus früheren Workshops")).to_be_visible()
    expect(page.get_by_text("Rückführung aus dem Krisenmodus planen")).to_be_visible()
    # A reader of Essen cannot open the workshop.
    assert page.request.get(url("workshops:detail", essen.pk)).status == 200
    page.get_by_role("button", name="Abmelden").click()
    login(page, "leser.essen")
    assert page.request.get(url("workshops:detail", essen.pk)).status == 404
