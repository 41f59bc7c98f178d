"""`krisenwissen qda …`: REFI-QDA exchange on the command line (as the operator, SYSTEM).

- ``export --output FILE.qdpx``: the whole coded project (every document's newest processed
  version, codings, memos, code book, coders); ``--output FILE.qdc`` writes the code book only.
- ``import FILE.qdpx --kommune AGS [--schema KEY]``: import a project (new documents belong to
  the municipality); ``import FILE.qdc [--schema KEY]`` imports a code book. ``--json`` prints
  the import report as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge.models import Scheme

MAX_BYTES = 100 * 1024 * 1024


class Command(BaseCommand):
    help = "REFI-QDA: codiertes Projekt (QDPX) oder Codebuch (QDC) exportieren und importieren."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Projekt (.qdpx) oder Codebuch (.qdc) exportieren.")
        export.add_argument("--output", required=True, help="Zieldatei (.qdpx oder .qdc).")
        imp = sub.add_parser("import", help="Projekt (.qdpx) oder Codebuch (.qdc) importieren.")
        imp.add_argument("file", help="REFI-QDA-Datei.")
        imp.add_argument("--kommune", metavar="AGS", help="Kommune der neuen Dokumente (Amtlicher Gemeindeschlüssel).")
        imp.add_argument("--schema", metavar="KEY", help="Schema für neue Codes (Schlüssel; sonst „refi-qda-import“).")
        imp.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben.")

    def handle(self, *args, **options):
        from krisenwissen.documents import coding_qda as qda

        if options["subcommand"] == "export":
            output = Path(options["output"])
            data = (qda.do_export_codebook(acting_user=SYSTEM) if output.suffix.lower() == ".qdc"
                    else qda.do_export_project(acting_user=SYSTEM))
            output.write_bytes(data)
            self.stdout.write(f"Geschrieben: {output} ({len(data)} Bytes)")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("Die Datei ist zu groß (höchstens 100 MB).")
        scheme = None
        if options["schema"]:
            scheme = Scheme.objects.filter(key=options["schema"]).first()
            if scheme is None:
                raise CommandError(f"Unbekanntes Schema: {options['schema']}")
        data = path.read_bytes()
        try:
            if path.suffix.lower() == ".qdc":
                report = qda.do_import_codebook(data, scheme=scheme, acting_user=SYSTEM)
            else:
                municipality = None
                if options["kommune"]:
                    municipality = Municipality.objects.filter(ags=options["kommune"]).first()
                    if municipality is None:
                        raise CommandError(f"Unbekannte Kommune (AGS): {options['kommune']}")
                report = qda.do_import_project(data, municipality=municipality, scheme=scheme, acting_user=SYSTEM)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for key, value in report.as_dict().items():
                self.stdout.write(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
