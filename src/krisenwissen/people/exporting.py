"""Exports of the directory: vCard 3.0/4.0 (one file per list), CSV and the Telefonliste PDF.

:func:`entries_for` reads what a user may see (``selectors.visible_people``: the visibility of
each entry; shared channels for everyone, private channels only where the user holds
``people.view_private_channels``) into plain :class:`ExportEntry` values; the renderers below
work on those values only, so a renderer can never reach data the user may not see.
Exports are produced and audited by ``io_actions.do_export_directory``.

vCard: RFC 6350 escaping (``\\``, ``,``, ``;``, line breaks as ``\\n``), so a line break in a
field never starts a new property; lines folded at 75 octets without splitting a UTF-8
character. CSV: the import's columns (an export can be imported again), ``;`` as delimiter,
UTF-8 with BOM for Excel, and every cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return prefixed with an apostrophe (formula injection). PDF: a tagged PDF/UA-1
through the house's Typst pipeline (``reports.render``), grouped by function, with the print
date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

FORMATS = {
    "vcf": ("text/vcard; charset=utf-8", "vcf"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "pdf": ("application/pdf", "pdf"),
}
CSV_COLUMNS = ("name", "vorname", "nachname", "organisation", "organisationseinheit", "funktion", "funktionen",
               "vertretung_fuer", "kompetenzen", "buero", "mobil", "funktionspostfach", "email", "funkrufname", "privat",
               "erreichbarkeit", "sichtbarkeit", "externer_schluessel")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KIND_LABELS = {"buero": "Büro", "mobil": "Mobil", "funktionspostfach": "Funktionspostfach", "email": "E-Mail",
               "funkrufname": "Funkrufname", "privat": "Privat"}
AVAILABILITY_LABELS = {"rufbereitschaft": "Rufbereitschaft", "rund_um_die_uhr": "24/7", "buerozeiten": "Bürozeiten"}


@dataclass(frozen=True)
class ExportChannel:
    kind: str
    value: str
    availability: str
    private: bool = False


@dataclass
class ExportEntry:
    uid: str
    display_name: str
    given_name: str = ""
    family_name: str = ""
    organisation: str = ""
    unit: str = ""
    position: str = ""
    municipality: str = ""
    visibility: str = "intern"
    external_key: str = ""
    functions: list[str] = field(default_factory=list)
    deputy_for: list[str] = field(default_factory=list)
    competences: list[str] = field(default_factory=list)
    channels: list[ExportChannel] = field(default_factory=list)
    confirmed: dt.datetime | None = None
    pk: int = 0


# --- reading (Django) ----------------------------------------------------------------------


def entries_for(*, user) -> list[ExportEntry]:
    """Every entry ``user`` may read, with the channels ``user`` may see."""
    from django.db.models import Prefetch

    from krisenwissen.core.policy import has_perm, is_system

    from .models import Channel, HolderRole
    from .selectors import visible_people

    people = (visible_people(user=user).select_related("municipality", "organisation")
              .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("order", "pk")),
                                "functions__function", "competences__competence")
              .order_by("municipality__name", "family_name", "display_name", "pk"))
    entries = []
    for person in people.iterator(chunk_size=1000):
        may_see_private = None
        channels = []
        for channel in person.channels.all():
            if channel.is_private:
                if may_see_private is None:
                    may_see_private = is_system(user) or has_perm(user, "people.view_private_channels", person)
                if not may_see_private:
                    continue
            channels.append(ExportChannel(channel.kind, channel.value, channel.availability, channel.is_private))
        holders = list(person.functions.all())
        entries.append(ExportEntry(
            uid=str(person.uuid), display_name=person.display_name, given_name=person.given_name,
            family_name=person.family_name, organisation=person.organisation.name if person.organisation_id else "",
            unit=person.unit, position=person.position, municipality=person.municipality.name,
            visibility=person.visibility, external_key=person.external_key,
            functions=[h.function.name for h in holders if h.role == HolderRole.INHABER],
            deputy_for=[h.function.name for h in holders if h.role == HolderRole.VERTRETUNG],
            competences=[c.competence.label for c in person.competences.all()],
            channels=channels, confirmed=person.last_confirmed_at, pk=person.pk,
        ))
    return entries


def render(entries: list[ExportEntry], fmt: str, *, version: str = "4.0", now: dt.datetime | None = None) -> bytes:
    now = now or dt.datetime.now(dt.UTC)
    if fmt == "vcf":
        return vcards(entries, version=version).encode("utf-8")
    if fmt == "csv":
        return csv_bytes(entries)
    if fmt == "pdf":
        from krisenwissen.reports.render import render_pdf

        return render_pdf(telefonliste(entries, now=now))
    raise ValueError(f"Unbekanntes Format: {fmt}")


# --- vCard -----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Line breaks become spaces-free ``\\n`` later; other control characters are dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or not unicodedata.category(ch).startswith("C"))


def escape(text: str) -> str:
    """RFC 6350 §3.4 text value escaping."""
    return _clean(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (RFC 6350 §3.2), never inside a UTF-8 character."""
    out, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _param_type(version: str, *types: str) -> str:
    return ";TYPE=" + ",".join(t.lower() if version == "4.0" else t.upper() for t in types)


TEL_TYPES = {"buero": ("work", "voice"), "mobil": ("cell", "voice"), "privat": ("home", "voice")}


