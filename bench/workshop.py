"""Benchmark of the Reflexionsraum (``make bench-workshop``).

``.venv/bin/python bench/workshop.py --participants 100 --cards 10 [--url URL]``

Drives the real HTTP endpoints of a running server like a workshop room does: N participants
join through the link and post cards (each with its own UUID) while polling the event feed
every 500 ms; some of them drop off (offline for a while, or a connection that breaks
mid-request) and resend their queued cards with the same UUID; one facilitator logs in,
creates clusters, moves cards and reveals.

Without ``--url`` the benchmark prepares a fresh SQLite database in a temporary data
directory (``migrate``, then a Moderation user and an open workshop) and serves it with
``gunicorn krisenwissen.wsgi`` on 127.0.0.1 and a free port: 2 ``gthread`` workers with 16
threads each by default. Sync workers serve one request per process, so with 2 of them a card
POST waiting for SQLite's write lock (or for the CPU) holds up the polls queued behind it; the
room then falls far behind (see docs/benchmarks.md). ``--server runserver`` measures Django's
single-process development server instead (the peer).
With ``--url`` it drives a running server whose database this process reaches through the
same settings (``KRISENWISSEN_DATA_DIR`` / ``DATABASE_URL``); start that server with the
per-address limits off (``KRISENWISSEN_RATE_LIMITS=workshop_join=0/60,workshop_card=0/60,workshop_vote=0/60``),
since the whole simulated room comes from one address.

The last line of output is one JSON object: cards_sent, cards_seen_by_all, lost, duplicated,
p50_propagation_ms, p95_propagation_ms, server_rss_mb, participants, server (plus details).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH_PASSWORD = "bench-workshop-passwort"
BENCH_USER = "bench.moderation"


# ------------------------------------------------------------------------------------------
# A tiny HTTP client with cookies (stdlib only)
# ------------------------------------------------------------------------------------------


class Client:
    def __init__(self, base: str, timeout: float = 15.0):
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _remember(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None,
                read: bool = True) -> tuple[int, bytes]:
        body = urlencode(data or {}, doseq=True) if data is not None else None
        extra = dict(headers or {})
        if body is not None:
            extra["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                extra["X-CSRFToken"] = self.cookies["csrftoken"]
            extra["Referer"] = f"http://{self.host}:{self.port}/"
        # One connection per request (runserver closes after each response anyway).
        self.close()
        conn = self._connection()
        try:
            conn.request(method, self.prefix + path, body=body, headers=self._headers(extra))
            if not read:
                # Simulate a dropped connection: the request went out, the answer never arrives.
                self.close()
                return 0, b""
            response = conn.getresponse()
            payload = response.read()
            self._remember(response)
            return response.status, payload
        finally:
            self.close()


# ------------------------------------------------------------------------------------------
# The simulated room
# ------------------------------------------------------------------------------------------


class Room:
    def __init__(self, *, base: str, token: str, workshop_id: int, participants: int, cards: int, duration: float,
                 drop_rate: float, poll_ms: int, settle: float, seed: int):
        self.base = base
        self.token = token
        self.workshop_id = workshop_id
        self.n = participants
        self.cards = cards
        self.duration = duration
        self.drop_rate = drop_rate
        self.poll = poll_ms / 1000
        self.settle = settle
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.sent_at: dict[str, float] = {}        # uuid -> monotonic start of the storing request
        self.author: dict[str, int] = {}
        self.marker: dict[str, str] = {}           # uuid -> logical card id "p3-c7"
        self.seen: list[dict[str, float]] = [dict() for _ in range(participants)]
        self.card_events: list[dict[str, int]] = [dict() for _ in range(participants)]
        self.offline: list[list[tuple[float, float]]] = [[] for _ in range(participants)]
        self.stats = {"drops_offline": 0, "drops_midrequest": 0, "resends": 0, "resend_confirmed": 0,
                      "errors": 0, "polls": 0, "poll_errors": 0, "facilitator_actions": 0}
        self.post_ms: list[float] = []
        self.poll_ms: list[float] = []
        self.stop = threading.Event()
        self.sending_done = threading.Event()
        self.remaining_senders = participants
        self.finished: set[int] = set()

    # -- participants ----------------------------------------------------------------------

    def participant(self, index: int, start_barrier: threading.Barrier) -> None:
        """One device; a crash of the simulated client is counted, never hangs the run."""
        try:
            self._participant(index, start_barrier)
        except Exception:  # noqa: BLE001 - reported in the figures
            with self.lock:
                self.stats["crashed_clients"] = self.stats.get("crashed_clients", 0) + 1
        finally:
            self._done_sending(index)

    def _done_sending(self, index: int) -> None:
        with self.lock:
            if index in self.finished:
                return
            self.finished.add(index)
            self.remaining_senders -= 1
            if self.remaining_senders == 0:
                self.sending_done.set()

    def _participant(self, index: int, start_barrier: threading.Barrier) -> None:
        rnd = random.Random(self.random.random() + index)
        client = Client(self.base)
        device_key = ""
        join_path = f"/reflexionsraeume/mitmachen/{self.token}/"
        for _attempt in range(20):
            try:
                client.request("GET", join_path)
                status, _ = client.request("POST", join_path, {"display_name": f"Bench {index}"})
                if status == 302:
                    _status, page = client.request("GET", join_path + "board/")
                    match = re.search(rb'data-participant-key="([^"]+)"', page)
                    device_key = match.group(1).decode() if match else ""
                    break
            except OSError:
                pass
            time.sleep(0.2 + rnd.random())
        else:
            with self.lock:
                self.stats["errors"] += 1
        try:
            start_barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        t0 = time.monotonic()
        plan = sorted(t0 + rnd.uniform(0.2, self.duration) for _ in range(self.cards))
        queue: list[dict] = []
        seq = 0
        offline_until = 0.0
        next_poll = time.monotonic() + rnd.uniform(0, self.poll)
        card_no = 0
        finished_sending = False
        while not self.stop.is_set():
            now = time.monotonic()
            online = now >= offline_until
            # Write due cards into the local queue (as the browser does before sending).
            while card_no < len(plan) and plan[card_no] <= now:
                key = str(uuid.uuid4())
                marker = f"p{index}-c{card_no}"
                queue.append({"uuid": key, "text": f"Karte {marker}: Was lief gut, was weniger gut?", "marker": marker,
                              "first_attempt": None})
                card_no += 1
            if online and queue:
                entry = queue[0]
                drop = rnd.random() < self.drop_rate
                if drop and rnd.random() < 0.5 and entry["first_attempt"] is None:
                    # Connection gone before the request: the card stays queued, we are offline.
                    offline_until = now + rnd.uniform(1.0, 3.0)
                    self.offline[index].append((now, offline_until))
                    with self.lock:
                        self.stats["drops_offline"] += 1
                    continue
                started = time.monotonic()
                if entry["first_attempt"] is None:
                    entry["first_attempt"] = started
                path = f"/reflexionsraeume/mitmachen/{self.token}/karten/"
                data = {"uuid": entry["uuid"], "text": entry["text"]}
                headers = {"Accept": "application/json", "X-Requested-With": "fetch", "X-Teilnahme": device_key}
                try:
                    if drop:
                        client.request("POST", path, data, headers, read=False)
                        offline_until = time.monotonic() + rnd.uniform(1.0, 2.0)
                        self.offline[index].append((started, offline_until))
                        with self.lock:
                            self.stats["drops_midrequest"] += 1
                        continue
                    status, body = client.request("POST", path, data, headers)
                    self.post_ms.append((time.monotonic() - started) * 1000)
                except OSError:
                    with self.lock:
                        self.stats["errors"] += 1
                    offline_until = time.monotonic() + 0.5
                    continue
                try:
                    answer = json.loads(body) if status in (200, 201) else {}
                except ValueError:  # answer cut off (e.g. the server went down mid-response)
                    status, answer = 0, {}
                if status in (200, 201):
                    created = answer.get("created", status == 201)
                    with self.lock:
                        self.sent_at[entry["uuid"]] = started if created else entry["first_attempt"]
                        self.author[entry["uuid"]] = index
                        self.marker[entry["uuid"]] = entry["marker"]
                        if entry["first_attempt"] != started:
                            self.stats["resends"] += 1
                            if not created:
                                self.stats["resend_confirmed"] += 1
                    queue.pop(0)
                    # Now and then a double submit of the same card (same UUID).
                    if rnd.random() < 0.05:
                        try:
                            client.request("POST", path, data, headers)
                        except OSError:
                            pass
                else:
                    with self.lock:
                        self.stats["errors"] += 1
                    time.sleep(0.2)
                continue
            if not finished_sending and card_no >= len(plan) and not queue:
                finished_sending = True
                self._done_sending(index)
            if online and now >= next_poll:
                next_poll = now + self.poll
                try:
                    status, body = client.request("GET", f"/reflexionsraeume/mitmachen/{self.token}/ereignisse/?nach={seq}",
                                                  headers={"Accept": "application/json", "X-Teilnahme": device_key})
                except OSError:
                    with self.lock:
                        self.stats["poll_errors"] += 1
                    continue
                seen_at = time.monotonic()
                self.poll_ms.append((seen_at - now) * 1000)
                with self.lock:
                    self.stats["polls"] += 1
                if status != 200:
                    with self.lock:
                        self.stats["poll_errors"] += 1
                    continue
                try:
                    feed = json.loads(body)
                except ValueError:
                    with self.lock:
                        self.stats["poll_errors"] += 1
                    continue
                seq = max(seq, feed["seq"])  # as board.js: never step back
                for event in feed["events"]:
                    cards = []
                    if event["kind"] == "card":
                        cards = [event["payload"]["card"]]
                        counter = self.card_events[index]
                        counter[cards[0]["uuid"]] = counter.get(cards[0]["uuid"], 0) + 1
                    elif event["kind"] == "reveal":
                        cards = event["payload"]["cards"]
                    for card in cards:
                        self.seen[index].setdefault(card["uuid"], seen_at)
                if feed.get("more"):
                    next_poll = time.monotonic()
                continue
            wake = next_poll if online else offline_until
            if card_no < len(plan):
                wake = min(wake, plan[card_no])
            time.sleep(min(0.5, max(0.001, wake - time.monotonic())))
        client.close()

    # -- facilitator -----------------------------------------------------------------------

    def facilitator(self, username: str, password: str) -> None:
        client = Client(self.base)
        client.request("GET", "/konto/anmelden/")
        status, _ = client.request("POST", "/konto/anmelden/", {"username": username, "password": password})
        if status != 302:
            with self.lock:
                self.stats["errors"] += 1
            return
        action = f"/reflexionsraeume/{self.workshop_id}/board/aktion/"
        headers = {"Accept": "application/json", "X-Requested-With": "fetch"}
        clusters: list[int] = []
        rnd = random.Random(7)
        last_cluster = last_reveal = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            try:
                if now - last_cluster > 2.0 and len(clusters) < 12:
                    status, body = client.request("POST", action, {"op": "cluster_create", "name": f"Cluster {len(clusters) + 1}",
                                                                   "kind": rnd.choice(["befund", "massnahmenidee", "offene_frage"])}, headers)
                    if status == 200:
                        clusters.append(json.loads(body)["cluster"])
                    last_cluster = now
                elif now - last_reveal > 3.0:
                    client.request("POST", action, {"op": "reveal"}, headers)
                    last_reveal = now
                elif clusters:
                    with self.lock:
                        known = list(self.sent_at)
                    if known:
                        client.request("POST", action, {"op": "move", "card": rnd.choice(known), "cluster": rnd.choice(clusters)}, headers)
                with self.lock:
                    self.stats["facilitator_actions"] += 1
            except OSError:
                with self.lock:
                    self.stats["errors"] += 1
            time.sleep(0.25)
        client.close()

    # -- run ---------------------------------------------------------------------------------

    def run(self, username: str, password: str) -> None:
        barrier = threading.Barrier(self.n + 1)
        threads = [threading.Thread(target=self.participant, args=(i, barrier), daemon=True) for i in range(self.n)]
        for t in threads:
            t.start()
        try:
            barrier.wait(timeout=180)
        except threading.BrokenBarrierError:
            pass
        boss = threading.Thread(target=self.facilitator, args=(username, password), daemon=True)
        boss.start()
        self.sending_done.wait(timeout=self.duration + 120)
        # Settle: everybody keeps polling until all cards are seen everywhere (or time is up).
        deadline = time.monotonic() + self.settle
        while time.monotonic() < deadline:
            with self.lock:
                known = set(self.sent_at)
            if all(known <= set(s) for s in self.seen):
                break
            time.sleep(0.2)
        self.stop.set()
        for t in threads:
            t.join(timeout=10)
        boss.join(timeout=10)


def _overlaps(intervals: list[tuple[float, float]], start: float, end: float) -> bool:
    return any(a < end and b > start for a, b in intervals)


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return round(ordered[k], 1)


def _process_tree(pid: int) -> list[int]:
    """The server process and its worker children (from /proc)."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids += [int(c) for c in children]
    except OSError:
        pass
    return pids


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return round(int(match.group(1)) / 1024, 1) if match else None



