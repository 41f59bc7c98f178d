"""``krisenwissen backup DIR`` and ``krisenwissen backup verify DIR`` (see :mod:`krisenwissen.core.backup`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.backup import create_backup, verify_backup
from krisenwissen.core.backupfiles import BackupError


class Command(BaseCommand):
    help = (
        "Sichert die Datenbank (SQLite: Online-Sicherung im laufenden Betrieb; PostgreSQL: pg_dump) "
        "und alle hochgeladenen Dateien mit Prüfsummen nach VERZEICHNIS. "
        "„backup verify VERZEICHNIS“ prüft eine Sicherung."
    )

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="+", metavar="[verify] VERZEICHNIS",
                            help="Neues (oder leeres) Zielverzeichnis; mit „verify“ davor: die zu prüfende Sicherung.")

    def handle(self, *args, **options):
        if len(args) == 2 and args[0] == "verify":
            try:
                manifest = verify_backup(Path(args[1]))
            except BackupError as exc:
                raise CommandError("Sicherung fehlerhaft:\n" + "\n".join(exc.problems)) from None
            self.stdout.write(self.style.SUCCESS(
                f"Sicherung in Ordnung: {len(manifest['files'])} Dateien und die Datenbank "
                f"({manifest['database']['vendor']}) geprüft, Stand {manifest.get('created_at')}."))
            return
        if len(args) != 1:
            raise CommandError("Aufruf: krisenwissen backup VERZEICHNIS oder krisenwissen backup verify VERZEICHNIS")
        try:
            manifest = create_backup(Path(args[0]))
        except BackupError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Sicherung geschrieben nach {args[0]}: Datenbank ({manifest['database']['vendor']}) und "
            f"{len(manifest['files'])} Dateien."))
