"""``krisenwissen regulations import LAW DIR``: import dated versions of a legal text.

``krisenwissen regulations apply BASE ACT --output NEW.md [--report REPORT.json]``: apply an
amending act (Änderungsverordnung, PDF/DOCX/HTML/Markdown/text) to a base version. Exit status 0
when every instruction for this law was applied; 1 when some failed (NEW.md and the report are
still written: the failed instructions changed nothing, all others are applied); 2 when the act
is no amending act or none of its Artikel amends the base's law (nothing is written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions
from krisenwissen.regulations.amendapply import FAILED, apply_act
from krisenwissen.regulations.amending import AmendingActError
from krisenwissen.regulations.extract import extract_text
from krisenwissen.regulations.legaltext import LegalTextError, check_usable, decode_bytes, parse
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
        app = sub.add_parser("apply", help="Änderungsverordnung auf eine Fassung anwenden (konsolidierte Fassung)")
        app.add_argument("base", help="Ausgangsfassung (Markdown, Text, HTML, DOCX, PDF)")
        app.add_argument("act", help="Änderungsverordnung (PDF, DOCX, HTML, Markdown, Text)")
        app.add_argument("--output", "-o", required=True, help="neue Fassung (Markdown in der Form der Ausgangsfassung)")
        app.add_argument("--report", help="Bericht über jeden Änderungsbefehl als JSON")
        app.add_argument("--artikel", action="append", default=None,
                         help="nur diesen Artikel anwenden (Nummer, mehrfach möglich; Standard: nach Titel der "
                              "Ausgangsfassung)")

    def handle(self, *args, action, **options):
        if action == "import":
            self.import_directory(**options)
        elif action == "apply":
            self.apply_act(**options)

    def apply_act(self, *, base, act, output, report=None, artikel=None, **_options):
        texts = []
        for name in (base, act):
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Datei nicht gefunden: {name}", returncode=2)
            try:
                texts.append(extract_text(path.read_bytes(), path.name))
            except LegalTextError as exc:
                raise CommandError(f"{name}: {exc}", returncode=2) from exc
        try:
            check_usable(parse(texts[0]))
            result = apply_act(texts[0], texts[1], articles=artikel)
        except (LegalTextError, AmendingActError) as exc:
            raise CommandError(f"{act}: {exc}", returncode=2) from exc
        Path(output).write_text(result.text, encoding="utf-8")
        if report:
            Path(report).write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for entry in result.entries:
            line = f"{entry.status:15} {entry.label}"
            if entry.reason:
                line += f": {entry.reason}"
            self.stderr.write(line)
        self.stderr.write(f"{result.summary}\nGeschrieben: {output}" + (f", {report}" if report else ""))
        if not result.ok:
            failed = [e.label for e in result.entries if e.status == FAILED]
            self.stderr.write("Nicht angewendet: " + "; ".join(failed))
            sys.exit(1)

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
