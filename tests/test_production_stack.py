"""The production stack end to end: ``krisenwissen serve`` (gunicorn, 2 workers) and
``krisenwissen db_worker`` with the production settings on a real PostgreSQL, used over HTTP.

The test plays the TLS proxy of ``deploy/nginx/krisenwissen.conf``: it talks plain HTTP to
gunicorn on loopback and sends ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``, with
``KRISENWISSEN_TRUSTED_PROXIES=127.0.0.1`` as in ``deploy/krisenwissen.env.example``. So the
production settings run unchanged (HTTPS redirect, secure cookies, HSTS, CSRF with Referer
checks); nothing is switched off for the test.

The demo content is loaded with the development settings (``load_demo`` is not meant for a
production installation); everything afterwards uses the production settings.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

import krisenwissen
from tests.pgcluster import PostgresUnavailable, postgres_database, unavailable
from tests.ports import free_port

HOST = "127.0.0.1"
CLIENT_ADDRESS = "203.0.113.7"  # what the proxy reports as the browser's address
DEMO_PASSWORD = "krisenwissen-demo"
WORKSHOP_TOKEN = "demo-dortmund-2023"  # the planned demo workshop: open for contributions


class ProxiedClient:
    """A cookie-keeping HTTP client that sends what nginx sends in front of gunicorn."""

    def __init__(self, port: int, *, via_proxy: bool = True):
        self.port = port
        self.via_proxy = via_proxy
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{HOST}:{port}"

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        sent = {"Host": f"{HOST}:{self.port}", "Connection": "close"}
        if self.via_proxy:
            sent.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                         "Referer": self.origin + path, "X-CSRFToken": self.cookies.get("csrftoken", "")})
        sent.update(headers or {})
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response, payload

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        return self.request("POST", path, data=data, **kwargs)


def _tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


@pytest.fixture
def database_url(tmp_path_factory):
    try:
        with postgres_database(tmp_path_factory.mktemp("pg")) as url:
            yield url
    except PostgresUnavailable as exc:
        unavailable(f"the production-stack test needs PostgreSQL: {exc}")  # fails under CI=true


@pytest.fixture
def stack(database_url, tmp_path_factory):
    """Migrated PostgreSQL with demo content, collected static files, gunicorn and the worker."""
    root = tmp_path_factory.mktemp("stack")
    port = free_port(HOST)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "KRISENWISSEN_", "PYTEST_")) and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="krisenwissen.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        KRISENWISSEN_DATA_DIR=str(root / "data"),
        KRISENWISSEN_TRUSTED_PROXIES="127.0.0.1",
        KRISENWISSEN_BASE_URL=f"https://{HOST}:{port}",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    # The subprocesses import the package from where this test imported it (a relative
    # PYTHONPATH=src would not survive their working directory).
    source = str(Path(krisenwissen.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [os.environ.get("PYTHONPATH")])])
    cli = [sys.executable, "-m", "krisenwissen"]

    def run(*args, settings=None):
        started = time.monotonic()
        run_env = dict(env, DJANGO_SETTINGS_MODULE=settings) if settings else env
        result = subprocess.run([*cli, *args], env=run_env, cwd=root, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"krisenwissen {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        print(f"krisenwissen {args[0]}: {time.monotonic() - started:.1f} s")
        return result.stdout

    run("migrate", "--no-input", "-v", "0")
    run("load_demo", settings="krisenwissen.settings.dev")
    run("collectstatic", "--no-input", "-v", "0")
    facts = json.loads(run("shell", "-c", (
        "import json\n"
        "from krisenwissen.accounts.models import User\n"
        "from krisenwissen.knowledge.models import Observation\n"
        "u = User.objects.get(username='mitwirkende.essen')\n"
        "o = next(o for o in Observation.objects.filter(visibility='intern').order_by('pk') "
        "if u.has_perm('knowledge.change_observation', o))\n"
        "print(json.dumps({'observation': o.pk}))\n"
    )).strip().splitlines()[-1])

    web_log, worker_log = root / "web.log", root / "worker.log"
    with web_log.open("wb") as out:
        web = subprocess.Popen([*cli, "serve", "--bind", f"{HOST}:{port}", "--workers", "2", "--threads", "4"],
                               env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    with worker_log.open("wb") as out:
        worker = subprocess.Popen([*cli, "db_worker", "--interval", "0.2", "--no-startup-delay"],
                                  env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert web.poll() is None, f"gunicorn ended with {web.returncode}:\n{_tail(web_log)}"
            assert worker.poll() is None, f"db_worker ended with {worker.returncode}:\n{_tail(worker_log)}"
            try:
                response, _ = ProxiedClient(port).get("/konto/anmelden/")
                if response.status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer within 60 s:\n{_tail(web_log)}"
            time.sleep(0.2)
        yield {"port": port, "database_url": database_url, "facts": facts, "web": web, "worker": worker,
               "web_log": web_log, "worker_log": worker_log}
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _query(database_url: str, sql: str, params=()):
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()


def _login(port: int, username: str) -> ProxiedClient:
    client = ProxiedClient(port)
    response, _ = client.get("/konto/anmelden/")
    assert response.status == 200 and "csrftoken" in client.cookies
    response, body = client.post("/konto/anmelden/", {"username": username, "password": DEMO_PASSWORD,
                                                      "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert response.status == 302, body.decode(errors="replace")[:2000]
    assert "sessionid" in client.cookies
    return client


def check_gunicorn_runs_two_workers_with_production_headers(stack):
    workers = Path(f"/proc/{stack['web'].pid}/task/{stack['web'].pid}/children").read_text().split()
    assert len(workers) == 2, workers
    # Plain HTTP (no proxy saying https) is sent to HTTPS: SECURE_SSL_REDIRECT is on.
    response, _ = ProxiedClient(stack["port"], via_proxy=False).get("/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}:{stack['port']}/"
    response, _ = ProxiedClient(stack["port"]).get("/konto/anmelden/")
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security", "")
    assert "Secure" in response.getheader("Set-Cookie", "")
    # Static files come from the collected, compressed manifest storage (WhiteNoise).
    page = ProxiedClient(stack["port"]).get("/konto/anmelden/")[1].decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheet, page[:1000]
    response, _ = ProxiedClient(stack["port"]).get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "camera=()" in (response.getheader("Permissions-Policy") or "")  # static files too


def check_login_search_and_csv_export(stack):
    client = _login(stack["port"], "mitwirkende.essen")
    response, body = client.get("/suche/?" + urlencode({"q": "Krisenstab"}))
    assert response.status == 200
    response, body = client.get("/suche/?" + urlencode({"q": "Krisenstab", "format": "csv"}))
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/csv")
    assert len(body.decode("utf-8-sig").strip().splitlines()) > 1, "the search found nothing"
    response, body = client.get("/erkenntnisse/?format=csv")
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/csv")
    assert "attachment" in response.getheader("Content-Disposition", "")
    rows = body.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("Titel") and len(rows) > 1
    # A wrong password is refused, with the CSRF token in place (so it is the password).
    stranger = ProxiedClient(stack["port"])
    stranger.get("/konto/anmelden/")
    response, _ = stranger.post("/konto/anmelden/", {"username": "leser.essen", "password": "falsch",
                                                     "csrfmiddlewaretoken": stranger.cookies["csrftoken"]})
    assert response.status == 200 and "sessionid" not in stranger.cookies
    # Without the CSRF token the production settings refuse the form.
    response, _ = ProxiedClient(stack["port"]).post("/konto/anmelden/", {"username": "x", "password": "y"})
    assert response.status == 403


def check_participants_join_the_demo_workshop_and_post_cards(stack):
    port = stack["port"]
    join = f"/reflexionsraeume/mitmachen/{WORKSHOP_TOKEN}/"
    sent = []
    for name in ("Teilnehmerin A", "Teilnehmer B"):
        device = ProxiedClient(port)
        response, _ = device.get(join)
        assert response.status == 200
        response, body = device.post(join, {"display_name": name})
        assert response.status == 302, body.decode(errors="replace")[:2000]
        response, page = device.get(join + "board/")
        assert response.status == 200
        key = re.search(rb'data-participant-key="([^"]+)"', page).group(1).decode()
        for n in range(3):
            card = {"uuid": str(uuid.uuid4()), "text": f"{name}: Karte {n} über die Lage im Krisenstab"}
            headers = {"Accept": "application/json", "X-Requested-With": "fetch", "X-Teilnahme": key}
            response, body = device.post(join + "karten/", card, headers=headers)
            assert response.status == 201, body
            assert json.loads(body) == {"ok": True, "uuid": card["uuid"], "created": True}
            sent.append(card["uuid"])
        # A resend after a lost answer is confirmed, not stored twice.
        response, body = device.post(join + "karten/", card, headers=headers)
        assert response.status == 200 and json.loads(body)["created"] is False
    stored = _query(stack["database_url"], "SELECT uuid::text FROM workshops_card WHERE uuid::text = ANY(%s)", (sent,))
    assert sorted(row[0] for row in stored) == sorted(sent)


def check_publication_request_is_processed_by_the_worker(stack):
    """Requesting publication queues ``notify_reviewers``; the db_worker process runs it."""
    client = _login(stack["port"], "mitwirkende.essen")
    observation = stack["facts"]["observation"]
    response, body = client.post(f"/sichtbarkeit/observation/{observation}/",
                                 {"visibility": "netzwerk", "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert response.status == 302, body.decode(errors="replace")[:2000]
    deadline = time.monotonic() + 30
    while True:
        rows = _query(stack["database_url"], "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                      ("%notify_reviewers",))
        if rows and all(status == "SUCCESSFUL" for (status,) in rows):
            break
        assert not any(status == "FAILED" for (status,) in rows), _tail(stack["worker_log"])
        assert time.monotonic() < deadline, f"the worker did not run the task: {rows}\n{_tail(stack['worker_log'])}"
        time.sleep(0.3)
    # The access log goes to stdout (journald or the container runtime keeps it).
    assert re.search(r'"POST /sichtbarkeit/observation/\d+/ HTTP/1\.1" 302', stack["web_log"].read_text(errors="replace"))


def test_production_stack_over_http(stack):
    """One test, not four: the stack takes most of the time, and pytest-xdist would start it
    once per worker if the checks were spread over several tests."""
    check_gunicorn_runs_two_workers_with_production_headers(stack)
    check_login_search_and_csv_export(stack)
    check_participants_join_the_demo_workshop_and_post_cards(stack)
    check_publication_request_is_processed_by_the_worker(stack)
    # gunicorn and the worker stop cleanly on SIGTERM (what systemd and container runtimes send).
    for process in (stack["web"], stack["worker"]):
        process.send_signal(signal.SIGTERM)
    assert stack["web"].wait(timeout=60) == 0, _tail(stack["web_log"])
    assert stack["worker"].wait(timeout=60) == 0, _tail(stack["worker_log"])
