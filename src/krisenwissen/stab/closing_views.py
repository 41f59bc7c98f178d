"""Views of the Rückführung (thin: permissions declared, reads in ``closing_selectors``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import permission_required

from . import closing_actions as actions
from . import closing_selectors as sel
from .closing_forms import ArchiveForm, DeactivateForm, HandoverForm, NoteForm, NotifyForm
from .models import StaffFunction, Task
from .views import staff_by_pk


def _staff_of_function_url(request, pk, fpk):
    return staff_by_pk(request, pk)


STEPS = ("auftrag", "entscheidungen", "archiv", "benachrichtigen")


def _page(request, staff, *, forms=None, status=200):
    """The Rückführung page; ``forms`` replaces the blank forms by bound ones with errors."""
    forms = forms or {}
    context = sel.closing_overview(staff, user=request.user)
    for row in context["state"]["task_rows"]:
        task = row["task"]
        handover = row["handover"]
        initial = ({"owner_text": handover.owner_text, "owner_person": handover.owner_person_id,
                    "owner_organisation": handover.owner_organisation_id} if handover else None)
        row["form"] = forms.get(f"task-{task.pk}") or HandoverForm(prefix=f"task-{task.pk}", staff=staff, user=request.user,
                                                                    initial=initial)
    checklist = context["checklist"]
    context.update({
        "decisions_form": forms.get("decisions") or NoteForm(prefix="decisions",
                                                             initial={"note": checklist.decisions_note if checklist else ""}),
        "archive_form": forms.get("archive") or ArchiveForm(prefix="archive",
                                                            initial={"note": checklist.archive_note if checklist else ""}),
        "notify_form": forms.get("notify") or NotifyForm(prefix="notify"),
        "deactivate_form": forms.get("deactivate") or DeactivateForm(prefix="deactivate"),
        "has_errors": any(form.errors for form in forms.values()),
    })
    return render(request, "stab/closing_checklist.html", context, status=status)


@require_GET
@permission_required("stab.run_closing", fn=staff_by_pk)
def closing(request, pk):
    return _page(request, staff_by_pk(request, pk))


@require_POST
@permission_required("stab.run_closing", fn=staff_by_pk)
def closing_step(request, pk):
    """One item of the checklist: ``step`` = auftrag (with ``task``), entscheidungen, archiv, benachrichtigen."""
    staff = staff_by_pk(request, pk)
    step = request.POST.get("step", "")
    if step not in STEPS:
        messages.error(request, _("Unbekannter Schritt der Rückführung."))
        return redirect("stab:closing", pk=staff.pk)
    if step == "auftrag":
        task = get_object_or_404(Task, pk=_int(request.POST.get("task")), staff=staff)
        key = f"task-{task.pk}"
        form = HandoverForm(request.POST, prefix=key, staff=staff, user=request.user)
        run = lambda data: actions.do_hand_over_task(task, acting_user=request.user, **data)  # noqa: E731
        done = _("Auftrag Nr. %(n)s übergeben.") % {"n": task.number}
    elif step == "entscheidungen":
        key, form = "decisions", NoteForm(request.POST, prefix="decisions")
        run = lambda data: actions.do_confirm_decisions(staff, acting_user=request.user, **data)  # noqa: E731
        done = _("Offene Entscheidungen bestätigt.")
    elif step == "archiv":
        key, form = "archive", ArchiveForm(request.POST, prefix="archive")
        run = lambda data: actions.do_confirm_archive(staff, acting_user=request.user, **data)  # noqa: E731
        done = _("Archivierung bestätigt.")
    else:
        key, form = "notify", NotifyForm(request.POST, prefix="notify")
        run = lambda data: actions.do_notify_members(staff, acting_user=request.user, **data)  # noqa: E731
        done = _("Mitglieder benachrichtigt.")
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # about the step, not a field (e.g. deactivated meanwhile)
                messages.error(request, " ".join(exc.messages))
                return redirect("stab:closing", pk=staff.pk)
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("stab:closing", pk=staff.pk)
    return _page(request, staff, forms={key: form}, status=400)


@require_POST
@permission_required("stab.deactivate_staff", fn=staff_by_pk)
def closing_deactivate(request, pk):
    staff = staff_by_pk(request, pk)
    form = DeactivateForm(request.POST, prefix="deactivate")
    if form.is_valid():
        try:
            checklist = actions.do_deactivate_staff(staff, justification=form.cleaned_data["justification"], acting_user=request.user)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # e.g. deactivated meanwhile by someone else
                messages.error(request, " ".join(exc.messages))
                return redirect("stab:closing", pk=staff.pk)
            add_errors(form, exc)
        else:
            messages.success(request, _("Der Stab ist deaktiviert. Die Nachbesprechung ist angesetzt, der Zeitstrahl vorbelegt."))
            return redirect("workshops:detail", pk=checklist.debrief_id)
    return _page(request, staff, forms={"deactivate": form}, status=400)


@require_POST
@permission_required("stab.deactivate_staff", fn=staff_by_pk)
def closing_reactivate(request, pk):
    staff = staff_by_pk(request, pk)
    try:
        actions.do_reactivate_staff(staff, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Der Stab ist wieder aktiviert; die bisherigen Besetzungen beginnen neu."))
    return redirect("stab:closing", pk=staff.pk)


@require_POST
@permission_required("stab.run_closing", fn=_staff_of_function_url)
def closing_function_deactivate(request, pk, fpk):
    staff = staff_by_pk(request, pk)
    function = get_object_or_404(StaffFunction, pk=fpk, staff=staff)
    try:
        actions.do_deactivate_function(function, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Funktion „%(name)s“ deaktiviert.") % {"name": function.name})
    return redirect("stab:closing", pk=staff.pk)


def _int(value) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else 0
