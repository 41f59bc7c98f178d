"""Views of the Meldungen and Aufträge (thin: permissions declared, reads in msg_selectors,
changes in msg_actions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.params import id_param
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required
from krisenwissen.reports.http import document_response

from . import msg_actions as actions
from . import msg_selectors as selectors
from .models import Message, MessageStatus, Staff, StaffFunction, Task, TaskStatus
from .msg_blank_form import blank_form_document
from .msg_forms import MessageForm, RouteForm, SichterForm, TaskFeedbackForm, TaskForm
from .msg_lifecycles import TASK, TASK_STEPS_WITH_FEEDBACK


def staff_by_pk(request, pk, **kwargs):
    return get_object_or_404(Staff.objects.select_related("municipality"), pk=pk)


def message_by_pk(request, pk, **kwargs):
    return get_object_or_404(Message.objects.select_related("staff", "staff__municipality"), pk=pk)


def task_by_pk(request, pk, **kwargs):
    return get_object_or_404(Task.objects.select_related("staff", "staff__municipality", "owner_function", "created_by", "done_by"), pk=pk)


def _functions(staff):
    return StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name")


# --- Meldungen -----------------------------------------------------------------------------

@permission_required("stab.view_messages", fn=staff_by_pk)
def message_list(request, pk):
    staff = staff_by_pk(request, pk)
    status = request.GET.get("status", "offen")
    if status not in ("offen", "alle", *MessageStatus.values):
        status = "offen"
    mine = request.GET.get("meine") == "1"
    rows = selectors.message_rows(staff, user=request.user, status="" if status == "alle" else status, mine=mine)
    return render(request, "stab/msg_list.html", {
        "staff": staff, "rows": rows, "status": status, "mine": mine, "sichter": selectors.sichter_function(staff),
        "status_choices": [("offen", _("offen")), *MessageStatus.choices, ("alle", _("alle"))],
    })


@permission_required("stab.create_message", fn=staff_by_pk)
def message_create(request, pk):
    staff = staff_by_pk(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = actions.do_record_message(
                staff, direction=data["direction"], channel=data["channel"], priority=data["priority"], sender=data["sender"],
                recipient=data["recipient"], content=data["content"], transmitted_at=data["transmitted_at"],
                client_key=data["client_key"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Meldung Nr. %(number)s aufgenommen.") % {"number": message.number})
            return redirect("stab:msg_detail", message.pk)
    return render(request, "stab/msg_form.html", {"staff": staff, "form": form}, status=400 if form.errors else 200)


def _detail_context(request, message, route_form=None):
    row = selectors.message_detail(message, user=request.user)
    if route_form is None and has_perm(request.user, "stab.route_message", message) and message.status == MessageStatus.AUFGENOMMEN:
        route_form = RouteForm(functions=_functions(message.staff))
    return {"staff": message.staff, "message": row.message, "row": row, "route_form": route_form,
            "sichter": selectors.sichter_function(message.staff),
            "may_acknowledge": row.mine_pending and has_perm(request.user, "stab.acknowledge_message", message)}


@permission_required("stab.view_messages", fn=message_by_pk)
def message_detail(request, pk):
    message = message_by_pk(request, pk)
    return render(request, "stab/msg_detail.html", _detail_context(request, message))


@require_POST
@permission_required("stab.route_message", fn=message_by_pk)
def message_route(request, pk):
    message = message_by_pk(request, pk)
    form = RouteForm(request.POST, functions=_functions(message.staff))
    if form.is_valid():
        try:
            actions.do_route_message(message, functions=form.cleaned_data["functions"], sichter_note=form.cleaned_data["sichter_note"],
                                     acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            message.refresh_from_db()
            if message.status != MessageStatus.AUFGENOMMEN:  # sent twice, or routed by someone else meanwhile
                messages.info(request, _("Diese Meldung ist bereits gesichtet und verteilt."))
                return redirect("stab:msg_detail", message.pk)
            add_errors(form, exc)
        else:
            messages.success(request, _("Meldung gesichtet und verteilt."))
            return redirect("stab:msg_detail", message.pk)
    return render(request, "stab/msg_detail.html", _detail_context(request, message, route_form=form), status=400)


def _simple_step(request, message, action, done_text):
    try:
        action(message, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_text)
    return redirect("stab:msg_detail", message.pk)


@require_POST
@permission_required("stab.acknowledge_message", fn=message_by_pk)
def message_acknowledge(request, pk):
    return _simple_step(request, message_by_pk(request, pk), actions.do_acknowledge_message, _("Kenntnisnahme vermerkt."))


@require_POST
@permission_required("stab.complete_message", fn=message_by_pk)
def message_complete(request, pk):
    return _simple_step(request, message_by_pk(request, pk), actions.do_complete_message, _("Meldung abgeschlossen."))


@permission_required("stab.view_messages", fn=staff_by_pk)
def message_blank_form(request, pk):
    """The blank four-part message form as PDF/UA (paper fallback when the system is down)."""
    staff = staff_by_pk(request, pk)
    return document_response(blank_form_document(staff), "pdf", f"meldevordruck-{staff.pk}")


@permission_required("stab.manage_message_settings", fn=staff_by_pk)
def message_settings(request, pk):
    staff = staff_by_pk(request, pk)
    functions = _functions(staff)
    current = getattr(getattr(staff, "message_settings", None), "sichter_function", None) if hasattr(staff, "message_settings") else None
    form = SichterForm(request.POST or None, functions=functions, initial={"sichter_function": current})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_sichter_function(staff, function=form.cleaned_data["sichter_function"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Sichtende Funktion gespeichert."))
            return redirect("stab:msg_list", staff.pk)
    return render(request, "stab/msg_settings.html", {"staff": staff, "form": form, "sichter": selectors.sichter_function(staff)})


# --- Aufträge ------------------------------------------------------------------------------

@permission_required("stab.view_tasks", fn=staff_by_pk)
def task_list(request, pk):
    staff = staff_by_pk(request, pk)
    status = request.GET.get("status", "offen")
    if status not in ("offen", "alle", *TaskStatus.values):
        status = "offen"
    overdue = request.GET.get("ueberfaellig") == "1"
    function_id = id_param(request.GET, "funktion")
    rows = selectors.tasks(staff, user=request.user, status="" if status == "alle" else status, overdue=overdue, function_id=function_id)
    return render(request, "stab/msg_task_list.html", {
        "staff": staff, "tasks": rows, "status": status, "overdue": overdue, "function_id": function_id,
        "functions": _functions(staff), "status_choices": [("offen", _("offen")), *TaskStatus.choices, ("alle", _("alle"))],
        "overdue_count": selectors.open_tasks_count_overdue(staff, user=request.user),
    })


@permission_required("stab.create_task", fn=staff_by_pk)
def task_create(request, pk):
    staff = staff_by_pk(request, pk)
    form = TaskForm(request.POST or None, functions=_functions(staff))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = actions.do_create_task(staff, title=data["title"], owner_function=data["owner_function"], due_at=data["due_at"],
                                          description=data["description"], client_key=data["client_key"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Auftrag Nr. %(number)s erteilt.") % {"number": task.number})
            return redirect("stab:msg_task_detail", task.pk)
    return render(request, "stab/msg_task_form.html", {"staff": staff, "form": form}, status=400 if form.errors else 200)


@permission_required("stab.view_tasks", fn=task_by_pk)
def task_detail(request, pk, form=None, status=200):
    task = task_by_pk(request, pk)
    return render(request, "stab/msg_task_detail.html", {
        "staff": task.staff, "task": task, "form": form or TaskFeedbackForm(), "feedback_steps": TASK_STEPS_WITH_FEEDBACK,
    }, status=status)


TASK_ACTIONS = {"start": actions.do_start_task, "complete": actions.do_complete_task, "abort": actions.do_abort_task}


@require_POST
@permission_required("stab.view_tasks", fn=task_by_pk)
def task_step(request, pk, step):
    if step not in TASK_ACTIONS:
        raise Http404
    task = task_by_pk(request, pk)
    form = TaskFeedbackForm(request.POST)
    form.is_valid()
    kwargs = {"feedback": form.cleaned_data.get("feedback", "")} if step in TASK_STEPS_WITH_FEEDBACK else {}
    try:
        TASK_ACTIONS[step](task, acting_user=request.user, **kwargs)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        task.refresh_from_db()
        if step in TASK and task.status == TASK[step].target:  # the same step sent twice
            messages.info(request, _("Dieser Schritt ist bereits erfolgt: %(status)s.") % {"status": task.get_status_display()})
            return redirect("stab:msg_task_detail", task.pk)
        add_errors(form, exc)
        return task_detail(request, pk, form=form, status=400)
    messages.success(request, {"start": _("Auftrag in Arbeit."), "complete": _("Auftrag als erledigt gemeldet."),
                               "abort": _("Auftrag abgebrochen.")}[step])
    return redirect("stab:msg_task_detail", task.pk)
