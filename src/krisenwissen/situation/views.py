"""Lagebild pages: thin views over selectors and actions."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required as rules_permission_required

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.exports import csv_response
from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import PermissionDenied, permission_required, require_perm
from krisenwissen.reports.charts import chart_svg
from krisenwissen.reports.http import document_response

from . import actions, display, parsing, selectors
from . import rules_engine as eng
from .forms import DateForm, FollowForm, ImportForm, IndicatorForm, NoteForm, RuleSetForm, ValueForm
from .models import Area, Indicator
from .report import build_report

DEFAULT_DAY = date(2021, 4, 26)
COMPARE_KEYS = ["inzidenz_7t_veroeffentlicht", "inzidenz_rki", "inzidenz_7t", "its_belegung_anteil"]


def _as_of(request) -> tuple[date, DateForm]:
    """The requested day, else the last day with data; an invalid day keeps its form error for display."""
    form = DateForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("datum"):
        return form.cleaned_data["datum"], form
    latest = selectors.latest_data_day(areas=selectors.followed_areas(user=request.user))
    day = latest or DEFAULT_DAY
    return day, form if form.errors else DateForm(initial={"datum": day})


def _rows_for(sits):
    """Template rows: per area the figures and the rule statuses with display texts."""
    rows = []
    for sit in sits:
        statuses = [{"ruleset": st.ruleset, "rule": st.rule, "ev": st.evaluation,
                     "view": display.status_view(st.evaluation)} for st in sit.statuses]
        figures = []
        for fig in sit.figures:
            symbol, word = display.trend_text(fig)
            dec = fig.indicator.decimals
            figures.append({"fig": fig, "value": display.num(fig.value, dec),
                            "day": display.d(fig.day),
                            "change_day": display.num(fig.change_day, dec) if fig.change_day is not None else "–",
                            "change_week": display.num(fig.change_week_percent, 1),
                            "trend_symbol": symbol, "trend_word": word})
        rows.append({"sit": sit, "area": sit.area, "statuses": statuses, "figures": figures})
    return rows


@permission_required("situation.view_open_data")
def overview(request):
    as_of, form = _as_of(request)
    areas = selectors.followed_areas(user=request.user)
    rulesets = list(selectors.rulesets_for(user=request.user))
    knowledge = _knowledge(request)
    sits = selectors.situation(areas, as_of=as_of, rulesets=rulesets, knowledge=knowledge)
    notes = selectors.readable_notes(user=request.user, day=as_of)[:20]
    return render(request, "situation/overview.html", {
        "as_of": as_of, "form": form, "rows": _rows_for(sits), "rulesets": rulesets,
        "notes": notes, "query": f"datum={as_of.isoformat()}",
        "knowledge": knowledge, "knowledge_text": selectors.KNOWLEDGE_MODES[knowledge],
        "extra_hidden": _knowledge_hidden(knowledge),
    })


def _chart_spec(series: dict[str, dict[date, float]], *, title: str, unit: str, thresholds=()) -> dict:
    values = [{"Datum": d.isoformat(), "Gebiet": name, "Wert": round(v, 1)}
              for name, s in series.items() for d, v in sorted(s.items())]
    layers = [{
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {
            "x": {"field": "Datum", "type": "temporal", "title": "Datum",
                  "axis": {"format": "%d.%m.", "labelAngle": 0}},
            "y": {"field": "Wert", "type": "quantitative", "title": unit},
            "color": {"field": "Gebiet", "type": "nominal", "title": "Gebiet",
                      "scale": {"range": ["#0b5394", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#0f766e",
                                          "#4d4d4d"]}},
            "strokeDash": {"field": "Gebiet", "type": "nominal", "legend": None},
        },
    }]
    if thresholds:
        layers.append({
            "data": {"values": [{"Schwelle": t} for t in thresholds]},
            "mark": {"type": "rule", "color": "#4d4d4d", "strokeDash": [2, 2]},
            "encoding": {"y": {"field": "Schwelle", "type": "quantitative"}},
        })
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": title, "width": 560,
            "height": 260, "data": {"values": values}, "layer": layers,
            "config": {"font": "sans-serif", "legend": {"orient": "bottom"}}}


_SVG_CACHE: dict[str, str] = {}


def _svg(spec: dict, *, title: str, description: str) -> str:
    key = hashlib.sha1(json.dumps(spec, sort_keys=True).encode() + title.encode()).hexdigest()
    if key not in _SVG_CACHE:
        if len(_SVG_CACHE) > 200:
            _SVG_CACHE.clear()
        _SVG_CACHE[key] = chart_svg(spec, title=title, description=description)
    return mark_safe(_SVG_CACHE[key])  # noqa: S308 - trusted output of chart_svg (escaped texts)


def _compare_areas(request) -> list[Area]:
    chosen = request.GET.getlist("gebiet")
    if chosen:
        areas = list(Area.objects.filter(ags__in=chosen[:8]))
        if areas:
            return areas
    return selectors.followed_areas(user=request.user)


def _incidence_table(areas, as_of, key, days):
    start = as_of - timedelta(days=days - 1)
    series = {a.name: selectors.series_for(a, key=key, start=start, end=as_of) for a in areas}
    all_days = [start + timedelta(days=i) for i in range(days)]
    return series, all_days


@permission_required("situation.view_open_data")
def compare(request):
    as_of, form = _as_of(request)
    areas = _compare_areas(request)
    key = request.GET.get("indikator", "inzidenz_7t")
    if key not in COMPARE_KEYS:
        key = "inzidenz_7t"
    indicator = get_object_or_404(Indicator, key=key)
    series, days = _incidence_table(areas, as_of, key, 28)
    title = _("%(name)s, 28 Tage bis %(day)s") % {"name": indicator.name, "day": display.d(as_of)}
    description = "; ".join(
        f"{name}: {display.num(s.get(as_of), 1)} am {display.d(as_of)}" for name, s in series.items())
    thresholds = (100, 150, 165) if key.startswith("inzidenz") else ()
    svg = _svg(_chart_spec(series, title=title, unit=indicator.unit, thresholds=thresholds), title=title,
               description=description)
    table = [{"day": display.d(d), "values": [display.num(series[a.name].get(d), indicator.decimals)
                                               for a in areas]} for d in reversed(days)]
    query = "&".join([f"datum={as_of.isoformat()}", f"indikator={key}", *[f"gebiet={a.ags}" for a in areas]])
    return render(request, "situation/compare.html", {
        "as_of": as_of, "form": form, "areas": areas, "indicator": indicator, "svg": svg, "table": table,
        "all_areas": Area.objects.filter(level="kreis").order_by("name"), "chosen": {a.ags for a in areas},
        "keys": Indicator.objects.filter(key__in=COMPARE_KEYS), "query": query,
    })


@permission_required("situation.view_open_data")
def compare_csv(request):
    as_of, _form = _as_of(request)
    areas = _compare_areas(request)
    key = request.GET.get("indikator", "inzidenz_7t")
    if key not in COMPARE_KEYS:
        raise Http404
    series, days = _incidence_table(areas, as_of, key, 28)
    rows = ([d.isoformat(), a.ags, a.name, "" if series[a.name].get(d) is None else round(series[a.name][d], 3)]
            for d in days for a in areas)
    return csv_response(f"lagebild-{key}-{as_of.isoformat()}", ["datum", "ags", "gebiet", key], rows)


def _knowledge(request) -> str:
    """``?werte=heute``: today's corrected values; default: the values as known on the day."""
    return selectors.CURRENT if request.GET.get("werte") == selectors.CURRENT else selectors.KNOWN_THEN


