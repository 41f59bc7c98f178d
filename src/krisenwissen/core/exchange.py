"""Export and import of the platform's content as versioned JSON: the framework.

File format (``{"format": "krisenwissen", "version": 1, ...}``), one list per section. The
sections are contributed by the apps that own the models: each app names its *exchange part*
on its AppConfig (``exchange = "krisenwissen.knowledge.exchange.PART"``), an
:class:`ExchangePart` with

- ``sections``: section name → pydantic record schema (one schema per record type, built from
  the model fields with :func:`model_field` and friends; unknown fields are refused);
- ``counted``: what the import counts, with German labels;
- ``check(doc, checker)``: duplicate natural keys and references that resolve neither in the
  file nor in the database;
- ``write(doc, writer)``: create or update by natural key (inside the import transaction);
- ``export(context)``: the part's sections as JSON-ready lists.

Parts run in the order of ``INSTALLED_APPS`` (a part may refer to the sections of the parts
before it, never after). This module imports no app: core is the bottom layer.

References use natural keys (AGS, username, scheme key plus code key, UUIDs). Import is
two-step: :func:`parse_exchange_file` and :func:`validate_document` check the whole file and
report every problem with its position (``observations[12].kind: unbekannter Wert "foo"``);
only a file without any problem is written by :func:`import_document`, in one transaction.
Rows written with bulk queries (no model signals) are announced afterwards through the
:data:`bulk_written` signal, so that e.g. the search app can rebuild its index.

Exports are deterministic (sorted by natural keys, no timestamps of the export itself), so
export → import into an empty database → export yields the same JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid as uuid_module
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import pydantic
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils.module_loading import import_string
from pydantic_core import PydanticCustomError

from krisenwissen.core.audit import record as record_audit
from krisenwissen.core.events import CoreEvent

FORMAT_NAME = "krisenwissen"
FORMAT_VERSION = 1
MAX_REPORTED_ERRORS = 100
BULK_BATCH = 500  # rows per bulk query; keeps SQLite below its parameter limit

# Sent once after an import committed, with ``models``: the model classes whose rows were
# written with bulk queries (which send no post_save). Receivers refresh derived data.
bulk_written = Signal()


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
# Schemas: pydantic records whose fields are derived from model fields
# ======================================================================================

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
AGS_RE = re.compile(r"^[0-9]{5}([0-9]{3})?$|^[0-9]{2}$")
USERNAME_RE = re.compile(r"^[\w.@+-]+$")
POSTCODE_RE = re.compile(r"^([0-9]{5})?$")

AGS_REF = dict(pattern=AGS_RE, hint="5 oder 8 Ziffern")
USERNAME_REF = dict(pattern=USERNAME_RE, hint="Buchstaben, Ziffern und . @ + - _", max_length=150)
SLUG = dict(pattern=SLUG_RE, pattern_hint="Buchstaben, Ziffern, - und _")

_TYPE_NAMES = {
    str: "Zeichenkette", bool: "Wahrheitswert", int: "ganze Zahl", float: "Kommazahl",
    list: "Liste", dict: "Objekt", type(None): "null",
}
_EXPECTED = {
    "str": "Zeichenkette", "int": "ganze Zahl", "bool": "Wahrheitswert (true/false)",
    "date": "Datum als Zeichenkette JJJJ-MM-TT", "datetime": "Zeitpunkt als Zeichenkette nach ISO 8601",
    "uuid": "UUID als Zeichenkette", "code": "Liste [Schema-Schlüssel, Code-Schlüssel]",
}


def type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def quote(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f'"{text}"'


class _Invalid(Exception):
    """Raised by a value check; becomes a pydantic error with the German message."""


@dataclass(frozen=True)
class Value:
    """How one scalar JSON value is checked and converted (used as a pydantic validator).

    ``kind`` is one of ``str``, ``int``, ``bool``, ``date``, ``datetime``, ``uuid``, ``code``
    (a ``[scheme key, code key]`` pair) or ``json`` (any JSON value).
    """

    kind: str
    nullable: bool = False
    blank: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    pattern: re.Pattern | None = None
    pattern_hint: str = ""
    minimum: int | None = None
    maximum: int | None = None
    # A Django validator for non-empty strings (URL, e-mail); its message is replaced by ours.
    validator: Callable[[str], None] | None = None
    validator_hint: str = ""

    def __call__(self, value: Any) -> Any:
        if value is None:
            if not self.nullable:
                raise PydanticCustomError("exchange", "{message}", {"message": "darf nicht null sein"})
            return None
        try:
            return getattr(self, f"_check_{self.kind}")(value)
        except _Invalid as exc:
            raise PydanticCustomError("exchange", "{message}", {"message": str(exc)}) from None

    def _wrong_type(self, value: Any) -> _Invalid:
        return _Invalid(f"erwartet {_EXPECTED[self.kind]}, gefunden {type_name(value)}")

    def _check_str(self, value):
        if not isinstance(value, str):
            raise self._wrong_type(value)
        if "\x00" in value:
            raise _Invalid("enthält ein Nullzeichen")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Invalid("enthält ungültige Unicode-Zeichen (einzelne Surrogate)") from None
        if not value:
            if not self.blank:
                raise _Invalid("darf nicht leer sein")
            return value
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(c for c in self.choices if c)
            raise _Invalid(f"unbekannter Wert {quote(value)} (erlaubt: {allowed})")
        if self.max_length is not None and len(value) > self.max_length:
            raise _Invalid(f"zu lang ({len(value)} Zeichen, höchstens {self.max_length})")
        if self.pattern is not None and not self.pattern.match(value):
            raise _Invalid(f"ungültiger Wert {quote(value)} ({self.pattern_hint})")
        if self.validator is not None:
            try:
                self.validator(value)
            except ValidationError:
                raise _Invalid(f"ungültiger Wert {quote(value)} ({self.validator_hint})") from None
        return value

    def _check_int(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(value)
        if self.minimum is not None and value < self.minimum:
            raise _Invalid(f"zu klein ({value}, mindestens {self.minimum})")
        if self.maximum is not None and value > self.maximum:
            raise _Invalid(f"zu groß ({value}, höchstens {self.maximum})")
        return value

    def _check_bool(self, value):
        if not isinstance(value, bool):
            raise self._wrong_type(value)
        return value

    def _check_date(self, value):
        if not isinstance(value, str):
            raise self._wrong_type(value)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(f"ungültiges Datum {quote(value)} (erwartet JJJJ-MM-TT)") from None

    def _check_datetime(self, value):
        if not isinstance(value, str):
            raise self._wrong_type(value)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Invalid(f"ungültiger Zeitpunkt {quote(value)} (erwartet ISO 8601)") from None
        if parsed.tzinfo is None:
            raise _Invalid(f"Zeitpunkt {quote(value)} ohne Zeitzone")
        return parsed

    def _check_uuid(self, value):
        if not isinstance(value, str):
            raise self._wrong_type(value)
        try:
            return uuid_module.UUID(value)
        except ValueError:
            raise _Invalid(f"ungültige UUID {quote(value)}") from None

    def _check_code(self, value):
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise _Invalid(f"erwartet {_EXPECTED['code']}, gefunden {quote(value)}")
        if not all(SLUG_RE.match(v) for v in value):
            raise _Invalid(f"ungültiger Code-Verweis {quote(value)}")
        return (value[0], value[1])

    def _check_json(self, value):
        return value


_REQUIRED = ...


@dataclass(frozen=True)
class Spec:
    """One field of a record schema: its pydantic type and its default (``...``: required)."""

    annotation: Any
    default: Any = _REQUIRED

    def as_field(self) -> tuple[Any, Any]:
        if isinstance(self.default, list):
            return (self.annotation, pydantic.Field(default_factory=list))
        return (self.annotation, self.default)


def value(kind: str, *, required: bool = True, default: Any = None, **checks) -> Spec:
    """A scalar field checked by :class:`Value`."""
    return Spec(Annotated[Any, pydantic.PlainValidator(Value(kind, **checks))], _REQUIRED if required else default)


def model_field(model: type[models.Model], name: str, *, required: bool = True, **overrides) -> Spec:
    """A scalar field derived from a model field (type, length, choices, null/blank)."""
    f = model._meta.get_field(name)
    spec: dict[str, Any] = {"nullable": f.null, "blank": f.blank}
    default: Any = None
    if isinstance(f, models.UUIDField):
        spec["kind"] = "uuid"
    elif isinstance(f, models.BooleanField):
        spec["kind"] = "bool"
        default = f.default if f.has_default() else False
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
            spec["choices"] = tuple(str(v) for v, _label in f.flatchoices)
        if f.has_default() and not callable(f.default):
            default = f.default
        elif f.blank:
            default = ""
    else:  # pragma: no cover - a programming error, not bad input
        raise TypeError(f"No exchange mapping for {model.__name__}.{name}")
    default = overrides.pop("default", default)
    spec.update(overrides)
    return value(required=required, default=default, **spec)


def optional(model: type[models.Model], name: str, **overrides) -> Spec:
    return model_field(model, name, required=False, **overrides)


def ref(kind: str, *, required: bool = True, nullable: bool = False, pattern=None, hint="",
        max_length=None) -> Spec:
    """A reference by natural key (checked for existence by the part's ``check``)."""
    return value(kind, required=required, nullable=nullable, blank=False, pattern=pattern, pattern_hint=hint,
                 max_length=max_length)


def list_of(item: Spec | type[pydantic.BaseModel], *, required: bool = False) -> Spec:
    annotation = item.annotation if isinstance(item, Spec) else item
    return Spec(list[annotation], _REQUIRED if required else [])


class Record(pydantic.BaseModel):
    """Base of every record schema: unknown fields are errors, lists must be lists."""

    model_config = pydantic.ConfigDict(extra="forbid", strict=True)


def record(schema_name: str, /, **fields: Spec) -> type[Record]:
    """A record schema (pydantic model) named ``schema_name`` with the given fields."""
    return pydantic.create_model(schema_name, __base__=Record, **{key: spec.as_field() for key, spec in fields.items()})


def records(schema: type[Record]) -> Spec:
    """An optional list of records (a nested section such as a municipality's departments)."""
    return list_of(schema)


def _position(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _translate(error: dict) -> ExchangeProblem:
    """One pydantic error as a German problem with the field path."""
    position = _position(error["loc"]) or "(Datei)"
    kind, found = error["type"], error.get("input")
    if kind == "exchange":
        message = error["ctx"]["message"]
    elif kind == "missing":
        message = "Pflichtfeld fehlt"
    elif kind == "extra_forbidden":
        message = "unbekanntes Feld"
    elif found is None:
        message = "darf nicht null sein"
    elif kind in ("list_type", "list_strict", "tuple_type"):
        message = f"erwartet Liste, gefunden {type_name(found)}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"erwartet Objekt, gefunden {type_name(found)}"
    else:  # pragma: no cover - every type used in the schemas is translated above
        message = error["msg"]
    return ExchangeProblem(position, message)


# ======================================================================================
# Parts: what each app contributes
# ======================================================================================


class ReferenceChecker:
    """Collects problems of the reference check; shared helpers for the parts' ``check``."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.problems: list[ExchangeProblem] = []

    def problem(self, position: str, message: str) -> None:
        self.problems.append(ExchangeProblem(position, message))

    def missing(self, position: str, value: Any, label: str) -> None:
        self.problem(position, f"{label} {quote(str(value))} gibt es weder in der Datei noch in der Datenbank")

    def unique(self, section: str, rows: list[dict], key: Callable[[dict], Any], label: str, prefix: str = "") -> set:
        """The natural keys of ``rows``; a key seen twice is a problem."""
        seen: dict[Any, int] = {}
        for index, row in enumerate(rows):
            key_value = key(row)
            if key_value in seen:
                self.problem(f"{prefix}{section}[{index}]",
                             f"{label} {quote(str(key_value))} kommt doppelt vor (schon in {prefix}{section}[{seen[key_value]}])")
            else:
                seen[key_value] = index
        return set(seen)

    @staticmethod
    def existing(model: type[models.Model], field_name: str, values: Iterable) -> set:
        """Which of ``values`` exist in the database as ``model.field_name`` (chunked queries)."""
        wanted = {v for v in values if v is not None}
        found: set = set()
        chunk = sorted(wanted, key=str)
        for start in range(0, len(chunk), 500):
            found |= set(model.objects.filter(**{f"{field_name}__in": chunk[start:start + 500]})
                         .values_list(field_name, flat=True))
        return found


@dataclass
class ImportResult:
    """Per counted kind (see :func:`counted_labels`): how many objects were created and updated."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    # Models written with bulk queries (no model signals): announced through ``bulk_written``.
    bulk_models: list = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.updated)[kind] += 1

    def lines(self) -> list[str]:
        return [
            f"{label}: {self.created[key]} neu, {self.updated[key]} aktualisiert"
            for key, label in counted_labels().items() if self.created[key] or self.updated[key]
        ]


@dataclass
class ExportContext:
    """Shared by the parts during an export: upper parts run first and note what they refer to
    (``references["municipalities"]`` = AGS keys), so lower parts can include those rows."""

    include_reviews: bool = True
    references: dict[str, set] = field(default_factory=dict)

    def refer(self, section: str, keys: Iterable) -> None:
        self.references.setdefault(section, set()).update(keys)


@dataclass(frozen=True)
class ExchangePart:
    """What one app contributes to the exchange format (see the module docstring)."""

    sections: dict[str, type[Record]]
    counted: dict[str, str]
    check: Callable[[dict, ReferenceChecker], None]
    write: Callable[[dict, ImportResult], None]
    export: Callable[[ExportContext], dict[str, list]]


def parts() -> list[ExchangePart]:
    """The exchange parts declared on the AppConfigs (``exchange`` dotted path), in app order."""
    return [import_string(config.exchange) for config in apps.get_app_configs()
            if getattr(config, "exchange", None)]


def sections() -> list[str]:
    return [name for part in parts() for name in part.sections]


def counted_labels() -> dict[str, str]:
    """What the import counts, in report order, with German labels."""
    return {key: label for part in parts() for key, label in part.counted.items()}


@cache
def document_schema() -> type[Record]:
    """The whole file: header plus every part's sections (built once; parts are fixed at startup)."""
    fields = {"format": value("json"), "version": value("json")}
    for part in parts():
        fields.update({name: records(schema) for name, schema in part.sections.items()})
    return record("Austauschdatei", **fields)


# ======================================================================================
# Validation
# ======================================================================================


def validate_document(document: Any) -> dict:
    """Check a parsed document completely, including references, and return a cleaned copy.

    Values are converted (dates, datetimes, UUIDs), optional fields filled with defaults.
    Raises :class:`ExchangeError` listing every problem with its position.
    """
    if not isinstance(document, dict):
        raise ExchangeError([ExchangeProblem("(Datei)", f"erwartet Objekt, gefunden {type_name(document)}")])
    fmt, version = document.get("format"), document.get("version")
    if fmt != FORMAT_NAME:
        raise ExchangeError([ExchangeProblem(
            "format", f'erwartet "{FORMAT_NAME}", gefunden {quote(fmt) if fmt is not None else "nichts"}')])
    if type(version) is not int or version != FORMAT_VERSION:  # True == 1 in Python
        shown = quote(version) if version is not None else "nichts"
        raise ExchangeError([ExchangeProblem(
            "version", f"Version {shown} wird nicht unterstützt (unterstützt: {FORMAT_VERSION})")])

    try:
        cleaned = document_schema().model_validate(document).model_dump()
    except pydantic.ValidationError as exc:
        raise ExchangeError([_translate(error) for error in exc.errors(include_url=False)]) from None
    checker = ReferenceChecker(cleaned)
    for part in parts():
        part.check(cleaned, checker)
    if checker.problems:
        raise ExchangeError(checker.problems)
    return cleaned


# ======================================================================================
# Import
# ======================================================================================


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
            for part in parts():
                part.write(cleaned, result)
            record_audit(
                CoreEvent.DATA_IMPORTED,
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
    if result.bulk_models:
        # Bulk queries send no model signals (like Django fixtures loaded "raw"); whoever keeps
        # data derived from these models (the search index) refreshes it now, once.
        bulk_written.send(sender=ImportResult, models=list(dict.fromkeys(result.bulk_models)))
    return result


# ======================================================================================
# Export
# ======================================================================================


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def iso_datetime(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def export_document(*, include_reviews: bool = True) -> dict:
    """Everything as a JSON-ready dict, in a deterministic order."""
    context = ExportContext(include_reviews=include_reviews)
    exported: dict[str, list] = {}
    for part in reversed(parts()):  # upper parts first: they note what they refer to
        exported.update(part.export(context))
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    document.update({name: exported[name] for name in sections()})
    return document


def dumps_document(document: dict) -> str:
    """The file text: UTF-8 JSON, indented, umlauts unescaped, ending with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_file(path: str | os.PathLike, *, include_reviews: bool = True, acting_user=None) -> dict:
    """Write the export to ``path`` and record it in the audit log; returns the document."""
    document = export_document(include_reviews=include_reviews)
    Path(path).write_text(dumps_document(document), encoding="utf-8")
    record_audit(
        CoreEvent.DATA_EXPORTED,
        acting_user=acting_user,
        datei=Path(path).name,
        anzahl={section: len(document[section]) for section in sections()},
    )
    return document
