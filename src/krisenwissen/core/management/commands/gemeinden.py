"""``krisenwissen gemeinden import FILE``: load Kreise and Gemeinden from Destatis GV100AD."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from krisenwissen.accounts.gemeinden import (
    GV100FormatError,
    GV100Record,
    district_populations,
    read_gv100ad,
)
from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import record as record_audit

# Fields the directory is authoritative for. ``is_participating`` is never touched.
OFFICIAL_FIELDS = ("name", "kind", "state", "population", "postcode")
BATCH_SIZE = 500


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"kreis": 0, "gemeinde": 0})


def official_rows(records: list[GV100Record]) -> dict[str, dict]:
    """Map AGS → official field values for every Kreis (5 digits) and Gemeinde (8 digits).

    A Kreis gets the summed population of its Gemeinden; a kreisfreie Stadt also gets the
    postcode of its single Gemeinde (key ``…000``), since Kreis records carry neither.
    """
    populations = district_populations(records)
    postcodes = {r.ags: r.postcode for r in records if r.record_type == "60"}
    rows: dict[str, dict] = {}
    for rec in records:
        if rec.record_type == "40":
            rows[rec.ags] = {
                "name": rec.name,
                "kind": rec.kind,
                "state": rec.state,
                "population": populations.get(rec.ags),
                "postcode": postcodes.get(rec.ags + "000", "") if rec.kind == "kreisfreie_stadt" else "",
            }
        elif rec.record_type == "60":
            rows[rec.ags] = {
                "name": rec.name,
                "kind": rec.kind,
                "state": rec.state,
                "population": rec.population,
                "postcode": rec.postcode,
            }
    return rows


def import_municipalities(records: list[GV100Record]) -> ImportCounts:
    """Create or update Municipality rows by AGS in one transaction, using bulk queries.

    Names of participating municipalities are kept: they were chosen for display on the
    platform (e.g. "Essen" instead of the official "Essen, Stadt").
    """
    rows = official_rows(records)
    counts = ImportCounts()
    with transaction.atomic():
        existing = {m.ags: m for m in Municipality.objects.filter(ags__in=list(rows))}
        to_create, to_update = [], []
        for ags, values in rows.items():
            level = "kreis" if len(ags) == 5 else "gemeinde"
            current = existing.get(ags)
            if current is None:
                to_create.append(Municipality(ags=ags, **values))
                counts.created[level] += 1
                continue
            changed = False
            for name, value in values.items():
                if name == "name" and current.is_participating:
                    continue
                if getattr(current, name) != value:
                    setattr(current, name, value)
                    changed = True
            if changed:
                to_update.append(current)
                counts.updated[level] += 1
            else:
                counts.unchanged[level] += 1
        Municipality.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Municipality.objects.bulk_update(to_update, OFFICIAL_FIELDS, batch_size=BATCH_SIZE)
        record_audit(
            "gemeinden_importiert",
            acting_user=None,
            created=sum(counts.created.values()),
            updated=sum(counts.updated.values()),
            unchanged=sum(counts.unchanged.values()),
        )
    return counts


class Command(BaseCommand):
    help = "Gemeindeverzeichnis (Destatis GV100AD) verwalten."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, title="Unterbefehle")
        import_parser = subcommands.add_parser(
            "import",
            help="Kreise und Gemeinden aus einer GV100AD-Datei laden (bestehende per AGS aktualisieren).",
        )
        import_parser.add_argument("file", help="Pfad zur GV100AD-Datei, z. B. GV100AD_301123.txt")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "import":
            self.handle_import(Path(options["file"]))

    def handle_import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        try:
            # Parse everything before writing anything: a bad line must not leave half an import.
            records = list(read_gv100ad(path))
        except GV100FormatError as exc:
            raise CommandError(f"{path.name}, {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Datei kann nicht gelesen werden: {path} ({exc.strerror})") from exc
        counts = import_municipalities(records)
        for level, label in (("kreis", "Kreise und kreisfreie Städte"), ("gemeinde", "Gemeinden")):
            self.stdout.write(
                f"{label}: {counts.created[level]} neu, {counts.updated[level]} aktualisiert, "
                f"{counts.unchanged[level]} unverändert"
            )
        self.stdout.write(self.style.SUCCESS("Gemeindeverzeichnis importiert."))