def _knowledge_hidden(knowledge: str) -> list[tuple[str, str]]:
    """Hidden fields for the date form, so picking another day keeps "today's values"."""
    return [("werte", selectors.CURRENT)] if knowledge == selectors.CURRENT else []


def _rule_state(st) -> tuple:
    ev = st.evaluation
    return ev.status, ev.change_on, tuple((p.start, p.end) for p in ev.periods)


def _periods_text(ev) -> str:
    return "; ".join(display.period_text(p) for p in ev.periods) or "–"


@permission_required("situation.view_open_data")
def area_detail(request, ags):
    area = get_object_or_404(Area, ags=ags)
    as_of, form = _as_of(request)
    knowledge = _knowledge(request)
    rulesets = list(selectors.rulesets_for(user=request.user))
    sit = selectors.situation([area], as_of=as_of, rulesets=rulesets, knowledge=knowledge)[0]
    # The other evaluation (today's values resp. as known then): shown beside when a rule differs.
    other_mode = selectors.KNOWN_THEN if knowledge == selectors.CURRENT else selectors.CURRENT
    other = selectors.situation([area], as_of=as_of, rulesets=rulesets, knowledge=other_mode, chart_days=0)[0]
    then, today = (sit, other) if knowledge == selectors.KNOWN_THEN else (other, sit)
    differences = []
    for a, b in zip(then.statuses, today.statuses, strict=True):
        if _rule_state(a) != _rule_state(b):
            differences.append({"rule": a.rule, "ruleset": a.ruleset,
                                "then": display.status_view(a.evaluation), "then_periods": _periods_text(a.evaluation),
                                "today": display.status_view(b.evaluation),
                                "today_periods": _periods_text(b.evaluation)})
    series = {area.name: sit.incidence}
    fallback = sorted(sit.incidence_fallback)
    title = _("7-Tage-Inzidenz (am Tag veröffentlicht) %(area)s bis %(day)s") % {
        "area": area.name, "day": display.d(as_of)}
    if fallback:
        title += " – " + display.fallback_text(fallback)
    svg = None
    if sit.incidence:
        unit = Indicator.objects.filter(key=selectors.PUBLISHED).values_list("unit", flat=True).first() or ""
        svg = _svg(_chart_spec(series, title=title, unit=unit, thresholds=(100, 150, 165)), title=title,
                   description=_("Letzter Wert %(v)s am %(d)s") % {
                       "v": display.num(sit.incidence[max(sit.incidence)], 1), "d": display.d(max(sit.incidence))})
    notes = []
    if area.municipality_id:
        notes = selectors.readable_notes(user=request.user, municipality=area.municipality)[:20]
    own = []
    for ind in selectors.readable_indicators(user=request.user).filter(municipality__isnull=False):
        obs = ind.observations.filter(area=area, date__lte=as_of).order_by("-date").first()
        if obs is not None:
            own.append({"indicator": ind, "value": display.num(obs.value, ind.decimals), "day": display.d(obs.date)})
    fb = sit.incidence_fallback
    corrections = list(selectors.corrections(area, user=request.user, start=as_of - timedelta(days=27), end=as_of))
    for c in corrections:  # German number format, with the indicator's decimals
        c.value_text = display.num(c.value, c.indicator.decimals)
        c.new_value_text = display.num(c.new_value, c.indicator.decimals)
    return render(request, "situation/area_detail.html", {
        "own": own, "population": display.integer(area.population) if area.population else "",
        "corrections": corrections,
        "area": area, "as_of": as_of, "form": form, "row": _rows_for([sit])[0], "svg": svg, "title": title,
        "incidence": [(display.d(d), display.num(v, 1),
                       _("berechnet, nicht veröffentlicht") if d in fb else _("veröffentlicht"))
                      for d, v in sorted(sit.incidence.items(), reverse=True)],
        "notes": notes, "query": f"datum={as_of.isoformat()}",
        "knowledge": knowledge, "knowledge_text": selectors.KNOWLEDGE_MODES[knowledge],
        "other_knowledge": other_mode, "other_knowledge_text": selectors.KNOWLEDGE_MODES[other_mode],
        "differences": differences, "extra_hidden": _knowledge_hidden(knowledge),
    })


