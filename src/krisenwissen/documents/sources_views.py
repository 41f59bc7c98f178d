"""Views of the research sources part: interviews, surveys (results, charts, cross-tabs), literature."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krisenwissen.accounts.models import Municipality
from krisenwissen.accounts.selectors import municipalities_with_role
from krisenwissen.core.policy import permission_required
from krisenwissen.knowledge.models import Visibility
from krisenwissen.reports.charts import PALETTE, chart_svg

from . import survey as survey_core
from .ingest_selectors import current_version
from .sources_actions import (
    do_change_interview_consent,
    do_import_literature,
    do_import_survey,
    do_upload_interview,
    retention_date,
)
from .sources_models import Interview, Survey
from .sources_selectors import (
    GROUPINGS,
    municipality_counts,
    readable_interviews,
    readable_literature,
    readable_surveys,
    response_groups,
)

MAX_UPLOAD = 64 * 1024 * 1024  # the actions check the configured, smaller bounds


def _targets(user):
    if user.is_superuser:
        return list(Municipality.objects.order_by("name"))
    return list(municipalities_with_role(user, minimum="mitwirkende").order_by("name"))


def _chosen(request, targets):
    return next((m for m in targets if str(m.pk) == request.POST.get("municipality")), None)


def _read_upload(request, name="file"):
    upload = request.FILES.get(name)
    if upload is None:
        raise ValidationError(_("Bitte eine Datei auswählen."))
    if upload.size > MAX_UPLOAD:
        raise ValidationError(_("Die Datei ist zu groß."))
    return upload.name, upload.read()


def _date(value: str, label: str):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("%(f)s: bitte ein Datum wie 2026-05-31 angeben.") % {"f": label}) from None


def _base_context(targets):
    return {"targets": targets, "visibilities": Visibility.choices}


def _import_form(request, template, do_import):
    """The import form of a kind of source, shown on GET.

    On POST the uploaded file is imported for the chosen municipality (one where the user may
    import) by ``do_import(municipality, filename, data)``, which returns the response to send.
    Any ValidationError shows the form again with its German messages (status 400); the
    actions are atomic, so nothing is stored then.
    """
    targets = _targets(request.user)
    context = _base_context(targets)
    if request.method != "POST":
        return render(request, template, context)
    try:
        municipality = _chosen(request, targets)
        if municipality is None:
            raise ValidationError(_("Bitte eine Kommune wählen, in der Sie Quellen importieren dürfen."))
        filename, data = _read_upload(request)
        return do_import(municipality, filename, data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        context["values"] = request.POST
        return render(request, template, context, status=400)


@permission_required("documents.view_sources")
def index(request):
    return render(request, "documents/sources_index.html", {
        "interviews": readable_interviews(user=request.user).select_related("document", "document__municipality")[:100],
        "surveys": readable_surveys(user=request.user).select_related("municipality")[:100],
        "literature_count": readable_literature(user=request.user).count(),
    })


# --- interviews --------------------------------------------------------------------------

@permission_required("documents.import_sources")
@require_http_methods(["GET", "POST"])
def interview_upload(request):
    def upload(municipality, filename, data):
        months = request.POST.get("retention_months", "").strip()
        if months and (not months.isdigit() or not 1 <= int(months) <= 600):
            raise ValidationError(_("Aufbewahrungsdauer: bitte eine Zahl von Monaten zwischen 1 und 600 angeben."))
        until = retention_date(until=_date(request.POST.get("retention_until", ""), _("Aufbewahren bis")),
                               months=int(months) if months else None)
        interview = do_upload_interview(
            municipality=municipality, data=data, filename=filename, title=request.POST.get("title", ""),
            consent_date=_date(request.POST.get("consent_date", ""), _("Einwilligung am")),
            consent_note=request.POST.get("consent_note", ""), retention_until=until,
            visibility=request.POST.get("visibility") or Visibility.INTERN, acting_user=request.user)
        messages.success(request, _("Das Transkript wurde pseudonymisiert gespeichert."))
        return redirect("documents:sources_interview", interview.pk)

    return _import_form(request, "documents/sources_interview_upload.html", upload)


def _interview(request, pk):
    return get_object_or_404(Interview.objects.select_related("document"), pk=pk).document


@permission_required("documents.view_interview", fn=_interview)
@require_http_methods(["GET", "POST"])
def interview_detail(request, pk):
    interview = get_object_or_404(Interview.objects.select_related("document", "document__municipality"), pk=pk)
    status = 200
    if request.method == "POST":
        try:
            do_change_interview_consent(
                interview, consent_date=_date(request.POST.get("consent_date", ""), _("Einwilligung am")),
                consent_note=request.POST.get("consent_note", ""),
                retention_until=_date(request.POST.get("retention_until", ""), _("Aufbewahren bis")),
                acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, _("Einwilligung und Aufbewahrung wurden gespeichert."))
            return redirect("documents:sources_interview", interview.pk)
        interview.refresh_from_db()
    version = current_version(document=interview.document)
    text = version.text if version else ""
    turns = [{**t, "text": text[t["start"]:t["end"]]} for t in interview.turns[:2000]]
    return render(request, "documents/sources_interview.html", {
        "interview": interview, "document": interview.document, "version": version, "turns": turns}, status=status)


# --- surveys -----------------------------------------------------------------------------

@permission_required("documents.import_sources")
@require_http_methods(["GET", "POST"])
def survey_import(request):
    def import_survey(municipality, filename, data):
        result = do_import_survey(municipality=municipality, data=data, filename=filename,
                                  title=request.POST.get("title", ""),
                                  visibility=request.POST.get("visibility") or Visibility.INTERN,
                                  acting_user=request.user)
        messages.success(request, _("Die Umfrage wurde importiert: %(n)s Antworten, %(q)s Fragen.") % {
            "n": len(result.answers), "q": len(result.questions)})
        return redirect("documents:sources_survey", result.pk)

    return _import_form(request, "documents/sources_survey_import.html", import_survey)


def _survey(request, pk):
    return get_object_or_404(Survey, pk=pk)


KIND_LABELS = {"einfach": "Einfachauswahl", "mehrfach": "Mehrfachauswahl", "frei": "Freitext"}


def _bar_chart(title: str, rows: list[tuple[str, int]]) -> str:
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 420,
        "height": max(40, 24 * len(rows)),
        "data": {"values": [{"Antwort": label[:60], "Anzahl": count} for label, count in rows]},
        "mark": {"type": "bar", "color": PALETTE[0]},
        "encoding": {"y": {"field": "Antwort", "type": "nominal", "sort": None, "title": None},
                     "x": {"field": "Anzahl", "type": "quantitative", "title": "Anzahl", "axis": {"tickMinStep": 1}}},
        "config": {"font": "sans-serif"},
    }
    description = "; ".join(f"{label}: {count}" for label, count in rows)
    key = hashlib.sha1(json.dumps(spec, sort_keys=True).encode() + title.encode()).hexdigest()
    if key not in _SVG_CACHE:
        if len(_SVG_CACHE) > 500:
            _SVG_CACHE.clear()
        _SVG_CACHE[key] = chart_svg(spec, title=title, description=description)
    return mark_safe(_SVG_CACHE[key])  # noqa: S308 - vl-convert output, texts escaped


# rendered charts by spec (a survey's results page is asked for again and again; the data do not change)
_SVG_CACHE: dict[str, str] = {}


@permission_required("documents.view_survey", fn=_survey)
def survey_detail(request, pk):
    survey_obj = get_object_or_404(Survey.objects.select_related("municipality"), pk=pk)
    by = request.GET.get("kreuz", "")
    groups = response_groups(survey_obj=survey_obj, by=by) if by in GROUPINGS else None
    free_texts = {f.code: f.document for f in survey_obj.free_texts.select_related("document")}
    questions = []
    for q in survey_obj.questions[:200]:
        rows = survey_core.frequencies(q, survey_obj.answers)
        item = {"q": q, "kind": _(KIND_LABELS.get(q["kind"], q["kind"])), "rows": rows, "total": len(survey_obj.answers)}
        if q["kind"] != "frei" and rows:
            item["svg"] = _bar_chart(f"{q['code']}: {q['text']}"[:200], rows)
        if q["kind"] == "frei" and q["code"] in free_texts:
            document = free_texts[q["code"]]
            item["document"] = document
            item["version"] = current_version(document=document)
        if groups is not None and q["kind"] != "frei":
            columns, table = survey_core.crosstab(q, survey_obj.answers, groups)
            item["cross"] = {"columns": columns, "rows": table}
        questions.append(item)
    return render(request, "documents/sources_survey.html", {
        "survey": survey_obj, "questions": questions, "groupings": GROUPINGS.items(), "by": by,
        "places": municipality_counts(survey_obj=survey_obj)[:50],
        "unknown_groups": groups.count("") if groups is not None else 0,
    })


# --- literature --------------------------------------------------------------------------

@permission_required("documents.view_sources")
def literature_list(request):
    records = readable_literature(user=request.user).select_related("municipality", "source")
    query = request.GET.get("q", "").strip()[:200]
    if query:
        records = records.filter(title__icontains=query)
    return render(request, "documents/sources_literature.html", {"records": records[:500], "q": query})


@permission_required("documents.import_sources")
@require_http_methods(["GET", "POST"])
def literature_import(request):
    def import_literature(municipality, filename, data):
        result = do_import_literature(municipality=municipality, data=data, filename=filename,
                                      visibility=request.POST.get("visibility") or Visibility.INTERN,
                                      acting_user=request.user)
        messages.success(request, result.message)
        return redirect("documents:sources_literature")

    return _import_form(request, "documents/sources_literature_import.html", import_literature)
