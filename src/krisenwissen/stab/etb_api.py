"""Read-only API of the Einsatztagebuch (wired in ``api.urls``; described in ``OPENAPI_PATHS``).

Only people who may read the staff's ETB (``stab.view_log``) see it; for everybody else the
staff does not exist (404, no hint that it does).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from krisenwissen.core.params import int_param
from krisenwissen.core.policy import has_perm

from . import etb_selectors as selectors
from .models import LogCategory, LogEntry, Staff

MAX_LIMIT = 500


def _staff(request, uuid) -> Staff | None:
    staff = Staff.objects.filter(uuid=uuid).select_related("municipality").first()
    if staff is None or not has_perm(request.user, "stab.view_log", staff):
        return None
    return staff


def _not_found() -> JsonResponse:
    return JsonResponse({"error": "Stab nicht gefunden oder nicht sichtbar."}, status=404)


def entry_json(entry: LogEntry) -> dict:
    return {
        "number": entry.number, "event_at": entry.event_at.isoformat(), "entered_at": entry.entered_at.isoformat(),
        "written_at": entry.written_at.isoformat() if entry.written_at else None,
        "author": entry.author_name, "function": entry.author_function, "category": entry.category, "text": entry.text,
        "corrects": entry.corrects.number if entry.corrects_id else None,
        "attachment": {"name": entry.attachment_name, "type": entry.attachment_type, "sha256": entry.attachment_sha256} if entry.attachment_sha256 else None,
        "prev_hash": entry.prev_hash, "hash": entry.hash,
    }


@never_cache
@require_GET
def etb_entries(request, uuid):
    staff = _staff(request, uuid)
    if staff is None:
        return _not_found()
    after = int_param(request.GET, "nach", default=0, minimum=0)
    limit = int_param(request.GET, "limit", default=100, minimum=1, maximum=MAX_LIMIT)
    rows = selectors.entries_after(staff=staff, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        next_url = request.build_absolute_uri(request.path) + f"?nach={rows[-1].number}&limit={limit}"
    return JsonResponse({"staff": {"id": str(staff.uuid), "name": str(staff), "exercise": staff.exercise},
                         "results": [entry_json(e) for e in rows], "next": next_url}, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def etb_verification(request, uuid):
    staff = _staff(request, uuid)
    if staff is None:
        return _not_found()
    result = selectors.verify(staff=staff)
    return JsonResponse({"entries": result.count, "holds": result.holds, "first_broken": result.first_broken, "head": result.head})


_ERROR = {"$ref": "#/components/schemas/Error"}
_UUID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]

SCHEMAS = {
    "LogEntry": {"type": "object", "required": ["number", "event_at", "entered_at", "category", "text", "hash", "prev_hash"], "properties": {
        "number": {"type": "integer"}, "event_at": {"type": "string", "format": "date-time"},
        "entered_at": {"type": "string", "format": "date-time"}, "written_at": {"type": ["string", "null"], "format": "date-time"},
        "author": {"type": "string"}, "function": {"type": "string"},
        "category": {"type": "string", "enum": list(LogCategory.values)},
        "text": {"type": "string"}, "corrects": {"type": ["integer", "null"]},
        "attachment": {"type": ["object", "null"], "properties": {"name": {"type": "string"}, "type": {"type": "string"}, "sha256": {"type": "string"}}},
        "prev_hash": {"type": "string"}, "hash": {"type": "string", "description": "SHA-256 über Inhalt und prev_hash"}}},
}

OPENAPI_PATHS = {
    "/staebe/{id}/etb/": {"get": {
        "summary": "Einsatztagebuch eines Stabes (nur für Mitglieder des Stabes und die Administration der Kommune)",
        "operationId": "list_etb_entries",
        "parameters": [*_UUID, {"name": "nach", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0},
                                "description": "nur Einträge mit höherer Nummer"},
                       {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100}}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "staff": {"type": "object"}, "results": {"type": "array", "items": {"$ref": "#/components/schemas/LogEntry"}},
            "next": {"type": ["string", "null"], "format": "uri"}}}}}},
            "404": {"description": "Nicht gefunden oder nicht sichtbar", "content": {"application/json": {"schema": _ERROR}}}},
    }},
    "/staebe/{id}/etb/pruefung/": {"get": {
        "summary": "Prüfung der Hash-Kette des Einsatztagebuchs", "operationId": "verify_etb", "parameters": _UUID,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "entries": {"type": "integer"}, "holds": {"type": "boolean"}, "first_broken": {"type": ["integer", "null"]},
            "head": {"type": "string"}}}}}},
            "404": {"description": "Nicht gefunden oder nicht sichtbar", "content": {"application/json": {"schema": _ERROR}}}},
    }},
}
