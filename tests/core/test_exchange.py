"""Export and import in the JSON exchange format (``krisenwissen.core.exchange``)."""

from __future__ import annotations

import copy
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.accounts.models import Department, Membership, Municipality, Network, User
from krisenwissen.core import exchange
from krisenwissen.core.events import CoreEvent
from krisenwissen.core.exchange import (
    ExchangeError,
    export_document,
    import_document,
    parse_exchange_bytes,
    parse_exchange_file,
    validate_document,
)
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge import models as km

OBS_UUID = "11111111-1111-4111-8111-111111111111"
LESSON_UUID = "22222222-2222-4222-8222-222222222222"
CRISIS_UUID = "33333333-3333-4333-8333-333333333333"
SOURCE_UUID = "44444444-4444-4444-8444-444444444444"


def small_document() -> dict:
    """A minimal but complete valid document touching every section."""
    item = {
        "municipality": "05113", "visibility": "netzwerk", "crisis": CRISIS_UUID, "phase": 1,
        "department_function": "krisenstab", "codes": [["themen", "zusammenarbeit"]],
        "created_by": "anna", "created_at": "2024-01-02T03:04:05.000006+00:00",
    }
    return {
        "format": "krisenwissen",
        "version": 1,
        "municipalities": [{
            "ags": "05113", "name": "Essen", "state": "Nordrhein-Westfalen", "kind": "kreisfreie_stadt",
            "population": 584580, "postcode": "45121", "is_participating": True,
            "departments": [{"name": "Krisenstab", "function": "krisenstab"}],
        }],
        "networks": [{"slug": "ruhr", "name": "Ruhr", "description": "", "members": ["05113"]}],
        "users": [{
            "username": "anna", "first_name": "Anna", "last_name": "Beispiel", "email": "anna@example.org",
            "is_active": True, "is_staff": False, "is_superuser": False,
            "memberships": [{"municipality": "05113", "role": "redaktion", "department": "Krisenstab"}],
        }],
        "crises": [{
            "uuid": CRISIS_UUID, "title": "COVID-19-Pandemie", "hazard_type": "Pandemie",
            "start": "2020-03-01", "end": "2023-02-28", "description": "",
            "phases": [{"number": 1, "name": "Eindämmung", "start": "2020-03-01", "end": "2020-05-31",
                        "period_label": "März–Mai 2020", "description": ""}],
        }],
        "schemes": [{
            "key": "themen", "name": "Themenschwerpunkte", "description": "", "order": 1,
            "codes": [
                # the child comes first on purpose: parents may be defined later in the list
                {"key": "krisenstab", "name": "Krisenstab", "description": "", "order": 2, "parent": "zusammenarbeit"},
                {"key": "zusammenarbeit", "name": "Zusammenarbeit", "description": "", "order": 1, "parent": None},
            ],
        }],
        "sources": [{"uuid": SOURCE_UUID, "kind": "workshop", "title": "Synthesebericht", "citation": "",
                     "url": "https://example.org/bericht", "date": "2023-03-28"}],
        "observations": [{**copy.deepcopy(item), "uuid": OBS_UUID, "kind": "herausforderung",
                          "text": "Der Krisenstab musste wöchentlich neue Verordnungen umsetzen.",
                          "source": SOURCE_UUID, "anonymous": True}],
        "lessons": [{**copy.deepcopy(item), "uuid": LESSON_UUID, "title": "Vorlauf nutzen", "finding": "Befund",
                     "cause": "", "status": "erkannt", "observations": [OBS_UUID]}],
        "recommendations": [{**copy.deepcopy(item), "uuid": "55555555-5555-4555-8555-555555555555", "title": "Empfehlung",
                             "text": "Eine Maßnahme.", "addressee_level": "land", "lessons": [LESSON_UUID]}],
        "good_practices": [{**copy.deepcopy(item), "uuid": "66666666-6666-4666-8666-666666666666", "title": "Bürgertelefon",
                            "city": "Essen", "country": "Deutschland", "problem": "Viele Anrufe",
                            "solution": "Eigenes Personal", "results": "", "transferability": "", "contact": "",
                            "sources": [SOURCE_UUID]}],
        "publication_reviews": [{
            "item": {"kind": "observation", "uuid": OBS_UUID}, "municipality": "05113",
            "requested_visibility": "oeffentlich", "requested_by": "anna",
            "requested_at": "2024-02-01T10:00:00+00:00", "status": "offen", "flags": ["name"],
            "reviewer": None, "decided_at": None, "note": "",
        }],
    }


