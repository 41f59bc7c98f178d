"""Reads of the Meldungen and Aufträge of a staff (keyword-only, permission-aware)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from krisenwissen.core.policy import has_perm

from .models import (
    OPEN_TASK_STATES,
    FunctionGroup,
    Message,
    MessageAcknowledgement,
    MessagePriority,
    MessageSettings,
    MessageStatus,
    Staff,
    StaffFunction,
    Task,
)
from .rules import staff_codes

# The sichtende Funktion when a staff has not chosen one: a function coded "sichter", the
# Koordinierungsgruppe of a Verwaltungsstab, the Lagezentrum, S2 of a Führungsstab.
SICHTER_DEFAULT_CODES = ("sichter", "koordinierung", "kgs", "lagezentrum", "s2")
SICHTER_DEFAULT_GROUPS = (FunctionGroup.KOORDINIERUNG, FunctionGroup.S2)


def sichter_function(staff: Staff) -> StaffFunction | None:
    """The function through which the staff's messages go (setting, else the default above)."""
    cache = staff.__dict__.setdefault("_krisenwissen_sichter", {})
    if "function" not in cache:
        chosen = MessageSettings.objects.filter(staff=staff, sichter_function__isnull=False).select_related("sichter_function").first()
        function = chosen.sichter_function if chosen else None
        if function is None:
            functions = list(StaffFunction.objects.filter(staff=staff, active=True))
            by_code = {f.code: f for f in functions}
            function = next((by_code[c] for c in SICHTER_DEFAULT_CODES if c in by_code), None)
            if function is None:
                function = next((f for g in SICHTER_DEFAULT_GROUPS for f in functions if f.group == g), None)
        cache["function"] = function
    return cache["function"]


def _require_read(user, staff, permission):
    from krisenwissen.core.policy import require_perm

    require_perm(user, permission, staff)


def _messages(staff):
    return (Message.objects.filter(staff=staff)
            .select_related("recorded_by", "routed_by")
            .prefetch_related("distribution", Prefetch("acknowledgements", queryset=MessageAcknowledgement.objects.select_related("function"))))


@dataclass
class MessageRow:
    message: Message
    pending_functions: list  # functions on the Verteiler without a Kenntnisnahme
    mine_pending: bool  # the viewer holds a function that still has to acknowledge


def message_rows(staff: Staff, *, user, status: str = "", mine: bool = False, limit: int = 200) -> list[MessageRow]:
    """Messages of ``staff`` for ``user``: Blitz first, then Sofort, Normal; newest first within.

    ``status`` "offen" = not yet done; a status value filters; ``mine`` = waiting for the
    viewer's Kenntnisnahme (or, for the Sichter, for the Sichtung).
    """
    _require_read(user, staff, "stab.view_messages")
    qs = _messages(staff)
    if status == "offen":
        qs = qs.exclude(status=MessageStatus.ERLEDIGT)
    elif status in MessageStatus.values:
        qs = qs.filter(status=status)
    codes = staff_codes(user, staff)
    rows = []
    for message in qs.order_by("priority_rank", "-number")[: max(1, min(limit, 500))]:
        acknowledged = {a.function_id for a in message.acknowledgements.all()}
        pending = [f for f in message.distribution.all() if f.pk not in acknowledged]
        mine_pending = message.status == MessageStatus.VERTEILT and any(f.code in codes for f in pending)
        rows.append(MessageRow(message, pending, mine_pending))
    if mine:
        sichter = sichter_function(staff)
        is_sichter = sichter is not None and sichter.code in codes
        rows = [r for r in rows if r.mine_pending or (is_sichter and r.message.status == MessageStatus.AUFGENOMMEN)]
    return rows


def message_detail(message: Message, *, user) -> MessageRow:
    _require_read(user, message.staff, "stab.view_messages")
    message = _messages(message.staff).get(pk=message.pk)
    codes = staff_codes(user, message.staff)
    acknowledged = {a.function_id for a in message.acknowledgements.all()}
    pending = [f for f in message.distribution.all() if f.pk not in acknowledged]
    return MessageRow(message, pending, message.status == MessageStatus.VERTEILT and any(f.code in codes for f in pending))


def task_queryset(staff: Staff, *, user, status: str = "", overdue: bool = False, function_id: int | None = None, now=None):
    """Tasks of ``staff`` for ``user`` (open first, by due time); ``overdue`` only the overdue ones."""
    _require_read(user, staff, "stab.view_tasks")
    now = now or timezone.now()
    qs = Task.objects.filter(staff=staff).select_related("owner_function", "created_by", "done_by")
    if status == "offen":
        qs = qs.filter(status__in=OPEN_TASK_STATES)
    elif status and status in dict(Task._meta.get_field("status").choices):
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_TASK_STATES, due_at__lt=now)
    if function_id:
        qs = qs.filter(owner_function_id=function_id)
    return qs


def tasks(staff: Staff, *, user, status: str = "", overdue: bool = False, function_id: int | None = None, limit: int = 500) -> list[Task]:
    rows = list(task_queryset(staff, user=user, status=status, overdue=overdue, function_id=function_id)[: max(1, min(limit, 1000))])
    rows.sort(key=lambda t: (not t.is_open, t.due_at is None, t.due_at or t.created_at, t.number))
    return rows


@dataclass
class PanelSummary:
    blitz_open: int
    awaiting_sichtung: int
    awaiting_me: int
    open_messages: int
    open_tasks: int
    overdue_tasks: list


def panel_summary(staff: Staff, *, user, now=None) -> PanelSummary | None:
    """Counts for the panel on the staff page (None for someone who may not read them)."""
    if not has_perm(user, "stab.view_messages", staff):
        return None
    now = now or timezone.now()
    open_messages = Message.objects.filter(staff=staff).exclude(status=MessageStatus.ERLEDIGT)
    codes = staff_codes(user, staff)
    awaiting_me = (open_messages.filter(status=MessageStatus.VERTEILT, distribution__code__in=codes)
                   .exclude(acknowledgements__function__code__in=codes).distinct().count()) if codes else 0
    open_tasks = Task.objects.filter(staff=staff, status__in=OPEN_TASK_STATES)
    return PanelSummary(
        blitz_open=open_messages.filter(priority=MessagePriority.BLITZ).count(),
        awaiting_sichtung=open_messages.filter(status=MessageStatus.AUFGENOMMEN).count(),
        awaiting_me=awaiting_me,
        open_messages=open_messages.count(),
        open_tasks=open_tasks.count(),
        overdue_tasks=list(open_tasks.filter(due_at__lt=now).select_related("owner_function").order_by("due_at")[:5]),
    )


def open_tasks_count_overdue(staff: Staff, *, user, now=None) -> int:
    return task_queryset(staff, user=user, overdue=True, now=now).count()


def functions_of(staff: Staff, *, user) -> list[StaffFunction]:
    """The staff's active functions (for the Verteiler and the owner of a task)."""
    _require_read(user, staff, "stab.view_staff")
    return list(StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name"))


def held_functions(staff: Staff, *, user) -> list[StaffFunction]:
    codes = staff_codes(user, staff)
    return list(StaffFunction.objects.filter(staff=staff, code__in=codes)) if codes else []


def messages_since(staff: Staff, *, user, since) -> list[Message]:
    """Messages taken in or written out since ``since`` (for handover briefs)."""
    _require_read(user, staff, "stab.view_messages")
    return list(_messages(staff).filter(Q(recorded_at__gte=since) | Q(routed_at__gte=since)).order_by("priority_rank", "-number"))
