"""The ways lower layers find what upper apps declare: exchange parts, demo loaders, search index."""

from __future__ import annotations

import pydantic
import pytest
from django.apps import apps

from krisenwissen.core import demo, exchange
from krisenwissen.search import registry


def test_exchange_parts_come_from_the_app_configs_in_layer_order():
    labels = [config.label for config in apps.get_app_configs() if getattr(config, "exchange", None)]
    assert labels == ["accounts", "knowledge"]
    assert exchange.sections() == [
        "municipalities", "networks", "users", "crises", "schemes", "sources",
        "observations", "lessons", "recommendations", "good_practices", "publication_reviews",
    ]
    assert list(exchange.counted_labels())[:3] == ["municipalities", "departments", "networks"]


def test_every_section_has_its_own_pydantic_record_schema():
    schemas = {name: schema for part in exchange.parts() for name, schema in part.sections.items()}
    for name, schema in schemas.items():
        assert issubclass(schema, pydantic.BaseModel), name
        assert schema.model_config.get("extra") == "forbid", name
    assert schemas["lessons"].__name__ == "LessonRecord"
    assert len({schema.__name__ for schema in schemas.values()}) == len(schemas)


def test_schema_errors_carry_german_messages_with_field_paths():
    with pytest.raises(exchange.ExchangeError) as excinfo:
        exchange.validate_document({"format": "krisenwissen", "version": 1,
                                    "municipalities": [{"ags": "05113", "departments": [{"name": 3}]}]})
    problems = {str(p) for p in excinfo.value.problems}
    assert "municipalities[0].name: Pflichtfeld fehlt" in problems
    assert "municipalities[0].departments[0].name: erwartet Zeichenkette, gefunden ganze Zahl" in problems
    assert "municipalities[0].departments[0].function: Pflichtfeld fehlt" in problems


def test_demo_loaders_run_in_app_order_with_knowledge_first():
    labels = [config.label for config in apps.get_app_configs() if getattr(config, "demo_loader", None)]
    assert labels[0] == "knowledge"
    assert set(labels) >= {"knowledge", "regulations", "situation", "workshops", "learning"}
    assert [login.username for login in demo._logins_and_password()[0]]


def test_search_index_is_declared_by_the_apps_that_own_the_models():
    kinds = [entry.kind for entry in registry.indexed_models()]
    assert kinds == ["observation", "lesson", "recommendation", "goodpractice", "person", "passage"]
    # Knowledge items are re-indexed when their codes (many-to-many) change.
    assert all(entry.related() for entry in registry.indexed_models() if entry.kind not in {"person", "passage"})


def test_search_registry_refuses_a_kind_declared_twice(monkeypatch):
    import types

    knowledge = apps.get_app_config("knowledge")
    twice = types.ModuleType("twice")
    twice.models = [apps.get_model("knowledge", "Lesson")]
    twice.kind = lambda model: "lesson"
    monkeypatch.setattr(registry, "import_module", lambda dotted: twice if dotted == "twice" else __import__(
        "importlib").import_module(dotted))
    monkeypatch.setattr(apps.get_app_config("search"), "search_index", "twice", raising=False)
    registry.indexed_models.cache_clear()
    try:
        with pytest.raises(ValueError, match="declared twice"):
            registry.indexed_models()
    finally:
        registry.indexed_models.cache_clear()
    assert knowledge.search_index == "krisenwissen.knowledge.search_index"