@permission_required("situation.view_open_data")
def area_csv(request, ags):
    area = get_object_or_404(Area, ags=ags)
    as_of, _form = _as_of(request)
    start = as_of - timedelta(days=55)
    inc = selectors.series_for(area, key="inzidenz_7t", start=start, end=as_of)
    published = selectors.series_for(area, key=selectors.PUBLISHED, start=start, end=as_of)
    cases = selectors.series_for(area, key="faelle_neu", start=start, end=as_of)
    days = [start + timedelta(days=i) for i in range(56)]
    rows = ([d.isoformat(), area.ags, cases.get(d, ""), "" if d not in inc else round(inc[d], 3),
             "" if d not in published else round(published[d], 3)] for d in days)
    return csv_response(f"lagebild-{area.ags}-{as_of.isoformat()}",
                        ["datum", "ags", "faelle_neu", "inzidenz_7t", selectors.PUBLISHED], rows)


@permission_required("situation.follow_area")
@require_http_methods(["GET", "POST"])
def follow(request):
    form = FollowForm(request.POST or None, initial={"gebiete": selectors.followed_areas(user=request.user)})
    if request.method == "POST" and form.is_valid():
        actions.do_set_followed_areas(list(form.cleaned_data["gebiete"]), acting_user=request.user)
        messages.success(request, _("Ihre Auswahl ist gespeichert."))
        return redirect("situation:overview")
    return render(request, "situation/follow.html", {"form": form})


