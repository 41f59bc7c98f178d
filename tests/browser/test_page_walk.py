"""Every page of the permission matrix, as each kind of user sees it in a real browser.

The walk reuses the permission matrix (``tests/test_permission_matrix.py`` with every app's
``matrix_fragment.py``): its world, its identities and every GET URL a user may open (200).
It grows with the matrix. Each user logs in once through the real login form (anonymous stays
logged out) and gets one browser context. On every HTML page the walk fails on

- an ``<img>`` that does not render (``complete && naturalWidth > 0``, SVG included),
- a broken internal link: every same-origin ``<a href>``, ``<link href>`` and ``<script src>``
  is requested once per user with that user's cookies, following redirects. A link a user
  sees must lead somewhere they may go: 4xx/5xx is broken, and so is a link that sends a
  logged-in user to a login page; for anonymous the redirect to the login form is intended,
- any console error or uncaught page error (also one logged after the page had loaded).

Downloads and other non-HTML answers (CSV, PDF, DOCX, JSON, SVG, photos) are not checked as
pages, only that they answer 200. Behind the join page the walk also presses "Beitreten" and
checks the participant's board (FOLLOW_UP). All offenders are reported together.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlencode, urlsplit

import pytest

from ..test_permission_matrix import MATRIX, OK, USERS, world  # noqa: F401 (world is a fixture)
from .conftest import DESKTOP, STEP_TIMEOUT_MS, login

# tests/factories.py: UserFactory's password for every matrix identity.
MATRIX_PASSWORD = "geheim-passwort-123"

# Collects the state of the page once it has loaded: images that did not render and the
# same-origin resources it links to. Lazy images are made eager so that all of them load.
PAGE_STATE_JS = """async () => {
    const images = [...document.images];
    images.forEach(img => { if (img.loading === 'lazy') img.loading = 'eager'; });
    await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
        img.addEventListener('load', done, {once: true});
        img.addEventListener('error', done, {once: true});
        setTimeout(done, 5000);
    })));
    const broken = images
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => (img.currentSrc || img.src || '(ohne src)') + (img.alt ? ` [alt="${img.alt}"]` : ''));
    const links = [];
    for (const el of document.querySelectorAll('a[href], link[href]')) links.push(el.href);
    for (const el of document.querySelectorAll('script[src]')) links.push(el.src);
    return {broken, links: links.filter(href => href.startsWith(location.origin + '/'))};
}"""


# Pages behind a form that people reach from a matrix page: after checking the page with this URL
# name, the walk presses the button and checks the page it lands on (a participant's board).
FOLLOW_UP = {"workshops:join": ("Beitreten",)}


def _targets(world_, who: str) -> list[tuple[str, str]]:
    """(url name, path) of every GET entry of the matrix that ``who`` may open, deduplicated."""
    from django.urls import reverse

    seen: dict[str, str] = {}
    for name, build_kwargs, method, expectations, *build_data in MATRIX:
        if method != "get" or expectations[who] != OK:
            continue
        path = reverse(name, kwargs=build_kwargs(world_))
        if build_data:
            path += "?" + urlencode(build_data[0](world_))
        seen.setdefault(path, name)
    return [(name, path) for path, name in seen.items()]


def _is_html(response) -> bool:
    disposition = response.headers.get("content-disposition", "")
    return response.headers.get("content-type", "").startswith("text/html") and "attachment" not in disposition


class _Walk:
    """One user's walk: one browser context, one page, findings collected in ``offenders``."""

    def __init__(self, browser, base_url: str, world_, who: str, offenders: list[str]):
        from django.urls import reverse

        self.world, self.who, self.offenders = world_, who, offenders
        self.origin = base_url.rstrip("/")
        self.ctx = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin",
                                       reduced_motion="reduce", accept_downloads=False)
        self.ctx.set_default_timeout(STEP_TIMEOUT_MS)
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"Skriptfehler: {exc}"))
        self.page.on("console", lambda msg: self.errors.append(f"Konsole: {msg.text}") if msg.type == "error" else None)
        # Status of every answer the page received: a download answers once, to the navigation,
        # and is not generated a second time just to read its status.
        self.statuses: dict[str, int] = {}
        self.page.on("response", lambda r: self.statuses.__setitem__(r.url, r.status))
        self.where: str | None = f"{who}: Anmeldung"  # the page the errors arriving now belong to
        self.checked: dict[str, tuple[int, str]] = {}  # same-origin URL -> (status, final path), for this user
        self.linked_from: dict[str, str] = {}  # same-origin URL (without fragment) -> first page linking to it
        self.login_paths = {reverse("accounts:login"), reverse("admin:login")}
        self.walked = 0

    def run(self) -> int:
        try:
            user = self.world["users"][self.who]
            if user is not None:
                login(self.page, user.username, MATRIX_PASSWORD)
            for name, path in _targets(self.world, self.who):
                self.visit(name, path)
            self.flush_errors()
            self.check_links()
            return self.walked
        finally:
            self.ctx.close()

    def flush_errors(self) -> None:
        """Console and page errors since the last call belong to the page shown then.

        Not for a non-HTML document the browser shows itself (JSON, SVG, a photo): its viewer's
        inline styles meet the site's CSP and it asks for /favicon.ico; no page of ours is involved.
        """
        if self.where is not None:
            self.offenders.extend(f"{self.where}: {error}" for error in dict.fromkeys(self.errors))
        self.errors.clear()

    def visit(self, name: str, path: str) -> None:
        self.flush_errors()
        self.where = f"{self.who}: {path} ({name})"
        try:
            response = self.page.goto(path, wait_until="load")
        except Exception as exc:  # a download (attachment) never becomes a page
            if "Download is starting" not in str(exc):
                self.offenders.append(f"{self.where}: Seite lädt nicht: {str(exc).splitlines()[0]}")
                return
            response = None
        if response is None or not _is_html(response):
            url = self.origin + path
            if response is None and url in self.statuses:
                self.checked[url] = (self.statuses[url], path)
            status = self.request(url)[0] if response is None else response.status
            if status != OK:
                self.offenders.append(f"{self.where}: Download antwortet {status} statt 200")
            self.where = None
            return
        self.checked[self.origin + path] = (response.status, path)
        if response.status != OK:
            self.offenders.append(f"{self.where}: antwortet {response.status} statt 200")
        self.check_page(path)
        for button in FOLLOW_UP.get(name, ()):
            self.flush_errors()
            with self.page.expect_navigation():
                self.page.locator("main form").get_by_role("button", name=button).click()
            after = urlsplit(self.page.url).path
            self.where = f"{self.who}: {after} (nach „{button}“ auf {name})"
            self.check_page(after)

    def check_page(self, path: str) -> None:
        """Images of the loaded page; remember its same-origin links."""
        self.walked += 1
        state = self.page.evaluate(PAGE_STATE_JS)
        self.offenders.extend(f"{self.where}: Bild lädt nicht: {src}" for src in state["broken"])
        for href in state["links"]:
            self.linked_from.setdefault(urldefrag(href)[0], path)

    def request(self, href: str) -> tuple[int, str]:
        if href not in self.checked:
            # a link check, not a speed test: on a busy two-core CI machine (two workers, PostgreSQL)
            # one answer once took more than the 10 s of the page actions
            response = self.ctx.request.get(href, timeout=60_000)
            self.checked[href] = (response.status, urlsplit(response.url).path)
        return self.checked[href]

    def check_links(self) -> None:
        """A link a user sees must lead to a page they may open (a login page only for anonymous)."""
        for href, source in self.linked_from.items():
            link = urlsplit(href)
            shown = link.path + (f"?{link.query}" if link.query else "")
            status, final_path = self.request(href)
            if status >= 400:
                self.offenders.append(f"{self.who}: {source}: Link {shown} antwortet {status}")
            elif self.who != "anonymous" and final_path in self.login_paths and link.path not in self.login_paths:
                self.offenders.append(f"{self.who}: {source}: Link {shown} führt zur Anmeldung")


