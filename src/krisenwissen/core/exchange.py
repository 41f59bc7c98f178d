"""Export and import of the platform's content as versioned JSON.

File format (``{"format": "krisenwissen", "version": 1, ...}``), one list per section::

    municipalities   participating municipalities and every municipality referenced
                     elsewhere in the file; each with its ``departments``
    networks         with ``members`` as AGS keys
    users            without password hashes; each with its ``memberships``
    crises           with their ``phases``
    schemes          with their ``codes`` (``parent`` is the key of a code of the same scheme)
    sources, observations, lessons, recommendations, good_practices
    publication_reviews

References use natural keys: AGS for municipalities, usernames for users, the scheme key
plus code key (``["themen", "krisenstab"]``) for codes, ``uuid`` for crises, sources and
knowledge items, the crisis UUID plus phase number for phases. A reference may point into
the file itself or to an object that already exists in the database.

Import is two-step: :func:`parse_exchange_file` and :func:`validate_document` check the
whole file and report every problem with its position (``observations[12].kind: unbekannter
Wert "foo"``); only a file without any problem is written by :func:`import_document`, in one
transaction. Existing objects with the same natural key are updated, and the links of an
updated item (codes, evidence, sources) are replaced by those in the file; nothing else is
deleted. Users created by an import get no usable password (they have to reset it).
Knowledge items are written with bulk queries; the search index is rebuilt once afterwards.

Exports are deterministic (sorted by natural keys, no timestamps of the export itself), so
export → import into an empty database → export yields the same JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import uuid as uuid_module
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from krisenwissen.accounts.models import Department, Membership, Municipality, Network, User
from krisenwissen.core.audit import record as record_audit
from krisenwissen.knowledge import models as km

FORMAT_NAME = "krisenwissen"
FORMAT_VERSION = 1
MAX_REPORTED_ERRORS = 100
BULK_BATCH = 500  # rows per bulk query; keeps SQLite below its parameter limit

# Section name in the file → the knowledge model it holds.
ITEM_SECTIONS: dict[str, type[km.KnowledgeItem]] = {
    "observations": km.Observation,
    "lessons": km.Lesson,
    "recommendations": km.Recommendation,
    "good_practices": km.GoodPractice,
}
SECTION_BY_KIND = {model.kind_key: section for section, model in ITEM_SECTIONS.items()}

SECTIONS = (
    "municipalities", "networks", "users", "crises", "schemes", "sources",
    *ITEM_SECTIONS, "publication_reviews",
)


# ======================================================================================
# Errors
# ======================================================================================


@dataclass(frozen=True)
class ExchangeProblem:
    """One problem in an import file: where (``observations[3].kind``) and what (German)."""

    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}" if self.position else self.message


class ExchangeError(Exception):
    """The import file cannot be imported. ``problems`` lists every problem found.

    This is the only exception :func:`parse_exchange_file`, :func:`validate_document`
    and :func:`import_document` raise for bad input.
    """

    def __init__(self, problems: Iterable[ExchangeProblem | str]):
        self.problems = [p if isinstance(p, ExchangeProblem) else ExchangeProblem("", p) for p in problems]
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_REPORTED_ERRORS]]
        if len(self.problems) > MAX_REPORTED_ERRORS:
            lines.append(f"… und {len(self.problems) - MAX_REPORTED_ERRORS} weitere Fehler")
        return "\n".join(lines)


# ======================================================================================
# Reading the file
# ======================================================================================

# The json module's messages, in German. Anything not listed is shown as it is.
_JSON_MESSAGES = {
    "Expecting value": "Wert erwartet",
    "Expecting ',' delimiter": "Komma erwartet",
    "Expecting ':' delimiter": "Doppelpunkt erwartet",
    "Expecting property name enclosed in double quotes": "Feldname in doppelten Anführungszeichen erwartet",
    "Unterminated string starting at": "nicht abgeschlossene Zeichenkette",
    "Extra data": "weitere Daten nach dem Ende des JSON-Dokuments",
    "Invalid control character at": "ungültiges Steuerzeichen in einer Zeichenkette",
    "Invalid \\escape": "ungültige Escape-Sequenz",
    "Invalid \\uXXXX escape": "ungültige \\u-Escape-Sequenz",
    "Illegal trailing comma before end of object": "Komma vor dem Ende eines Objekts",
    "Illegal trailing comma before end of array": "Komma vor dem Ende einer Liste",
}


def _human_size(num_bytes: int) -> str:
    return f"{num_bytes / (1024 * 1024):.1f} MB".replace(".", ",")


def parse_exchange_file(path: str | os.PathLike, *, max_bytes: int | None = None) -> Any:
    """Read and JSON-decode an import file, refusing files that are too big or not UTF-8.

    The size is taken from the file system *before* reading, so an oversized file is never
    read; reading is capped at ``max_bytes + 1`` as well, in case the file grows meanwhile or
    is not a regular file.
    """
    limit = settings.KRISENWISSEN_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExchangeError([f"Datei nicht gefunden: {path}"]) from None
    except OSError as exc:
        raise ExchangeError([f"Datei kann nicht gelesen werden: {path} ({exc.strerror})"]) from None
    if size > limit:
        raise ExchangeError([
            f"Datei ist zu groß: {_human_size(size)}; erlaubt sind höchstens {_human_size(limit)} "
            "(Einstellung KRISENWISSEN_IMPORT_MAX_BYTES)."
        ])
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ExchangeError([f"Datei kann nicht gelesen werden: {path} ({exc.strerror})"]) from None
    if len(raw) > limit:
        raise ExchangeError([f"Datei ist zu groß: erlaubt sind höchstens {_human_size(limit)}."])
    return parse_exchange_bytes(raw)


def parse_exchange_bytes(raw: bytes) -> Any:
    """Decode UTF-8 (a byte order mark is allowed) and parse JSON, with German errors."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExchangeError([
            f"Datei ist nicht UTF-8-kodiert: ungültiges Byte 0x{raw[exc.start]:02x} an Byte-Position "
            f"{exc.start} (Zeile {line})."
        ]) from None
    duplicate_keys: list[str] = []

    def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        counts = Counter(key for key, _ in pairs)
        duplicate_keys.extend(key for key, count in counts.items() if count > 1)
        return dict(pairs)

    def reject_constant(name: str):
        raise ValueError(f"{name} ist in JSON nicht erlaubt")

    try:
        document = json.loads(text, object_pairs_hook=reject_duplicates, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        message = _JSON_MESSAGES.get(exc.msg, exc.msg)
        raise ExchangeError([f"Kein gültiges JSON: Zeile {exc.lineno}, Spalte {exc.colno}: {message}."]) from None
    except ValueError as exc:  # NaN/Infinity, via reject_constant
        raise ExchangeError([f"Kein gültiges JSON: {exc}."]) from None
    except RecursionError:
        raise ExchangeError(["Kein gültiges JSON: zu tief verschachtelt."]) from None
    if duplicate_keys:
        names = ", ".join(f'"{k}"' for k in sorted(set(duplicate_keys)))
        raise ExchangeError([f"Kein gültiges JSON: Feldnamen kommen in einem Objekt doppelt vor: {names}."])
    return document


# ======================================================================================
# Schema
# ======================================================================================

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
AGS_RE = re.compile(r"^[0-9]{5}([0-9]{3})?$|^[0-9]{2}$")
USERNAME_RE = re.compile(r"^[\w.@+-]+$")
POSTCODE_RE = re.compile(r"^([0-9]{5})?$")


@dataclass(frozen=True)
class Field:
    """How one JSON field is checked and converted.

    ``kind`` is one of ``str``, ``int``, ``bool``, ``date``, ``datetime``, ``uuid``, ``code``
    (a ``[scheme key, code key]`` pair), ``item_ref`` (``{"kind": ..., "uuid": ...}``),
    ``json`` (any JSON value), ``list`` (of ``items``) or ``record``.
    """

    kind: str
    required: bool = True
    nullable: bool = False
    blank: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    pattern: re.Pattern | None = None
    pattern_hint: str = ""
    minimum: int | None = None
    maximum: int | None = None
    items: Field | None = None
    record: Record | None = None
    default: Any = None
    # A Django validator for non-empty strings (URL, e-mail); its message is replaced by ours.
    validator: Callable[[str], None] | None = None
    validator_hint: str = ""


@dataclass(frozen=True)
class Record:
    fields: dict[str, Field]


def model_field(model: type[models.Model], name: str, **overrides) -> Field:
    """Derive a :class:`Field` from a model field (type, length, choices, null/blank)."""
    f = model._meta.get_field(name)
    spec: dict[str, Any] = {"nullable": f.null, "blank": f.blank}
    if isinstance(f, models.UUIDField):
        spec["kind"] = "uuid"
    elif isinstance(f, models.BooleanField):
        spec.update(kind="bool", default=f.default if f.has_default() else False)
    elif isinstance(f, models.DateTimeField):
        spec["kind"] = "datetime"
    elif isinstance(f, models.DateField):
        spec["kind"] = "date"
    elif isinstance(f, models.PositiveSmallIntegerField):
        spec.update(kind="int", minimum=0, maximum=32767)
    elif isinstance(f, models.PositiveIntegerField | models.PositiveBigIntegerField):
        spec.update(kind="int", minimum=0, maximum=2_147_483_647)
    elif isinstance(f, models.CharField | models.TextField):
        spec.update(kind="str", max_length=f.max_length)
        if f.choices:
            spec["choices"] = tuple(str(value) for value, _label in f.flatchoices)
        if f.has_default() and not callable(f.default):
            spec["default"] = f.default
        elif f.blank:
            spec["default"] = ""
    else:  # pragma: no cover - a programming error, not bad input
        raise TypeError(f"No exchange mapping for {model.__name__}.{name}")
    spec.update(overrides)
    if not spec.get("required", True) and "default" not in spec and spec["nullable"]:
        spec["default"] = None
    return Field(**spec)


def optional(model, name, **overrides) -> Field:
    return model_field(model, name, required=False, **overrides)


def ref(kind: str, *, required: bool = True, nullable: bool = False, pattern=None, hint="", max_length=None) -> Field:
    return Field(kind, required=required, nullable=nullable, blank=False, pattern=pattern, pattern_hint=hint,
                 max_length=max_length, default=None)


def list_of(item: Field, *, required: bool = False) -> Field:
    return Field("list", required=required, items=item, default=[])


def records(fields: dict[str, Field], *, required: bool = False) -> Field:
    return list_of(Field("record", record=Record(fields)), required=required)


AGS_REF = dict(pattern=AGS_RE, hint="5 oder 8 Ziffern")
USERNAME_REF = dict(pattern=USERNAME_RE, hint="Buchstaben, Ziffern und . @ + - _", max_length=150)
SLUG = dict(pattern=SLUG_RE, pattern_hint="Buchstaben, Ziffern, - und _")

M, D, U, MS = Municipality, Department, User, Membership


def _item_fields(model: type[km.KnowledgeItem], own: dict[str, Field]) -> dict[str, Field]:
    return {
        "uuid": model_field(model, "uuid"),
        "municipality": ref("str", **AGS_REF),
        "visibility": optional(model, "visibility"),
        "crisis": ref("uuid", required=False, nullable=True),
        "phase": Field("int", required=False, nullable=True, minimum=0, maximum=32767, default=None),
        "department_function": optional(model, "department_function"),
        "codes": list_of(Field("code")),
        "created_by": ref("str", required=False, nullable=True, **USERNAME_REF),
        "created_at": Field("datetime", required=False, nullable=True, default=None),
        **own,
    }


DOCUMENT = Record({
    "format": Field("str", choices=(FORMAT_NAME,)),
    "version": Field("int"),
    "municipalities": records({
        "ags": model_field(M, "ags", blank=False, pattern=AGS_RE, pattern_hint="2, 5 oder 8 Ziffern"),
        "name": model_field(M, "name", blank=False),
        "state": optional(M, "state"),
        "kind": optional(M, "kind"),
        "population": optional(M, "population"),
        "postcode": optional(M, "postcode", pattern=POSTCODE_RE, pattern_hint="5 Ziffern"),
        "is_participating": optional(M, "is_participating"),
        "departments": records({
            "name": model_field(D, "name", blank=False),
            "function": model_field(D, "function", blank=False),
        }),
    }),
    "networks": records({
        "slug": model_field(Network, "slug", blank=False, **SLUG),
        "name": model_field(Network, "name", blank=False),
        "description": optional(Network, "description"),
        "members": list_of(ref("str", **AGS_REF)),
    }),
    "users": records({
        "username": model_field(U, "username", blank=False, pattern=USERNAME_RE,
                                pattern_hint="Buchstaben, Ziffern und . @ + - _"),
        "first_name": optional(U, "first_name"),
        "last_name": optional(U, "last_name"),
        "email": optional(U, "email", validator=EmailValidator(), validator_hint="erwartet eine E-Mail-Adresse"),
        "is_active": optional(U, "is_active", default=True),
        "is_staff": optional(U, "is_staff", default=False),
        "is_superuser": optional(U, "is_superuser", default=False),
        "memberships": records({
            "municipality": ref("str", **AGS_REF),
            "role": optional(MS, "role"),
            "department": ref("str", required=False, nullable=True, max_length=200),
        }),
    }),
    "crises": records({
        "uuid": model_field(km.Crisis, "uuid"),
        "title": model_field(km.Crisis, "title", blank=False),
        "hazard_type": optional(km.Crisis, "hazard_type"),
        "start": optional(km.Crisis, "start"),
        "end": optional(km.Crisis, "end"),
        "description": optional(km.Crisis, "description"),
        "phases": records({
            "number": model_field(km.Phase, "number"),
            "name": model_field(km.Phase, "name", blank=False),
            "start": optional(km.Phase, "start"),
            "end": optional(km.Phase, "end"),
            "period_label": optional(km.Phase, "period_label"),
            "description": optional(km.Phase, "description"),
        }),
    }),
    "schemes": records({
        "key": model_field(km.Scheme, "key", blank=False, **SLUG),
        "name": model_field(km.Scheme, "name", blank=False),
        "description": optional(km.Scheme, "description"),
        "order": optional(km.Scheme, "order", default=0),
        "codes": records({
            "key": model_field(km.Code, "key", blank=False, **SLUG),
            "name": model_field(km.Code, "name", blank=False),
            "description": optional(km.Code, "description"),
            "order": optional(km.Code, "order", default=0),
            "parent": ref("str", required=False, nullable=True, pattern=SLUG_RE, hint="Schlüssel eines Codes"),
        }),
    }),
    "sources": records({
        "uuid": model_field(km.Source, "uuid"),
        "kind": model_field(km.Source, "kind", blank=False),
        "title": model_field(km.Source, "title", blank=False),
        "citation": optional(km.Source, "citation"),
        "url": optional(km.Source, "url", validator=URLValidator(), validator_hint="erwartet eine Adresse wie https://…"),
        "date": optional(km.Source, "date"),
    }),
    "observations": records(_item_fields(km.Observation, {
        "kind": model_field(km.Observation, "kind", blank=False),
        "text": model_field(km.Observation, "text", blank=False),
        "source": ref("uuid", required=False, nullable=True),
        "anonymous": optional(km.Observation, "anonymous", default=True),
        # Files written before the review workflow existed hold reviewed observations.
        "status": optional(km.Observation, "status", default="geprueft"),
        "rejection_reason": optional(km.Observation, "rejection_reason"),
    })),
    "lessons": records(_item_fields(km.Lesson, {
        "title": model_field(km.Lesson, "title", blank=False),
        "finding": model_field(km.Lesson, "finding", blank=False),
        "cause": optional(km.Lesson, "cause"),
        "status": optional(km.Lesson, "status"),
        "status_note": optional(km.Lesson, "status_note"),
        "validated_on": optional(km.Lesson, "validated_on"),
        "validation_method": optional(km.Lesson, "validation_method"),
        "validation_result": optional(km.Lesson, "validation_result"),
        "recheck_due": optional(km.Lesson, "recheck_due"),
        "replaced_by": ref("uuid", required=False, nullable=True),
        "observations": list_of(ref("uuid")),
    })),
    "recommendations": records(_item_fields(km.Recommendation, {
        "title": model_field(km.Recommendation, "title", blank=False),
        "text": model_field(km.Recommendation, "text", blank=False),
        "addressee_level": optional(km.Recommendation, "addressee_level"),
        "lessons": list_of(ref("uuid")),
    })),
    "good_practices": records(_item_fields(km.GoodPractice, {
        "title": model_field(km.GoodPractice, "title", blank=False),
        "city": model_field(km.GoodPractice, "city", blank=False),
        "country": optional(km.GoodPractice, "country"),
        "problem": model_field(km.GoodPractice, "problem", blank=False),
        "solution": model_field(km.GoodPractice, "solution", blank=False),
        "results": optional(km.GoodPractice, "results"),
        "transferability": optional(km.GoodPractice, "transferability"),
        "contact": optional(km.GoodPractice, "contact"),
        "sources": list_of(ref("uuid")),
    })),
    "publication_reviews": records({
        "item": Field("item_ref"),
        "municipality": ref("str", **AGS_REF),
        "requested_visibility": model_field(km.PublicationReview, "requested_visibility", blank=False),
        "requested_by": ref("str", required=False, nullable=True, **USERNAME_REF),
        "requested_at": Field("datetime"),
        "status": optional(km.PublicationReview, "status"),
        "flags": Field("json", required=False, default=[]),
        "reviewer": ref("str", required=False, nullable=True, **USERNAME_REF),
        "decided_at": Field("datetime", required=False, nullable=True, default=None),
        "note": optional(km.PublicationReview, "note"),
    }),
})

_TYPE_NAMES = {
    str: "Zeichenkette", bool: "Wahrheitswert", int: "ganze Zahl", float: "Kommazahl",
    list: "Liste", dict: "Objekt", type(None): "null",
}
_EXPECTED = {
    "str": "Zeichenkette", "int": "ganze Zahl", "bool": "Wahrheitswert (true/false)",
    "date": "Datum als Zeichenkette JJJJ-MM-TT", "datetime": "Zeitpunkt als Zeichenkette nach ISO 8601",
    "uuid": "UUID als Zeichenkette", "code": 'Liste [Schema-Schlüssel, Code-Schlüssel]',
    "item_ref": 'Objekt {"kind": ..., "uuid": ...}', "list": "Liste", "record": "Objekt",
}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _quote(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f'"{text}"'


# ======================================================================================
# Structural validation (no database access)
# ======================================================================================


class _Checker:
    """Walks the document along the schema, collecting problems and building a cleaned copy."""

    def __init__(self) -> None:
        self.problems: list[ExchangeProblem] = []

    def problem(self, position: str, message: str) -> None:
        self.problems.append(ExchangeProblem(position, message))

    def record(self, value: Any, record: Record, position: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(position or "(Datei)", f"erwartet Objekt, gefunden {_type_name(value)}")
            return None
        prefix = f"{position}." if position else ""
        cleaned: dict[str, Any] = {}
        for key in value:
            if key not in record.fields:
                self.problem(f"{prefix}{key}", "unbekanntes Feld")
        for name, spec in record.fields.items():
            if name not in value:
                if spec.required:
                    self.problem(f"{prefix}{name}", "Pflichtfeld fehlt")
                else:
                    cleaned[name] = list(spec.default) if isinstance(spec.default, list) else spec.default
                continue
            cleaned[name] = self.value(value[name], spec, f"{prefix}{name}")
        return cleaned

    def value(self, value: Any, spec: Field, position: str) -> Any:
        if value is None:
            if not spec.nullable:
                self.problem(position, "darf nicht null sein")
            return None
        checker: Callable[[Any, Field, str], Any] = getattr(self, f"check_{spec.kind}")
        return checker(value, spec, position)

    def wrong_type(self, value: Any, spec: Field, position: str) -> None:
        self.problem(position, f"erwartet {_EXPECTED[spec.kind]}, gefunden {_type_name(value)}")

    def check_str(self, value, spec, position):
        if not isinstance(value, str):
            return self.wrong_type(value, spec, position)
        if "\x00" in value:
            return self.problem(position, "enthält ein Nullzeichen")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return self.problem(position, "enthält ungültige Unicode-Zeichen (einzelne Surrogate)")
        if not value:
            if not spec.blank:
                return self.problem(position, "darf nicht leer sein")
            return value
        if spec.choices is not None and value not in spec.choices:
            allowed = ", ".join(c for c in spec.choices if c)
            return self.problem(position, f"unbekannter Wert {_quote(value)} (erlaubt: {allowed})")
        if spec.max_length is not None and len(value) > spec.max_length:
            return self.problem(position, f"zu lang ({len(value)} Zeichen, höchstens {spec.max_length})")
        if spec.pattern is not None and not spec.pattern.match(value):
            return self.problem(position, f"ungültiger Wert {_quote(value)} ({spec.pattern_hint})")
        if spec.validator is not None:
            try:
                spec.validator(value)
            except ValidationError:
                return self.problem(position, f"ungültiger Wert {_quote(value)} ({spec.validator_hint})")
        return value

    def check_int(self, value, spec, position):
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, spec, position)
        if spec.minimum is not None and value < spec.minimum:
            return self.problem(position, f"zu klein ({value}, mindestens {spec.minimum})")
        if spec.maximum is not None and value > spec.maximum:
            return self.problem(position, f"zu groß ({value}, höchstens {spec.maximum})")
        return value

    def check_bool(self, value, spec, position):
        if not isinstance(value, bool):
            return self.wrong_type(value, spec, position)
        return value

    def check_date(self, value, spec, position):
        if not isinstance(value, str):
            return self.wrong_type(value, spec, position)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            return self.problem(position, f"ungültiges Datum {_quote(value)} (erwartet JJJJ-MM-TT)")

    def check_datetime(self, value, spec, position):
        if not isinstance(value, str):
            return self.wrong_type(value, spec, position)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return self.problem(position, f"ungültiger Zeitpunkt {_quote(value)} (erwartet ISO 8601)")
        if parsed.tzinfo is None:
            return self.problem(position, f"Zeitpunkt {_quote(value)} ohne Zeitzone")
        return parsed

    def check_uuid(self, value, spec, position):
        if not isinstance(value, str):
            return self.wrong_type(value, spec, position)
        try:
            return uuid_module.UUID(value)
        except ValueError:
            return self.problem(position, f"ungültige UUID {_quote(value)}")

    def check_code(self, value, spec, position):
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            return self.problem(position, f"erwartet {_EXPECTED['code']}, gefunden {_quote(value)}")
        if not all(SLUG_RE.match(v) for v in value):
            return self.problem(position, f"ungültiger Code-Verweis {_quote(value)}")
        return (value[0], value[1])

    def check_item_ref(self, value, spec, position):
        cleaned = self.record(value, Record({
            "kind": Field("str", choices=tuple(SECTION_BY_KIND)),
            "uuid": Field("uuid"),
        }), position)
        if cleaned is None or cleaned.get("kind") is None or cleaned.get("uuid") is None:
            return None  # the problem has been recorded already
        return (cleaned["kind"], cleaned["uuid"])

    def check_json(self, value, spec, position):
        return value

    def check_list(self, value, spec, position):
        if not isinstance(value, list):
            return self.wrong_type(value, spec, position)
        return [self.value(element, spec.items, f"{position}[{index}]") for index, element in enumerate(value)]

    def check_record(self, value, spec, position):
        return self.record(value, spec.record, position)


def validate_document(document: Any) -> dict:
    """Check a parsed document completely, including references, and return a cleaned copy.

    Values are converted (dates, datetimes, UUIDs), optional fields filled with defaults.
    Raises :class:`ExchangeError` listing every problem with its position.
    """
    if not isinstance(document, dict):
        raise ExchangeError([ExchangeProblem("(Datei)", f"erwartet Objekt, gefunden {_type_name(document)}")])
    header = _Checker()
    fmt, version = document.get("format"), document.get("version")
    if fmt != FORMAT_NAME:
        header.problem("format", f'erwartet "{FORMAT_NAME}", gefunden {_quote(fmt) if fmt is not None else "nichts"}')
    elif type(version) is not int or version != FORMAT_VERSION:  # True == 1 in Python
        shown = _quote(version) if version is not None else "nichts"
        header.problem("version", f"Version {shown} wird nicht unterstützt (unterstützt: {FORMAT_VERSION})")
    if header.problems:  # a foreign or future file: its content cannot be judged
        raise ExchangeError(header.problems)

    checker = _Checker()
    cleaned = checker.record(document, DOCUMENT, "")
    if checker.problems:
        raise ExchangeError(checker.problems)
    problems = _ReferenceChecker(cleaned).check()
    if problems:
        raise ExchangeError(problems)
    return cleaned


# ======================================================================================
# Reference validation (file plus database)
# ======================================================================================


class _ReferenceChecker:
    """Duplicate keys inside the file and references that resolve neither in file nor DB."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.problems: list[ExchangeProblem] = []

    def problem(self, position: str, message: str) -> None:
        self.problems.append(ExchangeProblem(position, message))

    def unique(self, section: str, rows: list[dict], key: Callable[[dict], Any], label: str, prefix: str = "") -> set:
        seen: dict[Any, int] = {}
        for index, row in enumerate(rows):
            value = key(row)
            if value in seen:
                self.problem(f"{prefix}{section}[{index}]",
                             f"{label} {_quote(str(value))} kommt doppelt vor (schon in {prefix}{section}[{seen[value]}])")
            else:
                seen[value] = index
        return set(seen)

    @staticmethod
    def existing(model: type[models.Model], field_name: str, values: Iterable) -> set:
        wanted = {v for v in values if v is not None}
        found: set = set()
        chunk = sorted(wanted, key=str)
        # Chunked to stay below database parameter limits with large files.
        for start in range(0, len(chunk), 500):
            found |= set(model.objects.filter(**{f"{field_name}__in": chunk[start:start + 500]})
                         .values_list(field_name, flat=True))
        return found

    def check(self) -> list[ExchangeProblem]:
        doc = self.doc
        file_ags = self.unique("municipalities", doc["municipalities"], lambda r: r["ags"], "AGS")
        for i, municipality in enumerate(doc["municipalities"]):
            self.unique("departments", municipality["departments"], lambda r: r["name"], "Dienststelle",
                        prefix=f"municipalities[{i}].")
        self.unique("networks", doc["networks"], lambda r: r["slug"], "Kurzname")
        self.unique("networks", doc["networks"], lambda r: r["name"], "Name")
        file_users = self.unique("users", doc["users"], lambda r: r["username"], "Benutzername")
        for i, user in enumerate(doc["users"]):
            self.unique("memberships", user["memberships"], lambda r: r["municipality"], "Kommune",
                        prefix=f"users[{i}].")
        file_crises = self.unique("crises", doc["crises"], lambda r: r["uuid"], "UUID")
        file_phases = set()
        for i, crisis in enumerate(doc["crises"]):
            numbers = self.unique("phases", crisis["phases"], lambda r: r["number"], "Phasennummer",
                                  prefix=f"crises[{i}].")
            file_phases |= {(crisis["uuid"], n) for n in numbers}
        self.unique("schemes", doc["schemes"], lambda r: r["key"], "Schlüssel")
        file_codes = set()
        for i, scheme in enumerate(doc["schemes"]):
            keys = self.unique("codes", scheme["codes"], lambda r: r["key"], "Schlüssel", prefix=f"schemes[{i}].")
            file_codes |= {(scheme["key"], k) for k in keys}
        file_sources = self.unique("sources", doc["sources"], lambda r: r["uuid"], "UUID")
        file_items = {
            section: self.unique(section, doc[section], lambda r: r["uuid"], "UUID") for section in ITEM_SECTIONS
        }

        # Everything referenced, looked up in the database only if not defined in the file.
        ags_refs, user_refs, crisis_refs, source_refs = set(), set(), set(), set()
        for network in doc["networks"]:
            ags_refs |= set(network["members"])
        for user in doc["users"]:
            ags_refs |= {m["municipality"] for m in user["memberships"]}
        for section in ITEM_SECTIONS:
            for item in doc[section]:
                ags_refs.add(item["municipality"])
                user_refs.add(item["created_by"])
                crisis_refs.add(item["crisis"])
        for obs in doc["observations"]:
            source_refs.add(obs["source"])
        for practice in doc["good_practices"]:
            source_refs |= set(practice["sources"])
        for review in doc["publication_reviews"]:
            ags_refs.add(review["municipality"])
            user_refs |= {review["requested_by"], review["reviewer"]}

        known_ags = file_ags | self.existing(Municipality, "ags", ags_refs - file_ags)
        known_users = file_users | self.existing(User, "username", user_refs - file_users)
        known_crises = file_crises | self.existing(km.Crisis, "uuid", crisis_refs - file_crises)
        known_sources = file_sources | self.existing(km.Source, "uuid", source_refs - file_sources)

        def check_ref(position: str, value: Any, known: set, label: str) -> None:
            if value is not None and value not in known:
                self.problem(position, f"{label} {_quote(str(value))} gibt es weder in der Datei noch in der Datenbank")

        for i, network in enumerate(doc["networks"]):
            for j, ags in enumerate(network["members"]):
                check_ref(f"networks[{i}].members[{j}]", ags, known_ags, "Kommune")
        self.check_memberships(known_ags)
        self.check_codes_in_schemes()
        self.check_items(known_ags, known_users, known_crises, known_sources, file_phases, file_codes, file_items)
        self.check_reviews(known_ags, known_users, file_items)
        return self.problems

    def check_memberships(self, known_ags: set) -> None:
        departments_in_file = {
            (m["ags"], d["name"]) for m in self.doc["municipalities"] for d in m["departments"]
        }
        for i, user in enumerate(self.doc["users"]):
            for j, membership in enumerate(user["memberships"]):
                position = f"users[{i}].memberships[{j}]"
                ags = membership["municipality"]
                if ags not in known_ags:
                    self.problem(f"{position}.municipality",
                                 f"Kommune {_quote(ags)} gibt es weder in der Datei noch in der Datenbank")
                    continue
                name = membership["department"]
                if name is not None and (ags, name) not in departments_in_file and not Department.objects.filter(
                        municipality__ags=ags, name=name).exists():
                    self.problem(f"{position}.department",
                                 f"Dienststelle {_quote(name)} gibt es in der Kommune {ags} nicht")

    def check_codes_in_schemes(self) -> None:
        for i, scheme in enumerate(self.doc["schemes"]):
            parents = {code["key"]: code["parent"] for code in scheme["codes"]}
            existing = set(km.Code.objects.filter(scheme__key=scheme["key"]).values_list("key", flat=True))
            for j, code in enumerate(scheme["codes"]):
                parent = code["parent"]
                if parent is None:
                    continue
                if parent not in parents and parent not in existing:
                    self.problem(f"schemes[{i}].codes[{j}].parent",
                                 f"Code {_quote(parent)} gibt es im Schema {_quote(scheme['key'])} nicht")
                    continue
                # Follow the chain of parents inside the file; coming back means a cycle.
                seen, current = {code["key"]}, parent
                while current in parents and parents[current] is not None:
                    if current in seen:
                        self.problem(f"schemes[{i}].codes[{j}].parent", "Codes bilden einen Kreis (Code ist sein eigener Vorfahr)")
                        break
                    seen.add(current)
                    current = parents[current]

    def check_items(self, known_ags, known_users, known_crises, known_sources, file_phases, file_codes, file_items):
        doc = self.doc
        crisis_ids = {c for s in ITEM_SECTIONS for c in (i["crisis"] for i in doc[s]) if c is not None}
        known_phases = set(file_phases) | set(
            km.Phase.objects.filter(crisis__uuid__in=list(crisis_ids)).values_list("crisis__uuid", "number"))
        code_refs = {code for s in ITEM_SECTIONS for i in doc[s] for code in i["codes"]}
        known_codes = set(file_codes)
        missing_schemes = {scheme for scheme, _ in code_refs - known_codes}
        if missing_schemes:
            known_codes |= set(km.Code.objects.filter(scheme__key__in=list(missing_schemes))
                               .values_list("scheme__key", "key"))
        linked = {
            "observations": ("lessons", "observations", km.Observation, "Beobachtung"),
            "lessons": ("recommendations", "lessons", km.Lesson, "Erkenntnis"),
        }
        known_items = {}
        for target_section, (section, field_name, model, _label) in linked.items():
            wanted = {u for item in doc[section] for u in item[field_name]}
            known_items[target_section] = file_items[target_section] | self.existing(
                model, "uuid", wanted - file_items[target_section])

        wanted_replacements = {i["replaced_by"] for i in doc["lessons"] if i["replaced_by"] is not None}
        known_replacements = file_items["lessons"] | self.existing(
            km.Lesson, "uuid", wanted_replacements - file_items["lessons"])

        def missing(position, value, label):
            self.problem(position, f"{label} {_quote(str(value))} gibt es weder in der Datei noch in der Datenbank")

        for section in ITEM_SECTIONS:
            for index, item in enumerate(doc[section]):
                position = f"{section}[{index}]"
                if item["municipality"] not in known_ags:
                    missing(f"{position}.municipality", item["municipality"], "Kommune")
                if item["created_by"] is not None and item["created_by"] not in known_users:
                    missing(f"{position}.created_by", item["created_by"], "Person")
                if item["crisis"] is not None and item["crisis"] not in known_crises:
                    missing(f"{position}.crisis", item["crisis"], "Krise")
                if item["phase"] is not None:
                    if item["crisis"] is None:
                        self.problem(f"{position}.phase", "Phase ohne Krise angegeben")
                    elif item["crisis"] in known_crises and (item["crisis"], item["phase"]) not in known_phases:
                        self.problem(f"{position}.phase", f"die Krise hat keine Phase {item['phase']}")
                for j, code in enumerate(item["codes"]):
                    if code not in known_codes:
                        missing(f"{position}.codes[{j}]", f"{code[0]}/{code[1]}", "Code")
                if section == "observations" and item["source"] is not None and item["source"] not in known_sources:
                    missing(f"{position}.source", item["source"], "Quelle")
                if section == "good_practices":
                    for j, source in enumerate(item["sources"]):
                        if source not in known_sources:
                            missing(f"{position}.sources[{j}]", source, "Quelle")
                if section == "lessons" and item["replaced_by"] is not None and item["replaced_by"] not in known_replacements:
                    missing(f"{position}.replaced_by", item["replaced_by"], "Erkenntnis")
                for target_section, (owner, field_name, _model, label) in linked.items():
                    if section == owner:
                        for j, target in enumerate(item[field_name]):
                            if target not in known_items[target_section]:
                                missing(f"{position}.{field_name}[{j}]", target, label)

    def check_reviews(self, known_ags, known_users, file_items):
        for index, review in enumerate(self.doc["publication_reviews"]):
            position = f"publication_reviews[{index}]"
            kind, item_uuid = review["item"]
            section = SECTION_BY_KIND[kind]
            if item_uuid not in file_items[section] and not ITEM_SECTIONS[section].objects.filter(uuid=item_uuid).exists():
                self.problem(f"{position}.item", f"Eintrag {_quote(str(item_uuid))} ({kind}) gibt es weder in der Datei noch in der Datenbank")
            if review["municipality"] not in known_ags:
                self.problem(f"{position}.municipality", f"Kommune {_quote(review['municipality'])} gibt es weder in der Datei noch in der Datenbank")
            for name in ("requested_by", "reviewer"):
                if review[name] is not None and review[name] not in known_users:
                    self.problem(f"{position}.{name}", f"Person {_quote(review[name])} gibt es weder in der Datei noch in der Datenbank")


# ======================================================================================
# Import (writing)
# ======================================================================================


# What the import counts, in report order, with German labels.
COUNTED = {
    "municipalities": "Kommunen", "departments": "Dienststellen", "networks": "Netzwerke",
    "users": "Personen", "memberships": "Mitgliedschaften", "crises": "Krisen", "phases": "Phasen",
    "schemes": "Schemata", "codes": "Codes", "sources": "Quellen", "observations": "Beobachtungen",
    "lessons": "Erkenntnisse", "recommendations": "Handlungsempfehlungen", "good_practices": "Gute Praxis",
    "publication_reviews": "Freigabeprüfungen",
}


@dataclass
class ImportResult:
    """Per counted kind (see ``COUNTED``): how many objects were created and how many updated."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"{label}: {self.created[key]} neu, {self.updated[key]} aktualisiert"
            for key, label in COUNTED.items() if self.created[key] or self.updated[key]
        ]


def import_file(path: str | os.PathLike, *, max_bytes: int | None = None, acting_user=None) -> ImportResult:
    """Read, validate and import a file; nothing is written unless the whole file is valid."""
    document = parse_exchange_file(path, max_bytes=max_bytes)
    return import_document(document, acting_user=acting_user, origin=Path(path).name)


def import_document(document: Any, *, acting_user=None, origin: str = "") -> ImportResult:
    """Validate ``document`` and write it in one transaction (all or nothing)."""
    cleaned = validate_document(document)
    result = ImportResult()
    try:
        with transaction.atomic():
            _Writer(cleaned, result).write()
            record_audit(
                "daten_importiert",
                acting_user=acting_user,
                datei=origin,
                neu=sum(result.created.values()),
                aktualisiert=sum(result.updated.values()),
                neu_je_art=dict(result.created),
                aktualisiert_je_art=dict(result.updated),
            )
    except (IntegrityError, ValidationError) as exc:
        # Validation catches what it can foresee; this covers the rest (e.g. a network name
        # already used by another network in the database). The transaction is rolled back.
        raise ExchangeError([f"Die Datenbank hat den Import abgelehnt, es wurde nichts geändert: {exc}"]) from None
    if any(result.created[s] or result.updated[s] for s in ITEM_SECTIONS):
        refresh_search_index()
    return result


def refresh_search_index() -> None:
    """Rebuild the search index after a bulk import, if a search app provides ``reindex``.

    Items are written with bulk queries, which send no signals, so incremental indexing
    does not see them (like Django fixtures loaded "raw"). Looking the command up by name
    keeps this module independent of the search app.
    """
    if "reindex" in get_commands():
        call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())


