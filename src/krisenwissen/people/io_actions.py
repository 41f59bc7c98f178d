"""Import and export of the directory: the Django glue around ``people.importing`` (CSV
parsing core) and ``people.exporting`` (vCard, CSV, Telefonliste PDF).

:func:`do_import_people` writes a whole file in one transaction (all or nothing) with one
audit row carrying the counts; with ``dry_run`` it checks everything, the database included,
and writes nothing. A line whose external key, or normalised name and organisation, matches an
existing entry of the municipality updates that entry instead of adding a second one.

:func:`do_export_directory` produces an export with exactly what the acting user may see and
audits it when it holds more than public entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import record
from krisenwissen.core.policy import is_system, require_perm
from krisenwissen.core.policy import person as person_of

from . import importing
from .events import PeopleEvent
from .indexing import refresh_search_text
from .models import (
    Audience,
    Availability,
    Channel,
    ChannelKind,
    CompetenceArea,
    Function,
    FunctionHolder,
    HolderRole,
    Organisation,
    Person,
    PersonCompetence,
)

BATCH = 1000
MAX_AUDITED_IDS = 5000


def max_rows() -> int:
    return int(getattr(settings, "KRISENWISSEN_PEOPLE_IMPORT_MAX_ROWS", importing.DEFAULT_MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "KRISENWISSEN_PEOPLE_IMPORT_MAX_BYTES", importing.DEFAULT_MAX_BYTES))


@dataclass
class ImportReport:
    municipality: Municipality
    created: int = 0
    updated: int = 0
    rows: int = 0
    encoding: str = ""
    delimiter: str = ""
    errors: list[importing.RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def messages(self) -> list[str]:
        lines = [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(f"… und {self.error_count - len(self.errors)} weitere Fehler.")
        return lines

    def summary(self) -> str:
        encoding = importing.ENCODING_NAMES.get(self.encoding, self.encoding)
        delimiter = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}.get(self.delimiter, self.delimiter)
        if not self.ok:
            return (f"Nichts importiert: {self.error_count} Fehler in {self.rows} Datenzeilen"
                    + (f" (Kodierung {encoding}, Trennzeichen {delimiter})." if encoding else "."))
        verb = "würden" if self.dry_run else "wurden"
        return (f"{self.rows} Datenzeilen geprüft (Kodierung {encoding}, Trennzeichen {delimiter}): "
                f"{self.created} Einträge {verb} neu angelegt, {self.updated} aktualisiert."
                + (" Nur geprüft, nichts gespeichert." if self.dry_run else ""))


def competence_lookup() -> dict[str, str]:
    """Normalised codes and labels of the (active) vocabulary → code."""
    lookup = {}
    for code, label in CompetenceArea.objects.filter(active=True).values_list("code", "label"):
        lookup[importing.normal(label)] = code
        lookup[importing.normal(code)] = code
        lookup[importing.normal(code.replace("-", " "))] = code
    return lookup


def do_import_people(stream, municipality: Municipality, *, acting_user, dry_run: bool = False,
                     filename: str = "") -> ImportReport:
    """Import the CSV ``stream`` (binary, seekable) into ``municipality``'s directory."""
    require_perm(acting_user, "people.manage_directory", municipality,
                 message="Importieren dürfen die Administration und S1 (Personal) der Kommune.")
    parsed = importing.parse(stream, competences=competence_lookup(), max_rows=max_rows(), max_bytes=max_bytes(),
                             today=timezone.localdate())
    report = ImportReport(municipality, rows=parsed.lines, encoding=parsed.encoding, delimiter=parsed.delimiter,
                          errors=list(parsed.errors), error_count=parsed.error_count, dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(parsed, municipality, report, acting_user=acting_user, filename=filename)
            if not report.ok or dry_run:
                raise _Rollback
            report.written = True
            record(PeopleEvent.PEOPLE_IMPORTED, acting_user=acting_user, municipality=municipality,
                   datei=filename[:200], zeilen=report.rows, neu=report.created, aktualisiert=report.updated,
                   kodierung=report.encoding)
    except _Rollback:
        report.created = report.created if report.ok else 0
        report.updated = report.updated if report.ok else 0
    if not report.ok and not dry_run:
        record(PeopleEvent.PEOPLE_IMPORT_REFUSED, acting_user=acting_user, municipality=municipality,
               datei=filename[:200], zeilen=report.rows, fehler=report.error_count)
    return report


class _Rollback(Exception):
    """Leave the import's transaction without keeping anything."""


def _existing(municipality: Municipality):
    by_key: dict[str, int] = {}
    by_name: dict[str, int] = {}
    personal_ok: set[int] = set()
    queryset = Person.objects.filter(municipality=municipality).values_list(
        "pk", "external_key", "display_name", "organisation__name", "account_id", "consent_recorded_at")
    for pk, key, name, organisation, account_id, consent in queryset.iterator(chunk_size=2000):
        if key:
            by_key[key] = pk
            continue  # an entry with a key of its source is matched by that key only
        by_name.setdefault(f"{importing.normal(name)}|{importing.normal(organisation or '')}", pk)
        if account_id or consent:
            personal_ok.add(pk)
    return by_key, by_name, personal_ok


def _accounts(parsed: importing.ParseResult, municipality: Municipality, report: ImportReport) -> dict[str, int]:
    """User names of the ``konto`` column → user ids; unknown ones and accounts that belong to
    an entry of another person are errors."""
    from django.contrib.auth import get_user_model

    wanted = {row.account for row in parsed.rows if row.account}
    if not wanted:
        return {}
    found = dict(get_user_model().objects.filter(username__in=wanted, is_active=True).values_list("username", "pk"))
    seen: dict[str, int] = {}
    for row in parsed.rows:
        if not row.account:
            continue
        if row.account not in found:
            report.error_count += 1
            report.errors.append(importing.RowError(row.line, "konto", f"kein aktives Konto „{row.account[:60]}“."))
        elif seen.setdefault(row.account, row.line) != row.line:
            report.error_count += 1
            report.errors.append(importing.RowError(row.line, "konto", f"dasselbe Konto wie in Zeile {seen[row.account]}."))
    return found


def _linked(account_ids) -> dict[int, int]:
    """account id → pk of the entry it belongs to."""
    return dict(Person.objects.filter(account_id__in=list(account_ids)).values_list("account_id", "pk"))


def _write(parsed: importing.ParseResult, municipality: Municipality, report: ImportReport, *, acting_user,
           filename: str) -> None:
    if not parsed.rows:
        if parsed.ok:
            report.errors.append(importing.RowError(0, "", "Die Datei enthält keine Datenzeile."))
            report.error_count += 1
        return
    by_key, by_name, personal_ok = _existing(municipality)
    accounts = _accounts(parsed, municipality, report)
    linked = _linked(accounts.values())
    matched: dict[int, int] = {}  # line → existing pk
    claimed: dict[int, int] = {}  # existing pk → line
    for row in parsed.rows:
        pk = by_key.get(row.external_key) if row.external_key else None
        if pk is None:
            pk = by_name.get(row.match_key)
        if pk is None:
            continue
        if pk in claimed:
            report.error_count += 1
            report.errors.append(importing.RowError(row.line, "name", f"trifft denselben vorhandenen Eintrag wie Zeile {claimed[pk]}."))
            continue
        claimed[pk] = row.line
        matched[row.line] = pk
    if not parsed.ok or not report.ok:
        return
    columns = set(parsed.columns)
    has_channels = bool(columns & set(importing.CHANNEL_COLUMNS))
    now = timezone.now()
    maintainer = person_of(acting_user)
    organisations = {o.name: o for o in Organisation.objects.filter(municipality=municipality, parent=None)}
    functions = {f.name: f for f in Function.objects.filter(municipality=municipality)}
    competences = dict(CompetenceArea.objects.values_list("code", "pk"))

    def organisation(name: str):
        if not name:
            return None
        if name not in organisations:
            organisations[name] = Organisation.objects.create(municipality=municipality, name=name)
        return organisations[name]

    def function(name: str):
        if name not in functions:
            functions[name] = Function.objects.create(municipality=municipality, name=name[:200])
        return functions[name]

    touched: list[int] = []
    for start in range(0, len(parsed.rows), BATCH):
        batch = parsed.rows[start:start + BATCH]
        existing = Person.objects.in_bulk([matched[r.line] for r in batch if r.line in matched])
        new_people, changed = [], []
        pairs: list[tuple[importing.ImportRow, Person]] = []
        for row in batch:
            person = existing.get(matched.get(row.line))
            if person is None:
                person = Person(municipality=municipality, created_by=maintainer, maintained_by=maintainer)
                new_people.append(person)
            else:
                changed.append(person)
            _apply(person, row, columns, organisation, now, filename)
            if row.account:
                person.account_id = accounts.get(row.account)
                if linked.get(person.account_id, person.pk) != person.pk:
                    report.error_count += 1
                    report.errors.append(importing.RowError(row.line, "konto", f"das Konto „{row.account[:60]}“ gehört schon "
                                                                              "zu einem anderen Eintrag."))
            if not row.consent and not row.account and row.personal_columns and person.pk not in personal_ok:
                report.error_count += 1
                report.errors.append(importing.RowError(row.line, row.personal_columns[0],
                                                        "persönliche Angabe ohne Konto und ohne Einwilligung."))
            pairs.append((row, person))
        if not report.ok:
            return
        Person.objects.bulk_create(new_people, batch_size=BATCH)
        Person.objects.bulk_update(changed, ["display_name", "given_name", "family_name", "organisation", "unit", "position",
                                             "visibility", "external_key", "consent_recorded_at", "consent_note", "account",
                                             "updated_at"],
                                   batch_size=BATCH)
        report.created += len(new_people)
        report.updated += len(changed)
        ids = [person.pk for _row, person in pairs]
        touched.extend(ids)
        if has_channels:
            Channel.objects.filter(person_id__in=ids).delete()
            Channel.objects.bulk_create([
                Channel(person=person, kind=kind, value=value, order=order,
                        availability=row.availability or Availability.BUEROZEITEN,
                        audience=Audience.PRIVAT if kind == ChannelKind.PRIVAT else Audience.ALLE_BERECHTIGTEN)
                for row, person in pairs for order, (kind, value) in enumerate(row.channels, start=1)
            ], batch_size=BATCH)
        if "kompetenzen" in columns:
            PersonCompetence.objects.filter(person_id__in=ids).delete()
            PersonCompetence.objects.bulk_create([
                PersonCompetence(person=person, competence_id=competences[code])
                for row, person in pairs for code in row.competences
            ], batch_size=BATCH)
        holders = [FunctionHolder(function=function(name), person=person, role=HolderRole.INHABER)
                   for row, person in pairs for name in row.functions]
        holders += [FunctionHolder(function=function(name), person=person, role=HolderRole.VERTRETUNG)
                    for row, person in pairs for name in row.deputy_for if name not in row.functions]
        if holders:
            FunctionHolder.objects.bulk_create(holders, batch_size=BATCH, update_conflicts=True,
                                               unique_fields=["function", "person"], update_fields=["role"])
    if not report.dry_run:
        for start in range(0, len(touched), 5000):
            refresh_search_text(Person(pk=pk) for pk in touched[start:start + 5000])


def _apply(person: Person, row: importing.ImportRow, columns: set[str], organisation, now, filename: str) -> None:
    person.display_name = row.display_name
    if "vorname" in columns:
        person.given_name = row.given_name
    if "nachname" in columns:
        person.family_name = row.family_name
    if "organisation" in columns:
        person.organisation = organisation(row.organisation)
    if "organisationseinheit" in columns:
        person.unit = row.unit
    if "funktion" in columns:
        person.position = row.position
    if row.visibility:
        person.visibility = row.visibility
    if row.external_key:
        person.external_key = row.external_key
    if row.consent and row.consent_date:
        person.consent_recorded_at = timezone.make_aware(dt.datetime.combine(row.consent_date, dt.time(12, 0)))
        note = row.consent_note or f"CSV-Import {filename}".strip()
        person.consent_note = f"Einwilligung vom {row.consent_date:%d.%m.%Y}: {note}"[:500]
    person.updated_at = now


# --- exports -----------------------------------------------------------------------------


def do_export_directory(fmt: str, *, acting_user, version: str = "4.0", now: dt.datetime | None = None) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the export in ``fmt`` (vcf, csv, pdf) with what
    ``acting_user`` may see (anonymous: public entries). Private channels only where the user
    may see them; audited when the export holds more than public entries."""
    from . import exporting

    if fmt not in exporting.FORMATS:
        raise ValidationError(f"Unbekanntes Format „{fmt}“ (vcf, csv oder pdf).")
    now = now or timezone.now()
    with transaction.atomic():
        entries = exporting.entries_for(user=acting_user)
        data = exporting.render(entries, fmt, version=version, now=now)
        non_public = [e for e in entries if e.visibility != "oeffentlich"]
        private = [e.pk for e in entries if any(c.private for c in e.channels)]
        if non_public or private or (not is_system(acting_user) and getattr(acting_user, "is_authenticated", False)):
            # Whose private reachability data went into the file (ids, never the numbers).
            details = {"personen_privat": private[:MAX_AUDITED_IDS]} if private else {}
            record(PeopleEvent.DIRECTORY_EXPORTED, acting_user=acting_user, format=fmt, eintraege=len(entries),
                   mit_privater_erreichbarkeit=len(private), **details)
    content_type, extension = exporting.FORMATS[fmt]
    return data, content_type, f"telefonliste-{timezone.localtime(now):%Y-%m-%d}.{extension}"
