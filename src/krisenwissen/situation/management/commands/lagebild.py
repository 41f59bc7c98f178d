"""``krisenwissen lagebild import|status|report``: the Lagebild on the command line.

    krisenwissen lagebild import ../shared/data/covid/districts [--format districts] [--user NAME]
    krisenwissen lagebild import ../shared/data/covid/rki/Fallzahlen_Kum_Tab_2021-11-22.xlsx
    krisenwissen lagebild status --date 2021-04-26 --json [--current-values] [--area 05113] [--user NAME]
    krisenwissen lagebild report --date 2021-04-26 --format pdf|docx --output FILE [--user NAME]
    krisenwissen lagebild check-rules my-rules.yaml

Without ``--user`` the command acts as the server operator: imports are allowed (as
``core.policy.SYSTEM``), status and report cover the five partner cities (the default
followed areas) and only public notes.
With ``--user`` the user's followed areas, rule sets and readable notes are used, and
imports need that user's rights.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.policy import SYSTEM
from krisenwissen.reports.http import render
from krisenwissen.situation import display, selectors
from krisenwissen.situation.actions import do_import_file
from krisenwissen.situation.forms import DateForm
from krisenwissen.situation.models import Area, Indicator
from krisenwissen.situation.parsing import FORMATS, RKI_WORKBOOK
from krisenwissen.situation.report import build_report
from krisenwissen.situation.rules_engine import RuleFileError, load_ruleset


def _parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ungültiges Datum „{text}“ (erwartet JJJJ-MM-TT).") from None
    if not DateForm.FIRST <= day <= DateForm.LAST:
        raise CommandError(f"Datum „{text}“ außerhalb von {DateForm.FIRST.isoformat()} bis "
                           f"{DateForm.LAST.isoformat()}.")
    return day


def _format_for(path: Path) -> str | None:
    name = path.name
    if name == "ref-de-districts.tsv":
        return "districts-ref"
    if name.startswith("de-district_timeseries-"):
        return "districts"
    if path.parent.name == "divi-districts" and path.suffix == ".tsv":
        return "divi-districts"
    if path.suffix.lower() == ".xlsx":
        return RKI_WORKBOOK
    return None  # detected from the header


def files_in_order(paths: list[Path]) -> list[Path]:
    """Files of the given paths; the district reference table first (it creates the areas)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(x for x in p.rglob("*") if x.is_file() and x.suffix in (".tsv", ".csv", ".xlsx")))
        elif p.is_file():
            files.append(p)
        else:
            raise CommandError(f"Nicht gefunden: {p}")
    return sorted(files, key=lambda f: (f.name != "ref-de-districts.tsv", str(f)))


