"""The OpenAPI 3.1 description of the read-only API, written by hand to match views.py."""

from __future__ import annotations

from krisenwissen.stab import etb_api

_ITEM_COMMON = {
    "id": {"type": "string", "format": "uuid"},
    "url": {"type": "string", "format": "uri"},
    "municipality": {"type": "object", "properties": {"name": {"type": "string"}, "ags": {"type": "string"}}, "required": ["name", "ags"]},
    "visibility": {"type": "string", "enum": ["intern", "netzwerk", "oeffentlich"]},
    "crisis": {"type": ["string", "null"]},
    "phase": {"type": ["object", "null"], "properties": {"number": {"type": "integer"}, "name": {"type": "string"}}},
    "department_function": {"type": ["string", "null"]},
    "codes": {"type": "array", "items": {"$ref": "#/components/schemas/CodeRef"}},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
}


def _item_schema(extra: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": {**_ITEM_COMMON, **extra}, "required": ["id", "url", "municipality", "visibility", *required]}


SCHEMAS = {
    "CodeRef": {"type": "object", "properties": {"scheme": {"type": "string"}, "key": {"type": "string"}, "name": {"type": "string"}}},
    "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
    "Observation": _item_schema({
        "kind": {"type": "string", "enum": ["herausforderung", "gelingensfaktor", "verbesserungspotenzial", "erfahrung", "zitat"]},
        "text": {"type": "string"}, "anonymous": {"type": "boolean"},
        "source": {"type": ["object", "null"], "properties": {"kind": {"type": "string"}, "title": {"type": "string"}, "citation": {"type": "string"}}},
    }, ["kind", "text"]),
    "Lesson": _item_schema({
        "title": {"type": "string"}, "finding": {"type": "string"}, "cause": {"type": "string"}, "status": {"type": "string"},
        "observations": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    }, ["title", "finding"]),
    "Recommendation": _item_schema({
        "title": {"type": "string"}, "text": {"type": "string"},
        "addressee_level": {"type": "string", "enum": ["kommune", "land", "bund"]},
        "lessons": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    }, ["title", "text"]),
    "GoodPractice": _item_schema({
        "title": {"type": "string"}, "city": {"type": "string"}, "country": {"type": "string"}, "problem": {"type": "string"},
        "solution": {"type": "string"}, "results": {"type": "string"}, "transferability": {"type": "string"}, "contact": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "object"}},
    }, ["title", "city", "problem", "solution"]),
    "Staff": {"type": "object", "properties": {
        "id": {"type": "integer"}, "uuid": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
        "exercise": {"type": "boolean", "description": "Übungsstab (ÜBUNG)"}, "status": {"type": "string", "enum": ["aktiv", "deaktiviert"]},
        "kind": {"type": "string"}, "municipality": {"type": "object", "properties": {"ags": {"type": "string"}, "name": {"type": "string"}}},
        "template": {"type": ["string", "null"]}, "crisis": {"type": ["string", "null"]}, "alert_level": {"type": "integer", "minimum": 1, "maximum": 3},
        "activated_at": {"type": "string", "format": "date-time"}, "deactivated_at": {"type": ["string", "null"], "format": "date-time"},
        "next_meeting_at": {"type": ["string", "null"], "format": "date-time"},
        "functions": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "active": {"type": "boolean"},
            "holders": {"type": "integer"}, "deputies": {"type": "integer"}}}}},
        "required": ["uuid", "name", "exercise", "status", "municipality", "functions"]},
    "SearchHit": {"type": "object", "properties": {
        "kind": {"type": "string"}, "title": {"type": "string"}, "snippet": {"type": "string"}, "url": {"type": "string"},
        "municipality": {"type": "string"}, "visibility": {"type": "string"}}, "required": ["kind", "title", "snippet", "url"]},
}

_RESOURCES = [
    ("beobachtungen", "Observation", "Beobachtungen"),
    ("erkenntnisse", "Lesson", "Erkenntnisse"),
    ("empfehlungen", "Recommendation", "Handlungsempfehlungen"),
    ("gute-praxis", "GoodPractice", "Gute Praxis"),
]

