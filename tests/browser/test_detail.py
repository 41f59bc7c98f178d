"""Detail pages with the evidence trail: recommendation → lessons → observations."""

import re

from .conftest import READER, check_page, login, url

COVERAGE_RE = re.compile(r"in (\d+) von (\d+) Städten")


def test_evidence_trail_from_recommendation_to_observation(page, demo):
    login(page, READER)
    page.goto(url("knowledge:recommendation_list"))
    check_page(page)
    # Open the first recommendation that cites at least one lesson.
    card = page.locator("main li.card").filter(has_text=re.compile(r"[1-9]\d* Erkenntnis")).first
    title = card.get_by_role("heading").inner_text().strip()
    with page.expect_navigation():
        card.get_by_role("link", name=title).click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == title
    trail = page.get_by_role("region", name="Nachweiskette")
    coverage = COVERAGE_RE.search(trail.inner_text())
    assert coverage, "Kein Text 'in N von M Städten'"
    n, m = map(int, coverage.groups())
    assert 1 <= n <= m
    check_page(page)

    # Lesson in the trail → its page lists the observations with their own coverage.
    lesson_link = trail.locator("h3 a").first
    lesson_title = lesson_link.inner_text().strip()
    with page.expect_navigation():
        lesson_link.click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == lesson_title
    evidence = page.get_by_role("region", name="Belege")
    assert COVERAGE_RE.search(evidence.inner_text())
    check_page(page)

    observation_link = evidence.locator(".evidence a").first
    with page.expect_navigation():
        observation_link.click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Beobachtung"
    # The observation links back to the lesson it supports.
    assert page.get_by_role("link", name=lesson_title).count() >= 1
    check_page(page)