# ------------------------------------------------------------------------------------------
# The database side (Django, in this process)
# ------------------------------------------------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.dev")
    import django

    django.setup()


def setup_workshop(participants: int, votes: int = 3) -> dict:
    """Create (or reuse) the bench facilitator and a fresh open workshop in this database."""
    from django.db import connections

    from krisenwissen.accounts.models import Membership, Municipality, Role, User
    from krisenwissen.workshops import actions

    city, _ = Municipality.objects.get_or_create(ags="05113", defaults={"name": "Essen", "is_participating": True})
    user, _created = User.objects.get_or_create(username=BENCH_USER, defaults={"first_name": "Bench", "last_name": "Moderation"})
    user.set_password(BENCH_PASSWORD)
    user.save()
    Membership.objects.update_or_create(user=user, municipality=city, defaults={"role": Role.MODERATION})
    user = User.objects.get(pk=user.pk)
    workshop = actions.do_create_workshop(
        host=city, acting_user=user,
        fields={"title": f"Benchmark-Reflexionsraum ({participants} Teilnehmende)", "start_date": datetime.date.today(),
                "private_until_reveal": False, "votes_per_participant": votes},
    )
    actions.do_set_current_question(workshop, workshop.current_question, acting_user=user)
    # The server processes write to the same SQLite file: hold no connection during the run.
    connections.close_all()
    return {"workshop": workshop.pk, "token": workshop.join_token, "username": BENCH_USER, "password": BENCH_PASSWORD}