class _Writer:
    """Writes a validated, cleaned document; must run inside a transaction.

    Sections are written in dependency order, and every written or looked-up object is
    cached by its natural key so that later sections can link to it without queries.
    """

    def __init__(self, doc: dict, result: ImportResult) -> None:
        self.doc = doc
        self.result = result
        self.municipalities: dict[str, Municipality] = {}
        self.users: dict[str, User] = {}
        self.crises: dict[uuid_module.UUID, km.Crisis] = {}
        self.codes: dict[tuple[str, str], km.Code] = {}
        self.sources: dict[uuid_module.UUID, km.Source] = {}
        self.phases: dict[tuple[int, int], km.Phase] = {}
        self.items: dict[str, dict[uuid_module.UUID, km.KnowledgeItem]] = {s: {} for s in ITEM_SECTIONS}

    def upsert(self, section: str, model, lookup: dict, values: dict):
        """update_or_create by natural key, counting the outcome under ``section``."""
        obj, created = model.objects.update_or_create(**lookup, defaults=values)
        (self.result.created if created else self.result.updated)[section] += 1
        return obj

    # Lookups of references that may live in the database rather than in the file.
    def municipality(self, ags: str) -> Municipality:
        if ags not in self.municipalities:
            self.municipalities[ags] = Municipality.objects.get(ags=ags)
        return self.municipalities[ags]

    def user(self, username: str | None) -> User | None:
        if username is None:
            return None
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    def crisis(self, crisis_uuid) -> km.Crisis | None:
        if crisis_uuid is None:
            return None
        if crisis_uuid not in self.crises:
            self.crises[crisis_uuid] = km.Crisis.objects.get(uuid=crisis_uuid)
        return self.crises[crisis_uuid]

    def phase(self, crisis: km.Crisis | None, number: int | None) -> km.Phase | None:
        if crisis is None or number is None:
            return None
        key = (crisis.pk, number)
        if key not in self.phases:
            self.phases[key] = crisis.phases.get(number=number)
        return self.phases[key]

    def code(self, ref: tuple[str, str]) -> km.Code:
        if ref not in self.codes:
            self.codes[ref] = km.Code.objects.get(scheme__key=ref[0], key=ref[1])
        return self.codes[ref]

    def source(self, source_uuid) -> km.Source | None:
        if source_uuid is None:
            return None
        if source_uuid not in self.sources:
            self.sources[source_uuid] = km.Source.objects.get(uuid=source_uuid)
        return self.sources[source_uuid]

    def item(self, section: str, item_uuid) -> km.KnowledgeItem:
        if item_uuid not in self.items[section]:
            self.items[section][item_uuid] = ITEM_SECTIONS[section].objects.get(uuid=item_uuid)
        return self.items[section][item_uuid]

    def write(self) -> None:
        self.write_municipalities()
        self.write_networks()
        self.write_users()
        self.write_crises()
        self.write_schemes()
        self.write_sources()
        for section in ITEM_SECTIONS:
            self.write_items(section)
        self.write_reviews()

    def write_municipalities(self) -> None:
        for row in self.doc["municipalities"]:
            values = {k: v for k, v in row.items() if k not in ("ags", "departments")}
            municipality = self.upsert("municipalities", Municipality, {"ags": row["ags"]}, values)
            self.municipalities[row["ags"]] = municipality
            for department in row["departments"]:
                self.upsert("departments", Department, {"municipality": municipality, "name": department["name"]},
                            {"function": department["function"]})

    def write_networks(self) -> None:
        for row in self.doc["networks"]:
            network = self.upsert("networks", Network, {"slug": row["slug"]},
                                  {"name": row["name"], "description": row["description"]})
            network.members.set([self.municipality(ags) for ags in row["members"]])

    def write_users(self) -> None:
        for row in self.doc["users"]:
            values = {k: v for k, v in row.items() if k not in ("username", "memberships")}
            user = User.objects.filter(username=row["username"]).first()
            if user is None:
                user = User(username=row["username"], **values)
                user.set_unusable_password()  # passwords are never exported
                user.save()
                self.result.created["users"] += 1
            else:
                for name, value in values.items():
                    setattr(user, name, value)
                user.save()
                self.result.updated["users"] += 1
            self.users[user.username] = user
            for membership in row["memberships"]:
                municipality = self.municipality(membership["municipality"])
                department = (
                    Department.objects.get(municipality=municipality, name=membership["department"])
                    if membership["department"] is not None else None
                )
                self.upsert("memberships", Membership, {"user": user, "municipality": municipality},
                            {"role": membership["role"], "department": department})

    def write_crises(self) -> None:
        for row in self.doc["crises"]:
            values = {k: v for k, v in row.items() if k not in ("uuid", "phases")}
            crisis = self.upsert("crises", km.Crisis, {"uuid": row["uuid"]}, values)
            self.crises[row["uuid"]] = crisis
            for phase in row["phases"]:
                values = {k: v for k, v in phase.items() if k != "number"}
                self.upsert("phases", km.Phase, {"crisis": crisis, "number": phase["number"]}, values)

    def write_schemes(self) -> None:
        for row in self.doc["schemes"]:
            values = {k: v for k, v in row.items() if k not in ("key", "codes")}
            scheme = self.upsert("schemes", km.Scheme, {"key": row["key"]}, values)
            # Parents may come after their children in the file: create all codes first.
            for code in row["codes"]:
                values = {k: v for k, v in code.items() if k not in ("key", "parent")}
                self.codes[(scheme.key, code["key"])] = self.upsert(
                    "codes", km.Code, {"scheme": scheme, "key": code["key"]}, values)
            for code in row["codes"]:
                obj = self.codes[(scheme.key, code["key"])]
                obj.parent = self.code((scheme.key, code["parent"])) if code["parent"] else None
                obj.save(update_fields=["parent"])

    def write_sources(self) -> None:
        for row in self.doc["sources"]:
            values = {k: v for k, v in row.items() if k != "uuid"}
            self.sources[row["uuid"]] = self.upsert("sources", km.Source, {"uuid": row["uuid"]}, values)

    # Many-to-many links of each item section: (JSON field, model field, resolver).
    def _links(self, section: str) -> list[tuple[str, str, Callable[[Any], models.Model]]]:
        links = [("codes", "codes", self.code)]
        if section == "lessons":
            links.append(("observations", "observations", lambda u: self.item("observations", u)))
        elif section == "recommendations":
            links.append(("lessons", "lessons", lambda u: self.item("lessons", u)))
        elif section == "good_practices":
            links.append(("sources", "sources", self.source))
        return links

    def _link_replacements(self, rows: list[dict]) -> None:
        """Set ``Lesson.replaced_by`` (a lesson may be replaced by one later in the file)."""
        changed = []
        for row in rows:
            if row["replaced_by"] is None:
                continue
            item = self.items["lessons"][row["uuid"]]
            target = self.items["lessons"].get(row["replaced_by"]) or km.Lesson.objects.get(uuid=row["replaced_by"])
            item.replaced_by = target
            changed.append(item)
        km.Lesson.objects.bulk_update(changed, ["replaced_by"], batch_size=BULK_BATCH)

    def write_items(self, section: str) -> None:
        """Create or update one item section with bulk queries.

        Files can hold tens of thousands of items, and saving them one by one (with the
        per-save work of signal receivers such as the search index) takes many minutes.
        Bulk queries send no model signals; :func:`import_document` therefore refreshes the
        search index once afterwards.
        """
        model = ITEM_SECTIONS[section]
        rows = self.doc[section]
        existing: dict[uuid_module.UUID, km.KnowledgeItem] = {}
        wanted = [row["uuid"] for row in rows]
        for start in range(0, len(wanted), BULK_BATCH):
            for obj in model.objects.filter(uuid__in=wanted[start:start + BULK_BATCH]):
                existing[obj.uuid] = obj
        now = timezone.now()
        plain_fields = [
            f.name for f in model._meta.concrete_fields
            if f.name not in ("id", "uuid", "created_at", "updated_at")
        ]
        to_create, to_update = [], []
        for row in rows:
            crisis = self.crisis(row["crisis"])
            values = {name: row[name] for name in plain_fields if name in row and not isinstance(row[name], list)}
            values.update(
                municipality=self.municipality(row["municipality"]),
                crisis=crisis,
                phase=self.phase(crisis, row["phase"]),
                created_by=self.user(row["created_by"]),
            )
            if section == "observations":
                values["source"] = self.source(row["source"])
            if section == "lessons":
                values["replaced_by"] = None  # set below, once every lesson of the file exists
            item = existing.get(row["uuid"])
            if item is None:
                item = model(uuid=row["uuid"], **values)
                to_create.append(item)
            else:
                for name, value in values.items():
                    setattr(item, name, value)
                item.updated_at = now  # bulk_update leaves auto_now fields alone
                to_update.append(item)
            # created_at is auto_now_add; an imported item keeps its original date.
            item.created_at = row["created_at"] or item.created_at or now
            self.items[section][row["uuid"]] = item

        created_at = {item.uuid: item.created_at for item in to_create}
        model.objects.bulk_create(to_create, batch_size=BULK_BATCH)
        # bulk_create stamps created_at with "now" (auto_now_add), on the instances too;
        # write the file's dates again.
        for item in to_create:
            item.created_at = created_at[item.uuid]
        model.objects.bulk_update(to_create, ["created_at"], batch_size=BULK_BATCH)
        model.objects.bulk_update(to_update, [*plain_fields, "created_at", "updated_at"], batch_size=BULK_BATCH)
        self.result.created[section] += len(to_create)
        self.result.updated[section] += len(to_update)
        if section == "lessons":
            self._link_replacements(rows)

        for json_name, field_name, resolve in self._links(section):
            relation = model._meta.get_field(field_name)
            through = relation.remote_field.through
            source_column = f"{relation.m2m_field_name()}_id"
            target_column = f"{relation.m2m_reverse_field_name()}_id"
            updated_ids = [item.pk for item in to_update]
            for start in range(0, len(updated_ids), BULK_BATCH):
                through.objects.filter(**{f"{source_column}__in": updated_ids[start:start + BULK_BATCH]}).delete()
            links = []
            for row in rows:
                item_id = self.items[section][row["uuid"]].pk
                for target_id in dict.fromkeys(resolve(ref).pk for ref in row[json_name]):
                    links.append(through(**{source_column: item_id, target_column: target_id}))
            through.objects.bulk_create(links, batch_size=BULK_BATCH)

    def write_reviews(self) -> None:
        for row in self.doc["publication_reviews"]:
            kind, item_uuid = row["item"]
            section = SECTION_BY_KIND[kind]
            item = self.item(section, item_uuid)
            content_type = ContentType.objects.get_for_model(ITEM_SECTIONS[section])
            reviews = km.PublicationReview.objects.filter(content_type=content_type, object_id=item.pk)
            # A review has no key of its own: it is the same review if it was requested at the
            # same moment. An open review replaces the item's other open one (only one may be open).
            review = reviews.filter(requested_at=row["requested_at"]).first()
            if review is None and row["status"] == km.ReviewStatus.OFFEN:
                review = reviews.filter(status=km.ReviewStatus.OFFEN).first()
            created = review is None
            review = review or km.PublicationReview(content_type=content_type, object_id=item.pk)
            review.municipality = self.municipality(row["municipality"])
            review.requested_visibility = row["requested_visibility"]
            review.requested_by = self.user(row["requested_by"])
            review.status = row["status"]
            review.flags = row["flags"]
            review.reviewer = self.user(row["reviewer"])
            review.decided_at = row["decided_at"]
            review.note = row["note"]
            review.save()
            km.PublicationReview.objects.filter(pk=review.pk).update(requested_at=row["requested_at"])
            (self.result.created if created else self.result.updated)["publication_reviews"] += 1


