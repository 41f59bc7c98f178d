"""Real-browser tests: headless Debian Chromium driven by Playwright, checked with axe-core.

Every test in this folder is marked ``browser``. The browser is never downloaded: we launch the
system Chromium at ``/usr/bin/chromium``. Without Chromium or Playwright the tests are skipped
locally, but fail loudly when ``CI=true`` (a green CI must mean the browser tests ran).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KRISENWISSEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Demo logins (krisenwissen.knowledge.demo.content.USERS); one password for all.
PASSWORD = "krisenwissen-demo"
READER = "leser.essen"
CONTRIBUTOR = "mitwirkende.essen"
EDITOR = "redaktion.dortmund"

HERE = Path(__file__).parent
# How long a step may wait for the page (clicks, navigation) and an assertion for its state.
# CI runs two xdist workers on two cores, each with a live server and one or more Chromium
# pages polling live regions; a step that takes 2 s alone has been seen to take over 10 s there.
# A slow page still fails, only later; the waits end as soon as the state is reached.
STEP_TIMEOUT_MS = 30_000
EXPECT_TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            # One more run for a browser test that fails (docs/architecture.md, "Tests"): the
            # summary lists it as rerun, so a flaky test is seen; other tests are never rerun.
            if not item.get_closest_marker("flaky"):
                item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))


def _unavailable_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright ist nicht installiert (pip install -e '.[dev]')."
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return "axe-playwright-python ist nicht installiert (pip install -e '.[dev]')."
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium fehlt unter {CHROMIUM} (apt-get install chromium)."
    return None


def _require_browser_stack() -> None:
    reason = _unavailable_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"Browser-Tests können in CI nicht laufen: {reason}", pytrace=False)
    # Justified skip: only on a workstation without Chromium/Playwright; under CI=true the
    # line above fails instead, so a green CI always means the browser tests ran.
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _playwright():
    _require_browser_stack()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    try:
        browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # pragma: no cover - depends on the machine
        if IN_CI:
            pytest.fail(f"Chromium ließ sich nicht starten: {exc}", pytrace=False)
        # Justified skip: outside CI a machine whose Chromium cannot start (e.g. no sandbox
        # support) should not block the other tests; under CI=true the line above fails.
        pytest.skip(f"Chromium ließ sich nicht starten: {exc}")
    yield browser
    browser.close()


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def context(browser, base_url):
    """A fresh browser context per test (own cookies), German, desktop size."""
    ctx = browser.new_context(
        base_url=base_url,
        viewport=DESKTOP,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        accept_downloads=True,
        reduced_motion="reduce",
    )
    ctx.set_default_timeout(STEP_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    # Scripts must not fail and nothing may be blocked by the Content Security Policy.
    assert not errors, "JavaScript-/CSP-Fehler im Browser:\n" + "\n".join(errors)


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def _demo_command_exists() -> bool:
    from django.core.management import get_commands

    return "load_demo" in get_commands()


@pytest.fixture
def demo(request, transactional_db, live_server):
    """The demo content (cities, crisis phases, observations, lessons, recommendations …).

    Uses ``manage.py load_demo`` (krisenwissen.knowledge.demo), loaded once per session and
    written back before each test from the ``demo_snapshot`` (tests/conftest.py); Django
    flushes the tables after each live-server test as before. Falls back to a minimal data set
    built with the shared factories while that command does not exist.
    """
    if _demo_command_exists():
        request.getfixturevalue("demo_snapshot").restore()
        return "load_demo"
    _minimal_demo()
    return "factories"


def _minimal_demo() -> None:
    """A small stand-in for the demo content with the same cities, logins and vocabulary."""
    from krisenwissen.accounts.models import Role

    from .. import factories as f

    cities = {
        name: f.MunicipalityFactory(name=name, ags=ags)
        for name, ags in (("Dortmund", "05913"), ("Düsseldorf", "05111"), ("Essen", "05113"),
                          ("Gelsenkirchen", "05513"), ("Köln", "05315"))
    }
    f.NetworkFactory(name="PanReflex-Partnerstädte", slug="panreflex", members=list(cities.values()))
    theme = f.CodeFactory(key="krisenstab", name="Krisenstab und Stabsarbeit")
    crisis = f.CrisisFactory()
    phase = f.PhaseFactory(crisis=crisis, number=1, name="Eindämmung & Unsicherheit", period_label="März bis Mai 2020")
    observations = []
    for i, city in enumerate(cities.values()):
        o = f.ObservationFactory(
            municipality=city, crisis=crisis, phase=phase, visibility="netzwerk" if i else "oeffentlich",
            text=f"In {city.name} tagte der Krisenstab in der ersten Phase täglich.",
        )
        o.codes.add(theme)
        observations.append(o)
    lesson = f.LessonFactory(municipality=cities["Essen"], title="Krisenstäbe früh aktivieren", visibility="netzwerk")
    lesson.observations.set(observations[:3])
    rec = f.RecommendationFactory(municipality=cities["Essen"], title="Personalreserve für den Krisenstab planen", visibility="netzwerk")
    rec.lessons.add(lesson)
    f.GoodPracticeFactory(municipality=cities["Dortmund"], title="Bürgertelefon mit Verwaltungswissen", visibility="oeffentlich")
    for username, city, role in ((READER, "Essen", Role.LESER), (CONTRIBUTOR, "Essen", Role.MITWIRKENDE),
                                 (EDITOR, "Dortmund", Role.REDAKTION)):
        f.MembershipFactory(municipality=cities[city], role=role, user__username=username, user__password=PASSWORD)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def url(name: str, *args, query: str = "") -> str:
    """Path of a named URL (pages use the context's base_url)."""
    from django.urls import reverse

    path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait until we are logged in."""
    page.goto(url("accounts:login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("button", name="Abmelden").is_visible(), (
        f"Anmeldung als {username!r} fehlgeschlagen; Seite: {page.url}"
    )


def assert_accessible(page, *, context: str | dict | None = None, disable: list[str] | None = None) -> None:
    """Run axe-core (WCAG 2.1 A/AA) on the current page; fail with a readable report."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    results = Axe().run(page, context=context, options=options)
    if results.violations_count:
        lines = [f"{results.violations_count} axe-Verstöße (WCAG 2.1 A/AA) auf {page.url}:"]
        for v in results.response["violations"]:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
            for node in v["nodes"][:8]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"      {summary[:300]}")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_overflow(page, width: int = PHONE["width"]) -> None:
    """At phone width nothing may stick out sideways (WCAG 1.4.10 Reflow)."""
    current = page.viewport_size
    page.set_viewport_size({"width": width, "height": PHONE["height"]})
    try:
        page.wait_for_timeout(50)
        overflow = page.evaluate(
            """(width) => {
                const doc = document.documentElement;
                const offenders = [];
                if (doc.scrollWidth > width) {
                    // Report elements outside scroll containers first, then any at all.
                    for (const skipScrollers of [true, false]) {
                        for (const el of document.body.querySelectorAll('*')) {
                            const r = el.getBoundingClientRect();
                            if (r.width === 0 || r.height === 0) continue;
                            if (skipScrollers && el.closest('.table-wrap, pre')) continue;
                            if (r.right > width + 1 || r.left < -1) {
                                offenders.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(r.right));
                            }
                            if (offenders.length >= 8) break;
                        }
                        if (offenders.length) break;
                    }
                }
                return {scrollWidth: doc.scrollWidth, offenders};
            }""",
            width,
        )
        assert overflow["scrollWidth"] <= width, (
            f"Seite {page.url} ist bei {width} px breiter ({overflow['scrollWidth']} px): "
            + "; ".join(overflow["offenders"])
        )
    finally:
        if current:
            page.set_viewport_size(current)


def check_page(page) -> None:
    """The checks every page gets: axe (desktop), axe and no overflow at phone width."""
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    page.set_viewport_size(PHONE)
    try:
        assert_accessible(page)
    finally:
        page.set_viewport_size(DESKTOP)