def server_truth(workshop_id: int) -> dict:
    """Cards stored, and the stored count per logical card marker, read from the database."""
    from django.db import connections

    from krisenwissen.workshops.models import Card

    counts: dict[str, int] = {}
    texts = list(Card.objects.filter(workshop_id=workshop_id).values_list("text", flat=True))
    for text in texts:
        match = re.search(r"Karte (p\d+-c\d+):", text)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    connections.close_all()
    return {"total": len(texts), "counts": counts}


# ------------------------------------------------------------------------------------------
# The server under test
# ------------------------------------------------------------------------------------------


def server_command(args: argparse.Namespace, port: int) -> list[str]:
    if args.server == "runserver":
        return [sys.executable, "-m", "krisenwissen", "runserver", f"127.0.0.1:{port}", "--noreload"]
    command = [sys.executable, "-m", "gunicorn", "krisenwissen.wsgi",
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--graceful-timeout", "5", "--log-level", "warning",
               # gunicorn >= 25.1 opens a control socket at one fixed path per user by default;
               # a benchmark next to another gunicorn must not take it over.
               "--no-control-socket"]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return command


def server_label(args: argparse.Namespace) -> str:
    if args.url:
        return "running server"
    if args.server == "runserver":
        return "runserver, one process"
    threads = f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    return f"gunicorn, {args.workers} {args.worker_class} workers{threads}"


