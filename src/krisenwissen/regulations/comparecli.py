"""``krisenwissen compare``: the command-line comparison of files (pure: no Django imports).

Shared by the Django management command (``management/commands/compare.py``, keyword rules
from the database) and the fast path of ``krisenwissen.cli`` (no Django start-up, the seeded
default keyword rules), so both give the same output, exit codes and German messages.

    krisenwissen compare OLD NEW [--format json|text|html|pdf|docx] [--output FILE] [--amt AMT] [--full]
    krisenwissen compare --pairs DIR [--format text|json] [--output FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from .compare import Comparison, assign_departments, compare
from .defaults import DEFAULT_KEYWORD_RULES
from .legaltext import LegalDocument, LegalTextError, check_usable, parse

FORMATS = ("json", "text", "html", "pdf", "docx")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


class CompareError(Exception):
    """A German message for the user; the command exits with status 1."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", nargs="?", help="bisherige Fassung (Markdown, Text, HTML, DOCX, PDF)")
    parser.add_argument("new", nargs="?", help="neue Fassung")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="Ausgabeformat (Standard: json; mit --pairs: text)")
    parser.add_argument("--output", "-o", help="Ausgabedatei (Standard: Standardausgabe; PDF/DOCX brauchen eine Datei)")
    parser.add_argument("--amt", default="", help="nur Änderungen für dieses Amt (text/HTML/PDF/DOCX)")
    parser.add_argument("--full", action="store_true",
                        help="vollständige Synopse: jede Einheit, auch unveränderte (text, html, pdf, docx; json enthält immer alle)")
    parser.add_argument("--pairs", metavar="ORDNER",
                        help="jedes aufeinanderfolgende Paar der *.md-Dateien des Ordners (nach Namen sortiert) vergleichen")
    parser.add_argument("--db-rules", action="store_true",
                        help="Stichwortregeln aus der Datenbank lesen (startet Django; sonst die mitgelieferten Regeln)")


def default_rules() -> list[tuple[str, str]]:
    return [(term, dept) for term, dept, _task in DEFAULT_KEYWORD_RULES]


def file_meta(path: Path) -> dict:
    """Version metadata known from a file: its name and the date in its name (2021-04-23.md)."""
    m = _DATE.search(path.stem)
    return {"name": path.name, "date": m.group(1) if m else None}


def load(name: str) -> LegalDocument:
    """Read, extract, parse and check one file; CompareError with a German message otherwise."""
    from .extract import extract_text  # PDF/DOCX libraries are imported only when needed

    path = Path(name)
    if not path.is_file():
        raise CompareError(f"Datei nicht gefunden: {name}")
    try:
        text = extract_text(path.read_bytes(), path.name)
        doc = parse(text, name=path.name)
        check_usable(doc)
    except LegalTextError as exc:
        raise CompareError(f"{name}: {exc}") from exc
    return doc


def run(options: dict, *, rules: Iterable[tuple[str, str]], note: Callable[[str], None], stdout=None) -> None:
    """Run the command with parsed ``options``; raises CompareError (German) on bad input."""
    out = stdout if stdout is not None else sys.stdout.buffer
    rules = list(rules)
    fmt = options.get("format")
    if options.get("pairs"):
        if options.get("old") or options.get("new"):
            raise CompareError("Entweder zwei Dateien (ALT NEU) oder --pairs ORDNER angeben, nicht beides.")
        if fmt not in (None, "text", "json"):
            raise CompareError("--pairs schreibt eine Zeile je Paar: --format text oder json.")
        _run_pairs(Path(options["pairs"]), fmt or "text", rules=rules, output=options.get("output"),
                   note=note, out=out)
        return
    old, new = options.get("old"), options.get("new")
    if not old or not new:
        raise CompareError("Bitte zwei Dateien angeben (ALT NEU) oder --pairs ORDNER.")
    fmt = fmt or "json"
    full, amt, output = bool(options.get("full")), options.get("amt") or "", options.get("output")
    docs = [load(old), load(new)]
    comparison = assign_departments(compare(*docs), rules)
    data = render(comparison, fmt, old=Path(old), new=Path(new), new_doc=docs[1], amt=amt, full=full)
    if fmt in ("pdf", "docx") and not output and out.isatty():
        raise CompareError("PDF und DOCX bitte mit --output DATEI schreiben.")
    if output:
        Path(output).write_bytes(data)
        note(f"{comparison.summary[:300]}\nGeschrieben: {output}")
    else:
        out.write(data)
        out.flush()