@permission_required("situation.import_data")
@require_http_methods(["GET", "POST"])
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["datei"]
        if upload.size > settings.KRISENWISSEN_IMPORT_MAX_BYTES:
            form.add_error("datei", _("Die Datei ist zu groß."))
        else:
            try:
                run = actions.do_import_file(upload.read(), filename=upload.name,
                                             fmt=form.cleaned_data["format"] or None, acting_user=request.user)
            except PermissionDenied as exc:
                add_errors(form, exc)
            else:
                return redirect("situation:import_run", pk=run.pk)
    runs = selectors.import_runs_for(user=request.user)[:20]
    return render(request, "situation/import.html", {"form": form, "runs": runs})


@permission_required("situation.view_open_data")
def import_run(request, pk):
    # Everyone sees only their own runs (superusers: all); others are not found.
    run = get_object_or_404(selectors.import_runs_for(user=request.user), pk=pk)
    return render(request, "situation/import_run.html",
                  {"run": run, "format_label": parsing.FORMATS.get(run.fmt, run.fmt)})


@permission_required("situation.view_open_data")
def report(request):
    as_of, _form = _as_of(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "docx"):
        raise Http404
    return document_response(build_report(request.user, as_of), fmt, f"lagebericht-{as_of.isoformat()}")


@permission_required("situation.add_note")
@require_http_methods(["GET", "POST"])
def note_create(request):
    municipalities = selectors.note_municipalities(user=request.user)
    form = NoteForm(request.POST or None, municipalities=municipalities, initial={"datum": request.GET.get("datum")})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            actions.do_create_staff_note(municipality=c["kommune"], day=c["datum"], text=c["text"], kind=c["art"],
                                         visibility=c["sichtbarkeit"], acting_user=request.user)
        except PermissionDenied as exc:
            form.add_error("sichtbarkeit", str(exc))
        else:
            messages.success(request, _("Die Notiz ist gespeichert."))
            return redirect(f"{reverse('situation:overview')}?datum={c['datum'].isoformat()}")
    return render(request, "situation/note_form.html", {"form": form})