def start_server(command: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    """Start the server and wait until it answers HTTP (not only until the socket listens:
    gunicorn's master binds before its workers have loaded the application)."""
    with log.open("ab") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            status, _ = Client(f"http://127.0.0.1:{port}", timeout=2).request("GET", "/konto/anmelden/")
            if status:
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    sys.exit(f"The server did not start ({' '.join(command)}):\n{log.read_text(errors='replace')[-2000:]}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Reflexionsraum benchmark: simulated participants over real HTTP.")
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--cards", type=int, default=10, help="cards per participant")
    parser.add_argument("--url", default="", help="a running server (else the benchmark starts its own)")
    parser.add_argument("--duration", type=float, default=30.0, help="period over which the cards are spread (s)")
    parser.add_argument("--drop-rate", type=float, default=0.08, help="share of sends with a broken connection")
    parser.add_argument("--poll-ms", type=int, default=500)
    parser.add_argument("--settle", type=float, default=20.0, help="wait at the end until everybody has seen everything (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn",
                        help="own server: gunicorn krisenwissen.wsgi, or Django's runserver (one process) as the peer")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="gthread", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=16, help="threads per gunicorn gthread worker")
    parser.add_argument("--restart", action="store_true",
                        help="stop and restart the own server half-way through (nothing may be lost)")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.cards < 1:
        parser.error("--participants and --cards must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    server = None
    tmp = None
    env: dict = {}
    command: list[str] = []
    port = 0
    log = Path(os.devnull)
    restarts: list[int] = []
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            tmp = tempfile.mkdtemp(prefix="kw-bench-workshop-")
            # The server and this process (setup, counting afterwards) share the database.
            os.environ.update({"KRISENWISSEN_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.dev",
                               "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                               # the whole simulated room comes from 127.0.0.1: no per-address limits
                               "KRISENWISSEN_RATE_LIMITS": "workshop_join=0/60,workshop_card=0/60,"
                                                           "workshop_vote=0/60,workshop_photo=0/60"})
            env = dict(os.environ)
        django_setup()
        if not args.url:
            from django.core.management import call_command

            print("Creating the database …", file=sys.stderr)
            call_command("migrate", verbosity=0)
        info = setup_workshop(args.participants)
        if not args.url:
            port = _free_port()
            log = Path(tmp) / "server.log"
            command = server_command(args, port)
            server = start_server(command, env, port, log)
            base = f"http://127.0.0.1:{port}"
        print(f"Server: {base} ({server_label(args)}), workshop {info['workshop']}, "
              f"{args.participants} participants × {args.cards} cards", file=sys.stderr)
        room = Room(base=base, token=info["token"], workshop_id=info["workshop"], participants=args.participants,
                    cards=args.cards, duration=args.duration, drop_rate=args.drop_rate,
                    poll_ms=args.poll_ms, settle=args.settle, seed=args.seed)
        if args.restart and server is not None:
            def restart():
                nonlocal server
                time.sleep(args.duration / 2)
                down = time.monotonic()
                stop_server(server)
                server = start_server(command, env, port, log)
                restarts.append(round((time.monotonic() - down) * 1000))
            threading.Thread(target=restart, daemon=True).start()
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        room.run(info["username"], info["password"])
        elapsed = time.monotonic() - started
        usage_after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = round(usage_after.ru_utime + usage_after.ru_stime - usage_before.ru_utime - usage_before.ru_stime, 1)
        pids = _process_tree(server.pid) if server else []
        rss = round(sum(_rss_mb(pid) or 0 for pid in pids), 1) if server else None
        server_cpu = round(sum(_cpu_seconds(pid) or 0 for pid in pids), 1) if server else None
        truth = server_truth(info["workshop"])
    finally:
        if server is not None:
            stop_server(server)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    result = summarise(room, truth, args, elapsed, rss)
    result.update({
        "server_restarts_ms": restarts,
        "server": "url" if args.url else args.server,
        "worker_class": args.worker_class if args.server == "gunicorn" and not args.url else None,
        "workers": args.workers if args.server == "gunicorn" and not args.url else 1,
        "threads": args.threads if args.server == "gunicorn" and args.worker_class == "gthread" and not args.url else 1,
        "server_cpu_s": server_cpu, "client_cpu_s": client_cpu, "load_avg_1m": round(os.getloadavg()[0], 2),
    })
    print(json.dumps(result, ensure_ascii=False))


def summarise(room: Room, truth: dict, args: argparse.Namespace, elapsed: float, rss) -> dict:
    intended = args.participants * args.cards
    stored_markers = truth["counts"]
    confirmed = set(room.sent_at)
    delays = []
    for key in confirmed:
        start = room.sent_at[key]
        for observer, seen in enumerate(room.seen):
            if observer == room.author[key] or key not in seen:
                continue
            if _overlaps(room.offline[observer], start, seen[key]):
                continue  # the observer's own connection was down: not a propagation delay
            delays.append(max(0.0, (seen[key] - start) * 1000))
    seen_by_all = sum(1 for key in confirmed if all(key in s for s in room.seen))
    duplicated_events = sum(1 for counter in room.card_events for n in counter.values() if n > 1)
    duplicated_stored = sum(n - 1 for n in stored_markers.values() if n > 1)
    return {
        "cards_sent": intended,
        "cards_confirmed": len(confirmed),
        "cards_stored": truth["total"],
        "cards_seen_by_all": seen_by_all,
        "lost": intended - len(stored_markers),
        "duplicated": duplicated_stored + duplicated_events,
        "p50_propagation_ms": _percentile(delays, 0.50),
        "p95_propagation_ms": _percentile(delays, 0.95),
        "max_propagation_ms": _percentile(delays, 1.0),
        "mean_propagation_ms": round(statistics.fmean(delays), 1) if delays else None,
        "server_rss_mb": rss,
        "p50_card_post_ms": _percentile(room.post_ms, 0.5),
        "p95_card_post_ms": _percentile(room.post_ms, 0.95),
        "p50_poll_ms": _percentile(room.poll_ms, 0.5),
        "p95_poll_ms": _percentile(room.poll_ms, 0.95),
        "participants": args.participants,
        "poll_ms": args.poll_ms,
        "seconds": round(elapsed, 1),
        **room.stats,
    }


if __name__ == "__main__":
    main()
