"""Views of the crisis staff core (thin: permissions declared, reads in selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required

from . import actions, selectors
from .forms import (
    ActivationForm,
    AlertLevelForm,
    AssignForm,
    FunctionFormSet,
    FunctionSpecForm,
    TemplateCopyForm,
    TemplateEditForm,
)
from .models import Staff, StaffAssignment, StaffTemplate


def staff_by_pk(request, pk, **kwargs):
    """The staff named in the URL (for the views' declared permissions)."""
    return get_object_or_404(Staff.objects.select_related("municipality", "crisis", "template"), pk=pk)


def template_by_pk(request, pk):
    return get_object_or_404(StaffTemplate.objects.select_related("municipality"), pk=pk, active=True)


def own_template_by_pk(request, pk):
    """A city's own template (shipped ones are copied, never edited: they do not exist here)."""
    return get_object_or_404(StaffTemplate.objects.select_related("municipality"), pk=pk, active=True, municipality__isnull=False)


@permission_required("stab.view_staff_list")
def staff_list(request):
    return render(request, "stab/staff_list.html", {
        "lists": selectors.staff_lists(user=request.user),
        "proposals": selectors.activation_proposals(user=request.user),
        "may_activate": has_perm(request.user, "stab.activate_staff"),
    })


@permission_required("stab.view_staff", fn=staff_by_pk)
def staff_detail(request, pk):
    staff = staff_by_pk(request, pk)
    rows = selectors.function_rows(staff)
    may_manage = has_perm(request.user, "stab.manage_staff", staff)
    return render(request, "stab/staff_detail.html", {
        "staff": staff, "rows": rows, "gaps": [r for r in rows if r.gap],
        "briefing": selectors.onset_briefing(staff, user=request.user),
        "may_manage": may_manage,
        "alert_form": AlertLevelForm(initial={"alert_level": staff.alert_level}) if may_manage else None,
    })


@permission_required("stab.activate_staff")
def activate(request):
    """Step one: template and municipality (GET); step two: the activation form itself."""
    templates = selectors.templates_for(user=request.user)
    municipalities = selectors.activation_municipalities(user=request.user)
    template = municipality = None
    if request.GET.get("vorlage", "").isdigit():
        template = templates.filter(pk=int(request.GET["vorlage"])).first()
    ags = request.GET.get("kommune", "")
    if ags:
        municipality = municipalities.filter(ags=ags[:8]).first()
    elif municipalities.count() == 1:
        municipality = municipalities.first()
    if template is not None and template.municipality_id not in (None, getattr(municipality, "pk", None)):
        template = None
    if template is None or municipality is None:
        return render(request, "stab/activate_choose.html", {
            "templates": templates, "municipalities": municipalities, "chosen_template": template, "chosen_municipality": municipality,
        })
    candidates = selectors.candidate_members(municipality=municipality)
    form = ActivationForm(request.POST or None, template=template, candidates=candidates,
                          initial={"name": f"{template.name} – {municipality.name}"})
    if request.method == "POST" and form.is_valid():
        try:
            staff = actions.do_activate_staff(
                template, municipality=municipality, crisis=form.cleaned_data["crisis"], name=form.cleaned_data["name"],
                exercise=form.cleaned_data["exercise"], alert_level=form.cleaned_data["alert_level"],
                functions=form.cleaned_data["functions"], assignments=form.assignments(),
                first_meeting_at=form.cleaned_data["first_meeting_at"], submission=form.cleaned_data["submission"],
                acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Der Stab ist aktiviert, die Mitglieder sind benachrichtigt."))
            return redirect("stab:staff_detail", pk=staff.pk)
    return render(request, "stab/activate.html", {
        "form": form, "template": template, "municipality": municipality,
        "briefing": selectors.onset_briefing(template, user=request.user),
    })


@permission_required("stab.manage_staff", fn=staff_by_pk)
def assignments(request, pk):
    staff = staff_by_pk(request, pk)
    candidates = selectors.candidate_members(municipality=staff.municipality)
    form = AssignForm(request.POST or None, staff=staff, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        function = get_object_or_404(staff.functions, pk=form.cleaned_data["function"])
        try:
            actions.do_assign_function(function, form.cleaned_data["user"], role=form.cleaned_data["role"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Die Funktion ist besetzt."))
            return redirect("stab:assignments", pk=staff.pk)
    return render(request, "stab/assignments.html", {"staff": staff, "rows": selectors.function_rows(staff), "form": form})


@require_POST
@permission_required("stab.manage_staff", fn=staff_by_pk)
def release(request, pk, assignment_pk):
    staff = staff_by_pk(request, pk)
    assignment = get_object_or_404(StaffAssignment.objects.select_related("function__staff", "user"), pk=assignment_pk, function__staff=staff)
    actions.do_release_function(assignment, acting_user=request.user)
    messages.success(request, _("Die Besetzung ist beendet."))
    return redirect("stab:assignments", pk=staff.pk)


@require_POST
@permission_required("stab.manage_staff", fn=staff_by_pk)
def alert_level(request, pk):
    staff = staff_by_pk(request, pk)
    form = AlertLevelForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_alert_level(staff, form.cleaned_data["alert_level"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die Alarmstufe ist geändert."))
    else:
        messages.error(request, _("Bitte eine gültige Alarmstufe wählen."))
    return redirect("stab:staff_detail", pk=staff.pk)


# --- templates ----------------------------------------------------------------------


@permission_required("stab.view_template_list")
def template_list(request):
    return render(request, "stab/template_list.html", {
        "templates": selectors.templates_for(user=request.user),
        "may_copy": has_perm(request.user, "stab.copy_template"),
    })


@permission_required("stab.view_template", fn=template_by_pk)
def template_detail(request, pk):
    template = template_by_pk(request, pk)
    return render(request, "stab/template_detail.html", {
        "template": template, "data": template.data,
        "briefing": selectors.onset_briefing(template, user=request.user),
        # shipped templates are never edited (superusers pass every permission, so ask first)
        "may_edit": template.municipality_id is not None and has_perm(request.user, "stab.edit_template", template),
        "may_copy": has_perm(request.user, "stab.copy_template"),
    })


@permission_required("stab.copy_template")
def template_copy(request, pk):
    template = get_object_or_404(StaffTemplate, pk=pk, active=True)
    if not has_perm(request.user, "stab.view_template", template):
        raise Http404
    form = TemplateCopyForm(request.POST or None, municipalities=selectors.activation_municipalities(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            copy = actions.do_copy_template(template, municipality=form.cleaned_data["municipality"], name=form.cleaned_data["name"],
                                            acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Die Vorlage ist kopiert und kann jetzt bearbeitet werden."))
            return redirect("stab:template_edit", pk=copy.pk)
    return render(request, "stab/template_copy.html", {"template": template, "form": form})


@permission_required("stab.edit_template", fn=own_template_by_pk)
def template_edit(request, pk):
    template = own_template_by_pk(request, pk)
    form = TemplateEditForm(request.POST or None, initial={
        "name": template.name, "kind": template.kind, "content": TemplateEditForm.dump(template.data)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_template(template, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
                                       data=form.cleaned_data["content"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Die Vorlage ist gespeichert."))
            return redirect("stab:template_detail", pk=template.pk)
    return render(request, "stab/template_edit.html", {"template": template, "form": form})



@permission_required("stab.edit_template", fn=own_template_by_pk)
def template_functions(request, pk):
    """The template's functions edited as a form (no structured text)."""
    template = own_template_by_pk(request, pk)
    initial = [FunctionSpecForm.initial_for(spec) for spec in template.data.get("functions", [])]
    formset = FunctionFormSet(request.POST or None, initial=initial, prefix="fn")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        functions = [spec for spec in (form.spec() for form in formset.forms) if spec is not None]
        try:
            actions.do_update_template(template, name=template.name, kind=template.kind,
                                       data={**template.data, "functions": functions}, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            errors = list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]
        else:
            messages.success(request, _("Die Funktionen sind gespeichert."))
            return redirect("stab:template_detail", pk=template.pk)
    return render(request, "stab/template_functions.html", {"template": template, "formset": formset, "errors": errors})
