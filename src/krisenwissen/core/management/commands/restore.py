"""``krisenwissen restore DIR [--force]`` (see :mod:`krisenwissen.core.backup`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.backup import restore_backup
from krisenwissen.core.backupfiles import BackupError


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung (krisenwissen backup) in eine leere Installation wieder her: prüft "
        "zuerst alle Prüfsummen, dann Datenbank und Dateien. Server und Worker vorher anhalten."
    )
    # The installation may be empty or broken; nothing is checked before the restore.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="VERZEICHNIS")
        parser.add_argument("--force", action="store_true",
                            help="Auch in eine nicht leere Installation: ersetzt Datenbank und hochgeladene Dateien.")

    def handle(self, *args, directory: str, force: bool = False, **options):
        try:
            result = restore_backup(Path(directory), force=force)
        except BackupError as exc:
            raise CommandError("Wiederherstellung abgebrochen:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Sicherung vom {result.manifest.get('created_at')} wiederhergestellt: Datenbank "
            f"({result.manifest['database']['vendor']}) und {result.files} Dateien."))
        if result.pending_migrations:
            self.stdout.write(self.style.WARNING(
                f"Die Sicherung stammt von einer älteren Version: {len(result.pending_migrations)} Migrationen "
                "fehlen noch. Jetzt „krisenwissen migrate“ ausführen."))