def vcard(entry: ExportEntry, *, version: str = "4.0") -> str:
    if version not in ("3.0", "4.0"):
        raise ValueError("vCard-Version 3.0 oder 4.0")
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{escape(entry.display_name)}",
             f"N:{escape(entry.family_name)};{escape(entry.given_name)};;;"]
    if entry.organisation or entry.unit:
        lines.append(f"ORG:{escape(entry.organisation or entry.municipality)}" + (f";{escape(entry.unit)}" if entry.unit else ""))
    if entry.position:
        lines.append(f"TITLE:{escape(entry.position)}")
    roles = entry.functions + [f"Vertretung {name}" for name in entry.deputy_for]
    if roles:
        lines.append(f"ROLE:{escape('; '.join(roles))}")
    if entry.competences:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in entry.competences))
    notes = []
    for channel in entry.channels:
        availability = AVAILABILITY_LABELS.get(channel.availability, channel.availability)
        if channel.kind in TEL_TYPES:
            lines.append(f"TEL{_param_type(version, *TEL_TYPES[channel.kind])}:{escape(channel.value)}")
        elif channel.kind in ("email", "funktionspostfach"):
            if "@" in channel.value:
                lines.append(f"EMAIL{_param_type(version, 'work')}:{escape(channel.value)}")
            else:
                lines.append(f"TEL{_param_type(version, 'work', 'voice')}:{escape(channel.value)}")
        elif channel.kind == "funkrufname":
            lines.append(f"X-KRISENWISSEN-FUNKRUFNAME:{escape(channel.value)}")
        notes.append(f"{KIND_LABELS.get(channel.kind, channel.kind)} {channel.value}: {availability}")
    if notes:
        lines.append(f"NOTE:{escape(chr(10).join(notes))}")
    lines.append(f"UID:urn:uuid:{entry.uid}")
    if entry.confirmed:
        stamp = entry.confirmed.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        lines.append(f"REV:{stamp}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def vcards(entries: list[ExportEntry], *, version: str = "4.0") -> str:
    """One file with every entry of the list."""
    return "".join(vcard(entry, version=version) for entry in entries)


# --- CSV ------------------------------------------------------------------------------------


def guard_cell(value: str) -> str:
    """Prefix cells a spreadsheet would run as a formula with an apostrophe."""
    value = _clean(value).replace("\n", " ")
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_bytes(entries: list[ExportEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        by_kind: dict[str, list[str]] = defaultdict(list)
        availability = ""
        for channel in entry.channels:
            by_kind[channel.kind].append(channel.value)
            availability = availability or channel.availability
        values = {
            "name": entry.display_name, "vorname": entry.given_name, "nachname": entry.family_name,
            "organisation": entry.organisation, "organisationseinheit": entry.unit, "funktion": entry.position,
            "funktionen": "; ".join(entry.functions), "vertretung_fuer": "; ".join(entry.deputy_for),
            "kompetenzen": "; ".join(entry.competences), "erreichbarkeit": availability,
            "sichtbarkeit": entry.visibility, "externer_schluessel": entry.external_key,
        }
        for kind in KIND_LABELS:
            values[kind] = by_kind[kind][0] if by_kind[kind] else ""
        writer.writerow([guard_cell(values[c]) for c in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- Telefonliste PDF -----------------------------------------------------------------------

WITHOUT_FUNCTION = "Ohne Funktion"


def telefonliste(entries: list[ExportEntry], *, now: dt.datetime):
    """The printable phone list: one section per function (holders first, then deputies)."""
    from krisenwissen.reports.document import Document, Heading, Paragraph, Table

    groups: dict[str, list[tuple[str, ExportEntry]]] = defaultdict(list)
    for entry in entries:
        for name in entry.functions:
            groups[name].append(("Inhaber/in", entry))
        for name in entry.deputy_for:
            groups[name].append(("Vertretung", entry))
        if not entry.functions and not entry.deputy_for:
            groups[WITHOUT_FUNCTION].append(("", entry))
    printed = f"{now.astimezone():%d.%m.%Y, %H:%M} Uhr" if now.tzinfo else f"{now:%d.%m.%Y, %H:%M} Uhr"
    blocks = [Paragraph(f"Druckdatum: {printed}. {len(entries)} Einträge. Nur für den dienstlichen Gebrauch; "
                        "veraltete Ausdrucke vernichten.")]
    if not entries:
        blocks.append(Paragraph("Keine Einträge, die Sie sehen dürfen."))
    order = sorted((name for name in groups if name != WITHOUT_FUNCTION), key=str.casefold)
    if WITHOUT_FUNCTION in groups:
        order.append(WITHOUT_FUNCTION)
    for name in order:
        rows = []
        for role, entry in sorted(groups[name], key=lambda pair: (pair[0] != "Inhaber/in", pair[1].display_name.casefold())):
            reach = "; ".join(f"{KIND_LABELS.get(c.kind, c.kind)}: {c.value} ({AVAILABILITY_LABELS.get(c.availability, c.availability)})"
                              + (" – privat" if c.private else "") for c in entry.channels) or "–"
            where = " – ".join(p for p in (entry.organisation, entry.unit) if p) or entry.municipality
            rows.append([entry.display_name + (f" ({role})" if role else ""), entry.position or "–", where, reach])
        blocks.append(Heading(name, level=1))
        blocks.append(Table(["Name", "Funktion/Titel", "Organisation", "Erreichbarkeit"], rows, caption=f"Telefonliste: {name}",
                            widths=[3, 3, 3, 5]))
    return Document(title="Telefonliste", subtitle=f"Köpfe kennen – Stand {printed}", date=now.date(), blocks=blocks,
                    keywords=["Telefonliste", "Köpfe kennen"])
