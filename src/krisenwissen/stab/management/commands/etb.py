"""``krisenwissen etb verify STAFF`` and ``krisenwissen etb export STAFF --format pdf --output FILE``.

STAFF is the staff's id or UUID. ``verify`` exits 0 when the hash chain holds and 1 naming
the first broken entry when a row was changed in the database. The command line is an
operator's tool: it reads every staff (like the superuser).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.audit import record
from krisenwissen.core.policy import SYSTEM
from krisenwissen.reports.render import ReportError
from krisenwissen.stab.etb_events import EtbEvent
from krisenwissen.stab.etb_export import render_pdf
from krisenwissen.stab.etb_selectors import resolve_staff, verify


class Command(BaseCommand):
    help = "Einsatztagebuch: Hash-Kette prüfen (verify) und für das Archiv exportieren (export)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Hash-Kette eines Einsatztagebuchs prüfen")
        check.add_argument("staff", help="Id oder UUID des Stabes")
        export = sub.add_parser("export", help="Einsatztagebuch als PDF/UA exportieren")
        export.add_argument("staff", help="Id oder UUID des Stabes")
        export.add_argument("--format", choices=["pdf"], default="pdf")
        export.add_argument("--output", required=True, help="Zieldatei")

    def handle(self, *args, **options):
        staff = resolve_staff(options["staff"])
        if staff is None:
            raise CommandError(f"Einen Stab {options['staff']!r} gibt es nicht (Id oder UUID angeben).")
        if options["action"] == "verify":
            started = time.perf_counter()
            result = verify(staff=staff)
            seconds = time.perf_counter() - started
            if result.holds:
                self.stdout.write(f"Hash-Kette intakt: {result.count} Einträge, Kopf {result.head or '–'} ({seconds:.2f} s).")
                return
            self.stderr.write(f"Hash-Kette gebrochen: Eintrag Nr. {result.first_broken} stimmt nicht mehr mit der Kette überein "
                              f"(verändert, gelöscht oder eingefügt). {result.count} Einträge im Einsatztagebuch.")
            sys.exit(1)
        try:
            data = render_pdf(staff)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        Path(options["output"]).write_bytes(data)
        record(EtbEvent.LOG_EXPORTED, acting_user=SYSTEM, obj=staff, municipality=staff.municipality, format=options["format"])
        self.stdout.write(f"{options['output']}: {len(data)} Bytes")
