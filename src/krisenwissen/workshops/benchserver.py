"""A small pre-forking WSGI server for the workshop benchmark (stdlib only).

``python -m krisenwissen.workshops.benchserver PORT WORKERS`` serves the project on
127.0.0.1:PORT with WORKERS processes that share one listening socket, each handling requests
on a pool of 16 threads (Django's WSGIServer and request handler, without request logging). It stands in for what a
production deployment does with several worker processes (e.g. gunicorn -w 2): one Python
process is bound to one core by the GIL, and ``runserver`` is one process.
"""

from __future__ import annotations

import os
import signal
import sys


def main(argv: list[str]) -> None:
    port, workers = int(argv[0]), int(argv[1]) if len(argv) > 1 else 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.dev")
    import django

    django.setup()
    from concurrent.futures import ThreadPoolExecutor

    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - signature of the base class
            return None

    class PooledWSGIServer(WSGIServer):
        """Requests run on a fixed pool of threads, so each thread keeps its database
        connection (CONN_MAX_AGE) instead of opening one per request."""

        pool: ThreadPoolExecutor | None = None

        def process_request(self, request, client_address):
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=16)
            self.pool.submit(self._work, request, client_address)

        def _work(self, request, client_address):
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    app = get_wsgi_application()
    server = PooledWSGIServer(("127.0.0.1", port), QuietHandler)
    server.request_queue_size = 256
    server.set_app(app)
    connections.close_all()
    children: list[int] = []
    for _ in range(max(0, workers - 1)):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            server.serve_forever()
            os._exit(0)
        children.append(pid)

    def stop(*_args):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for child in children:
            try:
                os.waitpid(child, 0)
            except ChildProcessError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
