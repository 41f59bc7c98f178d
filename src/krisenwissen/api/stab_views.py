"""Read-only API of a staff's Aufträge and Meldungen (permission-aware: staff members, the
municipality's Administration, superusers; everyone else gets 404, anonymous 403)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from krisenwissen.core.policy import has_perm
from krisenwissen.stab import msg_selectors
from krisenwissen.stab.models import MessageStatus, Staff, TaskStatus

from .views import _error, _paging


def _iso(value):
    return value.isoformat() if value else None


def _function(function):
    return {"code": function.code, "name": function.name} if function else None


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else None


def _staff_or_error(request, uuid, permission):
    if not request.user.is_authenticated:
        return None, _error(403, "Anmeldung erforderlich.")
    staff = Staff.objects.filter(uuid=uuid).select_related("municipality").first()
    if staff is None or not has_perm(request.user, permission, staff):
        return None, _error(404, "Stab nicht gefunden oder nicht sichtbar.")
    return staff, None


def _staff_json(staff):
    return {"id": str(staff.uuid), "name": str(staff), "exercise": staff.exercise}


def task_json(task, now):
    return {
        "number": task.number, "title": task.title, "description": task.description, "status": task.status,
        "owner_function": _function(task.owner_function), "due_at": _iso(task.due_at), "overdue": task.is_overdue(now),
        "feedback": task.feedback, "created_at": _iso(task.created_at), "created_by": _person(task.created_by),
        "done_at": _iso(task.done_at), "done_by": _person(task.done_by),
    }


@require_GET
def stab_tasks(request, uuid):
    staff, error = _staff_or_error(request, uuid, "stab.view_tasks")
    if error:
        return error
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    limit, offset = paging
    status = request.GET.get("status", "")
    if status and status not in (*TaskStatus.values, "offen"):
        return _error(400, "Unbekannter Status.")
    now = timezone.now()
    qs = msg_selectors.task_queryset(staff, user=request.user, status=status, overdue=request.GET.get("ueberfaellig") == "1", now=now)
    total = qs.count()
    rows = qs.order_by("number")[offset:offset + limit]
    return JsonResponse({"staff": _staff_json(staff), "count": total, "limit": limit, "offset": offset,
                         "results": [task_json(t, now) for t in rows]}, json_dumps_params={"ensure_ascii": False})


@require_GET
def stab_messages(request, uuid):
    staff, error = _staff_or_error(request, uuid, "stab.view_messages")
    if error:
        return error
    paging = _paging(request)
    if isinstance(paging, JsonResponse):
        return paging
    limit, offset = paging
    status = request.GET.get("status", "")
    if status and status not in (*MessageStatus.values, "offen"):
        return _error(400, "Unbekannter Status.")
    rows = msg_selectors.message_rows(staff, user=request.user, status=status, limit=500)
    page = rows[offset:offset + limit]
    return JsonResponse({"staff": _staff_json(staff), "count": len(rows), "limit": limit, "offset": offset, "results": [{
        "number": r.message.number, "direction": r.message.direction, "channel": r.message.channel, "priority": r.message.priority,
        "sender": r.message.sender, "recipient": r.message.recipient, "transmitted_at": _iso(r.message.transmitted_at),
        "content": r.message.content, "status": r.message.status, "sichter_note": r.message.sichter_note,
        "distribution": [_function(f) for f in r.message.distribution.all()],
        "acknowledgements": [{"function": _function(a.function), "by": a.user_name, "at": _iso(a.at)} for a in r.message.acknowledgements.all()],
        "recorded_at": _iso(r.message.recorded_at), "routed_at": _iso(r.message.routed_at), "done_at": _iso(r.message.done_at),
    } for r in page]}, json_dumps_params={"ensure_ascii": False})


_FUNCTION = {"type": ["object", "null"], "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
_STAFF = {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
                                           "exercise": {"type": "boolean"}}}
SCHEMAS = {
    "StaffTask": {"type": "object", "properties": {
        "number": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
        "status": {"type": "string", "enum": list(TaskStatus.values)}, "owner_function": _FUNCTION,
        "due_at": {"type": ["string", "null"], "format": "date-time"}, "overdue": {"type": "boolean"},
        "feedback": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
        "created_by": {"type": ["string", "null"]}, "done_at": {"type": ["string", "null"], "format": "date-time"},
        "done_by": {"type": ["string", "null"]}}, "required": ["number", "title", "status", "overdue"]},
    "StaffMessage": {"type": "object", "properties": {
        "number": {"type": "integer"}, "direction": {"type": "string", "enum": ["eingang", "ausgang"]},
        "channel": {"type": "string", "enum": ["telefon", "funk", "email", "fax", "melder", "persoenlich"]},
        "priority": {"type": "string", "enum": ["blitz", "sofort", "normal"]}, "sender": {"type": "string"},
        "recipient": {"type": "string"}, "transmitted_at": {"type": "string", "format": "date-time"}, "content": {"type": "string"},
        "status": {"type": "string", "enum": list(MessageStatus.values)}, "sichter_note": {"type": "string"},
        "distribution": {"type": "array", "items": _FUNCTION},
        "acknowledgements": {"type": "array", "items": {"type": "object", "properties": {
            "function": _FUNCTION, "by": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}}},
        "recorded_at": {"type": "string", "format": "date-time"}, "routed_at": {"type": ["string", "null"], "format": "date-time"},
        "done_at": {"type": ["string", "null"], "format": "date-time"}}, "required": ["number", "priority", "status", "content"]},
}


def paths(json_response, paging) -> dict:
    """The OpenAPI paths of this module (merged into ``openapi.build_spec``)."""
    staff_param = {"name": "staff", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"},
                   "description": "Kennung (UUID) des Stabes"}
    errors = {"400": json_response({"$ref": "#/components/schemas/Error"}, "Ungültige Parameter"),
              "403": json_response({"$ref": "#/components/schemas/Error"}, "Nicht angemeldet"),
              "404": json_response({"$ref": "#/components/schemas/Error"}, "Stab unbekannt oder nicht sichtbar")}

    def listing(schema, extra_status):
        return json_response({"type": "object", "properties": {
            "staff": _STAFF, "count": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}}, "required": ["count", "results"]})

    status = {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "Status oder „offen“"}
    return {
        "/staebe/{staff}/auftraege/": {"get": {
            "summary": "Aufträge eines Stabes (nur für Mitglieder des Stabes und die Administration der Kommune)",
            "operationId": "list_staff_tasks",
            "parameters": [staff_param, *paging, status,
                           {"name": "ueberfaellig", "in": "query", "schema": {"type": "string", "enum": ["1"]}, "description": "nur überfällige"}],
            "responses": {"200": listing("StaffTask", None), **errors}}},
        "/staebe/{staff}/meldungen/": {"get": {
            "summary": "Meldungen eines Stabes (Blitz zuerst; nur für Mitglieder des Stabes und die Administration der Kommune)",
            "operationId": "list_staff_messages",
            "parameters": [staff_param, *paging, status],
            "responses": {"200": listing("StaffMessage", None), **errors}}},
    }