def write_json(tmp_path: Path, document, name: str = "import.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def problems_of(document) -> list[str]:
    with pytest.raises(ExchangeError) as excinfo:
        validate_document(document)
    return [str(p) for p in excinfo.value.problems]


def wipe_database() -> None:
    """Delete all content, in an order that respects PROTECT foreign keys."""
    from django.apps import apps
    from django.db.models import ProtectedError

    # The capability apps first (their objects protect municipalities and knowledge items);
    # several passes because their own models protect each other.
    from krisenwissen.stab.models import LogEntry, Staff, purging_whole_log

    # The Einsatztagebuch is append-only: only the purge of a whole log deletes its entries.
    for staff_pk in Staff.objects.values_list("pk", flat=True):
        with purging_whole_log(staff_pk):
            LogEntry.objects.filter(staff_id=staff_pk, corrects__isnull=False).delete()
            LogEntry.objects.filter(staff_id=staff_pk).delete()
    capability_models = [m for label in ("stab", "documents", "people", "workshops", "learning", "regulations", "situation")
                         for m in apps.get_app_config(label).get_models()]
    for _ in range(len(capability_models)):
        blocked = False
        for model in capability_models:
            try:
                model.objects.all().delete()
            except ProtectedError:
                blocked = True
        if not blocked:
            break
    km.PublicationReview.objects.all().delete()
    for model in km.KNOWLEDGE_MODELS:
        model.objects.all().delete()
    for model in (km.Source, km.Code, km.Scheme, km.Phase, km.Crisis, Membership, User, Network,
                  Department, Municipality):
        model.objects.all().delete()


# --------------------------------------------------------------------------------------
# Round trip and writing
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRoundTrip:
    def test_demo_content_survives_export_import_export_unchanged(self, tmp_path, demo_content):
        observation = km.Observation.objects.get(text__startswith="Der Krisenstab verstand")
        km.PublicationReview.objects.create(
            content_type=ContentType.objects.get_for_model(km.Observation), object_id=observation.pk,
            municipality=observation.municipality, requested_visibility="oeffentlich",
            requested_by=User.objects.get(username="redaktion.dortmund"), flags=["zitat"],
        )
        first = tmp_path / "erster.json"
        call_command("export", str(first), stdout=StringIO())
        wipe_database()
        assert not km.Observation.objects.exists() and not User.objects.exists()

        call_command("import", str(first), stdout=StringIO())
        second = tmp_path / "zweiter.json"
        call_command("export", str(second), stdout=StringIO())

        assert json.loads(first.read_text(encoding="utf-8")) == json.loads(second.read_text(encoding="utf-8"))
        assert first.read_bytes() == second.read_bytes()
        document = json.loads(first.read_text(encoding="utf-8"))
        assert len(document["observations"]) >= 60 and len(document["publication_reviews"]) == 1

    def test_export_contains_no_password_hashes(self, demo_content):
        text = exchange.dumps_document(export_document())
        assert "password" not in text and "md5$" not in text and "pbkdf2" not in text
        # Imported users cannot log in until they set a password.
        wipe_database()
        import_document(json.loads(text))
        assert not User.objects.get(username="admin").has_usable_password()

    def test_export_is_versioned_and_uses_natural_keys(self, demo_content):
        document = export_document()
        assert (document["format"], document["version"]) == ("krisenwissen", 1)
        assert {m["ags"] for m in document["municipalities"]} == {"05913", "05111", "05113", "05513", "05315"}
        lesson = document["lessons"][0]
        assert all(len(ref) == 36 for ref in lesson["observations"])
        assert ["gefahren", "pandemie"] in lesson["codes"]
        admin = next(u for u in document["users"] if u["username"] == "admin")
        assert admin["memberships"][0]["municipality"] == "05113"

    def test_small_document_is_written_with_all_links(self):
        result = import_document(small_document(), origin="klein.json")
        lesson = km.Lesson.objects.get(uuid=LESSON_UUID)
        assert [str(o.uuid) for o in lesson.observations.all()] == [OBS_UUID]
        assert lesson.phase.number == 1 and lesson.created_by.username == "anna"
        assert lesson.created_at.isoformat() == "2024-01-02T03:04:05.000006+00:00"
        code = km.Code.objects.get(key="krisenstab")
        assert code.parent.key == "zusammenarbeit"
        assert km.Recommendation.objects.get().lessons.get() == lesson
        assert km.GoodPractice.objects.get().sources.get().uuid.hex == SOURCE_UUID.replace("-", "")
        membership = Membership.objects.get(user__username="anna")
        assert (membership.role, membership.department.name) == ("redaktion", "Krisenstab")
        review = km.PublicationReview.objects.get()
        assert review.item == km.Observation.objects.get() and review.flags == ["name"]
        assert result.created["observations"] == 1
        entry = AuditEntry.objects.get(action=CoreEvent.DATA_IMPORTED)
        assert entry.details["datei"] == "klein.json" and entry.details["neu"] > 10

    def test_lifecycle_of_observations_and_lessons_is_carried(self):
        document = small_document()
        replacement = {**copy.deepcopy(document["lessons"][0]), "uuid": "77777777-7777-4777-8777-777777777777",
                       "title": "Neue Fassung", "status": "verankert", "validated_on": "2024-03-01",
                       "validation_method": "uebung", "validation_result": "Geübt und bestätigt.",
                       "recheck_due": "2025-03-01"}
        document["lessons"][0].update(status="ersetzt", replaced_by=replacement["uuid"])
        document["lessons"].append(replacement)
        document["observations"][0].update(status="abgelehnt", rejection_reason="Zu allgemein.")
        import_document(document)
        old, new = km.Lesson.objects.get(uuid=LESSON_UUID), km.Lesson.objects.get(uuid=replacement["uuid"])
        assert (old.status, old.replaced_by) == ("ersetzt", new)
        assert (new.status, str(new.recheck_due), new.validation_method) == ("verankert", "2025-03-01", "uebung")
        observation = km.Observation.objects.get()
        assert (observation.status, observation.rejection_reason) == ("abgelehnt", "Zu allgemein.")

    def test_files_without_review_status_hold_reviewed_observations(self):
        import_document(small_document())
        assert km.Observation.objects.get().status == "geprueft"

    def test_existing_items_with_the_same_uuid_are_updated(self):
        import_document(small_document())
        changed = small_document()
        changed["observations"][0]["text"] = "Geänderter Text"
        changed["observations"][0]["codes"] = []
        changed["publication_reviews"][0]["status"] = "freigegeben"
        result = import_document(changed)
        observation = km.Observation.objects.get()
        assert observation.text == "Geänderter Text" and not observation.codes.exists()
        assert result.updated["observations"] == 1 and result.created["observations"] == 0
        assert km.PublicationReview.objects.get().status == "freigegeben"
        assert Municipality.objects.count() == 1 and km.Code.objects.count() == 2

    def test_search_index_is_refreshed_once_after_items_were_written(self, monkeypatch):
        # Items are written with bulk queries; core announces them through a signal (it does
        # not know the search app), and the search app rebuilds its index once.
        calls, announced = [], []
        monkeypatch.setattr("krisenwissen.search.indexing.reindex_all", lambda: calls.append("reindex"))

        def receiver(sender, models, **kwargs):
            announced.append(sorted(m.__name__ for m in models))

        exchange.bulk_written.connect(receiver)
        try:
            import_document(small_document())
            assert calls == ["reindex"]
            assert announced == [["GoodPractice", "Lesson", "Observation", "Recommendation"]]
            import_document({"format": "krisenwissen", "version": 1, "sources": []})
            assert calls == ["reindex"]  # nothing to index: no rebuild
        finally:
            exchange.bulk_written.disconnect(receiver)

    def test_import_indexes_the_items_for_search(self):
        from krisenwissen.search.models import SearchDocument

        import_document(small_document())
        assert SearchDocument.objects.filter(kind="observation").count() == 1

    def test_links_of_updated_items_are_replaced(self):
        import_document(small_document())
        changed = small_document()
        second_observation = {**copy.deepcopy(changed["observations"][0]),
                              "uuid": "88888888-8888-4888-8888-888888888888"}
        changed["observations"].append(second_observation)
        changed["lessons"][0]["observations"] = [second_observation["uuid"]]
        changed["good_practices"][0]["sources"] = []
        import_document(changed)
        lesson = km.Lesson.objects.get()
        assert [str(o.uuid) for o in lesson.observations.all()] == [second_observation["uuid"]]
        assert not km.GoodPractice.objects.get().sources.exists()
        assert lesson.updated_at > lesson.created_at

    def test_references_may_point_to_existing_database_objects(self):
        import_document(small_document())
        only_an_observation = {
            "format": "krisenwissen", "version": 1,
            "observations": [{"uuid": "77777777-7777-4777-8777-777777777777", "municipality": "05113",
                              "kind": "zitat", "text": "„Kurz und knapp.“", "crisis": CRISIS_UUID, "phase": 1,
                              "codes": [["themen", "krisenstab"]]}],
        }
        import_document(only_an_observation)
        quote = km.Observation.objects.get(kind="zitat")
        assert quote.visibility == "intern" and quote.anonymous  # defaults for omitted fields
        assert quote.codes.get().key == "krisenstab"

    def test_database_rejection_rolls_back_everything(self):
        Network.objects.create(name="Ruhr", slug="anderer-kurzname")
        with pytest.raises(ExchangeError, match="Datenbank hat den Import abgelehnt"):
            import_document(small_document())
        assert not Municipality.objects.exists()
        assert not AuditEntry.objects.filter(action=CoreEvent.DATA_IMPORTED).exists()


# --------------------------------------------------------------------------------------
# Validation: every kind of bad input
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestValidation:
    def test_valid_document_passes(self):
        cleaned = validate_document(small_document())
        assert cleaned["observations"][0]["kind"] == "herausforderung"

    def test_unknown_choice_names_position_and_value(self):
        document = small_document()
        document["observations"] = document["observations"] * 13
        for index, observation in enumerate(document["observations"]):
            document["observations"][index] = {**observation, "uuid": f"{index:08d}-1111-4111-8111-111111111111"}
        document["observations"][12]["kind"] = "foo"
        problems = problems_of(document)
        assert problems[0].startswith('observations[12].kind: unbekannter Wert "foo"')

    def test_unknown_keys(self):
        document = small_document()
        document["observations"][0]["farbe"] = "rot"
        document["extras"] = []
        problems = problems_of(document)
        assert "observations[0].farbe: unbekanntes Feld" in problems
        assert "extras: unbekanntes Feld" in problems

    def test_missing_fields(self):
        document = small_document()
        del document["observations"][0]["text"]
        del document["users"][0]["memberships"][0]["municipality"]
        problems = problems_of(document)
        assert "observations[0].text: Pflichtfeld fehlt" in problems
        assert "users[0].memberships[0].municipality: Pflichtfeld fehlt" in problems

    @pytest.mark.parametrize(
        ("path", "value", "message"),
        [
            (("observations", 0, "anonymous"), "ja", "erwartet Wahrheitswert (true/false), gefunden Zeichenkette"),
            (("municipalities", 0, "population"), "viele", "erwartet ganze Zahl, gefunden Zeichenkette"),
            (("municipalities", 0, "population"), True, "erwartet ganze Zahl, gefunden Wahrheitswert"),
            (("municipalities", 0, "population"), -1, "zu klein"),
            (("observations", 0, "codes"), "themen", "erwartet Liste, gefunden Zeichenkette"),
            (("observations", 0, "text"), 42, "erwartet Zeichenkette, gefunden ganze Zahl"),
            (("observations", 0, "text"), "", "darf nicht leer sein"),
            (("observations", 0, "text"), None, "darf nicht null sein"),
            (("observations", 0, "text"), "a\x00b", "Nullzeichen"),
            (("observations", 0, "uuid"), "keine-uuid", 'ungültige UUID "keine-uuid"'),
            (("crises", 0, "start"), "01.03.2020", "ungültiges Datum"),
            (("observations", 0, "created_at"), "2024-01-02T03:04:05", "ohne Zeitzone"),
            (("municipalities", 0, "ags"), "5113", "ungültiger Wert"),
            (("lessons", 0, "title"), "x" * 301, "zu lang (301 Zeichen, höchstens 300)"),
            (("sources", 0, "url"), "kein link", "erwartet eine Adresse"),
            (("users", 0, "email"), "anna", "E-Mail-Adresse"),
            (("observations", 0, "codes"), [["themen"]], "erwartet Liste [Schema-Schlüssel, Code-Schlüssel]"),
            (("publication_reviews", 0, "item"), {"kind": "foo", "uuid": OBS_UUID}, 'unbekannter Wert "foo"'),
        ],
    )
    def test_wrong_types_and_values(self, path, value, message):
        document = small_document()
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        position = f"{path[0]}[{path[1]}]." + ".".join(str(p) for p in path[2:])
        problems = problems_of(document)
        assert any(p.startswith(position) and message in p for p in problems), problems

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (lambda d: d["lessons"][0]["observations"].append("99999999-9999-4999-8999-999999999999"),
             'lessons[0].observations[1]: Beobachtung "99999999-9999-4999-8999-999999999999" gibt es weder'),
            (lambda d: d["observations"][0].update(municipality="05315"),
             'observations[0].municipality: Kommune "05315" gibt es weder'),
            (lambda d: d["observations"][0]["codes"].append(["themen", "fehlt"]),
             'observations[0].codes[1]: Code "themen/fehlt" gibt es weder'),
            (lambda d: d["observations"][0].update(phase=7), "observations[0].phase: die Krise hat keine Phase 7"),
            (lambda d: d["observations"][0].update(crisis=None), "observations[0].phase: Phase ohne Krise"),
            (lambda d: d["observations"][0].update(created_by="niemand"), 'observations[0].created_by: Person "niemand"'),
            (lambda d: d["good_practices"][0]["sources"].append(CRISIS_UUID), "good_practices[0].sources[1]: Quelle"),
            (lambda d: d["users"][0]["memberships"][0].update(department="Bauamt"),
             'users[0].memberships[0].department: Dienststelle "Bauamt" gibt es in der Kommune 05113 nicht'),
            (lambda d: d["networks"][0]["members"].append("05315"), 'networks[0].members[1]: Kommune "05315"'),
            (lambda d: d["schemes"][0]["codes"][0].update(parent="fehlt"), "schemes[0].codes[0].parent: Code \"fehlt\""),
            (lambda d: d["schemes"][0]["codes"][1].update(parent="krisenstab"), "bilden einen Kreis"),
            (lambda d: d["publication_reviews"][0].update(item={"kind": "lesson", "uuid": OBS_UUID}),
             "publication_reviews[0].item: Eintrag"),
            (lambda d: d["lessons"][0].update(replaced_by=CRISIS_UUID),
             f'lessons[0].replaced_by: Erkenntnis "{CRISIS_UUID}" gibt es weder'),
            (lambda d: d["observations"].append(copy.deepcopy(d["observations"][0])),
             f'observations[1]: UUID "{OBS_UUID}" kommt doppelt vor (schon in observations[0])'),
            (lambda d: d["schemes"][0]["codes"].append(copy.deepcopy(d["schemes"][0]["codes"][0])),
             'schemes[0].codes[2]: Schlüssel "krisenstab" kommt doppelt vor'),
        ],
    )
    def test_bad_references_and_duplicates(self, change, expected):
        document = small_document()
        change(document)
        problems = problems_of(document)
        assert any(expected in p for p in problems), problems

    def test_all_problems_are_reported_at_once(self):
        document = small_document()
        document["observations"][0]["kind"] = "foo"
        document["lessons"][0]["status"] = "bar"
        document["crises"][0]["phases"][0]["number"] = "eins"
        assert len(problems_of(document)) == 3

    @pytest.mark.parametrize(
        ("header", "message"),
        [
            ({"format": "anderes", "version": 1}, 'format: erwartet "krisenwissen", gefunden "anderes"'),
            ({"version": 1}, 'format: erwartet "krisenwissen", gefunden nichts'),
            ({"format": "krisenwissen", "version": 2}, 'version: Version "2" wird nicht unterstützt'),
            ({"format": "krisenwissen", "version": True}, "version: Version"),
        ],
    )
    def test_foreign_or_future_files(self, header, message):
        assert problems_of(header) == [problems_of(header)[0]]
        assert problems_of(header)[0].startswith(message)

    def test_document_must_be_an_object(self):
        assert problems_of([1, 2]) == ["(Datei): erwartet Objekt, gefunden Liste"]

    def test_nothing_is_written_when_one_entry_is_bad(self):
        document = small_document()
        document["good_practices"][0]["problem"] = ""
        with pytest.raises(ExchangeError):
            import_document(document)
        assert not Municipality.objects.exists() and not km.Observation.objects.exists()


