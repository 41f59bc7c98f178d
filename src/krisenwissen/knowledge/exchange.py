"""The knowledge part of the exchange format (see :mod:`krisenwissen.core.exchange`).

Sections::

    crises           with their ``phases``
    schemes          with their ``codes`` (``parent`` is the key of a code of the same scheme)
    sources, observations, lessons, recommendations, good_practices
    publication_reviews

Natural keys: ``uuid`` for crises, sources and knowledge items, the crisis UUID plus phase
number for phases, the scheme key plus code key (``["themen", "krisenstab"]``) for codes.
Municipalities (AGS) and users (username) are those of the accounts part. The links of an
updated item (codes, evidence, sources) are replaced by those in the file; nothing else is
deleted. Knowledge items are written with bulk queries (announced through
``core.exchange.bulk_written`` so the search index is rebuilt once afterwards).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from krisenwissen.accounts.exchange import known_municipalities, known_users
from krisenwissen.accounts.models import Municipality, User
from krisenwissen.core.exchange import (
    AGS_REF,
    BULK_BATCH,
    SLUG,
    SLUG_RE,
    USERNAME_REF,
    ExchangePart,
    ExportContext,
    ImportResult,
    ReferenceChecker,
    Spec,
    iso_date,
    iso_datetime,
    list_of,
    model_field,
    optional,
    quote,
    record,
    records,
    ref,
    value,
)

from . import models as km

# Section name in the file → the knowledge model it holds.
ITEM_SECTIONS: dict[str, type[km.KnowledgeItem]] = {
    "observations": km.Observation,
    "lessons": km.Lesson,
    "recommendations": km.Recommendation,
    "good_practices": km.GoodPractice,
}
SECTION_BY_KIND = {model.kind_key: section for section, model in ITEM_SECTIONS.items()}


# --- schemas --------------------------------------------------------------------------------

PhaseRecord = record(
    "PhaseRecord",
    number=model_field(km.Phase, "number"),
    name=model_field(km.Phase, "name", blank=False),
    start=optional(km.Phase, "start"),
    end=optional(km.Phase, "end"),
    period_label=optional(km.Phase, "period_label"),
    description=optional(km.Phase, "description"),
)
CrisisRecord = record(
    "CrisisRecord",
    uuid=model_field(km.Crisis, "uuid"),
    title=model_field(km.Crisis, "title", blank=False),
    hazard_type=optional(km.Crisis, "hazard_type"),
    start=optional(km.Crisis, "start"),
    end=optional(km.Crisis, "end"),
    description=optional(km.Crisis, "description"),
    phases=records(PhaseRecord),
)
CodeRecord = record(
    "CodeRecord",
    key=model_field(km.Code, "key", blank=False, **SLUG),
    name=model_field(km.Code, "name", blank=False),
    description=optional(km.Code, "description"),
    order=optional(km.Code, "order", default=0),
    parent=ref("str", required=False, nullable=True, pattern=SLUG_RE, hint="Schlüssel eines Codes"),
)
SchemeRecord = record(
    "SchemeRecord",
    key=model_field(km.Scheme, "key", blank=False, **SLUG),
    name=model_field(km.Scheme, "name", blank=False),
    description=optional(km.Scheme, "description"),
    order=optional(km.Scheme, "order", default=0),
    codes=records(CodeRecord),
)
SourceRecord = record(
    "SourceRecord",
    uuid=model_field(km.Source, "uuid"),
    kind=model_field(km.Source, "kind", blank=False),
    title=model_field(km.Source, "title", blank=False),
    citation=optional(km.Source, "citation"),
    url=optional(km.Source, "url", validator=URLValidator(), validator_hint="erwartet eine Adresse wie https://…"),
    date=optional(km.Source, "date"),
)


def _item_record(schema_name: str, model: type[km.KnowledgeItem], /, **own):
    return record(
        schema_name,
        uuid=model_field(model, "uuid"),
        municipality=ref("str", **AGS_REF),
        visibility=optional(model, "visibility"),
        crisis=ref("uuid", required=False, nullable=True),
        phase=value("int", required=False, nullable=True, minimum=0, maximum=32767),
        department_function=optional(model, "department_function"),
        codes=list_of(value("code")),
        created_by=ref("str", required=False, nullable=True, **USERNAME_REF),
        created_at=value("datetime", required=False, nullable=True),
        **own,
    )


ObservationRecord = _item_record(
    "ObservationRecord", km.Observation,
    kind=model_field(km.Observation, "kind", blank=False),
    text=model_field(km.Observation, "text", blank=False),
    source=ref("uuid", required=False, nullable=True),
    anonymous=optional(km.Observation, "anonymous", default=True),
    # Files written before the review workflow existed hold reviewed observations.
    status=optional(km.Observation, "status", default="geprueft"),
    rejection_reason=optional(km.Observation, "rejection_reason"),
    workshop_phase=optional(km.Observation, "workshop_phase"),
    workshop_question=optional(km.Observation, "workshop_question"),
)
LessonRecord = _item_record(
    "LessonRecord", km.Lesson,
    title=model_field(km.Lesson, "title", blank=False),
    finding=model_field(km.Lesson, "finding", blank=False),
    cause=optional(km.Lesson, "cause"),
    status=optional(km.Lesson, "status"),
    status_note=optional(km.Lesson, "status_note"),
    validated_on=optional(km.Lesson, "validated_on"),
    validation_method=optional(km.Lesson, "validation_method"),
    validation_result=optional(km.Lesson, "validation_result"),
    recheck_due=optional(km.Lesson, "recheck_due"),
    replaced_by=ref("uuid", required=False, nullable=True),
    observations=list_of(ref("uuid")),
)
RecommendationRecord = _item_record(
    "RecommendationRecord", km.Recommendation,
    title=model_field(km.Recommendation, "title", blank=False),
    text=model_field(km.Recommendation, "text", blank=False),
    addressee_level=optional(km.Recommendation, "addressee_level"),
    lessons=list_of(ref("uuid")),
)
GoodPracticeRecord = _item_record(
    "GoodPracticeRecord", km.GoodPractice,
    title=model_field(km.GoodPractice, "title", blank=False),
    city=model_field(km.GoodPractice, "city", blank=False),
    country=optional(km.GoodPractice, "country"),
    problem=model_field(km.GoodPractice, "problem", blank=False),
    solution=model_field(km.GoodPractice, "solution", blank=False),
    results=optional(km.GoodPractice, "results"),
    transferability=optional(km.GoodPractice, "transferability"),
    contact=optional(km.GoodPractice, "contact"),
    sources=list_of(ref("uuid")),
)
ItemRefRecord = record(
    "ItemRefRecord",
    kind=value("str", choices=tuple(SECTION_BY_KIND)),
    uuid=value("uuid"),
)
PublicationReviewRecord = record(
    "PublicationReviewRecord",
    item=Spec(ItemRefRecord),
    municipality=ref("str", **AGS_REF),
    requested_visibility=model_field(km.PublicationReview, "requested_visibility", blank=False),
    requested_by=ref("str", required=False, nullable=True, **USERNAME_REF),
    requested_at=value("datetime"),
    status=optional(km.PublicationReview, "status"),
    flags=value("json", required=False, default=[]),
    reviewer=ref("str", required=False, nullable=True, **USERNAME_REF),
    decided_at=value("datetime", required=False, nullable=True),
    note=optional(km.PublicationReview, "note"),
)


# --- references -----------------------------------------------------------------------------


def check(doc: dict, checker: ReferenceChecker) -> None:
    file_crises = checker.unique("crises", doc["crises"], lambda r: r["uuid"], "UUID")
    file_phases = set()
    for i, crisis in enumerate(doc["crises"]):
        numbers = checker.unique("phases", crisis["phases"], lambda r: r["number"], "Phasennummer",
                                 prefix=f"crises[{i}].")
        file_phases |= {(crisis["uuid"], n) for n in numbers}
    checker.unique("schemes", doc["schemes"], lambda r: r["key"], "Schlüssel")
    file_codes = set()
    for i, scheme in enumerate(doc["schemes"]):
        keys = checker.unique("codes", scheme["codes"], lambda r: r["key"], "Schlüssel", prefix=f"schemes[{i}].")
        file_codes |= {(scheme["key"], k) for k in keys}
    file_sources = checker.unique("sources", doc["sources"], lambda r: r["uuid"], "UUID")
    file_items = {
        section: checker.unique(section, doc[section], lambda r: r["uuid"], "UUID") for section in ITEM_SECTIONS
    }

    # Everything referenced, looked up in the database only if not defined in the file.
    ags_refs, user_refs, crisis_refs, source_refs = set(), set(), set(), set()
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

    known = {
        "ags": known_municipalities(doc, ags_refs),
        "users": known_users(doc, user_refs),
        "crises": file_crises | checker.existing(km.Crisis, "uuid", crisis_refs - file_crises),
        "sources": file_sources | checker.existing(km.Source, "uuid", source_refs - file_sources),
    }
    _check_codes_in_schemes(doc, checker)
    _check_items(doc, checker, known, file_phases, file_codes, file_items)
    _check_reviews(doc, checker, known, file_items)


def _check_codes_in_schemes(doc: dict, checker: ReferenceChecker) -> None:
    for i, scheme in enumerate(doc["schemes"]):
        parents = {code["key"]: code["parent"] for code in scheme["codes"]}
        existing = set(km.Code.objects.filter(scheme__key=scheme["key"]).values_list("key", flat=True))
        for j, code in enumerate(scheme["codes"]):
            parent = code["parent"]
            if parent is None:
                continue
            if parent not in parents and parent not in existing:
                checker.problem(f"schemes[{i}].codes[{j}].parent",
                                f"Code {quote(parent)} gibt es im Schema {quote(scheme['key'])} nicht")
                continue
            # Follow the chain of parents inside the file; coming back means a cycle.
            seen, current = {code["key"]}, parent
            while current in parents and parents[current] is not None:
                if current in seen:
                    checker.problem(f"schemes[{i}].codes[{j}].parent",
                                    "Codes bilden einen Kreis (Code ist sein eigener Vorfahr)")
                    break
                seen.add(current)
                current = parents[current]


def _check_items(doc, checker, known, file_phases, file_codes, file_items) -> None:
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
        known_items[target_section] = file_items[target_section] | checker.existing(
            model, "uuid", wanted - file_items[target_section])
    wanted_replacements = {i["replaced_by"] for i in doc["lessons"] if i["replaced_by"] is not None}
    known_replacements = file_items["lessons"] | checker.existing(
        km.Lesson, "uuid", wanted_replacements - file_items["lessons"])

    missing = checker.missing
    for section in ITEM_SECTIONS:
        for index, item in enumerate(doc[section]):
            position = f"{section}[{index}]"
            if item["municipality"] not in known["ags"]:
                missing(f"{position}.municipality", item["municipality"], "Kommune")
            if item["created_by"] is not None and item["created_by"] not in known["users"]:
                missing(f"{position}.created_by", item["created_by"], "Person")
            if item["crisis"] is not None and item["crisis"] not in known["crises"]:
                missing(f"{position}.crisis", item["crisis"], "Krise")
            if item["phase"] is not None:
                if item["crisis"] is None:
                    checker.problem(f"{position}.phase", "Phase ohne Krise angegeben")
                elif item["crisis"] in known["crises"] and (item["crisis"], item["phase"]) not in known_phases:
                    checker.problem(f"{position}.phase", f"die Krise hat keine Phase {item['phase']}")
            for j, code in enumerate(item["codes"]):
                if code not in known_codes:
                    missing(f"{position}.codes[{j}]", f"{code[0]}/{code[1]}", "Code")
            if section == "observations" and item["source"] is not None and item["source"] not in known["sources"]:
                missing(f"{position}.source", item["source"], "Quelle")
            if section == "good_practices":
                for j, source in enumerate(item["sources"]):
                    if source not in known["sources"]:
                        missing(f"{position}.sources[{j}]", source, "Quelle")
            if section == "lessons" and item["replaced_by"] is not None and item["replaced_by"] not in known_replacements:
                missing(f"{position}.replaced_by", item["replaced_by"], "Erkenntnis")
            for target_section, (owner, field_name, _model, label) in linked.items():
                if section == owner:
                    for j, target in enumerate(item[field_name]):
                        if target not in known_items[target_section]:
                            missing(f"{position}.{field_name}[{j}]", target, label)


def _check_reviews(doc, checker, known, file_items) -> None:
    for index, review in enumerate(doc["publication_reviews"]):
        position = f"publication_reviews[{index}]"
        kind, item_uuid = review["item"]["kind"], review["item"]["uuid"]
        section = SECTION_BY_KIND[kind]
        if item_uuid not in file_items[section] and not ITEM_SECTIONS[section].objects.filter(uuid=item_uuid).exists():
            checker.problem(f"{position}.item",
                            f"Eintrag {quote(str(item_uuid))} ({kind}) gibt es weder in der Datei noch in der Datenbank")
        if review["municipality"] not in known["ags"]:
            checker.missing(f"{position}.municipality", review["municipality"], "Kommune")
        for name in ("requested_by", "reviewer"):
            if review[name] is not None and review[name] not in known["users"]:
                checker.missing(f"{position}.{name}", review[name], "Person")


# --- writing --------------------------------------------------------------------------------


def write(doc: dict, result: ImportResult) -> None:
    _Writer(doc, result).write()


class _Writer:
    """Writes the knowledge sections of a validated, cleaned document (inside the import
    transaction, after the accounts part). Every written or looked-up object is cached by its
    natural key so that later sections can link to it without queries."""

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
        self.result.count(section, created)
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

    def code(self, code_ref: tuple[str, str]) -> km.Code:
        if code_ref not in self.codes:
            self.codes[code_ref] = km.Code.objects.get(scheme__key=code_ref[0], key=code_ref[1])
        return self.codes[code_ref]

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
        self.write_crises()
        self.write_schemes()
        self.write_sources()
        for section in ITEM_SECTIONS:
            self.write_items(section)
        self.write_reviews()

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
        Bulk queries send no model signals; the model is therefore reported in
        ``result.bulk_models`` (core announces it after the commit).
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
                for name, field_value in values.items():
                    setattr(item, name, field_value)
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
        if to_create or to_update:
            self.result.bulk_models.append(model)
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
                for target_id in dict.fromkeys(resolve(target).pk for target in row[json_name]):
                    links.append(through(**{source_column: item_id, target_column: target_id}))
            through.objects.bulk_create(links, batch_size=BULK_BATCH)

    def write_reviews(self) -> None:
        for row in self.doc["publication_reviews"]:
            kind, item_uuid = row["item"]["kind"], row["item"]["uuid"]
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
            # Restoring the review as it is in the file (state included), like the items:
            # field by field, not through the publication_review lifecycle.
            values = {
                "municipality": self.municipality(row["municipality"]),
                "requested_visibility": row["requested_visibility"],
                "requested_by": self.user(row["requested_by"]),
                "status": row["status"],
                "flags": row["flags"],
                "reviewer": self.user(row["reviewer"]),
                "decided_at": row["decided_at"],
                "note": row["note"],
            }
            for name, field_value in values.items():
                setattr(review, name, field_value)
            review.save()
            km.PublicationReview.objects.filter(pk=review.pk).update(requested_at=row["requested_at"])
            self.result.count("publication_reviews", created)


# --- export ---------------------------------------------------------------------------------


def export(context: ExportContext) -> dict[str, list]:
    def load_items(model: type[km.KnowledgeItem]) -> list:
        related = ["municipality", "crisis", "phase", "created_by"]
        if model is km.Observation:
            related.append("source")
        rows = model.objects.select_related(*related).prefetch_related("codes__scheme")
        return sorted(rows, key=lambda i: (i.created_at, str(i.uuid)))

    items = {section: load_items(model) for section, model in ITEM_SECTIONS.items()}
    reviews = list(km.PublicationReview.objects.select_related(
        "content_type", "municipality", "requested_by", "reviewer")) if context.include_reviews else []
    review_items = {}
    for model in ITEM_SECTIONS.values():
        content_type = ContentType.objects.get_for_model(model)
        ids = [r.object_id for r in reviews if r.content_type_id == content_type.pk]
        review_items[content_type.pk] = dict(model.objects.filter(pk__in=ids).values_list("pk", "uuid"))
    reviews = [r for r in reviews if r.object_id in review_items.get(r.content_type_id, {})]
    context.refer("municipalities", {i.municipality.ags for rows in items.values() for i in rows})
    context.refer("municipalities", {r.municipality.ags for r in reviews})

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
            "created_at": iso_datetime(item.created_at),
        }

    def uuids(queryset) -> list[str]:
        return sorted(str(u) for u in queryset.values_list("uuid", flat=True))

    kind_by_content_type = {
        ContentType.objects.get_for_model(model).pk: model.kind_key for model in ITEM_SECTIONS.values()
    }
    return {
        "crises": [
            {
                "uuid": str(c.uuid), "title": c.title, "hazard_type": c.hazard_type,
                "start": iso_date(c.start), "end": iso_date(c.end), "description": c.description,
                "phases": [
                    {"number": p.number, "name": p.name, "start": iso_date(p.start), "end": iso_date(p.end),
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
             "date": iso_date(s.date)}
            for s in km.Source.objects.order_by("uuid")
        ],
        "observations": [
            {**item_common(o), "kind": o.kind, "text": o.text,
             "source": str(o.source.uuid) if o.source else None, "anonymous": o.anonymous,
             "status": o.status, "rejection_reason": o.rejection_reason,
             "workshop_phase": o.workshop_phase, "workshop_question": o.workshop_question}
            for o in items["observations"]
        ],
        "lessons": [
            {**item_common(lesson), "title": lesson.title, "finding": lesson.finding, "cause": lesson.cause,
             "status": lesson.status, "status_note": lesson.status_note,
             "validated_on": iso_date(lesson.validated_on), "validation_method": lesson.validation_method,
             "validation_result": lesson.validation_result, "recheck_due": iso_date(lesson.recheck_due),
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
                "requested_at": iso_datetime(r.requested_at),
                "status": r.status,
                "flags": r.flags,
                "reviewer": r.reviewer.username if r.reviewer else None,
                "decided_at": iso_datetime(r.decided_at),
                "note": r.note,
            }
            for r in sorted(reviews, key=lambda r: (r.requested_at, r.content_type_id, r.object_id))
        ],
    }


PART = ExchangePart(
    sections={
        "crises": CrisisRecord, "schemes": SchemeRecord, "sources": SourceRecord,
        "observations": ObservationRecord, "lessons": LessonRecord,
        "recommendations": RecommendationRecord, "good_practices": GoodPracticeRecord,
        "publication_reviews": PublicationReviewRecord,
    },
    counted={
        "crises": "Krisen", "phases": "Phasen", "schemes": "Schemata", "codes": "Codes", "sources": "Quellen",
        "observations": "Beobachtungen", "lessons": "Erkenntnisse", "recommendations": "Handlungsempfehlungen",
        "good_practices": "Gute Praxis", "publication_reviews": "Freigabeprüfungen",
    },
    check=check,
    write=write,
    export=export,
)
