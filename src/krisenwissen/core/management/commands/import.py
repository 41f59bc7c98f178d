"""``krisenwissen import FILE``: validate a JSON export completely, then import it atomically."""

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.exchange import (
    ExchangeError,
    import_file,
    parse_exchange_file,
    validate_document,
)


class Command(BaseCommand):
    help = (
        "Importiert eine JSON-Datei im Austauschformat. Die ganze Datei wird zuerst geprüft; nur "
        "wenn sie fehlerfrei ist, wird sie in einer Transaktion geschrieben. Einträge mit gleicher "
        "UUID (bzw. gleichem AGS, Benutzernamen, Schlüssel) werden aktualisiert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Die zu importierende JSON-Datei")
        parser.add_argument("--nur-pruefen", action="store_true", dest="check_only",
                            help="Nur prüfen, nichts schreiben.")

    def handle(self, *args, file: str, check_only: bool = False, **options):
        try:
            if check_only:
                validate_document(parse_exchange_file(file))
                self.stdout.write(self.style.SUCCESS("Die Datei ist gültig; es wurde nichts geschrieben."))
                return
            result = import_file(file)
        except ExchangeError as exc:
            self.stderr.write(exc.report())
            raise CommandError(
                f"Import abgebrochen ({len(exc.problems)} Fehler); es wurde nichts geändert."
            ) from exc
        for line in result.lines() or ["keine Einträge"]:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import abgeschlossen."))
