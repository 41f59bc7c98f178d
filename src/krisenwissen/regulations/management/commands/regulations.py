"""``krisenwissen regulations import LAW DIR``: import dated versions of a legal text."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from krisenwissen.regulations.legaltext import decode_bytes, parse
from krisenwissen.regulations.models import LegalText, Level


class Command(BaseCommand):
    help = "Verordnungs-Synopse: Fassungen importieren."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Ordner mit Dateien JJJJ-MM-TT.md als Fassungen importieren")
        imp.add_argument("law", help="Abkürzung des Rechtstexts, z. B. IfSG (wird angelegt, wenn es sie nicht gibt)")
        imp.add_argument("directory")
        imp.add_argument("--title", default="", help="Titel (Standard: aus der neuesten Datei)")
        imp.add_argument("--level", choices=Level.values, default=Level.BUND)
        imp.add_argument("--state", default="")
        imp.add_argument("--source", default="", help="Quelle, die bei jeder Fassung vermerkt wird")
        imp.add_argument("--skip-invalid", action="store_true",
                         help="unbrauchbare Dateien überspringen statt den ganzen Import abzulehnen")

    def handle(self, *args, action, **options):
        if action == "import":
            self.import_directory(**options)

    def import_directory(self, *, law, directory, title="", level=Level.BUND, state="", source="", skip_invalid=False,
                         **_options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"Ordner nicht gefunden: {directory}")
        legal_text = LegalText.objects.filter(abbreviation__iexact=law).first()
        try:
            if legal_text is None:
                if not title:
                    newest = sorted(folder.glob("*.md"))
                    title = parse(decode_bytes(newest[-1].read_bytes())).title if newest else law
                legal_text = actions.do_create_legal_text(title=title[:500] or law, abbreviation=law, level=level,
                                                          state=state, acting_user=SYSTEM)
            report = actions.do_import_directory(legal_text, folder, skip_invalid=skip_invalid, source=source,
                                                 acting_user=SYSTEM)
        except ValidationError as exc:
            raise CommandError("Import abgelehnt, nichts gespeichert:\n  " + "\n  ".join(exc.messages)) from exc
        for line in report.skipped or []:
            self.stderr.write(f"übersprungen: {line}")
        self.stdout.write(f"{legal_text.abbreviation}: {report.created} neu, {report.updated} aktualisiert, "
                          f"{report.unchanged} unverändert, {len(report.skipped or [])} übersprungen")
