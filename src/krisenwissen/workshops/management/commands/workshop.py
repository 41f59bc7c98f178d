"""``krisenwissen workshop list --json`` and ``krisenwissen workshop protocol ID --format pdf|docx
--output FILE [--synthesis]``.

The command line is an operator's tool: it reads every workshop (like the superuser).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.reports.http import render
from krisenwissen.reports.render import ReportError
from krisenwissen.workshops.documents import protocol_document, synthesis_document
from krisenwissen.workshops.models import Workshop


class Command(BaseCommand):
    help = "Reflexionsräume: Workshops auflisten, Ergebnisprotokoll und Synthesebericht erzeugen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Workshops auflisten")
        listing.add_argument("--json", action="store_true", help="als JSON ausgeben")
        protocol = sub.add_parser("protocol", help="Ergebnisprotokoll (oder mit --synthesis den Synthesebericht) erzeugen")
        protocol.add_argument("id", type=int)
        protocol.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        protocol.add_argument("--output", required=True, help="Zieldatei")
        protocol.add_argument("--synthesis", action="store_true", help="Synthesebericht statt Ergebnisprotokoll")

    def handle(self, *args, **options):
        if options["action"] == "list":
            rows = [{"id": w.pk, "title": w.title, "kind": w.kind, "status": w.status, "start_date": w.start_date.isoformat(),
                     "host": w.host.name, "cards": w.cards.count()}
                    for w in Workshop.objects.select_related("host").order_by("start_date", "pk")]
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                for row in rows:
                    self.stdout.write(f"{row['id']:>5}  {row['start_date']}  {row['status']:<16} {row['title']} ({row['host']}, {row['cards']} Karten)")
            return
        workshop = Workshop.objects.filter(pk=options["id"]).first()
        if workshop is None:
            raise CommandError(f"Workshop {options['id']} gibt es nicht. `krisenwissen workshop list` zeigt die vorhandenen.")
        document = synthesis_document(workshop) if options["synthesis"] else protocol_document(workshop)
        try:
            data = render(document, options["format"])
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        target = Path(options["output"])
        try:
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError as exc:
            raise CommandError(f"Die Datei {target} ließ sich nicht schreiben: {exc.strerror}") from None
        kind = "Synthesebericht" if options["synthesis"] else "Ergebnisprotokoll"
        self.stderr.write(f"{kind} geschrieben: {target} ({len(data) // 1024} KiB)")
