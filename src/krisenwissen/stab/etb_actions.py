"""State changes of the Einsatztagebuch: appending is the only one (append-only log).

* ``do_append_entry``: the one writer (numbered, hash-chained, idempotent by ``client_key``);
  ``journal.record_in_log`` calls it for the automatic entries of the other parts.
* ``do_write_entry``: an entry written by a staff member (``stab.write_log``), with the
  time window of the event time and of the device's time of writing validated.
* ``do_correct_entry``: a correction is a new entry referencing the corrected one.
* ``do_attach_file``: an attachment is an entry of its own (category Anlage).
* ``do_hand_over_log``: the role of the ETB-Führer passes on; the handover is an entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuid_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm

from .etb_chain import GENESIS, chain_hash, iso_utc
from .etb_events import EtbEvent
from .models import LogCategory, LogEntry, Staff, StaffAssignment

MAX_TEXT = 10_000
MAX_CLIENT_KEY = 64
# Future event times are refused beyond this tolerance (clocks of devices differ a little).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def backdate_window() -> dt.timedelta:
    """How far back an event time (and a device's time of writing) may lie (setting
    ``KRISENWISSEN_ETB_BACKDATE_HOURS``, default 72 hours)."""
    return dt.timedelta(hours=int(getattr(settings, "KRISENWISSEN_ETB_BACKDATE_HOURS", 72)))


def entry_content(entry: LogEntry) -> dict:
    """The covered fields of ``entry`` as the chain hashes them (see ``etb_chain``)."""
    return {
        "staff_uuid": str(entry.staff.uuid),
        "number": entry.number,
        "event_at": iso_utc(entry.event_at),
        "entered_at": iso_utc(entry.entered_at),
        "author_id": entry.author_id,
        "author_name": entry.author_name,
        "author_function": entry.author_function,
        "category": entry.category,
        "text": entry.text,
        "corrects_number": entry.corrects.number if entry.corrects_id else None,
        "written_at": iso_utc(entry.written_at),
        "attachment_sha256": entry.attachment_sha256,
    }


def _author_function(staff: Staff, user) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    names = StaffAssignment.objects.filter(user=user, ended_at__isnull=True, function__staff=staff).values_list("function__name", flat=True)
    return ", ".join(sorted(names))


def do_append_entry(staff: Staff, *, category: str, text: str, acting_user, event_at=None, corrects: LogEntry | None = None,
                    client_key: str = "", written_at=None, attachment: tuple[bytes, str, str] | None = None,
                    entered_at=None) -> LogEntry:
    """Append one numbered, hash-chained entry to ``staff``'s ETB (in the caller's transaction).

    The staff row is locked so that numbers and the chain stay gapless under concurrent writers.
    An entry with a ``client_key`` already stored for this staff is returned unchanged (a double
    submit is stored once). Permission checks belong to the caller (the ETB form asks
    ``stab.write_log``; automatic entries follow the permitted change that causes them).
    ``attachment`` is ``(data, original name, media type)``, already checked by the caller.
    ``entered_at`` is for demo content and benchmarks only (a real entry's time of entry is now).
    """
    if category not in LogCategory.values:
        raise ValidationError({"category": _("Unbekannte Kategorie.")})
    if corrects is not None and corrects.staff_id != staff.pk:
        raise ValidationError({"corrects": _("Der korrigierte Eintrag gehört nicht zu diesem Einsatztagebuch.")})
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        if client_key:
            existing = LogEntry.objects.filter(staff=locked, client_key=client_key).first()
            if existing is not None:
                existing.already_stored = True
                return existing
        last = LogEntry.objects.filter(staff=locked).order_by("-number").only("number", "hash").first()
        now = entered_at or timezone.now()
        user = acting_user if getattr(acting_user, "pk", None) else None
        entry = LogEntry(
            staff=locked, number=(last.number + 1) if last else 1, event_at=event_at or now, entered_at=now,
            author=user, author_name=(user.get_full_name() or user.get_username()) if user else "",
            author_function=_author_function(locked, user), category=str(category), text=text,
            corrects=corrects, client_key=client_key, written_at=written_at, prev_hash=last.hash if last else GENESIS,
        )
        if attachment is not None:
            data, name, media_type = attachment
            entry.attachment_sha256 = hashlib.sha256(data).hexdigest()
            entry.attachment_name = name[:200]
            entry.attachment_type = media_type[:100]
            suffix = ".pdf" if media_type == "application/pdf" else ".jpg"
            entry.attachment.save(f"{uuid_module.uuid4().hex}{suffix}", ContentFile(data), save=False)
        entry.hash = chain_hash(entry_content(entry), entry.prev_hash)
        entry.save()
        entry.already_stored = False
        record(EtbEvent.ENTRY_APPENDED, acting_user=acting_user, obj=locked, municipality=locked.municipality, number=entry.number)
        return entry


def _check_moment(value, *, field: str, label: str, now: dt.datetime) -> None:
    if value is None:
        return
    if timezone.is_naive(value):
        raise ValidationError({field: _("%(label)s: Bitte mit Zeitzone angeben.") % {"label": label}})
    window = backdate_window()
    if value < now - window:
        raise ValidationError({field: _("%(label)s liegt mehr als %(hours)s Stunden zurück. Ältere Ereignisse bitte mit der "
                                        "heutigen Zeit eintragen und den Zeitpunkt im Text nennen.")
                               % {"label": label, "hours": int(window.total_seconds() // 3600)}})
    if value > now + FUTURE_TOLERANCE:
        raise ValidationError({field: _("%(label)s liegt in der Zukunft. Bitte den tatsächlichen Zeitpunkt eintragen.")
                               % {"label": label}})


def _clean_text(text: str, *, required: bool = True) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({"text": _("Inhalt: Bitte geben Sie einen Text ein.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Inhalt: Der Text ist zu lang (%(n)s Zeichen, höchstens %(max)s).")
                               % {"n": len(text), "max": MAX_TEXT}})
    return text


def _clean_key(client_key: str) -> str:
    client_key = (client_key or "").strip()
    if len(client_key) > MAX_CLIENT_KEY:
        raise ValidationError({"client_key": _("Der Schlüssel des Eintrags ist zu lang.")})
    return client_key


def do_write_entry(staff: Staff, *, category: str, text: str, acting_user, event_at=None, written_at=None,
                   client_key: str = "", corrects: LogEntry | None = None) -> LogEntry:
    """An entry written by a staff member (``stab.write_log``).

    ``event_at`` (Zeitpunkt des Ereignisses) and ``written_at`` (the device's time of writing,
    for an entry sent later from the offline queue) must lie within the backdating window
    (``KRISENWISSEN_ETB_BACKDATE_HOURS``) and not in the future. A ``client_key`` already stored
    returns the stored entry (``already_stored`` True) without checking the window again, so
    that a queued entry resent after hours is absorbed, not refused.
    """
    require_perm(acting_user, "stab.write_log", staff, message=_("Nur Mitglieder des Stabes schreiben in das Einsatztagebuch."))
    client_key = _clean_key(client_key)
    if client_key:
        existing = LogEntry.objects.filter(staff=staff, client_key=client_key).first()
        if existing is not None:
            existing.already_stored = True
            return existing
    if category in (LogCategory.ANLAGE, LogCategory.KORREKTUR) and corrects is None:
        raise ValidationError({"category": _("Kategorie: Anlagen und Korrekturen haben eigene Formulare.")})
    if category not in LogCategory.values:
        raise ValidationError({"category": _("Kategorie: Bitte eine der angebotenen Kategorien wählen.")})
    text = _clean_text(text)
    now = timezone.now()
    _check_moment(event_at, field="event_at", label=_("Zeitpunkt des Ereignisses"), now=now)
    _check_moment(written_at, field="written_at", label=_("Zeitpunkt des Schreibens"), now=now)
    if not staff.is_active:
        raise ValidationError(_("Der Stab ist deaktiviert; sein Einsatztagebuch ist abgeschlossen."))
    return do_append_entry(staff, category=category, text=text, event_at=event_at, written_at=written_at,
                           client_key=client_key, corrects=corrects, acting_user=acting_user)


def do_correct_entry(entry: LogEntry, *, text: str, acting_user, client_key: str = "", written_at=None) -> LogEntry:
    """A correction of ``entry``: a new entry (category Korrektur) referencing it; both stay.

    Two people correcting the same entry at once both keep their correction, in the order the
    staff row lock gives them (nothing is lost; the second one is shown as a further correction).
    """
    text = _clean_text(text)
    return do_write_entry(entry.staff, category=LogCategory.KORREKTUR, text=text, corrects=entry, client_key=client_key,
                          written_at=written_at, acting_user=acting_user)


ATTACHMENT_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def clean_attachment(data: bytes, name: str) -> tuple[bytes, str, str]:
    """A safe attachment: a photo is re-encoded as JPEG without metadata (EXIF, GPS) within the
    pixel budget of the workshops' photo upload (an image bomb is refused before decoding); a PDF
    is kept as is within the size limit. Anything else is refused with a German message."""
    from krisenwissen.workshops.actions import process_photo

    name = " ".join((name or "").replace("/", " ").replace("\\", " ").split())[:200] or "anlage"
    if not data:
        raise ValidationError({"attachment": _("Anlage: Die Datei ist leer.")})
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("Anlage: Die Datei ist zu groß (%(mb)s MB); erlaubt sind höchstens %(max)s MB.")
                               % {"mb": round(len(data) / 1024 / 1024, 1), "max": MAX_ATTACHMENT_BYTES // 1024 // 1024}})
    if data.startswith(PDF_MAGIC):
        return data, name, "application/pdf"
    try:
        full, _thumb, _w, _h = process_photo(data)
    except ValidationError as exc:
        messages = [str(m) for m in getattr(exc, "message_dict", {}).get("image", [])] or [str(m) for m in exc.messages]
        raise ValidationError({"attachment": [_("Anlage: %(msg)s") % {"msg": m.replace("Foto", "Bild")} for m in messages]}) from None
    return full, name, "image/jpeg"


def do_attach_file(staff: Staff, *, data: bytes, name: str, text: str, acting_user, client_key: str = "") -> LogEntry:
    """An attachment as an entry of its own (category Anlage), its file's SHA-256 in the chain."""
    require_perm(acting_user, "stab.write_log", staff, message=_("Nur Mitglieder des Stabes schreiben in das Einsatztagebuch."))
    client_key = _clean_key(client_key)
    if client_key and (existing := LogEntry.objects.filter(staff=staff, client_key=client_key).first()) is not None:
        existing.already_stored = True
        return existing
    if not staff.is_active:
        raise ValidationError(_("Der Stab ist deaktiviert; sein Einsatztagebuch ist abgeschlossen."))
    text = _clean_text(text, required=False)
    clean = clean_attachment(data, name)
    return do_append_entry(staff, category=LogCategory.ANLAGE, text=text or _("Anlage: %(name)s") % {"name": clean[1]},
                           attachment=clean, client_key=client_key, acting_user=acting_user)


def do_hand_over_log(staff: Staff, *, to_user, acting_user, note: str = "") -> LogEntry:
    """The role of the ETB-Führer passes to ``to_user`` (a member of the staff); the handover is an
    entry (category Schichtwechsel). Allowed to the current ETB-Führer and the staff's Leitung
    (``stab.hand_over_log``)."""
    require_perm(acting_user, "stab.hand_over_log", staff, message=_("Nur die ETB-Führung und die Leitung übergeben die ETB-Führung."))
    note = _clean_text(note, required=False)
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        if not StaffAssignment.objects.filter(user=to_user, ended_at__isnull=True, function__staff=locked).exists():
            raise ValidationError({"to_user": _("Neue ETB-Führung: Die Person ist nicht Mitglied dieses Stabes.")})
        before = locked.log_keeper
        if before is not None and before.pk == to_user.pk:
            raise ValidationError({"to_user": _("Neue ETB-Führung: Die Person führt das Einsatztagebuch bereits.")})
        name = to_user.get_full_name() or to_user.get_username()
        if before is None:
            text = _("Übergabe der ETB-Führung: %(to)s übernimmt das Einsatztagebuch.") % {"to": name}
        else:
            text = _("Übergabe der ETB-Führung von %(from)s an %(to)s.") % {"from": before.get_full_name() or before.get_username(), "to": name}
        if note:
            text += " " + note
        Staff.objects.filter(pk=locked.pk).update(log_keeper=to_user)
        staff.log_keeper = to_user
        entry = do_append_entry(locked, category=LogCategory.SCHICHTWECHSEL, text=text, acting_user=acting_user)
        record(EtbEvent.LOG_HANDED_OVER, acting_user=acting_user, obj=locked, municipality=locked.municipality, number=entry.number)
        return entry
