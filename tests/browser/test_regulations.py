"""Verordnungs-Synopse in the browser: both worked examples, all three views, axe at desktop and phone width."""

import datetime

import pytest

from .conftest import EDITOR, PHONE, assert_accessible, check_page, login, url

pytestmark = pytest.mark.django_db(transaction=True)


def _pair(old_day, new_day):
    from krisenwissen.regulations.models import Version

    old = Version.objects.get(legal_text__slug="ifsg", in_force_from=datetime.date.fromisoformat(old_day))
    new = Version.objects.get(legal_text__slug="ifsg", in_force_from=datetime.date.fromisoformat(new_day))
    return f"alt={old.pk}&neu={new.pk}"


def _synopse(page, query):
    page.goto(url("regulations:synopse", "ifsg") + "?" + query)


@pytest.mark.parametrize("view", ["synopse", "redline", "aenderungen"])
def test_paragraph_28b_rewritten(page, demo, view):
    _synopse(page, _pair("2022-03-22", "2022-09-28") + f"&ansicht={view}")
    summary = page.locator(".synopse-summary").inner_text()
    assert "§ 28b neu gefasst" in summary
    assert page.locator("del").count() > 0 and page.locator("ins").count() > 0
    check_page(page)


@pytest.mark.parametrize("view", ["synopse", "aenderungen"])
def test_bundesnotbremse_inserted(page, demo, view):
    _synopse(page, _pair("2021-04-22", "2021-04-23") + f"&ansicht={view}")
    assert "§ 28b eingefügt" in page.locator(".synopse-summary").inner_text()
    heading = page.get_by_role("heading", name="§ 28b – Bundesweit einheitliche", exact=False)
    assert heading.count() == 1
    check_page(page)


def test_department_filter_and_redline_at_phone_width(page, demo):
    page.set_viewport_size(PHONE)
    _synopse(page, _pair("2022-03-22", "2022-09-28") + "&ansicht=redline&amt=Gesundheitsamt")
    assert "Gesundheitsamt" in page.locator("main").inner_text()
    assert_accessible(page)


def test_list_detail_and_subscribe(page, demo):
    login(page, "leser.essen")
    page.goto(url("regulations:list"))
    check_page(page)
    page.get_by_role("link", name="IfSG").click()
    check_page(page)
    page.get_by_role("button", name="Bei neuer Fassung benachrichtigen").click()
    assert page.get_by_role("button", name="Abonnement beenden").count() == 1
    page.get_by_role("button", name="Vergleichen").click()
    assert "Synopse IfSG" in page.locator("h1").inner_text()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} ist mit der Tabulatortaste nicht erreichbar")


def test_full_synopsis_toggle_by_keyboard_at_desktop_and_phone_width(page, demo):
    _synopse(page, _pair("2022-03-22", "2022-09-28"))
    collapsed = page.locator("details.synopse-unchanged").count()
    assert collapsed > 50  # unchanged units are collapsed by default
    changed = page.locator("article.synopse-unit").count()

    _tab_to(page, "a.synopse-full-toggle")
    page.keyboard.press("Enter")
    page.wait_for_url("**vollstaendig=1**")
    assert page.locator("details.synopse-unchanged").count() == 0
    assert page.locator("article.synopse-unit").count() == changed + collapsed
    # An unchanged unit stands in both columns, its text left-aligned.
    unit = page.locator("article.synopse-unit", has=page.get_by_role("heading", name="§ 1 – Zweck des Gesetzes"))
    cells = unit.locator("tr", has=page.locator("th", has_text="Abs. 1")).locator("td")
    assert cells.count() == 2
    assert all("Krankheiten beim Menschen vorzubeugen" in cells.nth(i).inner_text() for i in (0, 1))
    assert cells.nth(0).evaluate("el => getComputedStyle(el).textAlign") in ("left", "start")
    assert page.locator("#s-full").is_checked()
    pdf_link = page.get_by_role("link", name="PDF")
    assert "vollstaendig=1" in pdf_link.get_attribute("href")
    check_page(page)  # axe at 1280 px and 375 px, no sideways overflow

    # Back with the form, keyboard only: uncheck the box with Space, submit with Enter.
    page.set_viewport_size(PHONE)
    page.locator("#s-full").focus()
    page.keyboard.press("Space")
    assert not page.locator("#s-full").is_checked()
    _tab_to(page, ".synopse-form button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "vollstaendig" not in page.url
    assert page.locator("details.synopse-unchanged").count() == collapsed


def test_redaktion_edits_version_details_and_the_synopse_names_the_act(page, demo):
    from krisenwissen.regulations.models import Version

    version = Version.objects.get(legal_text__slug="ifsg", in_force_from=datetime.date(2022, 9, 28))
    login(page, EDITOR)
    page.goto(url("regulations:version", "ifsg", version.pk))
    page.get_by_role("link", name="Angaben zur Fassung bearbeiten").click()
    check_page(page)
    page.get_by_label("Rechtsakt dieser Fassung").fill("Gesetz zur Stärkung des Schutzes der Bevölkerung")
    page.get_by_label("Fundstelle des Rechtsakts").fill("BGBl. I S. 1454")
    page.get_by_role("button", name="Angaben speichern").click()
    assert "Angaben zur Fassung gespeichert" in page.locator("main").inner_text()
    _synopse(page, _pair("2022-03-22", "2022-09-28"))
    assert "Gesetz zur Stärkung des Schutzes der Bevölkerung (BGBl. I S. 1454)" in page.locator(".synopse-acts").inner_text()


def test_amending_act_report_reads_as_blocks_at_phone_width(page, demo, shared_data):
    """The command report of an amending act: on a phone each command is a block that says its
    column (result, wording, reason), not a four-column table whose wording is off screen."""
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.regulations import actions

    legal_text = actions.do_create_legal_text(title="Coronavirus-Impfverordnung", abbreviation="CoronaImpfV",
                                              acting_user=SYSTEM)
    actions.do_add_version(legal_text, text=(shared_data / "laws/CoronaImpfV/2021-11-18.md").read_text(),
                           in_force_from=datetime.date(2021, 11, 18), acting_user=SYSTEM)
    login(page, EDITOR)
    page.goto(url("regulations:detail", legal_text.slug))
    page.get_by_role("link", name="Änderungsverordnung anwenden").click()
    page.get_by_label("Änderungsverordnung:").set_input_files(str(shared_data / "documents/pdf/2021-12-17_CoronaImpfV.pdf"))
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Prüfen").click()
    assert "16 Änderungsbefehle angewendet" in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    wording = page.locator("#report-caption").locator("xpath=..").locator("td[data-label='Wortlaut']").first
    box = wording.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["width"] > PHONE["width"] / 2, box  # full width, not a squeezed column
    check_page(page)
