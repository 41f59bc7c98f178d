"""Review and publish: a contributor asks for "öffentlich", Redaktion checks names and confirms."""

import re

from krisenwissen.accounts.models import Municipality, Role
from krisenwissen.knowledge.models import Observation

from .. import factories as f
from .conftest import CONTRIBUTOR, PASSWORD, check_page, login

NAME = "Frau Sabine Krüger"


def _intern_item_with_a_name():
    essen = Municipality.objects.get(name="Essen")
    return Observation.objects.create(
        municipality=essen,
        kind="erfahrung",
        visibility="intern",
        text=f"{NAME} vom Ordnungsamt hat die Schichtpläne für den Krisenstab jede Woche neu geschrieben.",
    )


def test_request_review_and_publish(browser, base_url, page, demo):
    item = _intern_item_with_a_name()
    detail = item.get_absolute_url()
    essen = item.municipality
    f.MembershipFactory(municipality=essen, role=Role.REDAKTION, user__username="redaktion.essen", user__password=PASSWORD)

    # Anonymous visitors cannot see the internal item.
    response = page.goto(detail)
    assert response.status in (403, 404)

    # 1. Mitwirkende asks for "öffentlich".
    login(page, CONTRIBUTOR)
    page.goto(detail)
    assert page.locator("main .badge--intern").first.is_visible()
    check_page(page)
    visibility = page.get_by_role("group", name="Sichtbarkeit ändern")
    visibility.get_by_role("radio", name="öffentlich").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sichtbarkeit beantragen").click()
    assert "Freigabe wurde beantragt" in page.get_by_role("status").first.inner_text()
    # Nothing is published before Redaktion decides.
    assert page.locator("main .badge--intern").first.is_visible()
    check_page(page)
    page.context.clear_cookies()

    # 2. Redaktion sees the request with the flagged personal name and confirms.
    login(page, "redaktion.essen")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    with page.expect_navigation():
        nav.get_by_role("link", name="Freigaben").click()
    assert nav.get_by_role("link", name="Freigaben").get_attribute("aria-current") == "page"
    row = page.get_by_role("row").filter(has_text="Essen").filter(has_text=re.compile("Hinweis"))
    assert row.count() == 1
    check_page(page)
    with page.expect_navigation():
        row.get_by_role("link").first.click()
    flags = page.get_by_role("region", name="Hinweise auf personenbezogene Daten")
    assert NAME in flags.inner_text(), flags.inner_text()
    assert "Personenname" in flags.inner_text()
    check_page(page)

    # Confirming without ticking "geprüft" is refused with a German error.
    page.get_by_role("radio", name="Freigeben").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung speichern").click()
    assert page.get_by_role("alert").filter(has_text=re.compile("korrigieren|prüf")).first.is_visible()
    check_page(page)

    page.get_by_role("radio", name="Freigeben").check()
    page.get_by_role("checkbox", name=re.compile("personenbezogene Daten geprüft")).check()
    # The flagged name blocks a plain approval: the reviewer records why it may be published.
    page.get_by_role("textbox", name=re.compile("^Begründung trotz Hinweisen")).fill(
        "Frau Krüger hat der Nennung schriftlich zugestimmt.")
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung speichern").click()
    assert "Freigegeben" in page.get_by_role("status").first.inner_text()
    page.context.clear_cookies()

    # 3. Anonymous visitors now see it as öffentlich.
    anonymous = browser.new_context(base_url=base_url, locale="de-DE")
    try:
        visitor = anonymous.new_page()
        response = visitor.goto(detail)
        assert response.status == 200
        badge = visitor.locator("main .badge--oeffentlich").first
        assert badge.is_visible()
        assert "öffentlich" in badge.inner_text()
        assert "Schichtpläne" in visitor.get_by_role("main").inner_text()
    finally:
        anonymous.close()
