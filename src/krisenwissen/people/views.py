"""Thin views of Köpfe kennen: parse the request, call selectors and actions, render.

Every page needs a login (``people.view_directory``); entries are looked up through
``selectors.person_for`` (404 for entries the user may not read) and each step asks its
named permission (``people/rules.py``). Private channels are shown only through the audited
action ``do_view_private_channels``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.forms import add_errors
from krisenwissen.core.params import id_param
from krisenwissen.core.policy import PermissionDenied, has_perm, permission_required, require_perm

from . import actions, selectors
from .forms import (
    ChannelFormSet,
    ConsentForm,
    CreatePersonForm,
    FunctionForm,
    HolderForm,
    LeavingForm,
    OrganisationForm,
    PersonForm,
)
from .handover import interview_guide
from .lifecycles import HANDOVER
from .models import Function, FunctionHolder, Handover, HolderRole, Organisation, Person

FACET_LABELS = {
    "kommune": _("Kommune"), "bereich": _("Bereich (Dienststelle)"), "organisation": _("Art der Organisation"), "funktion": _("Funktion"),
    "kompetenz": _("Kompetenz"), "sprache": _("Sprache"), "aktualitaet": _("Aktualität"),
}


def _manageable_municipalities(user, permission="people.add_person"):
    if user.is_superuser:
        return list(Municipality.objects.filter(is_participating=True).order_by("name")) or list(Municipality.objects.order_by("name")[:200])
    return [m.municipality for m in user.memberships.select_related("municipality") if has_perm(user, permission, m.municipality)]


@permission_required("people.view_directory")
def directory(request):
    filters = {key: request.GET.getlist(key) for key in selectors.FACET_KEYS}
    page = selectors.search_people(user=request.user, text=request.GET.get("q", ""), filters=filters)
    facets = [(key, str(FACET_LABELS[key]), page.facets.get(key, [])) for key in selectors.FACET_KEYS if key in page.facets]
    return render(request, "people/directory.html", {
        "page": page, "q": page.text, "facets": facets, "only_now": "jetzt" in page.filters.get("erreichbar", ()),
        "own_entry": selectors.own_entry(user=request.user),
        "can_add": has_perm(request.user, "people.add_person"),
        "can_coverage": has_perm(request.user, "people.view_coverage"),
    })


@permission_required("people.view_directory")
def detail(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    require_perm(request.user, "people.view_person", person)
    private = []
    if has_perm(request.user, "people.view_private_channels", person):
        private = actions.do_view_private_channels(person, acting_user=request.user)
    return render(request, "people/detail.html", {
        "person": person,
        "channels": selectors.shared_channels(person),
        "private_channels": private,
        "stale": selectors.is_stale(person),
        "confirm_months": selectors.confirm_months(),
        "functions": person.functions.select_related("function"),
        "competences": person.competences.select_related("competence"),
        "languages": person.languages.all(),
        "trainings": person.trainings.all(),
        "crises": person.crises.filter(consent=True).select_related("crisis"),
        "handovers": selectors.handovers_for(person, user=request.user),
        "can_change": has_perm(request.user, "people.change_person", person),
        "can_confirm": has_perm(request.user, "people.confirm_own_entry", person),
        "can_take_over": has_perm(request.user, "people.take_over_history", person),
        "can_leaving": has_perm(request.user, "people.set_leaving", person),
        "can_handover": has_perm(request.user, "people.manage_handover", person),
        "can_erase": has_perm(request.user, "people.erase_person", person),
    })


@permission_required("people.view_directory")
def own(request):
    person = selectors.own_entry(user=request.user)
    if person is None:
        messages.info(request, _("Zu Ihrem Konto gibt es noch keinen Eintrag im Verzeichnis. Bitte wenden Sie sich an S1 oder die Administration Ihrer Kommune."))
        return redirect("people:list")
    return redirect("people:detail", pk=person.pk)


def _channel_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        if data.get("kind") and (data.get("value") or "").strip():
            rows.append({k: data.get(k, "") for k in ("kind", "value", "availability", "audience")})
    return rows


def _initial_person(person: Person) -> dict:
    return {
        "display_name": person.display_name, "given_name": person.given_name, "family_name": person.family_name,
        "position": person.position, "department": person.department_id, "unit": person.unit, "organisation": person.organisation_id,
        "visibility": person.visibility, "languages": ", ".join(person.languages.values_list("code", flat=True)),
        "competences": list(person.competences.values_list("competence_id", flat=True)),
    }


def _save_details(person, form, formset, *, user) -> None:
    data = form.cleaned_data
    actions.do_set_channels(person, _channel_rows(formset), acting_user=user)
    actions.do_set_competences(person, [(c, "", "") for c in data["competences"]], acting_user=user)
    actions.do_set_languages(person, [c for c in data["languages"].replace(";", ",").split(",")], acting_user=user)


PERSON_FIELDS = ("display_name", "given_name", "family_name", "position", "department", "unit", "organisation", "visibility")


@permission_required("people.add_person")
def create(request):
    municipalities = _manageable_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied(_("Sie dürfen in keiner Kommune Einträge anlegen."))
    choices = [(str(m.pk), m.name) for m in municipalities]
    chosen = next((m for m in municipalities if str(m.pk) == request.POST.get("municipality")), municipalities[0])
    form = CreatePersonForm(request.POST or None, municipality=chosen, initial={"visibility": "intern"})
    form.fields["municipality"].choices = choices
    formset = ChannelFormSet(request.POST or None, prefix="kanal")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = actions.do_create_person(chosen, acting_user=request.user, consent_note=data["consent_note"],
                                                  account=data["account"], **{k: data[k] for k in PERSON_FIELDS})
                _save_details(person, form, formset, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Eintrag angelegt."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "formset": formset, "person": None})


@permission_required("people.view_directory")
def edit(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    require_perm(request.user, "people.change_person", person)
    form = PersonForm(request.POST or None, municipality=person.municipality, initial=_initial_person(person))
    consent_form = ConsentForm(request.POST or None)
    keeps_private = not has_perm(request.user, "people.view_private_channels", person)
    shown = selectors.shared_channels(person)
    if not keeps_private and request.method == "GET":
        # Showing private numbers in the form is a view of them: through the audited action.
        shown += actions.do_view_private_channels(person, acting_user=request.user)
    initial_channels = [{"kind": c.kind, "value": c.value, "availability": c.availability, "audience": c.audience}
                        for c in sorted(shown, key=lambda c: (c.order, c.pk))]
    formset = ChannelFormSet(request.POST or None, prefix="kanal", initial=initial_channels)
    if request.method == "POST" and form.is_valid() and formset.is_valid() and consent_form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if consent_form.cleaned_data["consent_note"]:
                    actions.do_record_consent(person, note=consent_form.cleaned_data["consent_note"], acting_user=request.user)
                    person.refresh_from_db()
                actions.do_update_person(person, acting_user=request.user, **{k: data[k] for k in PERSON_FIELDS})
                rows = _channel_rows(formset)
                if keeps_private:
                    # Whoever may not see private channels keeps them unchanged (never shown, never lost).
                    rows += [{"kind": c.kind, "value": c.value, "availability": c.availability, "audience": c.audience}
                             for c in selectors.private_channels_of(person)]
                actions.do_set_channels(person, rows, acting_user=request.user)
                actions.do_set_competences(person, [(c, "", "") for c in data["competences"]], acting_user=request.user)
                actions.do_set_languages(person, data["languages"].replace(";", ",").split(","), acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Eintrag gespeichert."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "formset": formset, "consent_form": consent_form,
                                                "person": person, "keeps_private": keeps_private})


@require_POST
@permission_required("people.view_directory")
def confirm(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    actions.do_confirm_entry(person, acting_user=request.user)
    messages.success(request, _("Danke! Der Eintrag ist als aktuell bestätigt."))
    return redirect("people:detail", pk=person.pk)


@require_POST
@permission_required("people.view_directory")
def take_over_history(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    counts = actions.do_take_over_platform_history(person, acting_user=request.user)
    messages.success(request, _("Übernommen: %(t)d Fortbildungen/Übungen, %(k)d Krisenerfahrungen.")
                     % {"t": counts["fortbildungen"], "k": counts["krisen"]})
    return redirect("people:detail", pk=person.pk)


@permission_required("people.view_directory")
def leaving(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    require_perm(request.user, "people.set_leaving", person)
    form = LeavingForm(request.POST or None, initial={"leaving_on": person.leaving_on, "leaving_reason": person.leaving_reason})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_leaving(person, leaving_on=form.cleaned_data["leaving_on"], reason=form.cleaned_data["leaving_reason"],
                                   acting_user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ausscheiden gespeichert."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/leaving.html", {"form": form, "person": person})


@permission_required("people.view_directory")
def erase(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    require_perm(request.user, "people.erase_person", person)
    if request.method == "POST":
        actions.do_erase_person(person, acting_user=request.user)
        messages.success(request, _("Der Eintrag wurde gelöscht."))
        return redirect("people:list")
    return render(request, "people/erase.html", {"person": person})


@permission_required("people.view_coverage")
def coverage(request):
    municipalities = list(selectors.coverage_municipalities(user=request.user))
    wanted = id_param(request.GET, "kommune")
    chosen = next((m for m in municipalities if m.pk == wanted), municipalities[0] if municipalities else None)
    report = selectors.coverage(chosen, user=request.user) if chosen else None
    return render(request, "people/coverage.html", {"report": report, "municipalities": municipalities, "chosen": chosen,
                                                    "confirm_months": selectors.confirm_months()})


@permission_required("people.manage_functions")
def functions(request):
    municipalities = _manageable_municipalities(request.user, "people.manage_functions")
    wanted = id_param(request.GET, "kommune") or id_param(request.POST, "kommune")
    chosen = next((m for m in municipalities if m.pk == wanted), municipalities[0] if municipalities else None)
    if chosen is None:
        raise PermissionDenied(_("Sie verwalten in keiner Kommune Funktionen."))
    function_form = FunctionForm(request.POST if request.POST.get("step") == "function" else None)
    holder_form = HolderForm(request.POST if request.POST.get("step") == "holder" else None)
    organisation_form = OrganisationForm(request.POST if request.POST.get("step") == "organisation" else None)
    people = Person.objects.filter(municipality=chosen).order_by("family_name", "display_name")
    holder_form.fields["person"].choices = [(str(p.pk), p.display_name) for p in people]
    if request.method == "POST":
        try:
            if request.POST.get("step") == "function" and function_form.is_valid():
                actions.do_create_function(chosen, acting_user=request.user, **function_form.cleaned_data)
                messages.success(request, _("Funktion angelegt."))
                return redirect(f"{request.path}?kommune={chosen.pk}")
            if request.POST.get("step") == "holder" and holder_form.is_valid():
                function = get_object_or_404(Function, pk=holder_form.cleaned_data["function"], municipality=chosen)
                person = get_object_or_404(Person, pk=holder_form.cleaned_data["person"], municipality=chosen)
                actions.do_assign_function(function, person, role=holder_form.cleaned_data["role"], acting_user=request.user)
                messages.success(request, _("Funktion besetzt."))
                return redirect(f"{request.path}?kommune={chosen.pk}")
            if request.POST.get("step") == "organisation" and organisation_form.is_valid():
                actions.do_create_organisation(chosen, acting_user=request.user, **organisation_form.cleaned_data)
                messages.success(request, _("Organisation angelegt."))
                return redirect(f"{request.path}?kommune={chosen.pk}")
            if request.POST.get("step") == "remove":
                holder = get_object_or_404(FunctionHolder, pk=id_param(request.POST, "holder"), function__municipality=chosen)
                actions.do_remove_function_holder(holder, acting_user=request.user)
                messages.success(request, _("Besetzung entfernt."))
                return redirect(f"{request.path}?kommune={chosen.pk}")
        except ValidationError as exc:
            step = request.POST.get("step")
            add_errors({"function": function_form, "organisation": organisation_form}.get(step, holder_form), exc)
    return render(request, "people/functions.html", {
        "functions": selectors.functions_of(chosen.pk, user=request.user), "chosen": chosen, "municipalities": municipalities,
        "function_form": function_form, "holder_form": holder_form, "organisation_form": organisation_form,
        "organisations": Organisation.objects.filter(municipality=chosen).order_by("name"), "roles": HolderRole.choices,
        "people": people,
    })


# --- Wissensübergabe ----------------------------------------------------------------------


@require_POST
@permission_required("people.view_directory")
def handover_start(request, pk: int):
    person = selectors.person_for(pk, user=request.user)
    try:
        handover = actions.do_start_handover(person, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:detail", pk=person.pk)
    return redirect("people:handover", pk=handover.pk)


def _handover_for(request, pk: int) -> Handover:
    handover = Handover.objects.select_related("person__municipality").filter(pk=pk).first()
    if handover is None or not has_perm(request.user, "people.view_person", handover.person):
        raise Http404
    require_perm(request.user, "people.view_handover", handover)
    return handover


@permission_required("people.view_directory")
def handover(request, pk: int):
    handover = _handover_for(request, pk)
    can_manage = has_perm(request.user, "people.manage_handover", handover) and handover.status == "offen"
    candidates = list(selectors.successor_candidates(handover.person, user=request.user)) if can_manage else []
    error = None
    if request.method == "POST":
        require_perm(request.user, "people.manage_handover", handover)
        by_pk = {p.pk: p for p in candidates}
        try:
            with transaction.atomic():
                for item in handover.items.all():
                    successor_id = id_param(request.POST, f"nachfolge-{item.pk}")
                    successor = by_pk.get(successor_id) if successor_id else None
                    actions.do_assign_successor(item, successor=successor, acting_user=request.user,
                                                done=bool(request.POST.get(f"erledigt-{item.pk}")),
                                                note=request.POST.get(f"notiz-{item.pk}", "")[:2000])
                answers = [request.POST.get(f"antwort-{i}", "") for i in range(len(handover.interview or []))]
                actions.do_save_handover_interview(handover, answers, summary=request.POST.get("summary", ""), acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Wissensübergabe gespeichert."))
            return redirect("people:handover", pk=handover.pk)
    return render(request, "people/handover.html", {
        "handover": handover, "items": handover.items.select_related("successor"), "candidates": candidates,
        "can_manage": can_manage, "error": error, "guide_count": len(interview_guide()),
        "interview": list(enumerate(handover.interview or [])),
        "steps": HANDOVER.available(request.user, handover),
    })


@require_POST
@permission_required("people.view_directory")
def handover_complete(request, pk: int):
    handover = _handover_for(request, pk)
    try:
        actions.do_complete_handover(handover, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Die Wissensübergabe ist abgeschlossen."))
    return redirect("people:handover", pk=handover.pk)