# --------------------------------------------------------------------------------------
# Reading files: encoding, syntax, size
# --------------------------------------------------------------------------------------


class TestReadingFiles:
    def test_json_syntax_error_names_line_and_column(self, tmp_path):
        path = tmp_path / "kaputt.json"
        path.write_text('{\n  "format": "krisenwissen",\n  "version" 1\n}', encoding="utf-8")
        with pytest.raises(ExchangeError) as excinfo:
            parse_exchange_file(path)
        assert str(excinfo.value) == "Kein gültiges JSON: Zeile 3, Spalte 13: Doppelpunkt erwartet."

    def test_not_json_at_all(self, tmp_path):
        path = tmp_path / "text.json"
        path.write_text("Das ist kein JSON.", encoding="utf-8")
        with pytest.raises(ExchangeError, match="Kein gültiges JSON: Zeile 1, Spalte 1: Wert erwartet"):
            parse_exchange_file(path)

    def test_invalid_utf8_names_the_byte(self, tmp_path):
        path = tmp_path / "latin1.json"
        path.write_bytes('{"format": "krisenwissen",\n "name": "Köln"}'.encode("latin-1"))
        with pytest.raises(ExchangeError) as excinfo:
            parse_exchange_file(path)
        assert "nicht UTF-8-kodiert: ungültiges Byte 0xf6" in str(excinfo.value)
        assert "(Zeile 2)" in str(excinfo.value)

    def test_byte_order_mark_is_accepted(self):
        assert parse_exchange_bytes(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (b'{"a": NaN}', "NaN ist in JSON nicht erlaubt"),
            (b'{"a": 1, "a": 2}', 'Feldnamen kommen in einem Objekt doppelt vor: "a"'),
            (b"[" * 100_000, "zu tief verschachtelt"),
            (b"", "Zeile 1, Spalte 1: Wert erwartet"),
        ],
    )
    def test_other_unreadable_json(self, raw, message):
        with pytest.raises(ExchangeError, match=message):
            parse_exchange_bytes(raw)

    def test_missing_file(self, tmp_path):
        with pytest.raises(ExchangeError, match="Datei nicht gefunden"):
            parse_exchange_file(tmp_path / "fehlt.json")

    def test_100_mb_of_garbage_is_refused_by_size_without_reading(self, tmp_path, monkeypatch):
        path = tmp_path / "muell.json"
        chunk = os.urandom(1024 * 1024)
        with path.open("wb") as handle:
            for _ in range(100):
                handle.write(chunk)
        assert path.stat().st_size == 100 * 1024 * 1024

        def must_not_read(*args, **kwargs):
            raise AssertionError("the oversized file was opened")

        monkeypatch.setattr(Path, "open", must_not_read)
        monkeypatch.setattr(Path, "read_bytes", must_not_read)
        with pytest.raises(ExchangeError) as excinfo:
            parse_exchange_file(path)  # limit from settings: 50 MB by default
        assert "Datei ist zu groß: 100,0 MB; erlaubt sind höchstens 50,0 MB" in str(excinfo.value)

    def test_limit_comes_from_settings(self, tmp_path, settings):
        settings.KRISENWISSEN_IMPORT_MAX_BYTES = 100
        path = tmp_path / "gross.json"
        path.write_text(json.dumps({"text": "x" * 200}), encoding="utf-8")
        with pytest.raises(ExchangeError, match="zu groß"):
            parse_exchange_file(path)
        settings.KRISENWISSEN_IMPORT_MAX_BYTES = 1000
        assert parse_exchange_file(path) == {"text": "x" * 200}


