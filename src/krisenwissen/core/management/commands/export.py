"""``krisenwissen export FILE``: write all content as versioned JSON (see core.exchange).

The sections come from the exchange parts the apps declare on their AppConfig."""

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.exchange import counted_labels, export_file


class Command(BaseCommand):
    help = (
        "Exportiert Kommunen, Dienststellen, Netzwerke, Personen (ohne Passwörter), Krisen, Codes, "
        "Quellen und alle Wissenseinträge als JSON-Datei im Austauschformat (Version 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Zieldatei, z. B. krisenwissen-export.json")
        parser.add_argument(
            "--ohne-freigaben", action="store_true", dest="without_reviews",
            help="Freigabeprüfungen nicht exportieren.",
        )

    def handle(self, *args, file: str, without_reviews: bool = False, **options):
        try:
            document = export_file(file, include_reviews=not without_reviews)
        except OSError as exc:
            raise CommandError(f"Datei kann nicht geschrieben werden: {file} ({exc.strerror})") from exc
        for section, label in counted_labels().items():
            if section in document:
                self.stdout.write(f"{label}: {len(document[section])}")
        self.stdout.write(self.style.SUCCESS(f"Export geschrieben: {file}"))
