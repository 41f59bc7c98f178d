"""``krisenwissen ingest PATH...``: upload and extract documents from the console.

Runs as the server's operator (SYSTEM). Each file is checked, stored and extracted at once
(not in the background), with a progress bar on the terminal; ``--json`` prints a report.
Refused files are reported with their German reason; the others are not affected.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.policy import SYSTEM
from krisenwissen.documents.ingest_actions import do_upload_document, run_extraction
from krisenwissen.documents.ingest_limits import limits
from krisenwissen.documents.models import DocumentKind
from krisenwissen.knowledge.models import Visibility


class Command(BaseCommand):
    help = "Lädt Dokumente hoch und verarbeitet sie (Text, Seiten, Textstellen, Vorschläge)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Dateien (PDF, Bilder, DOCX, ODT, HTML, Markdown, Text, .eml).")
        parser.add_argument("--municipality", "--kommune", dest="municipality", metavar="AGS",
                            help="Amtlicher Gemeindeschlüssel der Kommune (nötig, wenn es mehrere gibt).")
        parser.add_argument("--visibility", choices=Visibility.values, default=Visibility.INTERN,
                            help="Sichtbarkeit der Dokumente (Standard: intern).")
        parser.add_argument("--kind", choices=DocumentKind.values, default=DocumentKind.DOKUMENT)
        parser.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben.")

    def handle(self, *args, **options):
        municipality = self._municipality(options["municipality"])
        paths = [Path(p) for p in options["paths"]]
        report = []
        progress = self._progress(options["json"])
        with progress:
            overall = progress.add_task("Dokumente", total=len(paths))
            for path in paths:
                report.append(self._ingest(path, municipality, options, progress))
                progress.advance(overall)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            for row in report:
                mark = "✓" if row["ok"] else "✗"
                self.stdout.write(f"{mark} {row['file']}: {row['message']}")
        failed = sum(1 for row in report if not row["ok"])
        if failed and not options["json"]:
            self.stderr.write(f"{failed} von {len(report)} Dateien nicht verarbeitet.")

    def _ingest(self, path: Path, municipality, options, progress) -> dict:
        row = {"file": str(path), "ok": False}
        try:
            if not path.is_file():
                raise ValidationError(f"„{path}“ ist keine lesbare Datei.")
            if path.stat().st_size > limits().max_bytes:
                raise ValidationError(f"Die Datei ist {path.stat().st_size / 1024 / 1024:.1f} MB groß; erlaubt sind "
                                      f"höchstens {limits().max_bytes / 1024 / 1024:.0f} MB.")
            result = do_upload_document(municipality=municipality, data=path.read_bytes(), filename=path.name,
                                        visibility=options["visibility"], kind=options["kind"], acting_user=SYSTEM,
                                        enqueue=False)
        except (ValidationError, OSError) as exc:
            row["message"] = " ".join(getattr(exc, "messages", [str(exc)]))
            return row
        version = result.version
        if not result.duplicate:
            task = progress.add_task(path.name[:40], total=None)

            def on_progress(done, total):
                progress.update(task, completed=done, total=total)

            version = run_extraction(version.pk, on_progress=on_progress)
            progress.remove_task(task)
            result.document.refresh_from_db()
        row.update({"ok": version.status in ("fertig", "ocr_fehlt"), "duplicate": result.duplicate,
                    "document_id": result.document.pk, "title": result.document.title, "version": version.number,
                    "status": version.status, "pages": version.page_count, "passages": version.passages.count(),
                    "ocr": version.ocr_used})
        row["message"] = version.error or (f"verarbeitet: {row['pages'] or 'ohne'} Seiten, {row['passages']} Textstellen"
                                           if row["ok"] else "nicht verarbeitet")
        if result.duplicate:
            row["message"] = result.message
        return row

    def _municipality(self, ags):
        if ags:
            municipality = Municipality.objects.filter(ags=ags).first()
            if municipality is None:
                raise CommandError(f"Keine Kommune mit dem Schlüssel {ags}.")
            return municipality
        from django.conf import settings

        from krisenwissen.accounts.selectors import participating_municipalities

        # An installation of one city names it once (KRISENWISSEN_DEFAULT_MUNICIPALITY), or has
        # exactly one participating municipality; a network installation asks every time.
        default = getattr(settings, "KRISENWISSEN_DEFAULT_MUNICIPALITY", "")
        if default:
            return self._municipality(default)
        candidates = list(participating_municipalities()[:20])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise CommandError("Es gibt noch keine teilnehmende Kommune. Bitte zuerst eine Kommune anlegen "
                               "(Verwaltung) und sie mit --municipality AGS angeben.")
        choices = ", ".join(f"{m.ags} ({m.name})" for m in candidates)
        raise CommandError(f"Bitte die Kommune mit --municipality AGS angeben (oder KRISENWISSEN_DEFAULT_MUNICIPALITY "
                           f"setzen); teilnehmende Kommunen: {choices}.")

    def _progress(self, quiet: bool):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=sys.stderr, stderr=True)
        return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console, disable=quiet or not console.is_terminal, transient=True)
