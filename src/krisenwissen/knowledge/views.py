"""Thin views: parse the request, call selectors/actions, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from krisenwissen.core.exports import csv_response
from krisenwissen.core.forms import add_errors
from krisenwissen.core.params import id_list, id_param, int_param
from krisenwissen.core.policy import has_perm, require_perm

from . import actions, revisions, selectors
from .forms import (
    FORM_BY_KIND,
    LINK_FIELDS,
    CodeForm,
    PublicationRequestForm,
    ReviewDecisionForm,
    review_text_form,
)
from .lifecycles import PUBLICATION_REVIEW
from .models import (
    MODEL_BY_KIND,
    AddresseeLevel,
    GoodPractice,
    Lesson,
    LessonStatus,
    Observation,
    Recommendation,
    ReviewStatus,
    Visibility,
)


def _querystring_without(request, *keys) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def _detail_context(request, item):
    can_edit = has_perm(request.user, f"knowledge.change_{item.kind_key}", item)
    return {
        "item": item,
        "can_edit": can_edit,
        "open_review": selectors.open_review_for(item) if can_edit else None,
        # Members of the owning municipality see that the shown (approved) version has a pending
        # revision; everyone else sees only the approved version.
        "publication_form": PublicationRequestForm(initial={"visibility": item.visibility}),
    }


def observation_detail(request, pk):
    item = selectors.get_visible(Observation, pk=pk, user=request.user)
    ctx = _detail_context(request, item)
    ctx["lessons"] = selectors.lessons_citing(item, user=request.user)
    return render(request, "knowledge/observation_detail.html", ctx)


def lesson_detail(request, pk):
    item = selectors.get_visible(Lesson, pk=pk, user=request.user)
    ctx = _detail_context(request, item)
    ctx["evidence"] = selectors.lesson_evidence(item, user=request.user)
    ctx["coverage"] = selectors.shown_coverage(item, ctx["evidence"].coverage)
    ctx["recommendations"] = selectors.recommendations_citing(item, user=request.user)
    return render(request, "knowledge/lesson_detail.html", ctx)


def recommendation_detail(request, pk):
    item = selectors.get_visible(Recommendation, pk=pk, user=request.user)
    ctx = _detail_context(request, item)
    ctx["evidence"] = selectors.recommendation_evidence(item, user=request.user)
    ctx["coverage"] = selectors.shown_coverage(item, ctx["evidence"].coverage)
    return render(request, "knowledge/recommendation_detail.html", ctx)


def goodpractice_detail(request, pk):
    item = selectors.get_visible(GoodPractice, pk=pk, user=request.user)
    return render(request, "knowledge/goodpractice_detail.html", _detail_context(request, item))


def _list_filter_context(request, model):
    crisis = selectors.current_crisis()
    ctx = {
        "themes": selectors.themes(),
        "phases": selectors.phases_of(crisis),
        "municipalities": selectors.comparable_cities(user=request.user),
        "selected": {key: request.GET.getlist(key) for key in selectors.LIST_FILTERS},
        "querystring": _querystring_without(request, "seite", "format"),
    }
    if model is Recommendation:
        ctx["addressee_levels"] = AddresseeLevel.choices
    if model is Lesson:
        ctx["statuses"] = LessonStatus.choices
    return ctx


def _list_page(request, model, items, template: str, csv_name: str, csv_header: list[str], csv_row):
    """A filtered list page, or its CSV export (same filters, same permission-aware items)."""
    if request.GET.get("format") == "csv":
        return csv_response(csv_name, [*csv_header, "Adresse"],
                            ([*csv_row(item), request.build_absolute_uri(item.get_absolute_url())] for item in items))
    ctx = _list_filter_context(request, model)
    ctx["page"] = Paginator(items, 20).get_page(int_param(request.GET, "seite", default=1, minimum=1))
    return render(request, template, ctx)


def recommendation_list(request):
    return _list_page(
        request, Recommendation, selectors.recommendation_list(user=request.user, params=request.GET), "knowledge/recommendation_list.html",
        "handlungsempfehlungen", ["Titel", "Adressat", "Kommune", "Sichtbarkeit", "Erkenntnisse", "Text"],
        lambda r: [r.title, r.get_addressee_level_display(), r.municipality.name, r.get_visibility_display(), r.lesson_count, r.text],
    )


def goodpractice_list(request):
    return _list_page(
        request, GoodPractice, selectors.goodpractice_list(user=request.user, params=request.GET), "knowledge/goodpractice_list.html",
        "gute-praxis", ["Titel", "Stadt", "Land", "Ausgangslage", "Lösung", "Ergebnisse", "Übertragbarkeit", "Sichtbarkeit"],
        lambda g: [g.title, g.city, g.country, g.problem, g.solution, g.results, g.transferability, g.get_visibility_display()],
    )


def lesson_list(request):
    return _list_page(
        request, Lesson, selectors.lesson_list(user=request.user, params=request.GET), "knowledge/lesson_list.html",
        "erkenntnisse", ["Titel", "Status", "Kommune", "Sichtbarkeit", "Belege", "Befund"],
        lambda lesson: [lesson.title, lesson.get_status_display(), lesson.municipality.name, lesson.get_visibility_display(),
                        lesson.observation_count, lesson.finding],
    )


def compare(request):
    """Two or more cities side by side for one theme and phase."""
    city_ids = id_list(request.GET, "stadt")
    theme_id = id_param(request.GET, "thema")
    phase_id = id_param(request.GET, "phase")
    page = int_param(request.GET, "seite", default=1, minimum=1)
    if (request.GET.get("format") == "csv" and len(city_ids) >= 2
            and selectors.comparable_cities(user=request.user).filter(id__in=city_ids).exists()):
        return csv_response(
            "staedtevergleich",
            ["Kommune", "Art", "Beobachtung", "Phase", "Adresse"],
            ([city.name, kind, obs.text, str(obs.phase or ""), request.build_absolute_uri(obs.get_absolute_url())]
             for city, kind, obs in selectors.compare_export_rows(user=request.user, municipality_ids=city_ids,
                                                                  theme_id=theme_id, phase_id=phase_id)),
        )
    comparison = selectors.compare_cities(user=request.user, municipality_ids=city_ids, theme_id=theme_id,
                                          phase_id=phase_id, page=page) if len(city_ids) >= 2 else None
    crisis = selectors.current_crisis()
    return render(request, "knowledge/compare.html", {
        # (id, name) pairs: ~400 checkboxes, no model objects needed
        "cities": selectors.comparable_cities(user=request.user).values_list("pk", "name"),
        "themes": selectors.themes(),
        "phases": selectors.phases_of(crisis),
        "selected_cities": city_ids,
        "selected_theme": theme_id,
        "selected_phase": phase_id,
        "columns": comparison.columns if comparison else [],
        "comparison": comparison,
        "page_querystring": _querystring_without(request, "format", "seite"),
        "too_few": bool(request.GET) and len(city_ids) < 2,
        "querystring": _querystring_without(request, "format"),
    })


def _model_for(kind: str):
    model = MODEL_BY_KIND.get(kind)
    if model is None:
        raise Http404
    return model


def _form_payload(kind, form):
    data = dict(form.cleaned_data)
    municipality = data.pop("municipality", None)
    codes = data.pop("codes", [])
    links = {name: data.pop(name, []) for name in LINK_FIELDS.get(kind, [])}
    return municipality, data, codes, links


@login_required
@permission_required("knowledge.add_item", raise_exception=True)
def item_create(request, kind):
    model = _model_for(kind)
    form = FORM_BY_KIND[kind](request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        municipality, fields, codes, links = _form_payload(kind, form)
        try:
            item = actions.do_create_item(model, municipality=municipality, fields=fields, codes=codes, links=links, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert. Der Eintrag ist zunächst intern sichtbar."))
            return redirect(item)
    return render(request, "knowledge/item_form.html", {"form": form, "model_name": model._meta.verbose_name, "kind": kind})


@login_required
def item_edit(request, kind, pk):
    model = _model_for(kind)
    item = selectors.get_visible(model, pk=pk, user=request.user)
    require_perm(request.user, f"knowledge.change_{kind}", item)
    # A published item with a pending revision is edited from the revision, not the approved text.
    pending = selectors.open_review_for(item)
    initial = revisions.form_initial(item, pending.changes) if pending is not None else None
    form = FORM_BY_KIND[kind](request.POST or None, instance=item, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        _municipality, fields, codes, links = _form_payload(kind, form)
        item.refresh_from_db()
        try:
            item = actions.do_update_item(item, fields=fields, codes=codes, links=links, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            if item.visibility == Visibility.INTERN:
                messages.success(request, _("Änderungen gespeichert."))
            else:
                messages.success(request, _("Änderungen gespeichert. Sie wurden der Redaktion zur Freigabe vorgelegt; "
                                            "bis dahin sehen andere die bisherige Fassung."))
            return redirect(item)
    return render(request, "knowledge/item_form.html", {"form": form, "item": item, "model_name": model._meta.verbose_name, "kind": kind,
                                                        "pending": pending})


@login_required
@require_POST
def request_publication(request, kind, pk):
    model = _model_for(kind)
    item = selectors.get_visible(model, pk=pk, user=request.user)
    require_perm(request.user, f"knowledge.change_{kind}", item)
    form = PublicationRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Sichtbarkeit."))
        return redirect(item)
    review = actions.do_request_publication(item, form.cleaned_data["visibility"], acting_user=request.user)
    if review:
        messages.success(request, _("Die Freigabe wurde beantragt. Die Redaktion prüft den Eintrag, bevor er weiter sichtbar wird."))
    else:
        messages.success(request, _("Die Sichtbarkeit wurde geändert."))
    return redirect(item)


@login_required
@permission_required("knowledge.review", raise_exception=True)
def review_list(request):
    reviews = selectors.review_queue(user=request.user)
    return render(request, "knowledge/review_list.html", {"reviews": reviews})


@login_required
def review_detail(request, pk):
    review = selectors.get_reviewable(pk, user=request.user)
    require_perm(request.user, "knowledge.decide_publication", review)
    can_approve = has_perm(request.user, "knowledge.approve_publication", review)
    item = review.item
    is_open = PUBLICATION_REVIEW.available(request.user, review)
    editing = is_open and request.method == "POST" and "text_speichern" in request.POST
    text_form = review_text_form(item, proposed=revisions.proposed(item, review.changes),
                                 data=request.POST if editing else None) if is_open else None
    form = ReviewDecisionForm(None if editing else (request.POST or None), can_approve=can_approve, flagged=bool(review.flags))
    if editing and text_form.is_valid():
        try:
            review = actions.do_edit_text_under_review(review, fields=text_form.cleaned_data, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(text_form, exc)
        else:
            if review.flags:
                messages.warning(request, _("Text gespeichert. Es gibt weiterhin Hinweise auf personenbezogene Daten."))
            else:
                messages.success(request, _("Text gespeichert. Es gibt keine Hinweise auf personenbezogene Daten mehr."))
            return redirect("knowledge:review_detail", review.pk)
    elif request.method == "POST" and not editing and is_open and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "freigeben":
                actions.do_confirm_publication(review, acting_user=request.user, note=form.cleaned_data["note"],
                                               flags_reason=form.cleaned_data.get("flags_reason", ""))
                messages.success(request, _("Freigegeben. Der Eintrag ist jetzt mit der neuen Sichtbarkeit veröffentlicht."))
            else:
                actions.do_reject_publication(review, acting_user=request.user, note=form.cleaned_data["note"])
                messages.info(request, _("Abgelehnt. Der Eintrag behält seine bisherige Sichtbarkeit."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("knowledge:review_list")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("knowledge:review_list")
        else:
            return redirect("knowledge:review_list")
    proposed = revisions.proposed(item, review.changes) if review.is_revision else item
    return render(request, "knowledge/review_detail.html", {
        "review": review, "item": item, "form": form, "text_form": text_form,
        "proposed": proposed,
        "comparison": revisions.comparison(item, review.changes) if review.is_revision else [],
        "four_eyes": review.municipality.publication_four_eyes,
        "four_eyes_blocked": review.status == ReviewStatus.OFFEN and not can_approve,
        "other_editors": selectors.other_reviewers(review, user=request.user),
        "evidence_preview": (selectors.recommendation_evidence(proposed, user=request.user).coverage
                             if item.kind_key == "recommendation" else
                             selectors.lesson_evidence(proposed, user=request.user).coverage
                             if item.kind_key == "lesson" else None),
    })


@login_required
@permission_required("knowledge.view_codebook", raise_exception=True)
def taxonomy(request):
    """The code book as a tree; platform administrators add codes."""
    may_add = has_perm(request.user, "knowledge.add_code")
    form = CodeForm(request.POST or None) if may_add else None
    if request.method == "POST":
        require_perm(request.user, "knowledge.add_code")
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_create_code(scheme=d["scheme"], key=d["key"], name=d["name"], parent=d["parent"], acting_user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Code angelegt."))
                return redirect("knowledge:taxonomy")
    return render(request, "knowledge/taxonomy.html", {"schemes": selectors.code_book(), "form": form})
