"""Views of the Lagebesprechung and the Lagebericht (thin: permissions declared, actions decide)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required
from krisenwissen.reports.http import CONTENT_TYPES, document_response

from . import meet_actions as actions
from . import meet_selectors as selectors
from .meet_documents import report_document
from .meet_forms import (
    CloseMeetingForm,
    ContributionForm,
    DecisionForm,
    RecipientForm,
    ReportCreateForm,
    SectionForm,
    StartMeetingForm,
)
from .meet_lifecycles import SITUATION_REPORT
from .meet_rules import held_functions
from .models import Meeting, ReportRecipient, ReportSection, SituationReport, StaffFunction
from .views import staff_by_pk

FORMATS = ("pdf", "docx")


def meeting_by_pk(request, pk, **kwargs):
    return get_object_or_404(Meeting.objects.select_related("staff", "staff__municipality"), pk=pk)


def report_by_pk(request, pk, **kwargs):
    return get_object_or_404(SituationReport.objects.select_related("staff", "staff__municipality"), pk=pk)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404(_("Unbekanntes Format."))


# --- meetings ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@permission_required("stab.view_meeting", fn=staff_by_pk)
def meetings(request, pk):
    staff = staff_by_pk(request, pk)
    form = StartMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.do_start_meeting(staff, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:  # a refused permission is the 403 page
            add_errors(form, exc)
        else:
            return redirect("stab:meet_meeting", pk=meeting.pk)
    return render(request, "stab/meet_meetings.html", {
        "staff": staff, "meetings": selectors.meetings_of(staff, user=request.user), "form": form,
        "running": selectors.meetings_of(staff, user=request.user).filter(status="laufend").first(),
    }, status=400 if form.errors else 200)


def _contribution_functions(request, meeting):
    if has_perm(request.user, "stab.run_meeting", meeting):
        return StaffFunction.objects.filter(staff=meeting.staff).order_by("order", "name")
    own = [fid for fid, _c, _g in held_functions(request.user, meeting.staff)]
    return StaffFunction.objects.filter(staff=meeting.staff, pk__in=own).order_by("order", "name")


def _meeting_page(request, meeting, *, contribution_form=None, decision_form=None, close_form=None, status=200):
    item = selectors.current_item(meeting)
    functions = _contribution_functions(request, meeting)
    default_function = item.function if item and item.function and functions.filter(pk=item.function_id).exists() else None
    items = list(meeting.items.select_related("function").order_by("position"))
    contributions = list(meeting.contributions.select_related("function", "item").order_by("created_at", "pk"))
    decisions = list(meeting.decisions.select_related("task", "task__owner_function", "item").order_by("created_at", "pk"))
    for agenda_item in items:
        agenda_item.own_contributions = [c for c in contributions if c.item_id == agenda_item.pk]
        agenda_item.own_decisions = [d for d in decisions if d.item_id == agenda_item.pk]
    return render(request, "stab/meet_meeting.html", {
        "staff": meeting.staff, "meeting": meeting, "item": item, "items": items, "decisions": decisions,
        "item_box": selectors.time_box(item) if meeting.is_open else {},
        "meeting_box": selectors.meeting_time_box(meeting),
        "is_last": item is not None and item.position == len(items) - 1,
        "contribution_form": contribution_form or ContributionForm(functions=functions, initial_function=default_function, prefix="beitrag"),
        "decision_form": decision_form or DecisionForm(staff=meeting.staff, prefix="entscheidung"),
        "close_form": close_form or CloseMeetingForm(prefix="schluss"),
        "may_contribute": functions.exists() and has_perm(request.user, "stab.contribute_meeting", meeting),
        "may_run": has_perm(request.user, "stab.run_meeting", meeting),
    }, status=status)


@require_GET
@permission_required("stab.view_meeting", fn=meeting_by_pk)
def meeting(request, pk):
    return _meeting_page(request, meeting_by_pk(request, pk))


@require_POST
@permission_required("stab.contribute_meeting", fn=meeting_by_pk)
def contribute(request, pk):
    meeting = meeting_by_pk(request, pk)
    form = ContributionForm(request.POST, functions=_contribution_functions(request, meeting), prefix="beitrag")
    if form.is_valid():
        try:
            actions.do_add_contribution(meeting, acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Beitrag festgehalten."))
            return redirect("stab:meet_meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, contribution_form=form, status=400)


@require_POST
@permission_required("stab.run_meeting", fn=meeting_by_pk)
def decide(request, pk):
    meeting = meeting_by_pk(request, pk)
    form = DecisionForm(request.POST, staff=meeting.staff, prefix="entscheidung")
    if form.is_valid():
        try:
            decision = actions.do_record_decision(meeting, acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            if decision.task_id:
                messages.success(request, _("Entscheidung festgehalten; Auftrag Nr. %(number)s erteilt.") % {"number": decision.task.number})
            else:
                messages.success(request, _("Entscheidung festgehalten."))
            return redirect("stab:meet_meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, decision_form=form, status=400)


@require_POST
@permission_required("stab.run_meeting", fn=meeting_by_pk)
def advance(request, pk):
    meeting = meeting_by_pk(request, pk)
    try:
        position = int(request.POST.get("from_position", ""))
    except ValueError:
        position = -1
    try:
        actions.do_advance_item(meeting, from_position=position, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("stab:meet_meeting", pk=meeting.pk)


@require_POST
@permission_required("stab.run_meeting", fn=meeting_by_pk)
def close(request, pk):
    meeting = meeting_by_pk(request, pk)
    form = CloseMeetingForm(request.POST, prefix="schluss")
    if form.is_valid():
        try:
            actions.do_close_meeting(meeting, acting_user=request.user, next_meeting_at=form.cleaned_data["next_meeting_at"])
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Lagebesprechung geschlossen; das Protokoll liegt vor und steht im Einsatztagebuch."))
            return redirect("stab:meet_meeting", pk=meeting.pk)
    return _meeting_page(request, meeting_by_pk(request, pk), close_form=form, status=400)


@require_GET
@permission_required("stab.view_meeting", fn=meeting_by_pk)
def protocol(request, pk, fmt):
    _check_format(fmt)
    meeting = meeting_by_pk(request, pk)
    data = bytes(meeting.protocol_pdf if fmt == "pdf" else meeting.protocol_docx)
    if not data:
        raise Http404(_("Das Protokoll entsteht beim Schließen der Lagebesprechung."))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = slugify(f"protokoll-lagebesprechung-{meeting.number}-{meeting.staff.name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- situation reports ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@permission_required("stab.view_situation_report", fn=staff_by_pk)
def reports(request, pk):
    staff = staff_by_pk(request, pk)
    initial = {"title": _("Lage am %(day)s") % {"day": timezone.localdate().strftime("%d.%m.%Y")}}
    form = ReportCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.do_create_situation_report(staff, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:  # a refused permission is the 403 page
            add_errors(form, exc)
        else:
            return redirect("stab:meet_report_detail", pk=report.pk)
    return render(request, "stab/meet_reports.html", {
        "staff": staff, "reports": selectors.reports_of(staff, user=request.user), "form": form,
    }, status=400 if form.errors else 200)


def _report_page(request, report, *, section_forms=None, recipient_form=None, error=None, status=200):
    sections = list(report.sections.select_related("function", "updated_by").order_by("function__order", "function__name"))
    section_forms = section_forms or {}
    for section in sections:
        section.may_write = report.status == "entwurf" and has_perm(request.user, "stab.write_report_section", section)
        if section.may_write:
            section.form = section_forms.get(section.pk) or SectionForm(initial={"text": section.text}, prefix=f"s{section.pk}")
    return render(request, "stab/meet_report.html", {
        "staff": report.staff, "report": report, "sections": sections, "error": error,
        "recipients": list(report.recipients.select_related("function", "user")),
        "recipient_form": recipient_form or RecipientForm(staff=report.staff),
        "may_manage_list": report.status != "verteilt" and has_perm(request.user, "stab.distribute_situation_report", report),
    }, status=status)


@require_GET
@permission_required("stab.view_situation_report", fn=report_by_pk)
def report_detail(request, pk):
    return _report_page(request, report_by_pk(request, pk))


@require_POST
@permission_required("stab.view_situation_report", fn=report_by_pk)
def report_section(request, pk, section):
    report = report_by_pk(request, pk)
    section_obj = get_object_or_404(ReportSection.objects.select_related("function", "report__staff"), pk=section, report=report)
    form = SectionForm(request.POST, prefix=f"s{section_obj.pk}")
    if form.is_valid():
        try:
            actions.do_write_report_section(section_obj, text=form.cleaned_data["text"], acting_user=request.user)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Abschnitt „%(name)s“ gespeichert.") % {"name": section_obj.function.name})
            return redirect("stab:meet_report_detail", pk=report.pk)
    return _report_page(request, report, section_forms={section_obj.pk: form}, status=400)


@require_POST
@permission_required("stab.view_situation_report", fn=report_by_pk)
def report_step(request, pk):
    report = report_by_pk(request, pk)
    step = request.POST.get("step", "")
    do = {"submit": actions.do_submit_situation_report, "return": actions.do_return_situation_report,
          "approve": actions.do_approve_situation_report, "distribute": actions.do_distribute_situation_report}.get(step)
    if do is None:
        return _report_page(request, report, error=_("Unbekannter Schritt."), status=400)
    try:
        do(report, acting_user=request.user)
    except ValidationError as exc:
        return _report_page(request, report_by_pk(request, pk), error=" ".join(exc.messages), status=400)
    messages.success(request, _("Lagebericht: „%(step)s“ ausgeführt.") % {"step": SITUATION_REPORT[step].label})
    return redirect("stab:meet_report_detail", pk=report.pk)


@require_POST
@permission_required("stab.distribute_situation_report", fn=report_by_pk)
def report_recipient_add(request, pk):
    report = report_by_pk(request, pk)
    form = RecipientForm(request.POST, staff=report.staff)
    if form.is_valid():
        try:
            actions.do_add_report_recipient(report, acting_user=request.user, function=form.cleaned_data["function"],
                                            user=form.cleaned_data["user"], email=form.cleaned_data["email"])
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Verteiler ergänzt."))
            return redirect("stab:meet_report_detail", pk=report.pk)
    return _report_page(request, report, recipient_form=form, status=400)


@require_POST
@permission_required("stab.distribute_situation_report", fn=report_by_pk)
def report_recipient_remove(request, pk, recipient):
    report = report_by_pk(request, pk)
    entry = get_object_or_404(ReportRecipient, pk=recipient, report=report)
    try:
        actions.do_remove_report_recipient(entry, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("stab:meet_report_detail", pk=report.pk)


@require_GET
@permission_required("stab.view_situation_report", fn=report_by_pk)
def report_download(request, pk, fmt):
    _check_format(fmt)
    report = report_by_pk(request, pk)
    return document_response(report_document(report), fmt, f"lagebericht-{report.number}-{report.staff.name}")


