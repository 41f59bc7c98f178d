"""``krisenwissen gemeinden import FILE``: load Kreise and Gemeinden from Destatis GV100AD."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.actions import do_import_municipalities
from krisenwissen.accounts.gemeinden import GV100FormatError, read_gv100ad
from krisenwissen.core.policy import SYSTEM


class Command(BaseCommand):
    help = "Gemeindeverzeichnis (Destatis GV100AD) verwalten."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, title="Unterbefehle")
        import_parser = subcommands.add_parser(
            "import",
            help="Kreise und Gemeinden aus einer GV100AD-Datei laden (bestehende per AGS aktualisieren).",
        )
        import_parser.add_argument("file", help="Pfad zur GV100AD-Datei, z. B. GV100AD_301123.txt")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "import":
            self.handle_import(Path(options["file"]))

    def handle_import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        try:
            # Parse everything before writing anything: a bad line must not leave half an import.
            records = list(read_gv100ad(path))
        except GV100FormatError as exc:
            raise CommandError(f"{path.name}, {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Datei kann nicht gelesen werden: {path} ({exc.strerror})") from exc
        counts = do_import_municipalities(records, acting_user=SYSTEM)
        for level, label in (("kreis", "Kreise und kreisfreie Städte"), ("gemeinde", "Gemeinden")):
            self.stdout.write(
                f"{label}: {counts.created[level]} neu, {counts.updated[level]} aktualisiert, "
                f"{counts.unchanged[level]} unverändert"
            )
        self.stdout.write(self.style.SUCCESS("Gemeindeverzeichnis importiert."))