def render(comparison: Comparison, fmt: str, *, old: Path, new: Path, new_doc: LegalDocument, amt: str = "",
           full: bool = False) -> bytes:
    from .export import build_document, render_html, render_json, render_text

    title = f"Synopse {new_doc.abbreviation or new_doc.title or new.stem}"[:200]
    if fmt == "json":
        return render_json(comparison, old=file_meta(old), new=file_meta(new)).encode("utf-8")
    if fmt == "text":
        return render_text(comparison, old_name=old.name, new_name=new.name, full=full, department=amt).encode("utf-8")
    if fmt == "html":
        return render_html(comparison, title=title, old_name=old.name, new_name=new.name, department=amt,
                           full=full).encode("utf-8")
    from krisenwissen.reports.render import render_docx, render_pdf

    document = build_document(comparison, title=title, old_name=old.name, new_name=new.name, department=amt,
                              full=full)
    return render_pdf(document) if fmt == "pdf" else render_docx(document)


def _run_pairs(folder: Path, fmt: str, *, rules: list[tuple[str, str]], output: str | None,
               note: Callable[[str], None], out) -> None:
    """Compare every consecutive pair of the folder's *.md files (by name) in this one process."""
    from .export import render_json

    if not folder.is_dir():
        raise CompareError(f"Ordner nicht gefunden: {folder}")
    files = sorted(p for p in folder.glob("*.md") if p.is_file())
    if len(files) < 2:
        raise CompareError(f"Im Ordner {folder} liegen weniger als zwei Markdown-Dateien (*.md).")
    sink = open(output, "wb") if output else out  # noqa: SIM115 - closed below
    failed = 0
    cache: dict[Path, LegalDocument | CompareError] = {}

    def get(path: Path) -> LegalDocument:
        if path not in cache:
            try:
                cache[path] = load(str(path))
            except CompareError as exc:
                cache[path] = exc
        doc = cache[path]
        if isinstance(doc, CompareError):
            raise doc
        return doc

    try:
        for a, b in zip(files, files[1:], strict=False):
            try:
                comparison = assign_departments(compare(get(a), get(b)), rules)
            except CompareError as exc:
                failed += 1
                note(f"{a.name} → {b.name}: {exc}")
                continue
            finally:
                cache.pop(a, None)  # each file is parsed once; the older one is no longer needed
            if fmt == "json":
                line = render_json(comparison, old=file_meta(a), new=file_meta(b), indent=None)
            else:
                line = f"{a.name} → {b.name}: {comparison.summary}"
            sink.write(line.encode("utf-8") + b"\n")
        sink.flush()
    finally:
        if output:
            sink.close()
    if output:
        note(f"{len(files) - 1 - failed} Paare verglichen\nGeschrieben: {output}")
    if failed:
        raise CompareError(f"{failed} von {len(files) - 1} Paaren nicht verglichen (siehe oben).")


# ---------------------------------------------------------------------------- fast path

# Options that belong to Django's command machinery: with any of them the Django path runs.
_DJANGO_OPTIONS = ("--settings", "--pythonpath", "--traceback", "--no-color", "--force-color", "--skip-checks",
                   "--version", "-v", "--verbosity", "-h", "--help", "--db-rules")


def fast_path_possible(args: list[str]) -> bool:
    """True when ``krisenwissen compare ARGS`` needs no Django (files, seeded keyword rules)."""
    return not any(a == opt or a.startswith(opt + "=") or (opt == "-v" and a.startswith("-v"))
                   for a in args for opt in _DJANGO_OPTIONS)


def main(args: list[str]) -> int:
    """``krisenwissen compare`` without Django: same output, exit codes and messages as the command."""
    parser = argparse.ArgumentParser(prog="krisenwissen compare",
                                     description="Vergleicht zwei Fassungen eines Rechtstexts (Dateien) strukturbewusst.")
    add_arguments(parser)
    options = vars(parser.parse_args(args))
    try:
        run(options, rules=default_rules(), note=lambda message: sys.stderr.write(message + "\n"))
    except CompareError as exc:
        # the wording of Django's command runner, so scripts see the same text either way
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    return 0

