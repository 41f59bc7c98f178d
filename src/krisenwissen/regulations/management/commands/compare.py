"""``krisenwissen compare OLD NEW --format json|html|pdf|docx [--output FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.regulations.compare import assign_departments, compare
from krisenwissen.regulations.defaults import DEFAULT_KEYWORD_RULES
from krisenwissen.regulations.export import build_document, render_html, render_json
from krisenwissen.regulations.extract import extract_text
from krisenwissen.regulations.legaltext import LegalTextError, check_usable, parse
from krisenwissen.regulations.selectors import active_rules
from krisenwissen.reports.render import render_docx, render_pdf


class Command(BaseCommand):
    help = "Vergleicht zwei Fassungen eines Rechtstexts (Dateien) strukturbewusst."

    def add_arguments(self, parser):
        parser.add_argument("old", help="bisherige Fassung (Markdown, Text, HTML, DOCX, PDF)")
        parser.add_argument("new", help="neue Fassung")
        parser.add_argument("--format", choices=["json", "html", "pdf", "docx"], default="json")
        parser.add_argument("--output", "-o", help="Ausgabedatei (Standard: Standardausgabe; PDF/DOCX brauchen eine Datei)")
        parser.add_argument("--amt", default="", help="nur Änderungen für dieses Amt (HTML/PDF/DOCX)")

    def handle(self, *args, old, new, format, output=None, amt="", **options):
        docs = []
        for name in (old, new):
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Datei nicht gefunden: {name}")
            try:
                text = extract_text(path.read_bytes(), path.name)
                doc = parse(text, name=path.name)
                check_usable(doc)
            except LegalTextError as exc:
                raise CommandError(f"{name}: {exc}") from exc
            docs.append(doc)
        comparison = assign_departments(compare(*docs), _rules())
        title = f"Synopse {docs[1].abbreviation or docs[1].title or Path(new).stem}"[:200]
        old_name, new_name = Path(old).name, Path(new).name
        if format == "json":
            data = render_json(comparison).encode("utf-8")
        elif format == "html":
            data = render_html(comparison, title=title, old_name=old_name, new_name=new_name, department=amt).encode("utf-8")
        else:
            document = build_document(comparison, title=title, old_name=old_name, new_name=new_name, department=amt)
            data = render_pdf(document) if format == "pdf" else render_docx(document)
            if not output and sys.stdout.isatty():
                raise CommandError("PDF und DOCX bitte mit --output DATEI schreiben.")
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"{comparison.summary[:300]}\nGeschrieben: {output}")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()


def _rules() -> list[tuple[str, str]]:
    """Active keyword rules from the database; the seeded defaults when it is not set up."""
    try:
        rules = active_rules()
        if rules:
            return rules
    except Exception:  # no database (e.g. a fresh checkout): fall back to the defaults
        pass
    return [(term, dept) for term, dept, _task in DEFAULT_KEYWORD_RULES]
