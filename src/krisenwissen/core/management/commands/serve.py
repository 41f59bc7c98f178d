"""``krisenwissen serve``: run the platform with gunicorn, the production WSGI server.

The command checks the settings first (no DEBUG, a real secret key), then replaces itself
with ``python -m gunicorn krisenwissen.wsgi`` so that systemd or a container runtime sees
gunicorn's master process directly (signals, exit code, reload with HUP).

Every option has an environment variable, so a systemd unit or a compose file configures the
server through its environment file alone:

====================  =================================  ==========================================
option                environment                        default
====================  =================================  ==========================================
``--bind``            ``KRISENWISSEN_BIND``              ``127.0.0.1:8000``
``--workers``         ``KRISENWISSEN_WORKERS``           2 × cores + 1, at most 9
``--threads``         ``KRISENWISSEN_THREADS``           4 (gthread workers)
``--timeout``         ``KRISENWISSEN_TIMEOUT``           60 s
``--graceful-timeout`` ``KRISENWISSEN_GRACEFUL_TIMEOUT`` 30 s
``--max-requests``    ``KRISENWISSEN_MAX_REQUESTS``      1000 (plus up to 10 % jitter)
====================  =================================  ==========================================
"""

from __future__ import annotations

import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MAX_DEFAULT_WORKERS = 9


def default_workers() -> int:
    """gunicorn's rule of thumb (2 × cores + 1), capped: each worker holds the whole
    application in memory, and a municipal VM with many cores rarely has the RAM for more."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{name} muss eine ganze Zahl sein, nicht {raw!r}.") from None


def _positive(value: int, label: str, *, minimum: int = 1) -> int:
    if value < minimum:
        raise CommandError(f"{label} muss mindestens {minimum} sein (angegeben: {value}).")
    return value


class Command(BaseCommand):
    help = (
        "Startet krisenwissen mit gunicorn (Produktionsserver). Optionen auch über Umgebungsvariablen "
        "KRISENWISSEN_BIND, KRISENWISSEN_WORKERS, KRISENWISSEN_THREADS, KRISENWISSEN_TIMEOUT, "
        "KRISENWISSEN_GRACEFUL_TIMEOUT, KRISENWISSEN_MAX_REQUESTS."
    )
    # Django's system checks (errors) run before handle(), as for every command: gunicorn's
    # workers do not run them, so a broken configuration is caught here, before binding.

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None,
                            help="Adresse:Port oder unix:/pfad (Standard: KRISENWISSEN_BIND oder 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=None,
                            help="Anzahl Worker-Prozesse (Standard: KRISENWISSEN_WORKERS oder 2 × Kerne + 1, höchstens 9).")
        parser.add_argument("--threads", type=int, default=None,
                            help="Threads je Worker (Standard: KRISENWISSEN_THREADS oder 4).")
        parser.add_argument("--timeout", type=int, default=None,
                            help="Sekunden, nach denen ein hängender Worker neu gestartet wird (Standard: 60).")
        parser.add_argument("--graceful-timeout", type=int, default=None,
                            help="Sekunden für laufende Anfragen beim Neustart/Stopp (Standard: 30).")
        parser.add_argument("--max-requests", type=int, default=None,
                            help="Worker nach so vielen Anfragen erneuern, 0 = nie (Standard: 1000, mit Streuung).")
        parser.add_argument("--print-command", action="store_true",
                            help="Nur den gunicorn-Aufruf ausgeben, nicht starten.")

    def handle(self, *args, **options):
        self.refuse_unsafe_settings()
        command = self.gunicorn_command(options)
        if options["print_command"]:
            self.stdout.write(shlex.join(command))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)

    def refuse_unsafe_settings(self) -> None:
        if settings.DEBUG:
            raise CommandError(
                "DEBUG ist eingeschaltet: serve ist der Produktionsserver und startet so nicht. "
                "Setzen Sie DJANGO_SETTINGS_MODULE=krisenwissen.settings.production "
                "(für die Entwicklung: krisenwissen runserver)."
            )
        if not os.environ.get("DJANGO_SECRET_KEY"):
            raise CommandError(
                "DJANGO_SECRET_KEY ist nicht gesetzt: serve startet nicht mit dem Entwicklungsschlüssel. "
                "Erzeugen Sie einen Schlüssel (mindestens 50 Zeichen), z. B. mit "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(64))'."
            )

    def gunicorn_command(self, options) -> list[str]:
        bind = options["bind"] or os.environ.get("KRISENWISSEN_BIND", "").strip() or "127.0.0.1:8000"
        workers = _positive(options["workers"] if options["workers"] is not None
                            else _env_int("KRISENWISSEN_WORKERS", default_workers()), "Die Zahl der Worker")
        threads = _positive(options["threads"] if options["threads"] is not None
                            else _env_int("KRISENWISSEN_THREADS", 4), "Die Zahl der Threads")
        timeout = _positive(options["timeout"] if options["timeout"] is not None
                            else _env_int("KRISENWISSEN_TIMEOUT", 60), "Das Zeitlimit")
        graceful = _positive(options["graceful_timeout"] if options["graceful_timeout"] is not None
                             else _env_int("KRISENWISSEN_GRACEFUL_TIMEOUT", 30), "Das Zeitlimit beim Beenden")
        max_requests = _positive(options["max_requests"] if options["max_requests"] is not None
                                 else _env_int("KRISENWISSEN_MAX_REQUESTS", 1000), "max-requests", minimum=0)
        command = [
            sys.executable, "-m", "gunicorn", "krisenwissen.wsgi:application",
            "--bind", bind,
            "--workers", str(workers),
            "--worker-class", "gthread",
            "--threads", str(threads),
            "--timeout", str(timeout),
            "--graceful-timeout", str(graceful),
            "--max-requests", str(max_requests),
            # Jitter spreads the restarts so that the workers do not all recycle at once.
            "--max-requests-jitter", str(max_requests // 10),
            # Access and error log to stdout/stderr: journald or the container runtime keeps them.
            "--access-logfile", "-",
            "--error-logfile", "-",
            # The client address comes from X-Forwarded-For in Django (KRISENWISSEN_TRUSTED_PROXIES);
            # gunicorn logs the socket peer, so the access log shows the proxy, as it should.
            "--forwarded-allow-ips", ",".join(settings.KRISENWISSEN_TRUSTED_PROXIES) or "127.0.0.1",
            # gunicorn >= 25.1 opens a control socket at a fixed per-user path by default; two
            # instances on one host (or a read-only home) must not trip over it.
            "--no-control-socket",
        ]
        if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
            # Heartbeat files in memory: a slow or read-only /tmp must not make workers look hung.
            command += ["--worker-tmp-dir", "/dev/shm"]
        return command
