"""`krisenwissen koepfe …`: the command line of Köpfe kennen.

Subcommands:

- ``coverage [--json] [--kommune AGS …]``: the coverage report (functions without deputy,
  competences held by one person only, stale entries, people leaving within 12 months who hold
  something) of every municipality with directory data, or of the given ones; as the operator
  (SYSTEM), so it covers every entry;
- ``erinnern [--now]``: queue (or run) the reminders to confirm stale entries; daily from cron
  or the systemd timer, like ``send_reminders``;
- ``import`` / ``export``: CSV import and vCard/CSV/PDF export (people/importing.py,
  people/exporting.py), added in the marked places below.

Each subcommand is one ``add_<name>_arguments(subparsers)`` function and one
``handle_<name>(command, options)`` function, joined in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import record
from krisenwissen.core.policy import SYSTEM
from krisenwissen.people.events import PeopleEvent

# --- coverage -----------------------------------------------------------------------------

def add_coverage_arguments(sub) -> None:
    parser = sub.add_parser("coverage", help="Abdeckungsbericht: Funktionen ohne Vertretung, einfach besetzte Kompetenzen, "
                                             "veraltete Einträge, Ausscheidende.")
    parser.add_argument("--json", action="store_true", help="Als JSON ausgeben (sonst lesbarer Text).")
    parser.add_argument("--kommune", action="append", default=[], metavar="AGS",
                        help="Nur diese Kommune (Amtlicher Gemeindeschlüssel); mehrfach möglich.")


def handle_coverage(command: BaseCommand, options) -> None:
    from krisenwissen.people.selectors import coverage, coverage_municipalities

    municipalities = coverage_municipalities(user=SYSTEM)
    if options["kommune"]:
        wanted = [str(a).strip() for a in options["kommune"]]
        found = {m.ags: m for m in Municipality.objects.filter(ags__in=wanted)}
        missing = [ags for ags in wanted if ags not in found]
        if missing:
            raise CommandError(f"Unbekannte Kommune (AGS): {', '.join(missing)}")
        municipalities = [found[ags] for ags in wanted]
    reports = [coverage(m, user=SYSTEM) for m in municipalities]
    record(PeopleEvent.COVERAGE_EXPORTED, acting_user=SYSTEM, kommunen=[r.municipality.ags for r in reports])
    if options["json"]:
        command.stdout.write(json.dumps({"kommunen": [r.as_dict() for r in reports]}, ensure_ascii=False, indent=2))
        return
    for report in reports:
        data = report.as_dict()
        command.stdout.write(f"{report.municipality.name} ({report.municipality.ags}): {data['personen']} Personen")
        command.stdout.write(f"  Funktionen ohne Vertretung: {', '.join(f['name'] for f in data['funktionen_ohne_vertretung']) or '–'}")
        command.stdout.write(f"  Funktionen ohne Besetzung: {', '.join(f['name'] for f in data['funktionen_ohne_besetzung']) or '–'}")
        command.stdout.write("  Kompetenzen nur bei einer Person: "
                             + (", ".join(f"{c['bezeichnung']} ({c['person']})" for c in data["kompetenzen_einfach_besetzt"]) or "–"))
        command.stdout.write(f"  Veraltete Einträge: {len(data['veraltete_eintraege'])}")
        command.stdout.write("  Scheiden in 12 Monaten aus: "
                             + (", ".join(f"{r['person']} ({r['scheidet_aus_am']})" for r in data["ausscheidende"]) or "–"))


# --- erinnern -----------------------------------------------------------------------------

def add_erinnern_arguments(sub) -> None:
    parser = sub.add_parser("erinnern", help="Erinnert an die Bestätigung veralteter Einträge (täglich ausführen).")
    parser.add_argument("--now", action="store_true", help="Sofort in diesem Prozess ausführen statt in die Warteschlange zu stellen.")


def handle_erinnern(command: BaseCommand, options) -> None:
    from krisenwissen.people.tasks import send_confirm_reminders, send_confirm_reminders_now

    if options["now"]:
        counts = send_confirm_reminders_now()
        command.stdout.write(f"Erinnerungen versendet: {counts['erinnert']}; ohne Empfänger: {counts['ohne_empfaenger']}.")
    else:
        result = send_confirm_reminders.enqueue()
        command.stdout.write(f"Erinnerungsauftrag eingereiht ({result.id}).")


# --- import -------------------------------------------------------------------------------

def _acting_user(name: str | None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if not name:
        return AnonymousUser()
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None:
        raise CommandError(f"Unbekanntes oder gesperrtes Konto: {name}")
    return user


def add_import_arguments(sub) -> None:
    parser = sub.add_parser("import", help="Personen aus einer CSV-Datei (oder dem LDAP-Verzeichnis) ins Verzeichnis übernehmen.")
    parser.add_argument("file", nargs="?", metavar="DATEI.csv", help="CSV-Datei (Spalten: siehe docs, people/importing.py).")
    parser.add_argument("--nur-pruefen", action="store_true", dest="nur_pruefen", help="Nur prüfen und berichten, nichts speichern.")
    parser.add_argument("--gemeinde", "--kommune", dest="gemeinde", metavar="AGS",
                        help="Kommune (Amtlicher Gemeindeschlüssel); nötig, wenn das Konto mehreren Kommunen angehört.")
    parser.add_argument("--user", required=True, metavar="KONTO", help="Konto, in dessen Namen importiert wird (Administration/S1).")
    parser.add_argument("--aus-verzeichnis", action="store_true", dest="aus_verzeichnis",
                        help="Aus dem eingerichteten LDAP-Verzeichnis importieren (Name, Einheit, Telefon, E-Mail) statt aus einer Datei.")


def handle_import(command: BaseCommand, options) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from krisenwissen.accounts.models import Membership
    from krisenwissen.people.io_actions import do_import_people

    user = _acting_user(options["user"])
    if options["gemeinde"]:
        municipality = Municipality.objects.filter(ags=str(options["gemeinde"]).strip()).first()
        if municipality is None:
            raise CommandError(f"Unbekannte Kommune (AGS): {options['gemeinde']}")
    else:
        ids = list(Membership.objects.filter(user=user).values_list("municipality_id", flat=True).distinct())
        if len(ids) != 1:
            raise CommandError("Bitte die Kommune mit --gemeinde AGS angeben.")
        municipality = Municipality.objects.get(pk=ids[0])
    if options["aus_verzeichnis"]:
        from krisenwissen.people.io_directory import DirectoryError, do_import_from_directory

        if options["file"]:
            raise CommandError("Entweder eine Datei oder --aus-verzeichnis angeben, nicht beides.")
        try:
            report, left_out = do_import_from_directory(municipality, acting_user=user, dry_run=options["nur_pruefen"])
        except DirectoryError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "Keine Berechtigung zum Importieren.") from None
        for message in report.messages():
            command.stderr.write(message)
        if not report.ok:
            raise CommandError(report.summary())
        command.stdout.write(report.summary())
        if left_out:
            command.stdout.write(f"{left_out} Personen ohne Konto auf der Plattform: nur funktionale Angaben übernommen "
                                 "(ohne Vor-/Nachname und persönliche E-Mail).")
        return
    if not options["file"]:
        raise CommandError("Bitte eine CSV-Datei angeben.")
    try:
        stream = open(options["file"], "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CommandError(f"Die Datei kann nicht gelesen werden: {exc.strerror}") from None
    try:
        report = do_import_people(stream, municipality, acting_user=user, dry_run=options["nur_pruefen"],
                                  filename=str(options["file"]).rsplit("/", 1)[-1])
    except PermissionDenied as exc:
        raise CommandError(str(exc) or "Keine Berechtigung zum Importieren.") from None
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None
    finally:
        stream.close()
    for message in report.messages():
        command.stderr.write(message)
    if not report.ok:
        raise CommandError(report.summary())
    command.stdout.write(report.summary())


# --- export -------------------------------------------------------------------------------

def add_export_arguments(sub) -> None:
    parser = sub.add_parser("export", help="Verzeichnis als vCard, CSV oder Telefonliste (PDF/UA) ausgeben – nur, was das Konto sehen darf.")
    parser.add_argument("--format", required=True, choices=["vcf", "csv", "pdf"], help="vcf, csv oder pdf.")
    parser.add_argument("--vcard-version", choices=["3.0", "4.0"], default="4.0", help="vCard-Version (Standard 4.0).")
    parser.add_argument("--user", metavar="KONTO", help="Sicht dieses Kontos (ohne: wie ein anonymer Besucher, nur öffentliche Einträge).")
    parser.add_argument("--output", required=True, metavar="DATEI", help="Zieldatei („-“ für die Standardausgabe).")


def handle_export(command: BaseCommand, options) -> None:
    import sys

    from krisenwissen.people.io_actions import do_export_directory

    user = _acting_user(options["user"])
    data, _type, _name = do_export_directory(options["format"], acting_user=user, version=options["vcard_version"])
    if options["output"] == "-":
        command.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    try:
        with open(options["output"], "wb") as out:
            out.write(data)
    except OSError as exc:
        raise CommandError(f"Die Datei kann nicht geschrieben werden: {exc.strerror}") from None
    command.stdout.write(f"{len(data)} Bytes nach {options['output']} geschrieben.")



SUBCOMMANDS = {
    "coverage": (add_coverage_arguments, handle_coverage),
    "erinnern": (add_erinnern_arguments, handle_erinnern),
    "import": (add_import_arguments, handle_import),
    "export": (add_export_arguments, handle_export),
}


class Command(BaseCommand):
    help = "Köpfe kennen: Abdeckungsbericht, Erinnerungen, Import und Export des Verzeichnisses."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for add, _handle in SUBCOMMANDS.values():
            add(sub)

    def handle(self, *args, **options):
        _add, handle = SUBCOMMANDS[options["subcommand"]]
        handle(self, options)
