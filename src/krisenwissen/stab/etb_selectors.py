"""Reads of the Einsatztagebuch (keyword-only; the views ask ``stab.view_log`` first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from .etb_chain import first_broken, iso_utc
from .models import LogCategory, LogEntry, Staff

PAGE = 200


@dataclass(frozen=True)
class LogFilter:
    category: str = ""
    function: str = ""
    text: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return bool(self.category or self.function or self.text or self.since or self.until)


def entries(*, staff: Staff, filters: LogFilter | None = None) -> QuerySet[LogEntry]:
    """The entries of ``staff``'s ETB, newest first, with the numbers of their corrections."""
    qs = LogEntry.objects.filter(staff=staff).select_related("corrects").prefetch_related("corrections")
    f = filters or LogFilter()
    if f.category in LogCategory.values:
        qs = qs.filter(category=f.category)
    if f.function:
        qs = qs.filter(author_function__icontains=f.function)
    if f.text:
        qs = qs.filter(Q(text__icontains=f.text) | Q(author_name__icontains=f.text))
    if f.since:
        qs = qs.filter(event_at__gte=f.since)
    if f.until:
        qs = qs.filter(event_at__lte=f.until)
    return qs.order_by("-number")


def entries_after(*, staff: Staff, after: int, limit: int = PAGE) -> list[LogEntry]:
    """Entries with a number above ``after`` (oldest first): what the live log polls for."""
    return list(LogEntry.objects.filter(staff=staff, number__gt=after).select_related("corrects")
                .prefetch_related("corrections").order_by("number")[:limit])


def last_number(*, staff: Staff) -> int:
    return LogEntry.objects.filter(staff=staff).order_by("-number").values_list("number", flat=True).first() or 0


def functions(*, staff: Staff) -> list[str]:
    """The function names entries were written under (for the filter)."""
    return sorted({f for f in LogEntry.objects.filter(staff=staff).values_list("author_function", flat=True).distinct() if f})


def chain_head(*, staff: Staff) -> str:
    return LogEntry.objects.filter(staff=staff).order_by("-number").values_list("hash", flat=True).first() or ""


_ROW = ("number", "event_at", "entered_at", "author_id", "author_name", "author_function", "category", "text",
        "corrects__number", "written_at", "attachment_sha256", "prev_hash", "hash")


def _rows(staff: Staff):
    """(content, stored prev hash, stored hash) per entry in number order, without model instances."""
    if connection.vendor == "sqlite":
        yield from _sqlite_rows(staff)
        return
    staff_uuid = str(staff.uuid)
    qs = LogEntry.objects.filter(staff=staff).order_by("number").values_list(*_ROW)
    for (number, event_at, entered_at, author_id, author_name, author_function, category, text, corrects_number,
         written_at, attachment_sha256, prev_hash, stored_hash) in qs.iterator(chunk_size=5000):
        yield ({"staff_uuid": staff_uuid, "number": number, "event_at": iso_utc(event_at), "entered_at": iso_utc(entered_at),
                "author_id": author_id, "author_name": author_name, "author_function": author_function, "category": category,
                "text": text, "corrects_number": corrects_number, "written_at": iso_utc(written_at),
                "attachment_sha256": attachment_sha256}, prev_hash, stored_hash)


def _sqlite_iso(stored: str | None) -> str | None:
    """SQLite keeps Django's datetimes as UTC text ``YYYY-MM-DD HH:MM:SS[.ffffff]``: the same
    string ``iso_utc`` gives for the datetime, without parsing it (the check of 100,000 entries
    spends most of its time there otherwise)."""
    if stored is None:
        return None
    return stored.replace(" ", "T", 1) + "+00:00"


def _sqlite_rows(staff: Staff):
    table = LogEntry._meta.db_table
    staff_uuid = str(staff.uuid)
    iso = _sqlite_iso
    # ('' || column): text without a declared type, so the driver's datetime converter stays out
    sql = (f"SELECT e.number, '' || e.event_at, '' || e.entered_at, e.author_id, e.author_name, e.author_function, e.category, "
           f"e.text, c.number, '' || e.written_at, e.attachment_sha256, e.prev_hash, e.hash FROM {table} e "
           f"LEFT JOIN {table} c ON c.id = e.corrects_id WHERE e.staff_id = %s ORDER BY e.number")
    with connection.cursor() as cursor:
        cursor.execute(sql, [staff.pk])
        while rows := cursor.fetchmany(5000):
            for (number, event_at, entered_at, author_id, author_name, author_function, category, text, corrects_number,
                 written_at, attachment_sha256, prev_hash, stored_hash) in rows:
                yield ({"staff_uuid": staff_uuid, "number": number, "event_at": iso(event_at), "entered_at": iso(entered_at),
                        "author_id": author_id, "author_name": author_name, "author_function": author_function,
                        "category": category, "text": text, "corrects_number": corrects_number, "written_at": iso(written_at),
                        "attachment_sha256": attachment_sha256}, prev_hash, stored_hash)


@dataclass(frozen=True)
class Verification:
    count: int
    first_broken: int | None
    head: str

    @property
    def holds(self) -> bool:
        return self.first_broken is None


def verify(*, staff: Staff) -> Verification:
    """Check ``staff``'s whole chain; names the first entry whose row no longer matches."""
    count = 0
    head = ""

    def counted():
        nonlocal count, head
        for row in _rows(staff):
            count += 1
            head = row[2]
            yield row

    broken = first_broken(counted())
    return Verification(count=LogEntry.objects.filter(staff=staff).count() if broken else count, first_broken=broken, head=head)


def resolve_staff(ref: str) -> Staff | None:
    """A staff by its id or its UUID (for the CLI)."""
    ref = (ref or "").strip()
    if ref.isdigit():
        return Staff.objects.filter(pk=int(ref)).first()
    try:
        import uuid

        return Staff.objects.filter(uuid=uuid.UUID(ref)).first()
    except ValueError:
        return None
