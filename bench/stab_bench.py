"""Krisenstab benchmark (issue 16): members writing the Einsatztagebuch on a real WSGI server.

``make bench-stab`` (``python bench/stab_bench.py [--seconds 300]``) builds a throwaway SQLite
database in a temporary data directory (``migrate``, a staff with 60 members) and serves it
with ``gunicorn krisenwissen.wsgi`` on 127.0.0.1 (2 gthread workers × 16 threads, as
bench/workshop.py). Then, for ``--seconds`` (default 300):

* 50 simulated members (writers) write, one thing every ``--interval`` seconds (jittered), each
  with its own client key: ETB entries through the fast entry's JSON interface (60 %), Meldungen
  through the message form (25 %, ``/meldungen/neu/``) and Aufträge through the task form (15 %,
  ``/auftraege/neu/``). A share of the sends (``--drop-rate``) loses its answer (the connection
  breaks after the request went out) and is sent again with the same client key, as the page's
  offline queue does (and as a second click on a form with the same one-time key);
* 10 members (readers) poll the live log (``neu.json?nach=N``) every 500 ms (start to start), as
  the page does.
  Messages and tasks show there through their automatic ETB entries („Meldung ein“, „Auftrag“).

Every write carries a marker (``w<writer>-<k>``) at the start of its text (entry text, message
content, task title). Afterwards it counts, in the database: ``entries`` (ETB rows stored),
``messages`` and ``tasks``, ``lost`` (attempted writes of any kind missing) and ``duplicated``
(stored more than once), per kind in ``by_kind``, and whether the hash chain holds.
``p50/p95_visible_ms``: from the writer's first send until a reader saw the marker in the live
log, over every (write, reader) pair. Where the time goes: ``p95_write_ms`` (send until the
server confirmed), ``p95_lag_ms`` (confirmed until seen: the poll interval plus the poll's own
time) and ``p95_poll_ms`` (one poll of the events endpoint, request to answer). Then, in the same database: ``etb_pdf_s`` (the PDF/UA export of a log of
``--pdf-entries`` = 10,000 entries), ``verify_s`` (the chain check of ``--verify-entries`` =
100,000 entries) and the peer: ``peer_sqlite_insert_per_s``, plain INSERTs of the same rows
through sqlite3 without the chain (one transaction per row, as the server commits each entry),
beside ``chain_append_per_s`` (the same rows appended with the chain in this process, without
HTTP). ``server_rss_mb`` is the server's resident memory (master and workers) at the end.

The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workshop import Client, _free_port, _process_tree, _rss_mb, start_server, stop_server  # noqa: E402

PASSWORD = "bench-stab-passwort"
JSON_HEADERS = {"Accept": "application/json", "X-Requested-With": "fetch"}


# ------------------------------------------------------------------------------------------
# Setup (Django, in this process)
# ------------------------------------------------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.dev")
    import django

    django.setup()


def setup_staff(members: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connections
    from django.utils import timezone

    from krisenwissen.accounts.models import Municipality, User
    from krisenwissen.stab.models import Staff, StaffAssignment, StaffFunction

    city, _ = Municipality.objects.get_or_create(ags="05113", defaults={"name": "Essen", "is_participating": True})
    staff = Staff.objects.create(municipality=city, name="Benchmark-Stab", activated_at=timezone.now())
    codes = ["leitung", "koordinierung", "s1", "s2", "s3", "s4", "s5", "s6"]
    functions = [StaffFunction.objects.create(staff=staff, code=c, name=c.upper(), order=i) for i, c in enumerate(codes)]
    password = make_password(PASSWORD)  # hashed once, shared by the bench accounts
    names = []
    for i in range(members):
        user = User.objects.create(username=f"bench.stab.{i}", first_name="Mitglied", last_name=str(i), password=password)
        StaffAssignment.objects.create(function=functions[i % len(functions)], user=user, started_at=timezone.now())
        names.append(user.username)
    connections.close_all()
    return {"staff": staff.pk, "users": names, "functions": [f.pk for f in functions]}


def server_truth(staff_id: int, markers: dict[str, set[str]]) -> dict:
    """What the database holds, per kind (``etb``, ``message``, ``task``): rows, and of the
    markers sent how many are missing (lost) and how many are stored more than once."""
    from django.db import connections

    from krisenwissen.stab.etb_selectors import verify
    from krisenwissen.stab.models import LogEntry, Message, Staff, Task

    sources = {
        "etb": LogEntry.objects.filter(staff_id=staff_id).values_list("text", flat=True),
        "message": Message.objects.filter(staff_id=staff_id).values_list("content", flat=True),
        "task": Task.objects.filter(staff_id=staff_id).values_list("title", flat=True),
    }
    by_kind = {}
    for kind, rows in sources.items():
        counts: dict[str, int] = {}
        total = 0
        for text in rows:
            total += 1
            marker = text.split(" ", 1)[0]
            counts[marker] = counts.get(marker, 0) + 1
        sent = markers.get(kind, set())
        by_kind[kind] = {"rows": total, "sent": len(sent), "lost": sum(1 for m in sent if counts.get(m, 0) == 0),
                         "duplicated": sum(c - 1 for m, c in counts.items() if c > 1 and m in sent)}
    holds = verify(staff=Staff.objects.get(pk=staff_id)).holds
    connections.close_all()
    return {"total": by_kind["etb"]["rows"], "messages": by_kind["message"]["rows"], "tasks": by_kind["task"]["rows"],
            "lost": sum(k["lost"] for k in by_kind.values()), "duplicated": sum(k["duplicated"] for k in by_kind.values()),
            "by_kind": by_kind, "chain_holds": holds}


# ------------------------------------------------------------------------------------------
# The simulated staff room
# ------------------------------------------------------------------------------------------


MARKER = re.compile(r"\bw\d+-\d+\b")


@dataclass
class Sent:
    marker: str
    kind: str
    first_send: float
    confirmed: float | None = None
    number: int | None = None
    attempts: int = 0


@dataclass
class Activity:
    """One kind of thing a member does: a URL, a payload and the answers that confirm it (the
    fast entry answers JSON 200/201; the message and task forms redirect, 302)."""

    name: str
    path: str
    payload: callable
    weight: float = 1.0
    confirms: tuple = (200, 201)


@dataclass
class Room:
    base: str
    staff: int
    users: list[str]
    functions: list[int]
    writers: int
    readers: int
    seconds: float
    interval: float
    drop_rate: float
    poll: float = 0.5
    settle: float = 30.0
    seed: int = 1
    sent: dict[str, Sent] = field(default_factory=dict)
    seen: list[dict[str, float]] = field(default_factory=list)
    polls: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)

    def login(self, username: str) -> Client:
        client = Client(self.base, timeout=30)
        for _attempt in range(5):
            client.request("GET", "/konto/anmelden/")
            status, _ = client.request("POST", "/konto/anmelden/", {"username": username, "password": PASSWORD})
            if status == 302:
                return client
            time.sleep(1)
        raise RuntimeError(f"login failed for {username}: {status}")

    def activities(self) -> list[Activity]:
        categories = ["lage", "meldung_ein", "meldung_aus", "entscheidung", "auftrag", "massnahme"]
        functions = self.functions
        return [
            Activity("etb", f"/stab/{self.staff}/etb/eintrag/", weight=0.60,
                     payload=lambda rnd, marker: {"category": rnd.choice(categories), "text": f"{marker} Lagemeldung aus dem Benchmark"}),
            Activity("message", f"/stab/{self.staff}/meldungen/neu/", weight=0.25, confirms=(302,),
                     payload=lambda rnd, marker: {"direction": rnd.choice(["eingang", "ausgang"]), "priority": "normal",
                                                  "channel": rnd.choice(["telefon", "funk", "email"]), "sender": "Feuerwehr, Lagedienst",
                                                  "recipient": "Krisenstab", "content": f"{marker} Lagemeldung per Vordruck aus dem Benchmark"}),
            Activity("task", f"/stab/{self.staff}/auftraege/neu/", weight=0.15, confirms=(302,),
                     payload=lambda rnd, marker: {"title": f"{marker} Auftrag aus dem Benchmark", "owner_function": rnd.choice(functions),
                                                  "description": "Rückmeldung an die Leitung."}),
        ]

    def writer(self, index: int, client: Client, stop_at: float) -> None:
        rnd = random.Random(self.seed * 1000 + index)
        activities = self.activities()
        k = 0
        time.sleep(rnd.uniform(0, self.interval))
        while time.monotonic() < stop_at:
            activity = rnd.choices(activities, weights=[a.weight for a in activities])[0]
            marker = f"w{index}-{k}"
            k += 1
            data = {**activity.payload(rnd, marker), "client_key": str(uuid.uuid4()),
                    "written_at": dt.datetime.now(dt.UTC).isoformat()}
            sent = Sent(marker=marker, kind=activity.name, first_send=time.monotonic())
            with self.lock:
                self.sent[marker] = sent
            while True:
                sent.attempts += 1
                drop = rnd.random() < self.drop_rate and sent.attempts == 1
                try:
                    status, body = client.request("POST", activity.path, data, headers=JSON_HEADERS, read=not drop)
                except OSError:
                    status, body = 0, b""
                if status in activity.confirms:
                    sent.confirmed = time.monotonic()
                    if activity.name == "etb":
                        sent.number = json.loads(body).get("number")
                    break
                if status in (200, 400):  # a form shown again, or refused: an error, not a lost answer
                    self.errors.append(f"{marker}: {body[:200]!r}")
                    break
                time.sleep(0.5)  # dropped or server trouble: the queue resends with the same client key
                if sent.attempts > 40:
                    self.errors.append(f"{marker}: gave up after {sent.attempts} attempts")
                    break
            time.sleep(max(0.0, rnd.uniform(0.5, 1.5) * self.interval))

    def reader(self, index: int, client: Client, stop_at: float) -> None:
        seen = self.seen[index]
        last = 0
        while time.monotonic() < stop_at and not self.done.is_set():
            asked = time.monotonic()
            try:
                status, body = client.request("GET", f"/stab/{self.staff}/etb/neu.json?nach={last}", headers={"Accept": "application/json"})
            except OSError:
                status, body = 0, b""
            if status == 200:
                data = json.loads(body)
                now = time.monotonic()
                self.polls.append((now - asked) * 1000)
                for entry in data["entries"]:
                    found = MARKER.search(entry["html"])
                    if found:
                        seen.setdefault(found.group(0), now)
                last = max(last, data["last"])
                if data.get("more"):
                    continue
            # As the page does: every 500 ms from the start of one poll to the next.
            time.sleep(max(0.0, self.poll - (time.monotonic() - asked)))

    def run(self) -> None:
        clients: list[Client | None] = [None] * (self.writers + self.readers)

        def login(offset):
            for i in range(offset, len(clients), 4):  # 4 at a time: logins are not what is measured
                try:
                    clients[i] = self.login(self.users[i])
                except RuntimeError as exc:
                    self.errors.append(str(exc))

        threads = [threading.Thread(target=login, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if any(c is None for c in clients):
            raise RuntimeError("not every member could log in: " + "; ".join(self.errors[:5]))
        self.seen = [{} for _ in range(self.readers)]
        start = time.monotonic()
        write_until = start + self.seconds
        read_until = write_until + self.settle
        writers = [threading.Thread(target=self.writer, args=(i, clients[i], write_until)) for i in range(self.writers)]
        readers = [threading.Thread(target=self.reader, args=(i, clients[self.writers + i], read_until), daemon=True)
                   for i in range(self.readers)]
        for t in writers + readers:
            t.start()
        for t in writers:
            t.join()
        # settle: until every reader has seen every confirmed entry (or the settle time is over)
        confirmed = {s.marker for s in self.sent.values() if s.confirmed}
        while time.monotonic() < read_until and not all(confirmed <= set(seen) for seen in self.seen):
            time.sleep(0.2)
        self.done.set()
        for t in readers:
            t.join()

    def visible_ms(self, kind: str | None = None, *, since: str = "first_send") -> list[float]:
        """Per (write, reader) pair: ms from the first send (or from the confirmation) until seen."""
        out = []
        for seen in self.seen:
            for marker, at in seen.items():
                sent = self.sent.get(marker)
                if sent is None or (kind and sent.kind != kind):
                    continue
                start = sent.first_send if since == "first_send" else sent.confirmed
                if start is not None:
                    out.append((at - start) * 1000)
        return out


# ------------------------------------------------------------------------------------------
# Large logs: PDF export, chain check, and the peer (plain INSERT without the chain)
# ------------------------------------------------------------------------------------------


def bulk_log(name: str, n: int) -> tuple[object, float]:
    """A staff with ``n`` chained entries (hashes computed by the chain); seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from krisenwissen.accounts.models import Municipality
    from krisenwissen.stab.etb_chain import GENESIS, chain_hash, iso_utc
    from krisenwissen.stab.models import LogEntry, Staff

    city = Municipality.objects.get(ags="05113")
    staff = Staff.objects.create(municipality=city, name=name, activated_at=timezone.now())
    categories = ["lage", "meldung_ein", "meldung_aus", "entscheidung", "auftrag", "massnahme"]
    start_at = timezone.now() - dt.timedelta(days=14)
    started = time.perf_counter()
    prev = GENESIS
    batch = []
    with transaction.atomic():
        for number in range(1, n + 1):
            at = start_at + dt.timedelta(seconds=number * 7)
            entry = LogEntry(staff=staff, number=number, event_at=at, entered_at=at, author_name=f"Mitglied {number % 50}",
                             author_function=f"S{number % 6 + 1}", category=categories[number % 6],
                             text=f"Eintrag {number}: Lagemeldung zur Versorgungslage im Stadtteil {number % 50}, Rückmeldung an S{number % 6 + 1}.",
                             prev_hash=prev)
            content = {"staff_uuid": str(staff.uuid), "number": number, "event_at": iso_utc(at), "entered_at": iso_utc(at),
                       "author_id": None, "author_name": entry.author_name, "author_function": entry.author_function,
                       "category": entry.category, "text": entry.text, "corrects_number": None, "written_at": None,
                       "attachment_sha256": ""}
            entry.hash = prev = chain_hash(content, prev)
            batch.append(entry)
            if len(batch) >= 5000:
                LogEntry.objects.bulk_create(batch)
                batch = []
        if batch:
            LogEntry.objects.bulk_create(batch)
    return staff, time.perf_counter() - started