class Command(BaseCommand):
    help = "Lagebild: Daten importieren, Regelstatus ausgeben, Lagebericht erzeugen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Dateien oder Verzeichnisse importieren (idempotent).")
        imp.add_argument("paths", nargs="+", type=Path)
        imp.add_argument("--format", choices=sorted(FORMATS), default=None)
        imp.add_argument("--user", default=None)
        imp.add_argument("--json", action="store_true", help="Bericht als JSON")
        st = sub.add_parser("status", help="Regelstatus je gefolgtem Gebiet.")
        st.add_argument("--date", required=True)
        st.add_argument("--json", action="store_true")
        st.add_argument("--user", default=None)
        st.add_argument("--area", action="append", default=None,
                        help="Gebietsschlüssel (AGS); mehrfach möglich. Ohne: die gefolgten Gebiete.")
        st.add_argument("--current-values", action="store_true",
                        help="Auf den heutigen (korrigierten) Werten auswerten statt auf dem Stand des Tages.")
        chk = sub.add_parser("check-rules", help="Regeldatei (YAML/JSON) prüfen; Fehler mit Zeile und Spalte.")
        chk.add_argument("file", type=Path)
        rep = sub.add_parser("report", help="Lagebericht als PDF/UA oder DOCX.")
        rep.add_argument("--date", required=True)
        rep.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        rep.add_argument("--output", required=True, type=Path)
        rep.add_argument("--user", default=None)

    def _user(self, name):
        if not name:
            return None
        try:
            return get_user_model().objects.get(username=name)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Unbekannte Person „{name}“.") from None

    def handle(self, *args, **opts):
        user = self._user(opts.get("user"))
        action = opts["action"]
        if action == "import":
            return self._import(opts, user)
        if action == "status":
            return self._status(opts, user)
        if action == "check-rules":
            return self._check_rules(opts)
        return self._report(opts, user)

    def _check_rules(self, opts):
        path = opts["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: nicht lesbar ({exc})") from None
        try:
            ruleset = load_ruleset(text, fmt="json" if path.suffix == ".json" else "yaml")
        except RuleFileError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(f"{path}: {ruleset.name}, {len(ruleset.rules)} Regeln")
        for rule in ruleset.rules:
            self.stdout.write(f"  {rule.name}: Eintritt {rule.entry.describe()}; "
                              f"Außerkrafttreten {rule.exit.describe()}")

    def _import(self, opts, user):
        results = []
        failed = 0
        empty: list[str] = []
        territorial: list[str] = []
        for path in files_in_order(opts["paths"]):
            fmt = opts["format"] or _format_for(path)
            try:
                run = do_import_file(path.read_bytes(), filename=path.name, fmt=fmt, acting_user=user or SYSTEM)
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
            failed += run.status != "ok"
            results.append({"file": str(path), "format": run.fmt, "status": run.status, "rows_read": run.rows_read,
                            "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
                            "rejected": run.rejected, "file_error": run.report.get("file_error"),
                            "errors": run.report.get("errors", [])[:20],
                            "warnings": run.report.get("warnings", [])[:20],
                            "no_data_rows": bool(run.report.get("no_data_rows")),
                            "territorial": run.report.get("territorial")})
            if run.report.get("no_data_rows"):
                empty.append(path.name)
            if run.report.get("territorial"):
                territorial.append(f"{path.name} ({run.report['territorial']})")
            if not opts["json"]:
                line = (f"{path.name}: {run.get_status_display()}, {run.rows_read} Zeilen gelesen, {run.created} neu, "
                        f"{run.updated} geändert, {run.unchanged} unverändert, {run.rejected} abgelehnt")
                self.stdout.write(line)
                if run.report.get("file_error"):
                    self.stderr.write(f"  Fehler: {run.report['file_error']}")
                for e in run.report.get("errors", [])[:10]:
                    self.stderr.write(f"  Zeile {e['line']}: {e['reason']}")
                for w in run.report.get("warnings", [])[:5]:
                    self.stdout.write(f"  Hinweis: {w}")
        if opts["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            total = {k: sum(r[k] for r in results) for k in ("rows_read", "created", "updated", "rejected")}
            self.stdout.write(f"{len(results)} Dateien, {total['rows_read']} Zeilen, {total['created']} neu, "
                              f"{total['updated']} geändert, {total['rejected']} abgelehnt, {failed} Dateien abgelehnt")
            if empty:
                self.stdout.write(f"{len(empty)} Datei(en) ohne Datenzeilen (nur Kopfzeile, nichts importiert): "
                                  + ", ".join(empty))
            if territorial:
                self.stdout.write(f"{len(territorial)} Datei(en) früherer Kreise oder Teilgebiete (Bezirke), "
                                  "gespeichert unter ihrem eigenen Schlüssel: " + ", ".join(territorial))
        if failed:
            sys.exit(1)

    def _status(self, opts, user):
        as_of = _parse_date(opts["date"])
        if opts.get("area"):
            found = {a.ags: a for a in Area.objects.filter(ags__in=opts["area"])}
            missing = [a for a in opts["area"] if a not in found]
            if missing:
                raise CommandError(f"Unbekannte Gebiete: {', '.join(missing)}.")
            areas = [found[a] for a in opts["area"]]
        else:
            areas = selectors.followed_areas(user=user)
        rulesets = list(selectors.rulesets_for(user=user))
        knowledge = selectors.CURRENT if opts.get("current_values") else selectors.KNOWN_THEN
        sits = selectors.situation(areas, as_of=as_of, rulesets=rulesets, knowledge=knowledge, chart_days=0)
        names = dict(Indicator.objects.values_list("key", "name"))
        out = {"date": as_of.isoformat(), "knowledge": knowledge,
               "knowledge_text": selectors.KNOWLEDGE_MODES[knowledge], "areas": []}
        for sit in sits:
            entry = {"ags": sit.area.ags, "name": sit.area.name, "fallback_days": [], "rules": []}
            for st in sit.statuses:
                ev = st.evaluation
                current = ev.periods[-1] if ev.periods and ev.in_force else None
                fc = ev.forecast
                entry["rules"].append({
                    "ruleset": st.ruleset.key, "rule": st.rule.key, "name": st.rule.name, "level": st.rule.level,
                    "series": {"indicator": st.rule.indicator, "name": names.get(st.rule.indicator),
                               "fallback": st.rule.fallback,
                               "fallback_name": names.get(st.rule.fallback) if st.rule.fallback else None},
                    "status": ev.status, "in_force": ev.in_force,
                    "since": current.start.isoformat() if current else None,
                    "change_on": ev.change_on.isoformat() if ev.change_on else None,
                    "periods": [{
                        "in_force_from": p.start.isoformat(),
                        "in_force_until": p.end.isoformat() if p.end else None,
                        "out_of_force_from": (p.end + timedelta(days=1)).isoformat() if p.end else None,
                        "trigger_day": p.trigger_day.isoformat(),
                        "lift_trigger_day": p.lift_trigger_day.isoformat() if p.lift_trigger_day else None,
                        "fallback_days": [d.isoformat() for d in p.fallback_days],
                    } for p in ev.periods],
                    "streak": ev.streak, "streak_needed": ev.streak_needed,
                    "last_value": round(ev.last_value, 2) if ev.last_value is not None else None,
                    "last_value_fallback": bool(ev.last_date and ev.last_date in ev.fallback_days),
                    "fallback_days": [d.isoformat() for d in ev.fallback_days],
                    "forecast": None if fc is None or fc.change is None else {
                        "change": fc.change, "effective_on": fc.effective_on.isoformat(), "days": fc.days_until},
                })
            entry["fallback_days"] = sorted({d for r in entry["rules"] for p in r["periods"]
                                             for d in p["fallback_days"]} | {d.isoformat() for d in sit.fallback_days})
            out["areas"].append(entry)
        if opts["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Lage am {display.d(as_of)} ({selectors.KNOWLEDGE_MODES[knowledge]})")
        for sit in sits:
            self.stdout.write(f"{sit.area.name} ({sit.area.ags})")
            for st in sit.statuses:
                v = display.status_view(st.evaluation)
                series = names.get(st.rule.indicator, st.rule.indicator)
                self.stdout.write(f"  {st.rule.name}: {v.symbol} {v.text} – {v.detail} [Reihe: {series}]"
                                  + (f" – {v.fallback}" if v.fallback else ""))

    def _report(self, opts, user):
        as_of = _parse_date(opts["date"])
        data = render(build_report(user, as_of), opts["format"])
        opts["output"].write_bytes(data)
        self.stdout.write(f"Lagebericht {as_of.isoformat()} als {opts['format'].upper()}: {opts['output']} "
                          f"({len(data)} Bytes)")