# One test per identity, so that parallel workers share the walk.
@pytest.mark.parametrize("who", USERS)
def test_every_matrix_page_as_each_user_sees_it(browser, live_server, world, who):  # noqa: F811
    offenders: list[str] = []
    walked = _Walk(browser, live_server.url, world, who, offenders).run()
    assert walked, f"Keine Seiten besucht als {who}"
    assert not offenders, f"{len(offenders)} Befunde beim Rundgang über alle Seiten:\n" + "\n".join(offenders)


def test_the_walk_sees_what_a_person_would_miss(browser):
    """The page check itself: a missing image, an SVG without namespace (the QR code's failure:
    served fine, rendered never), same-origin links only; console errors reach the listener."""
    ok_svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    bodies = {
        "/seite/": ("text/html", '<!doctype html><title>t</title><img src="/fehlt.png" alt="weg">'
                                 '<img src="/ohne-ns.svg" alt="qr"><img src="/gut.svg" alt="gut">'
                                 '<a href="/ziel/#abschnitt">intern</a><a href="https://example.org/">extern</a>'
                                 '<link rel="stylesheet" href="/stil.css"><script>console.error("kaputt")</script>'),
        "/ohne-ns.svg": ("image/svg+xml", ok_svg.replace(' xmlns="http://www.w3.org/2000/svg"', "")),
        "/gut.svg": ("image/svg+xml", ok_svg),
        "/stil.css": ("text/css", ""),
    }
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

        def serve(route):
            path = urlsplit(route.request.url).path
            if path in bodies:
                route.fulfill(status=200, content_type=bodies[path][0], body=bodies[path][1])
            else:
                route.fulfill(status=404, body="")

        page.route("http://walk.test/**", serve)
        page.goto("http://walk.test/seite/")
        state = page.evaluate(PAGE_STATE_JS)
    finally:
        ctx.close()
    assert sorted(src.split(" ")[0] for src in state["broken"]) == ["http://walk.test/fehlt.png", "http://walk.test/ohne-ns.svg"]
    assert sorted(state["links"]) == ["http://walk.test/stil.css", "http://walk.test/ziel/#abschnitt"]
    assert "kaputt" in errors