def peer_insert_rate(db_path: str, staff_id: int, rows: int) -> float:
    """Plain INSERTs of the same rows through sqlite3, one transaction each, no chain (rows/s)."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE peer_log (id INTEGER PRIMARY KEY, staff_id INT, number INT, event_at TEXT, entered_at TEXT, "
                 "author_name TEXT, author_function TEXT, category TEXT, text TEXT, prev_hash TEXT, hash TEXT)")
    source = conn.execute("SELECT staff_id, number, event_at, entered_at, author_name, author_function, category, text, prev_hash, hash "
                          "FROM stab_logentry WHERE staff_id = ? ORDER BY number LIMIT ?", (staff_id, rows)).fetchall()
    started = time.perf_counter()
    for row in source:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO peer_log (staff_id, number, event_at, entered_at, author_name, author_function, category, text, "
                     "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)", row)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return len(source) / seconds if seconds else 0.0


def chain_append_rate(rows: int) -> float:
    """The same kind of rows appended one by one through ``do_append_entry`` (rows/s, no HTTP)."""
    from django.utils import timezone

    from krisenwissen.accounts.models import Municipality
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.stab.etb_actions import do_append_entry
    from krisenwissen.stab.models import Staff

    staff = Staff.objects.create(municipality=Municipality.objects.get(ags="05113"), name="Kette", activated_at=timezone.now())
    started = time.perf_counter()
    for number in range(rows):
        do_append_entry(staff, category="lage", text=f"Eintrag {number}: Lagemeldung zur Versorgungslage.", acting_user=SYSTEM)
    return rows / (time.perf_counter() - started)


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Krisenstab benchmark: ETB writers and live readers over real HTTP.")
    parser.add_argument("--seconds", type=float, default=300.0, help="how long the members write (default 5 minutes)")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--interval", type=float, default=3.0, help="mean seconds between two entries of one writer")
    parser.add_argument("--drop-rate", type=float, default=0.02, help="share of sends whose answer is lost (resent)")
    parser.add_argument("--pdf-entries", type=int, default=10_000)
    parser.add_argument("--verify-entries", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="kw-bench-stab-")
    server = None
    try:
        os.environ.update({"KRISENWISSEN_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.dev",
                           "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"})
        env = dict(os.environ)
        django_setup()
        from django.core.management import call_command
        from django.db import connection, connections

        print("Creating the database …", file=sys.stderr)
        call_command("migrate", verbosity=0)
        info = setup_staff(args.writers + args.readers)
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "krisenwissen.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
                   "--graceful-timeout", "5", "--log-level", "warning", "--no-control-socket"]
        server = start_server(command, env, port, Path(tmp) / "server.log")
        base = f"http://127.0.0.1:{port}"
        print(f"Server: {base} (gunicorn, {args.workers} gthread workers × {args.threads} threads); "
              f"{args.writers} writers, {args.readers} readers, {args.seconds:.0f} s", file=sys.stderr)
        room = Room(base=base, staff=info["staff"], users=info["users"], functions=info["functions"],
                    writers=args.writers, readers=args.readers,
                    seconds=args.seconds, interval=args.interval, drop_rate=args.drop_rate, seed=args.seed)
        started = time.monotonic()
        room.run()
        elapsed = time.monotonic() - started
        rss = round(sum(_rss_mb(pid) or 0 for pid in _process_tree(server.pid)), 1)
        stop_server(server)
        server = None
        markers: dict[str, set[str]] = {}
        for s in room.sent.values():
            markers.setdefault(s.kind, set()).add(s.marker)
        truth = server_truth(info["staff"], markers)
        visible = sorted(room.visible_ms())
        visible_by_kind = {kind: sorted(room.visible_ms(kind)) for kind in markers}
        lag = sorted(room.visible_ms(since="confirmed"))
        polls = sorted(room.polls)
        writes = sorted((s.confirmed - s.first_send) * 1000 for s in room.sent.values() if s.confirmed)

        from krisenwissen.stab.etb_export import render_pdf
        from krisenwissen.stab.etb_selectors import verify

        print(f"Building a log of {args.pdf_entries} entries for the PDF …", file=sys.stderr)
        pdf_staff, _ = bulk_log("PDF-Stab", args.pdf_entries)
        t = time.perf_counter()
        pdf = render_pdf(pdf_staff)
        pdf_s = time.perf_counter() - t
        print(f"Building a log of {args.verify_entries} entries for the chain check …", file=sys.stderr)
        verify_staff, build_s = bulk_log("Prüf-Stab", args.verify_entries)
        t = time.perf_counter()
        check = verify(staff=verify_staff)
        verify_s = time.perf_counter() - t
        chain_rate = chain_append_rate(args.peer_rows)
        db_path = connection.settings_dict["NAME"]
        connections.close_all()
        peer_rate = peer_insert_rate(str(db_path), verify_staff.pk, args.peer_rows)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1]) if len(values) >= 2 else (round(values[0]) if values else None)

    result = {
        "entries": truth["total"], "messages": truth["messages"], "tasks": truth["tasks"],
        "lost": truth["lost"], "duplicated": truth["duplicated"], "chain_holds": truth["chain_holds"],
        "p50_visible_ms": pct(visible, 50), "p95_visible_ms": pct(visible, 95),
        "p95_visible_ms_by_kind": {k: pct(v, 95) for k, v in visible_by_kind.items()},
        "p50_lag_ms": pct(lag, 50), "p95_lag_ms": pct(lag, 95), "p50_poll_ms": pct(polls, 50), "p95_poll_ms": pct(polls, 95),
        "polls": len(polls), "by_kind": truth["by_kind"],
        "etb_pdf_s": round(pdf_s, 2), "etb_pdf_entries": args.pdf_entries, "etb_pdf_bytes": len(pdf),
        "verify_s": round(verify_s, 2), "verify_entries": check.count, "verify_holds": check.holds,
        "bulk_build_100k_s": round(build_s, 1),
        "server_rss_mb": rss,
        "entries_per_s_http": round(truth["total"] / args.seconds, 1) if args.seconds else None,
        "writes_per_s_http": round(len(room.sent) / args.seconds, 1) if args.seconds else None,
        "chain_append_per_s": round(chain_rate), "peer_sqlite_insert_per_s": round(peer_rate),
        "writers": args.writers, "readers": args.readers, "seconds": args.seconds, "elapsed_s": round(elapsed, 1),
        "attempts": sum(s.attempts for s in room.sent.values()), "refused": len(room.errors),
        "p50_write_ms": pct(writes, 50), "p95_write_ms": pct(writes, 95), "drop_rate": args.drop_rate,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "server": f"gunicorn, {args.workers} gthread workers × {args.threads} threads, SQLite",
    }
    if room.errors:
        print("Refused or given up: " + "; ".join(room.errors[:5]), file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