# ======================================================================================
# Export
# ======================================================================================


def _iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _iso_datetime(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def export_document(*, include_reviews: bool = True) -> dict:
    """Everything as a JSON-ready dict, in a deterministic order."""
    def load_items(model: type[km.KnowledgeItem]) -> list:
        related = ["municipality", "crisis", "phase", "created_by"]
        if model is km.Observation:
            related.append("source")
        rows = model.objects.select_related(*related).prefetch_related("codes__scheme")
        return sorted(rows, key=lambda i: (i.created_at, str(i.uuid)))

    items = {section: load_items(model) for section, model in ITEM_SECTIONS.items()}
    reviews = list(km.PublicationReview.objects.select_related(
        "content_type", "municipality", "requested_by", "reviewer")) if include_reviews else []
    review_items = {}
    for model in ITEM_SECTIONS.values():
        content_type = ContentType.objects.get_for_model(model)
        ids = [r.object_id for r in reviews if r.content_type_id == content_type.pk]
        review_items[content_type.pk] = dict(model.objects.filter(pk__in=ids).values_list("pk", "uuid"))
    reviews = [r for r in reviews if r.object_id in review_items.get(r.content_type_id, {})]

    # Participating municipalities plus every municipality something in the file points to.
    referenced_ags = {i.municipality.ags for rows in items.values() for i in rows}
    referenced_ags |= set(Membership.objects.values_list("municipality__ags", flat=True))
    referenced_ags |= set(Network.members.through.objects.values_list("municipality__ags", flat=True))
    referenced_ags |= {r.municipality.ags for r in reviews}
    municipalities = Municipality.objects.filter(
        models.Q(is_participating=True) | models.Q(ags__in=sorted(referenced_ags))
    ).prefetch_related("departments").order_by("ags")

    def item_common(item: km.KnowledgeItem) -> dict:
        return {
            "uuid": str(item.uuid),
            "municipality": item.municipality.ags,
            "visibility": item.visibility,
            "crisis": str(item.crisis.uuid) if item.crisis else None,
            "phase": item.phase.number if item.phase else None,
            "department_function": item.department_function,
            "codes": sorted([c.scheme.key, c.key] for c in item.codes.all()),
            "created_by": item.created_by.username if item.created_by else None,
            "created_at": _iso_datetime(item.created_at),
        }

    def uuids(queryset) -> list[str]:
        return sorted(str(u) for u in queryset.values_list("uuid", flat=True))

    kind_by_content_type = {
        ContentType.objects.get_for_model(model).pk: model.kind_key for model in ITEM_SECTIONS.values()
    }
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "municipalities": [
            {
                "ags": m.ags, "name": m.name, "state": m.state, "kind": m.kind, "population": m.population,
                "postcode": m.postcode, "is_participating": m.is_participating,
                "departments": [{"name": d.name, "function": d.function}
                                for d in sorted(m.departments.all(), key=lambda d: d.name)],
            }
            for m in municipalities
        ],
        "networks": [
            {"slug": n.slug, "name": n.name, "description": n.description,
             "members": sorted(n.members.values_list("ags", flat=True))}
            for n in Network.objects.order_by("slug")
        ],
        "users": [
            {
                "username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email,
                "is_active": u.is_active, "is_staff": u.is_staff, "is_superuser": u.is_superuser,
                "memberships": [
                    {"municipality": ms.municipality.ags, "role": ms.role,
                     "department": ms.department.name if ms.department else None}
                    for ms in u.memberships.select_related("municipality", "department").order_by("municipality__ags")
                ],
            }
            for u in User.objects.order_by("username")
        ],
        "crises": [
            {
                "uuid": str(c.uuid), "title": c.title, "hazard_type": c.hazard_type,
                "start": _iso_date(c.start), "end": _iso_date(c.end), "description": c.description,
                "phases": [
                    {"number": p.number, "name": p.name, "start": _iso_date(p.start), "end": _iso_date(p.end),
                     "period_label": p.period_label, "description": p.description}
                    for p in c.phases.order_by("number")
                ],
            }
            for c in km.Crisis.objects.order_by("uuid")
        ],
        "schemes": [
            {
                "key": s.key, "name": s.name, "description": s.description, "order": s.order,
                "codes": [
                    {"key": c.key, "name": c.name, "description": c.description, "order": c.order,
                     "parent": c.parent.key if c.parent else None}
                    for c in s.codes.select_related("parent").order_by("order", "key")
                ],
            }
            for s in km.Scheme.objects.order_by("key")
        ],
        "sources": [
            {"uuid": str(s.uuid), "kind": s.kind, "title": s.title, "citation": s.citation, "url": s.url,
             "date": _iso_date(s.date)}
            for s in km.Source.objects.order_by("uuid")
        ],
        "observations": [
            {**item_common(o), "kind": o.kind, "text": o.text,
             "source": str(o.source.uuid) if o.source else None, "anonymous": o.anonymous,
             "status": o.status, "rejection_reason": o.rejection_reason}
            for o in items["observations"]
        ],
        "lessons": [
            {**item_common(lesson), "title": lesson.title, "finding": lesson.finding, "cause": lesson.cause,
             "status": lesson.status, "status_note": lesson.status_note,
             "validated_on": _iso_date(lesson.validated_on), "validation_method": lesson.validation_method,
             "validation_result": lesson.validation_result, "recheck_due": _iso_date(lesson.recheck_due),
             "replaced_by": str(lesson.replaced_by.uuid) if lesson.replaced_by else None,
             "observations": uuids(lesson.observations)}
            for lesson in items["lessons"]
        ],
        "recommendations": [
            {**item_common(r), "title": r.title, "text": r.text, "addressee_level": r.addressee_level,
             "lessons": uuids(r.lessons)}
            for r in items["recommendations"]
        ],
        "good_practices": [
            {**item_common(g), "title": g.title, "city": g.city, "country": g.country, "problem": g.problem,
             "solution": g.solution, "results": g.results, "transferability": g.transferability,
             "contact": g.contact, "sources": uuids(g.sources)}
            for g in items["good_practices"]
        ],
        "publication_reviews": [
            {
                "item": {"kind": kind_by_content_type[r.content_type_id],
                         "uuid": str(review_items[r.content_type_id][r.object_id])},
                "municipality": r.municipality.ags,
                "requested_visibility": r.requested_visibility,
                "requested_by": r.requested_by.username if r.requested_by else None,
                "requested_at": _iso_datetime(r.requested_at),
                "status": r.status,
                "flags": r.flags,
                "reviewer": r.reviewer.username if r.reviewer else None,
                "decided_at": _iso_datetime(r.decided_at),
                "note": r.note,
            }
            for r in sorted(reviews, key=lambda r: (r.requested_at, r.content_type_id, r.object_id))
        ],
    }


def dumps_document(document: dict) -> str:
    """The file text: UTF-8 JSON, indented, umlauts unescaped, ending with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_file(path: str | os.PathLike, *, include_reviews: bool = True, acting_user=None) -> dict:
    """Write the export to ``path`` and record it in the audit log; returns the document."""
    document = export_document(include_reviews=include_reviews)
    Path(path).write_text(dumps_document(document), encoding="utf-8")
    record_audit(
        "daten_exportiert",
        acting_user=acting_user,
        datei=Path(path).name,
        anzahl={section: len(document[section]) for section in SECTIONS},
    )
    return document