_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
]
_CURSOR = {
    "name": "cursor", "in": "query", "schema": {"type": "string"},
    "description": "Blättern per Schlüssel (schnell an jeder Stelle, stabil bei neuen Einträgen): den Wert aus dem Link "
                   "next übernehmen, oder einfach next aufrufen. Nicht zusammen mit offset; count ist dann null.",
}
_FILTERS = [
    {"name": "kommune", "in": "query", "description": "Amtlicher Gemeindeschlüssel der Kommune", "schema": {"type": "string"}},
    {"name": "theme", "in": "query", "description": "ID eines Themenschwerpunkts (mehrfach möglich)", "schema": {"type": "integer"}},
    {"name": "phase", "in": "query", "description": "ID einer Phase (mehrfach möglich)", "schema": {"type": "integer"}},
]


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_spec(server_url: str) -> dict:
    paths: dict = {}
    for resource, schema, title in _RESOURCES:
        paths[f"/{resource}/"] = {"get": {
            "summary": f"{title} (nur für Sie sichtbare Einträge)",
            "operationId": f"list_{resource.replace('-', '_')}",
            "parameters": _PAGING + [_CURSOR] + _FILTERS,
            "responses": {
                "200": _json({"type": "object", "properties": {
                    "count": {"type": "integer", "description": "Zahl aller sichtbaren Treffer"},
                    "limit": {"type": "integer"}, "offset": {"type": ["integer", "null"], "description": "null bei cursor"},
                    "next": {"type": ["string", "null"], "format": "uri",
                             "description": "die nächste Seite (cursor), null auf der letzten"},
                    "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}},
                    "required": ["count", "results"]}),
                "400": _json({"$ref": "#/components/schemas/Error"}, "Ungültige Parameter"),
            },
        }}
        paths[f"/{resource}/{{id}}/"] = {"get": {
            "summary": f"Ein Eintrag: {title}",
            "operationId": f"get_{resource.replace('-', '_')}",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"200": _json({"$ref": f"#/components/schemas/{schema}"}),
                          "404": _json({"$ref": "#/components/schemas/Error"}, "Nicht gefunden oder nicht sichtbar")},
        }}
    paths["/suche/"] = {"get": {
        "summary": "Volltextsuche (deutsch, mit Wortstamm- und Teilwortsuche)", "operationId": "search",
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}, *_PAGING],
        "responses": {"200": _json({"type": "object", "properties": {"count": {"type": "integer"},
                                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}}}})},
    }}
    for path, op, summary in [("/krisen/", "list_crises", "Krisen mit Phasen"), ("/codebuch/", "list_codes", "Codebuch"),
                              ("/kommunen/", "list_municipalities", "Teilnehmende Kommunen")]:
        paths[path] = {"get": {"summary": summary, "operationId": op,
                               "responses": {"200": _json({"type": "object", "properties": {"results": {"type": "array", "items": {"type": "object"}}}})}}}
    paths["/staebe/"] = {"get": {
        "summary": "Krisenstäbe (nur die, deren Mitglied Sie sind oder deren Kommune Sie verwalten)", "operationId": "list_staffs",
        "parameters": [{"name": "uebung", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]},
                        "description": "1: nur Übungsstäbe, 0: nur echte Stäbe"}],
        "responses": {"200": _json({"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Staff"}}}})},
    }}
    paths["/staebe/{id}/"] = {"get": {
        "summary": "Ein Krisenstab", "operationId": "get_staff",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
        "responses": {"200": _json({"$ref": "#/components/schemas/Staff"}),
                      "404": _json({"$ref": "#/components/schemas/Error"}, "Nicht gefunden oder nicht sichtbar")},
    }}
    paths["/verordnungen/{slug}/synopse/"] = {"get": {
        "summary": "Synopse zweier Fassungen eines Rechtstexts (JSON-Vertrag synopse.schema.json, docs/regulations.md)",
        "operationId": "regulation_synopse",
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "alt", "in": "query", "schema": {"type": "integer"},
                        "description": "Kennung der bisherigen Fassung (ohne: die zweitneueste abweichende)"},
                       {"name": "neu", "in": "query", "schema": {"type": "integer"},
                        "description": "Kennung der neuen Fassung (ohne: die neueste)"}],
        "responses": {"200": _json({"type": "object", "description": "krisenwissen-synopse, format_version 1: "
                                    "units (status, label, old_label, heading_old, heading_new, summary, ops), "
                                    "summary, reissue, old, new"}),
                      "400": {"description": "alt oder neu ist keine Kennung"},
                      "404": {"description": "Rechtstext unbekannt oder mit weniger als zwei Fassungen"}},
    }}
    from . import stab_views  # the staff's tasks and messages

    paths.update(stab_views.paths(_json, _PAGING))
    paths.update(etb_api.OPENAPI_PATHS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "krisenwissen API",
            "version": "1",
            "description": "Lesender Zugriff auf die Wissensplattform. Antworten enthalten nur Einträge, die die angemeldete Person "
                           "(Sitzungs-Cookie) sehen darf; ohne Anmeldung nur öffentliche Einträge.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": {**SCHEMAS, **stab_views.SCHEMAS, **etb_api.SCHEMAS}},
    }
