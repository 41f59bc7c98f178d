"""Thin views of the load part: presence board, roster, figures, strain check, handover."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required

from . import load_actions as actions
from . import load_selectors as sel
from .load_config import default_limits, limits_for, presence_retention_days, strain_min_group
from .load_forms import LimitsForm, ShiftForm, SignInForm, StrainForm
from .load_rules import sees_all_individual_load, sees_handover
from .models import HandoverBrief, Shift, StaffFunction, StaffPerson
from .rules import is_staff_member
from .views import staff_by_pk


def _staff(request, pk, **kwargs):
    return staff_by_pk(request, pk)


def _brief(request, brief_pk):
    return get_object_or_404(HandoverBrief.objects.select_related("staff", "staff__municipality", "log_entry"), pk=brief_pk)


def _staff_person(request, pk, user_pk):
    return StaffPerson(staff=staff_by_pk(request, pk), user=get_object_or_404(get_user_model(), pk=user_pk))


def _own_functions(staff, user):
    return StaffFunction.objects.filter(staff=staff, assignments__user=user, assignments__ended_at__isnull=True).distinct().order_by("order", "name")


def _error(request, exc):
    messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("Dazu fehlt Ihnen die Berechtigung.")))


def _as_of(staff):
    """The reference time when it is not now (a quiet or deactivated staff), else None."""
    from django.utils import timezone

    ref = sel.reference_time(staff=staff)
    return ref if (timezone.now() - ref).total_seconds() > 60 else None


@permission_required("stab.view_load", fn=_staff)
def overview(request, pk):
    staff = staff_by_pk(request, pk)
    user = request.user
    member = bool(is_staff_member(user, staff))
    own = sel.individual_figures(staff=staff, user=user, viewer=user) if member else None
    can_aggregates = has_perm(user, "stab.view_load_aggregates", staff)
    return render(request, "stab/load_overview.html", {
        "staff": staff, "present": sel.open_presences(staff=staff), "coverage": sel.coverage(staff=staff),
        "own": own, "own_presence": sel.own_open_presence(staff=staff, user=user), "limits": limits_for(staff),
        "sign_in_form": SignInForm(functions=_own_functions(staff, user)),
        "can_sign": member and has_perm(user, "stab.sign_in_out", staff), "can_all": sees_all_individual_load(user, staff),
        "can_strain": member and has_perm(user, "stab.answer_strain_check", staff),
        "can_handover": member and has_perm(user, "stab.create_handover", staff),
        "can_limits": has_perm(user, "stab.configure_load", staff),
        "aggregates": sel.aggregates(staff=staff) if can_aggregates else None, "min_group": strain_min_group(),
        "briefs": sel.handover_briefs(staff=staff, user=user), "as_of": _as_of(staff),
    })


@require_POST
@permission_required("stab.sign_in_out", fn=_staff)
def sign_in(request, pk):
    staff = staff_by_pk(request, pk)
    form = SignInForm(request.POST, functions=_own_functions(staff, request.user))
    if not form.is_valid():
        messages.error(request, _("Bitte eine Ihrer Funktionen wählen."))
        return redirect("stab:load_overview", pk=staff.pk)
    try:
        actions.do_sign_in(staff, function=form.cleaned_data["function"], acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Sie sind im Stab angemeldet."))
    return redirect("stab:load_overview", pk=staff.pk)


@require_POST
@permission_required("stab.sign_in_out", fn=_staff)
def sign_out(request, pk):
    staff = staff_by_pk(request, pk)
    try:
        presence = actions.do_sign_out(staff, acting_user=request.user)
    except PermissionDenied as exc:
        _error(request, exc)
    else:
        if presence is None:
            messages.info(request, _("Sie waren nicht angemeldet."))
        else:
            messages.success(request, _("Sie sind abgemeldet. Gute Erholung!"))
    return redirect("stab:load_overview", pk=staff.pk)


@permission_required("stab.view_load", fn=_staff)
def roster(request, pk):
    staff = staff_by_pk(request, pk)
    can_manage = has_perm(request.user, "stab.manage_roster", staff)
    form = ShiftForm(request.POST or None, staff=staff) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.do_plan_shift(staff, acting_user=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Die Schicht ist eingetragen."))
                return redirect("stab:load_roster", pk=staff.pk)
    return render(request, "stab/load_roster.html", {"staff": staff, "shifts": sel.roster(staff=staff), "form": form, "can_manage": can_manage})


@require_POST
@permission_required("stab.manage_roster", fn=_staff)
def remove_shift(request, pk, shift_pk):
    staff = staff_by_pk(request, pk)
    actions.do_remove_shift(get_object_or_404(Shift, pk=shift_pk, staff=staff), acting_user=request.user)
    messages.success(request, _("Die Schicht ist gelöscht."))
    return redirect("stab:load_roster", pk=staff.pk)


@permission_required("stab.view_all_individual_load", fn=_staff)
def individuals(request, pk):
    staff = staff_by_pk(request, pk)
    figures = sel.all_individual_figures(staff=staff, viewer=request.user)
    if figures is None:  # a superuser who is not S1 of this staff
        raise PermissionDenied
    return render(request, "stab/load_individuals.html", {
        "staff": staff, "figures": figures, "rotation": sel.rotation(staff=staff, figures=figures), "limits": limits_for(staff),
        "as_of": _as_of(staff)})


@permission_required("stab.view_individual_load", fn=_staff_person)
def person(request, pk, user_pk):
    record = _staff_person(request, pk, user_pk)
    figures = sel.individual_figures(staff=record.staff, user=record.user, viewer=request.user)
    if figures is None:  # a superuser who is neither the person nor S1 of this staff
        raise PermissionDenied
    return render(request, "stab/load_person.html", {"staff": record.staff, "person": record.user, "figures": figures, "limits": limits_for(record.staff),
                                                     "as_of": _as_of(record.staff)})


@permission_required("stab.view_load", fn=_staff)
def strain(request, pk):
    staff = staff_by_pk(request, pk)
    can_answer = bool(is_staff_member(request.user, staff)) and has_perm(request.user, "stab.answer_strain_check", staff)
    session_key = f"stab_strain_{staff.pk}"
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    answered = request.session.get(session_key) == today
    form = StrainForm(request.POST or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if answered:
            messages.info(request, _("Sie haben heute bereits geantwortet. Danke!"))
            return redirect("stab:load_strain", pk=staff.pk)
        if form.is_valid():
            try:
                actions.do_answer_strain_check(staff, value=form.cleaned_data["value"], acting_user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                request.session[session_key] = today
                messages.success(request, _("Danke für Ihre anonyme Antwort."))
                return redirect("stab:load_strain", pk=staff.pk)
    aggregates = sel.aggregates(staff=staff) if has_perm(request.user, "stab.view_load_aggregates", staff) else None
    return render(request, "stab/load_strain.html", {"staff": staff, "form": form, "can_answer": can_answer, "answered": answered,
                                                     "aggregates": aggregates, "min_group": strain_min_group()})


@permission_required("stab.view_load", fn=_staff)
def configuration(request, pk):
    staff = staff_by_pk(request, pk)
    return render(request, "stab/load_configuration.html", {
        "staff": staff, "limits": limits_for(staff), "defaults": default_limits(), "min_group": strain_min_group(),
        "retention_days": presence_retention_days()})


@permission_required("stab.configure_load", fn=_staff)
def limits(request, pk):
    staff = staff_by_pk(request, pk)
    own = getattr(staff, "load_settings", None)
    form = LimitsForm(request.POST or None, initial={"max_shift_hours": getattr(own, "max_shift_hours", None),
                                                      "max_days_without_break": getattr(own, "max_days_without_break", None)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_limits(staff, acting_user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Die Grenzwerte sind gespeichert."))
            return redirect("stab:load_configuration", pk=staff.pk)
    return render(request, "stab/load_limits.html", {"staff": staff, "form": form, "defaults": default_limits()})


@require_POST
@permission_required("stab.create_handover", fn=_staff)
def create_handover(request, pk):
    staff = staff_by_pk(request, pk)
    brief = actions.do_create_handover_brief(staff, acting_user=request.user)
    return redirect("stab:load_handover", brief_pk=brief.pk)


@permission_required("stab.view_handover", fn=_brief)
def handover(request, brief_pk):
    brief = _brief(request, brief_pk)
    if not sees_handover(request.user, brief):  # a superuser who is neither the person nor S1
        raise PermissionDenied
    return render(request, "stab/load_handover.html", {
        "staff": brief.staff, "brief": brief, "c": brief.content,
        "can_acknowledge": brief.acknowledged_at is None and has_perm(request.user, "stab.acknowledge_handover", brief)})


@require_POST
@permission_required("stab.acknowledge_handover", fn=_brief)
def acknowledge_handover(request, brief_pk):
    brief = _brief(request, brief_pk)
    actions.do_acknowledge_handover(brief, acting_user=request.user)
    messages.success(request, _("Übergabe bestätigt; der Schichtwechsel steht im Einsatztagebuch."))
    return redirect("stab:load_handover", brief_pk=brief.pk)
