"""`krisenwissen framework load FILE …` and `krisenwissen framework list`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.policy import SYSTEM
from krisenwissen.learning.frameworks import FrameworkLoadError, load_framework_file
from krisenwissen.learning.models import Framework


class Command(BaseCommand):
    help = "Bewertungsrahmen für die Selbstbewertung laden (YAML/JSON, Schema siehe docs/learning.md) oder auflisten."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Rahmen aus einer Datei laden (alles oder nichts).")
        load.add_argument("files", nargs="+", metavar="FILE")
        sub.add_parser("list", help="Geladene Rahmen auflisten.")

    def handle(self, *args, **options):
        if options["subcommand"] == "list":
            for framework in Framework.objects.order_by("key"):
                count = sum(area.indicators.count() for area in framework.areas.all())
                self.stdout.write(f"{framework.key}\t{framework.title}\t{framework.version}\t{count} Indikatoren")
            return
        failed = False
        for name in options["files"]:
            path = Path(name)
            try:
                framework = load_framework_file(path, acting_user=SYSTEM)
            except FrameworkLoadError as exc:
                failed = True
                for error in exc.errors:
                    self.stderr.write(f"{path}: {error}")
                self.stderr.write(f"{path}: nicht geladen ({len(exc.errors)} Fehler).")
                continue
            count = sum(area.indicators.count() for area in framework.areas.all())
            self.stdout.write(f"{path}: Rahmen „{framework.title}“ ({framework.key}) geladen, {count} Indikatoren.")
        if failed:
            raise CommandError("Mindestens eine Datei enthielt Fehler; sie wurde nicht geladen.")
