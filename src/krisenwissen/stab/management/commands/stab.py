"""`krisenwissen stab …`: the command line of the crisis staff core.

Subcommands:

- ``list [--json] [--kommune AGS]``: the staffs (real and exercise apart in the text form);
- ``activate TEMPLATE --crisis KRISE [--municipality AGS] [--exercise] [--name NAME]
  [--assign CODE=BENUTZER[:vertretung] …] [--functions CODE,CODE]``: activate a staff from a
  template (key of a shipped template, or of the municipality's own; or its number) as the
  operator (SYSTEM); members are notified and the ETB opens like on the activation page;
- ``templates [--json]``: the templates (shipped and the cities' own).
"""

from __future__ import annotations

import json
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge.models import Crisis
from krisenwissen.stab import actions
from krisenwissen.stab.models import AlertLevel, AssignmentRole, Staff, StaffTemplate
from krisenwissen.stab.selectors import staff_as_dict


def _municipality(ags: str) -> Municipality:
    found = Municipality.objects.filter(ags=(ags or "").strip()).first()
    if found is None:
        raise CommandError(f"Unbekannte Kommune (AGS): {ags}")
    return found


def _template(value: str, municipality: Municipality | None) -> StaffTemplate:
    qs = StaffTemplate.objects.filter(active=True)
    if value.isdigit():
        found = qs.filter(pk=int(value)).first()
    else:
        scope = Q(municipality__isnull=True) | (Q(municipality=municipality) if municipality else Q(pk__in=[]))
        candidates = list(qs.filter(scope, key=value).order_by("municipality_id"))
        # The municipality's own template wins over a shipped one of the same key.
        found = next((t for t in candidates if t.municipality_id), candidates[0] if candidates else None)
    if found is None:
        keys = ", ".join(qs.filter(municipality__isnull=True).values_list("key", flat=True))
        raise CommandError(f"Unbekannte Vorlage: {value} (mitgeliefert: {keys})")
    return found


def _crisis(value: str) -> Crisis:
    value = (value or "").strip()
    qs = Crisis.objects.all()
    try:
        found = qs.filter(uuid=uuid.UUID(value)).first()
    except ValueError:
        found = qs.filter(pk=int(value)).first() if value.isdigit() else qs.filter(title__iexact=value).first()
    if found is None:
        raise CommandError(f"Unbekannte Krise: {value} (Titel, Nummer oder UUID)")
    return found


def _assignments(values: list[str]) -> dict:
    User = get_user_model()
    out: dict = {}
    for raw in values:
        code, sep, who = raw.partition("=")
        username, _sep, role = who.partition(":")
        if not sep or not code or not username:
            raise CommandError(f"--assign erwartet CODE=BENUTZER[:vertretung], nicht {raw!r}")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Unbekanntes Konto: {username}")
        role = AssignmentRole.VERTRETUNG if role.strip().lower() in ("vertretung", "deputy") else AssignmentRole.INHABER
        out.setdefault(code.strip(), []).append((user, role))
    return out


class Command(BaseCommand):
    help = "Krisenstab: Stäbe auflisten, aus einer Vorlage aktivieren, Vorlagen auflisten."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        p = sub.add_parser("list", help="Stäbe auflisten.")
        p.add_argument("--json", action="store_true", help="Als JSON ausgeben.")
        p.add_argument("--kommune", "--municipality", dest="municipality", metavar="AGS", help="Nur Stäbe dieser Kommune.")
        p = sub.add_parser("templates", help="Stabsvorlagen auflisten.")
        p.add_argument("--json", action="store_true", help="Als JSON ausgeben.")
        p = sub.add_parser("activate", help="Einen Stab aus einer Vorlage aktivieren.")
        p.add_argument("template", metavar="TEMPLATE", help="Schlüssel der Vorlage (z. B. pandemie) oder ihre Nummer.")
        p.add_argument("--crisis", required=True, help="Krise: Titel, Nummer oder UUID.")
        p.add_argument("--municipality", "--kommune", dest="municipality", metavar="AGS",
                       help="Kommune (AGS); ohne: die Kommune einer eigenen Vorlage.")
        p.add_argument("--exercise", action="store_true", help="Übungsstab (überall als ÜBUNG gekennzeichnet).")
        p.add_argument("--name", default="", help="Bezeichnung des Stabes.")
        p.add_argument("--alert-level", type=int, choices=AlertLevel.values, default=AlertLevel.VOLLAKTIVIERUNG)
        p.add_argument("--functions", default="", help="Nur diese Funktionen (Kürzel, durch Komma getrennt): Teilaktivierung.")
        p.add_argument("--assign", action="append", default=[], metavar="CODE=BENUTZER[:vertretung]",
                       help="Besetzung; mehrfach möglich.")
        p.add_argument("--json", action="store_true", help="Den aktivierten Stab als JSON ausgeben.")

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['subcommand']}")(options)

    def handle_list(self, options):
        qs = Staff.objects.select_related("municipality", "template", "crisis").prefetch_related("functions__assignments")
        if options.get("municipality"):
            qs = qs.filter(municipality=_municipality(options["municipality"]))
        staffs = list(qs)
        if options["json"]:
            self.stdout.write(json.dumps({"staffs": [staff_as_dict(s) for s in staffs]}, ensure_ascii=False, indent=2))
            return
        for title, group in (("Stäbe", [s for s in staffs if not s.exercise]), ("Übungsstäbe (ÜBUNG)", [s for s in staffs if s.exercise])):
            self.stdout.write(f"{title}:")
            for s in group:
                self.stdout.write(f"  {s.pk:>5}  {s}  [{s.municipality.ags} {s.municipality.name}, {s.get_status_display()}, "
                                  f"Stufe {s.alert_level}]")
            if not group:
                self.stdout.write("  –")

    def handle_templates(self, options):
        actions.ensure_shipped_templates()
        templates = list(StaffTemplate.objects.filter(active=True).select_related("municipality"))
        rows = [{"id": t.pk, "key": t.key, "name": t.name, "kind": t.kind, "hazard": t.hazard,
                 "municipality": t.municipality.ags if t.municipality else None, "functions": len(t.data.get("functions", []))}
                for t in templates]
        if options["json"]:
            self.stdout.write(json.dumps({"templates": rows}, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(f"  {r['key']:<25} {r['name']} ({r['municipality'] or 'mitgeliefert'}, {r['functions']} Funktionen)")

    def handle_activate(self, options):
        actions.ensure_shipped_templates()
        municipality = _municipality(options["municipality"]) if options.get("municipality") else None
        template = _template(options["template"], municipality)
        if municipality is None:
            if template.municipality is None:
                raise CommandError("Bitte die Kommune angeben: --municipality AGS")
            municipality = template.municipality
        functions = [c.strip() for c in options["functions"].split(",") if c.strip()] or None
        try:
            staff = actions.do_activate_staff(
                template, municipality=municipality, crisis=_crisis(options["crisis"]), name=options["name"],
                exercise=options["exercise"], alert_level=options["alert_level"], functions=functions,
                assignments=_assignments(options["assign"]), acting_user=SYSTEM)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps(staff_as_dict(staff), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"Stab aktiviert: {staff} (Nummer {staff.pk}, {municipality.name}).")