# --------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestCommands:
    def test_import_command_reports_problems_and_changes_nothing(self, tmp_path):
        document = small_document()
        document["observations"][0]["kind"] = "foo"
        stderr = StringIO()
        with pytest.raises(CommandError, match="Import abgebrochen .*es wurde nichts geändert"):
            call_command("import", str(write_json(tmp_path, document)), stdout=StringIO(), stderr=stderr)
        assert 'observations[0].kind: unbekannter Wert "foo"' in stderr.getvalue()
        assert not Municipality.objects.exists()

    def test_import_command_check_only(self, tmp_path):
        out = StringIO()
        call_command("import", str(write_json(tmp_path, small_document())), "--nur-pruefen", stdout=out)
        assert "gültig" in out.getvalue()
        assert not Municipality.objects.exists()

    def test_import_command_prints_counts(self, tmp_path):
        out = StringIO()
        call_command("import", str(write_json(tmp_path, small_document())), stdout=out)
        assert "Beobachtungen: 1 neu, 0 aktualisiert" in out.getvalue()

    def test_export_command_writes_file_and_audit_entry(self, tmp_path, demo_content):
        target = tmp_path / "export.json"
        out = StringIO()
        call_command("export", str(target), "--ohne-freigaben", stdout=out)
        from krisenwissen.knowledge.demo import content, hazards

        assert f"Beobachtungen: {len(content.OBSERVATIONS) + len(hazards.OBSERVATIONS)}" in out.getvalue()
        assert json.loads(target.read_text(encoding="utf-8"))["publication_reviews"] == []
        assert AuditEntry.objects.filter(action=CoreEvent.DATA_EXPORTED).exists()


# --------------------------------------------------------------------------------------
# Fuzzing: bad input never escapes as anything but ExchangeError
# --------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


ALL_PATHS = [p for p in _paths(small_document()) if p]


def _replace(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


@pytest.mark.django_db
class TestFuzz:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(json_values)
    def test_arbitrary_json_values(self, value):
        for document in (value, {"format": "krisenwissen", "version": 1, "observations": value}):
            try:
                validate_document(document)
            except ExchangeError as exc:
                assert exc.problems

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(ALL_PATHS), json_values)
    def test_mutated_valid_documents(self, path, value):
        document = _replace(small_document(), path, value)
        try:
            validate_document(document)
        except ExchangeError as exc:
            assert all(str(p) for p in exc.problems)

    @settings(max_examples=150, deadline=None)
    @given(st.binary(max_size=200))
    def test_arbitrary_bytes(self, raw):
        try:
            parse_exchange_bytes(raw)
        except ExchangeError:
            pass