@permission_required("situation.view_open_data")
@require_http_methods(["GET", "POST"])
def rulesets(request):
    municipalities = selectors.editor_municipalities(user=request.user)
    form = RuleSetForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST":
        require_perm(request.user, "situation.add_ruleset")
        if form.is_valid():
            try:
                actions.do_create_ruleset(municipality=form.cleaned_data["kommune"], text=form.cleaned_data["text"],
                                          fmt="json" if form.cleaned_data["text"].lstrip().startswith("{") else "yaml",
                                          acting_user=request.user)
            except ValidationError as exc:
                form.add_error("text", exc.messages[0])
            except PermissionDenied as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Der Regelsatz ist gespeichert."))
                return redirect("situation:rulesets")
    items = []
    names = dict(Indicator.objects.values_list("key", "name"))
    for rs in selectors.rulesets_for(user=request.user):
        parsed = eng.parse_ruleset(rs.definition)
        items.append({"rs": rs, "rules": [{"rule": r, "entry": r.entry.describe(), "exit": r.exit.describe(),
                                           "series": names.get(r.indicator, r.indicator),
                                           "fallback": names.get(r.fallback, r.fallback) if r.fallback else None}
                                          for r in parsed.rules]})
    return render(request, "situation/rulesets.html", {"items": items, "form": form})


@permission_required("situation.view_open_data")
@require_http_methods(["GET", "POST"])
def indicators(request):
    municipalities = selectors.editor_municipalities(user=request.user)
    own = selectors.writable_indicators(user=request.user)
    ind_form = IndicatorForm(None, municipalities=municipalities, prefix="neu")
    value_form = ValueForm(None, indicators=own, prefix="wert")
    if request.method == "POST":
        require_perm(request.user, "situation.add_indicator")
        if "neu-name" in request.POST:
            ind_form = IndicatorForm(request.POST, municipalities=municipalities, prefix="neu")
            if ind_form.is_valid():
                c = ind_form.cleaned_data
                try:
                    actions.do_create_indicator(municipality=c["kommune"], name=c["name"], unit=c["einheit"],
                                                definition=c["definition"], higher_is_worse=c["hoeher_schlechter"],
                                                visibility=c["sichtbarkeit"], acting_user=request.user)
                except (PermissionDenied, ValidationError) as exc:
                    add_errors(ind_form, exc)
                else:
                    messages.success(request, _("Der Indikator ist angelegt."))
                    return redirect("situation:indicators")
        else:
            value_form = ValueForm(request.POST, indicators=own, prefix="wert")
            if value_form.is_valid():
                c = value_form.cleaned_data
                try:
                    actions.do_record_observation(indicator=c["indikator"], area=c["gebiet"], day=c["datum"],
                                                  value=c["wert"], acting_user=request.user)
                except (PermissionDenied, ValidationError) as exc:
                    add_errors(value_form, exc)
                else:
                    messages.success(request, _("Der Wert ist gespeichert."))
                    return redirect("situation:indicators")
    return render(request, "situation/indicators.html", {
        "indicators": selectors.readable_indicators(user=request.user).select_related("municipality"),
        "ind_form": ind_form, "value_form": value_form,
    })


@rules_permission_required("situation.view_public_page", raise_exception=True)
def public_page(request, ags):
    """What a municipality marked public: staff notes and own indicators (no login needed)."""
    municipality = get_object_or_404(Municipality, ags=ags)
    notes = selectors.readable_notes(user=None, municipality=municipality, public_only=True)[:30]
    public_indicators = selectors.readable_indicators(user=None).filter(municipality=municipality)
    area = Area.objects.filter(municipality=municipality).first() or Area.objects.filter(ags=ags).first()
    latest = []
    for ind in public_indicators:
        obs = ind.observations.filter(area=area).order_by("-date").first() if area is not None else None
        latest.append({"indicator": ind, "value": display.num(obs.value, ind.decimals) if obs else "–",
                       "day": display.d(obs.date) if obs else "–"})
    return render(request, "situation/public.html", {"municipality": municipality, "notes": notes,
                                                     "latest": latest})
