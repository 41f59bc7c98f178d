"""Thin views of the learning loop: parse the request, call selectors and actions, render.

Who may open a page is a declared permission (``learning/rules.py``, or the permission of a
lifecycle step in ``knowledge.lifecycles``), asked with ``require_perm`` on the looked-up
object; the ``can_*`` flags of the templates ask the same permissions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import municipalities_with_role, participating_municipalities
from krisenwissen.core.exports import csv_response
from krisenwissen.core.forms import add_errors as _errors
from krisenwissen.core.params import id_param, int_param
from krisenwissen.core.policy import has_perm, require_perm
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge import selectors as ks
from krisenwissen.knowledge.lifecycles import LESSON, OBSERVATION_REVIEW
from krisenwissen.knowledge.models import (
    Crisis,
    GoodPractice,
    Lesson,
    Observation,
    Recommendation,
    Visibility,
)
from krisenwissen.knowledge.quality import quality_hints
from krisenwissen.reports.charts import chart_svg
from krisenwissen.reports.http import document_response

from . import actions, selectors
from .authoring import format_questions
from .charts import radar_spec
from .documents import (
    assessment_document,
    booklet_document,
    briefing_document,
    handout_document,
    overview_document,
)
from .forms import (
    ActionForm,
    ActionStatusForm,
    CrisisForm,
    EmbedLessonForm,
    ExerciseForm,
    FindingForm,
    LessonFromObservationForm,
    ModuleForm,
    NoteForm,
    NoteOnlyForm,
    ObservationReviewForm,
    ReasonForm,
    ReplaceLessonForm,
    ValidateLessonForm,
)
from .lifecycles import ACTION_STATUS
from .models import ActionStatus, AssessmentScore, Framework, ModuleCompletion


def _fmt(request) -> str:
    return request.GET.get("format", "")


@login_required
def home(request):
    user = request.user
    return render(request, "learning/home.html", {
        "can_view_overview": has_perm(user, "learning.view_overview"),
        "can_plan": has_perm(user, "learning.add_action"),
        "can_create_crisis": has_perm(user, "learning.add_crisis"),
        "crises": Crisis.objects.order_by("-start", "title")[:20],
        "can_moderate": has_perm(user, "learning.review_observations"),
    })


# --- observation lifecycle -----------------------------------------------------------------


@login_required
def observation_submit(request, pk):
    observation = ks.get_visible(Observation, pk=pk, user=request.user)
    require_perm(request.user, OBSERVATION_REVIEW["submit"].permission, observation)
    hints = quality_hints(observation.text)
    if request.method == "POST":
        try:
            knowledge_actions.do_submit_observation(observation, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die Beobachtung wurde eingereicht. Die Moderation prüft sie."))
        return redirect(observation)
    return render(request, "learning/observation_submit.html", {"item": observation, "hints": hints})


@login_required
def observation_review(request, pk):
    observation = ks.get_visible(Observation, pk=pk, user=request.user)
    require_perm(request.user, OBSERVATION_REVIEW["accept"].permission, observation)
    form = ObservationReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            knowledge_actions.do_review_observation(
                observation, accept=form.cleaned_data["decision"] == "annehmen",
                reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Entscheidung gespeichert."))
            return redirect(observation)
    return render(request, "learning/observation_review.html", {"item": observation, "form": form,
                                                                  "hints": quality_hints(observation.text)})


@login_required
def observation_queue(request):
    require_perm(request.user, "learning.review_observations")
    return render(request, "learning/observation_queue.html", {"observations": selectors.submitted_observations(user=request.user)})


@login_required
def lesson_from_observation(request, pk):
    observation = ks.get_visible(Observation, pk=pk, user=request.user)
    require_perm(request.user, "learning.derive_lesson", observation)
    form = LessonFromObservationForm(request.POST or None, initial={"finding": observation.text})
    if request.method == "POST" and form.is_valid():
        try:
            lesson = knowledge_actions.do_create_item(
                Lesson, municipality=observation.municipality,
                fields={**form.cleaned_data, "crisis": observation.crisis, "phase": observation.phase,
                        "department_function": observation.department_function},
                codes=list(observation.codes.all()), links={"observations": [observation]}, acting_user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Erkenntnis angelegt (Status: erkannt)."))
            return redirect(lesson)
    # Before the lesson exists: does it look like something identified before?
    text = "\n".join(str(form.data.get(k) or form.initial.get(k) or "") for k in ("title", "finding", "cause")) if form.is_bound \
        else observation.text
    similar = selectors.similar_to(text, codes=list(observation.codes.select_related("scheme")), user=request.user)
    return render(request, "learning/lesson_from_observation.html", {"item": observation, "form": form, "similar": similar})


# --- lesson lifecycle ------------------------------------------------------------------------
# The steps, their states, labels and permissions are knowledge.lifecycles.LESSON; here only
# which form each step's page shows and which knowledge action it calls (UI wiring).

LESSON_STEP_PAGES = {
    "endorse": (NoteOnlyForm, lambda lesson, d, user: knowledge_actions.do_endorse_lesson(
        lesson, note=d["note"], acting_user=user)),
    "start_implementation": (NoteOnlyForm, lambda lesson, d, user: knowledge_actions.do_start_lesson_implementation(
        lesson, reason=d["note"], acting_user=user)),
    "validate": (ValidateLessonForm, lambda lesson, d, user: knowledge_actions.do_validate_lesson(
        lesson, date=d["date"], method=d["method"], result=d["result"], acting_user=user)),
    "embed": (EmbedLessonForm, lambda lesson, d, user: knowledge_actions.do_embed_lesson(
        lesson, recheck_due=d["recheck_due"], note=d["note"], acting_user=user)),
    "archive": (ReasonForm, lambda lesson, d, user: knowledge_actions.do_archive_lesson(
        lesson, reason=d["reason"], acting_user=user)),
    "replace": (ReplaceLessonForm, lambda lesson, d, user: knowledge_actions.do_replace_lesson(
        lesson, replacement=d["replacement"], reason=d["reason"], acting_user=user)),
}


@login_required
def lesson_transition(request, pk, step):
    lesson = ks.get_visible(Lesson, pk=pk, user=request.user)
    if step not in LESSON or step not in LESSON_STEP_PAGES:
        raise Http404
    transition = LESSON[step]
    require_perm(request.user, transition.permission, lesson, message=transition.permission_message)
    form_class, perform = LESSON_STEP_PAGES[step]
    kwargs = {"candidates": selectors.replacement_candidates(lesson, user=request.user)} if step == "replace" else {}
    initial = {"date": timezone.localdate()} if step == "validate" else None
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            perform(lesson, form.cleaned_data, request.user)
        except (ValidationError, PermissionDenied) as exc:
            _errors(form, exc)
        else:
            if lesson.visibility != Visibility.INTERN and selectors.pending_step_texts(lesson):
                messages.success(request, _("Status der Erkenntnis geändert. Der Text wurde der Redaktion zur Freigabe "
                                            "vorgelegt und ist erst danach für alle Lesenden sichtbar."))
            else:
                messages.success(request, _("Status der Erkenntnis geändert."))
            return redirect(lesson)
    open_actions = [a for a in selectors.actions_for_lesson(lesson, user=request.user) if a.is_open] if step == "validate" else []
    return render(request, "learning/lesson_transition.html", {"item": lesson, "form": form, "label": transition.label,
                                                                "step": step, "open_actions": open_actions})


@login_required
def recurring(request):
    groups = selectors.recurring_report(user=request.user)
    if _fmt(request) == "csv":
        return csv_response("wiederkehrende-erkenntnisse", ["Gruppe", "Erkenntnis", "Kommune", "Status", "Jahr", "Adresse"],
                            ([n, lesson.title, lesson.municipality.name, lesson.get_status_display(), selectors.identified_year(lesson),
                              request.build_absolute_uri(lesson.get_absolute_url())]
                             for n, g in enumerate(groups, 1) for lesson in g.lessons))
    return render(request, "learning/recurring.html", {"groups": groups})


# --- actions (Maßnahmen) ----------------------------------------------------------------------


def _action_payload(form):
    d = dict(form.cleaned_data)
    municipality = d.pop("municipality", None)
    codes = d.pop("codes", [])
    return municipality, d, codes


@login_required
def action_list(request):
    items = selectors.visible_actions(user=request.user).order_by("due", "title")
    status = request.GET.get("status")
    if status in ActionStatus.values:
        items = items.filter(status=status)
    if _fmt(request) == "csv":
        return _actions_csv(request, items, "massnahmen")
    return render(request, "learning/action_list.html", {"actions": items, "statuses": ActionStatus.choices,
                                                         "selected_status": status, "today": timezone.localdate()})


def _actions_csv(request, items, basename):
    return csv_response(basename, ["Titel", "Kommune", "Erkenntnis", "Status", "Begründung", "Beginn", "Fällig", "Verantwortlich",
                                   "Funktion", "Dienststelle", "Zeithorizont", "Priorität", "Erfolgsindikator", "Adresse"],
                        ([a.title, a.municipality.name, a.lesson.title if a.lesson else "", a.get_status_display(), a.status_reason,
                          a.start or "", a.due, a.owner.get_full_name() or a.owner.username if a.owner else "", a.owner_role,
                          a.department.name if a.department else "", a.get_horizon_display(), a.priority, a.success_indicator,
                          request.build_absolute_uri(a.get_absolute_url())] for a in items))


@login_required
def action_create(request):
    require_perm(request.user, "learning.add_action")
    lesson = None
    if request.GET.get("erkenntnis") or request.POST.get("lesson"):
        lesson_id = id_param(request.GET, "erkenntnis") or id_param(request.POST, "lesson")
        if lesson_id is None:
            raise Http404
        lesson = ks.get_visible(Lesson, pk=lesson_id, user=request.user)
        require_perm(request.user, "learning.add_action", lesson)
    initial = {}
    if lesson is not None:
        initial = {"codes": [c.pk for c in lesson.codes.filter(scheme__key="themen")],
                   "title": "", "description": _("Aus der Erkenntnis „%(t)s“: ") % {"t": lesson.title}}
    form = ActionForm(request.POST or None, user=request.user, initial=initial,
                      municipality=lesson.municipality if lesson else None)
    if request.method == "POST" and form.is_valid():
        municipality, fields, codes = _action_payload(form)
        municipality = lesson.municipality if lesson else municipality
        try:
            action = actions.do_create_action(municipality=municipality, fields=fields, lesson=lesson, codes=codes, acting_user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Maßnahme angelegt."))
            return redirect(action)
    return render(request, "learning/action_form.html", {"form": form, "lesson": lesson})


@login_required
def action_detail(request, pk):
    action = selectors.get_action(pk, user=request.user)
    # The choices are the steps this person may take now (deciding/dropping: Redaktion only).
    status_form = ActionStatusForm()
    status_form.fields["status"].choices = [(t.target, ActionStatus(t.target).label)
                                            for t in ACTION_STATUS.available(request.user, action)]
    return render(request, "learning/action_detail.html", {
        "action": action,
        "notes": action.notes.select_related("author"),
        "history": selectors.action_history(action),
        "can_edit": has_perm(request.user, "learning.change_action", action),
        "status_form": status_form,
        "note_form": NoteForm(),
        "overdue": action.is_overdue(),
    })


@login_required
def action_edit(request, pk):
    action = selectors.get_action(pk, user=request.user)
    require_perm(request.user, "learning.change_action", action)
    form = ActionForm(request.POST or None, instance=action, user=request.user)
    if request.method == "POST" and form.is_valid():
        _municipality, fields, codes = _action_payload(form)
        action.refresh_from_db()
        try:
            actions.do_update_action(action, fields=fields, codes=codes, acting_user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect(action)
    return render(request, "learning/action_form.html", {"form": form, "action": action, "lesson": action.lesson})


@login_required
@require_POST
def action_status(request, pk):
    action = selectors.get_action(pk, user=request.user)
    require_perm(request.user, "learning.change_action", action)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen Status."))
        return redirect(action)
    try:
        actions.do_change_action_status(action, form.cleaned_data["status"], reason=form.cleaned_data["reason"], acting_user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status geändert."))
    return redirect(action)


@login_required
@require_POST
def action_note(request, pk):
    action = selectors.get_action(pk, user=request.user)
    require_perm(request.user, "learning.change_action", action)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.do_add_action_note(action, text=form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, _("Vermerk gespeichert."))
    else:
        messages.error(request, _("Der Vermerk ist leer."))
    return redirect(action)


@login_required
def overview_index(request):
    municipalities = list(selectors.member_municipalities(user=request.user))
    if len(municipalities) == 1:
        return redirect("learning:overview", municipalities[0].pk)
    return render(request, "learning/overview_index.html", {"municipalities": municipalities})


@login_required
def overview(request, municipality):
    ov = selectors.overview(municipality, user=request.user, params=request.GET)
    fmt = _fmt(request)
    if fmt == "csv":
        return _actions_csv(request, ov.open, f"massnahmen-{ov.municipality.ags}")
    if fmt == "pdf":
        return document_response(overview_document(ov), "pdf", f"massnahmenuebersicht-{ov.municipality.name}")
    return render(request, "learning/overview.html", {
        "ov": ov, "themes": ks.themes(), "selected_theme": request.GET.get("thema", ""),
        "selected_department": request.GET.get("dienststelle", ""),
        "querystring": request.GET.urlencode(),
    })


# --- crisis-onset briefing -----------------------------------------------------------------------


@login_required
def crisis_create(request):
    require_perm(request.user, "learning.add_crisis")
    form = CrisisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            crisis = knowledge_actions.do_create_crisis(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Krise angelegt. Hier ist, was aus früheren Lagen bekannt ist."))
            return redirect("learning:crisis_briefing", crisis.pk)
    return render(request, "learning/crisis_form.html", {"form": form})


def crisis_briefing(request, pk):
    try:
        crisis = Crisis.objects.get(pk=pk)
    except (Crisis.DoesNotExist, ValueError):
        raise Http404 from None
    try:
        result = selectors.briefing_result(user=request.user, title=crisis.title, hazard_type=crisis.hazard_type,
                                           description=crisis.description, per_kind=3)
    except ValidationError as exc:
        # A crisis stored before hazard types were checked: say so instead of guessing.
        return render(request, "learning/briefing.html", {"crisis": crisis, "items": [], "more": [],
                                                          "hazard_error": " ".join(exc.messages)})
    if _fmt(request) == "pdf":
        base = request.build_absolute_uri("/").rstrip("/")
        return document_response(briefing_document(crisis.title, result.hazard_label, result.items, base,
                                                   note=result.no_knowledge_message),
                                 "pdf", f"briefing-{crisis.title}")
    more_sections = [(str(selectors.KIND_LABELS_PLURAL[kind]), bucket) for kind, bucket in result.more.items()]
    return render(request, "learning/briefing.html", {"crisis": crisis, "items": result.items, "more": more_sections,
                                                      "result": result})


# --- recommendations booklet -------------------------------------------------------------------------


def booklet(request):
    recs = ks.visible(Recommendation, user=request.user).order_by("addressee_level", "title")
    trails = [ks.recommendation_evidence(r, user=request.user) for r in recs]
    for trail in trails:  # the published evidence strength where the reader sees less of the evidence
        trail.coverage = ks.shown_coverage(trail.recommendation, trail.coverage)
    fmt = _fmt(request)
    if fmt in ("pdf", "docx"):
        return document_response(booklet_document(trails, total_cities=participating_municipalities().count()), fmt,
                                 "handlungsempfehlungen")
    return render(request, "learning/booklet.html", {"trails": trails})


# --- self-assessment ---------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    return render(request, "learning/assessment_list.html", {
        "frameworks": selectors.frameworks(),
        "assessments": selectors.visible_assessments(user=request.user),
        "can_assess": has_perm(request.user, "learning.score_assessment"),
    })


@login_required
def assessment_create(request, framework):
    try:
        framework = Framework.objects.get(pk=framework)
    except (Framework.DoesNotExist, ValueError):
        raise Http404 from None
    require_perm(request.user, "learning.score_assessment")
    allowed = list(municipalities_with_role(request.user, minimum=Role.MITWIRKENDE).order_by("name"))
    if not allowed:
        raise PermissionDenied
    indicators = list(actions.framework_indicators(framework).order_by("area__order", "order"))
    errors = {}
    values = {}
    if request.method == "POST":
        chosen = id_param(request.POST, "municipality")
        municipality = next((m for m in allowed if m.pk == chosen), None)
        scores = {}
        for ind in indicators:
            raw = request.POST.get(f"score_{ind.pk}", "")
            rationale = request.POST.get(f"rationale_{ind.pk}", "")[:5000]
            evidence = request.POST.get(f"evidence_{ind.pk}", "")[:5000]
            values[ind.pk] = {"score": raw, "rationale": rationale, "evidence": evidence}
            score = int_param(request.POST, f"score_{ind.pk}")
            if score is None:
                errors[f"score_{ind.pk}"] = _("%(title)s: Bitte wählen Sie eine Stufe von 0 bis 5.") % {"title": ind.title}
                continue
            scores[ind.pk] = (score, rationale, evidence)
        if municipality is None:
            errors["municipality"] = _("Bitte wählen Sie eine Kommune.")
        if not errors:
            try:
                assessment = actions.do_create_assessment(framework=framework, municipality=municipality, date=timezone.localdate(),
                                                          scores=scores, note=request.POST.get("note", "")[:5000], acting_user=request.user)
            except ValidationError as exc:
                errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
            else:
                messages.success(request, _("Selbstbewertung gespeichert."))
                return redirect(assessment)
    areas = []
    for ind in indicators:
        if not areas or areas[-1]["area"].pk != ind.area_id:
            areas.append({"area": ind.area, "indicators": []})
        v = values.get(ind.pk, {})
        areas[-1]["indicators"].append({
            "indicator": ind, "levels": list(enumerate(ind.levels)), "value": v.get("score", ""),
            "rationale": v.get("rationale", ""), "evidence": v.get("evidence", ""),
            "error": errors.get(f"score_{ind.pk}") or errors.get(f"evidence_{ind.pk}"),
        })
    return render(request, "learning/assessment_form.html", {
        "framework": framework, "areas": areas, "municipalities": allowed, "errors": errors,
        "selected_municipality": request.POST.get("municipality", str(allowed[0].pk)),
    })


def _assessment_rows(assessment, previous):
    before = {s.indicator_id: s.score for s in previous.scores.all()} if previous else {}
    rows = []
    for n, score in enumerate(assessment.scores.select_related("indicator__area", "proposed_action"), 1):
        ind = score.indicator
        rows.append({
            "nr": n, "bereich": ind.area.title, "indikator": ind.title, "stufe": score.score,
            "vorher": before.get(ind.pk), "begruendung": score.rationale, "score": score,
            "level_text": ind.levels[score.score] if score.score < len(ind.levels) else "",
            "delta": None if ind.pk not in before else score.score - before[ind.pk],
        })
    return rows


@login_required
def assessment_detail(request, pk):
    assessment = selectors.get_assessment(pk, user=request.user)
    previous = selectors.previous_assessment(assessment)
    rows = _assessment_rows(assessment, previous)
    chart_rows = [{"indikator": r["indikator"], "bereich": r["bereich"], "stufe": r["stufe"],
                   **({"vorher": r["vorher"]} if r["vorher"] is not None else {})} for r in rows]
    spec = radar_spec(chart_rows, previous=previous is not None)
    fmt = _fmt(request)
    if fmt == "csv":
        return csv_response(f"selbstbewertung-{assessment.municipality.ags}", ["Nr.", "Bereich", "Indikator", "Stufe", "Vorher", "Begründung", "Belege"],
                            ([r["nr"], r["bereich"], r["indikator"], r["stufe"], "" if r["vorher"] is None else r["vorher"],
                              r["begruendung"], " ".join(r["score"].evidence_links)] for r in rows))
    if fmt == "pdf":
        return document_response(assessment_document(assessment, rows, spec), "pdf", f"selbstbewertung-{assessment.municipality.name}")
    description = "; ".join(f"{r['nr']}. {r['indikator']}: Stufe {r['stufe']}" for r in rows)
    svg = chart_svg(spec, title=_("Stufen je Indikator (Radialdiagramm)"), description=description)
    target = assessment.framework.target
    return render(request, "learning/assessment_detail.html", {
        "assessment": assessment, "previous": previous, "rows": rows, "svg": mark_safe(svg),  # noqa: S308 - rendered by vl-convert, texts escaped
        "low": [r for r in rows if r["stufe"] < target], "target": target,
        "can_act": has_perm(request.user, "learning.add_action", assessment),
        "average": round(sum(r["stufe"] for r in rows) / max(1, len(rows)), 1),
    })


@login_required
@require_POST
def assessment_propose(request, pk, score):
    assessment = selectors.get_assessment(pk, user=request.user)
    try:
        score = assessment.scores.get(pk=score)
    except (AssessmentScore.DoesNotExist, ValueError):
        raise Http404 from None
    try:
        action = actions.do_propose_action_from_score(score, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(assessment)
    messages.success(request, _("Maßnahme „%(title)s“ vorgeschlagen.") % {"title": action.title})
    return redirect(assessment)


# --- training -------------------------------------------------------------------------------------------


def module_list(request):
    modules = selectors.visible_modules(user=request.user).order_by("path", "order", "title")
    done = set()
    if request.user.is_authenticated:
        done = set(ModuleCompletion.objects.filter(user=request.user, completed_at__isnull=False).values_list("module_id", flat=True))
    return render(request, "learning/module_list.html", {"modules": modules, "done": done,
                                                         "can_author": has_perm(request.user, "learning.edit_training_module")})


def _module_links(module, user):
    return (list(ks.visible(Lesson, user=user).filter(pk__in=module.lessons.values("pk"))),
            list(ks.visible(Recommendation, user=user).filter(pk__in=module.recommendations.values("pk"))),
            list(ks.visible(GoodPractice, user=user).filter(pk__in=module.good_practices.values("pk"))))


def module_detail(request, pk):
    module = selectors.get_module(pk, user=request.user)
    lessons, recommendations, practices = _module_links(module, request.user)
    questions = list(module.questions.all())
    completion = None
    feedback = {}
    if request.user.is_authenticated:
        completion = ModuleCompletion.objects.filter(module=module, user=request.user).first()
    if request.method == "POST":
        require_perm(request.user, "learning.answer_module", module,
                     message=_("Bitte melden Sie sich an, damit Ihr Lernstand gespeichert wird."))
        answers = {}
        for q in questions:
            choice = int_param(request.POST, f"q{q.pk}")
            if choice is not None:
                answers[q.pk] = choice
        try:
            completion = actions.do_answer_module(module, answers=answers, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if completion.completed_at:
                messages.success(request, _("Modul abgeschlossen: %(c)d von %(t)d Antworten richtig.") % {"c": completion.correct, "t": completion.total})
            else:
                messages.info(request, _("Bitte beantworten Sie alle Fragen, um das Modul abzuschließen."))
    if completion:
        for q in questions:
            choice = completion.answers.get(str(q.pk))
            if choice is not None and 0 <= choice < len(q.options):
                option = q.options[choice]
                feedback[q.pk] = {"choice": choice, "correct": bool(option.get("correct")), "text": option.get("feedback", "")}
    question_rows = [{"q": q, "options": list(enumerate(q.options)), "feedback": feedback.get(q.pk)} for q in questions]
    return render(request, "learning/module_detail.html", {
        "module": module, "lessons": lessons, "recommendations": recommendations, "practices": practices,
        "questions": question_rows, "completion": completion,
        "can_edit": has_perm(request.user, "learning.edit_training_module", module),
        "paragraphs": [p.strip() for p in module.text.split("\n\n") if p.strip()],
    })


def module_handout(request, pk):
    module = selectors.get_module(pk, user=request.user)
    return document_response(handout_document(module, *_module_links(module, request.user)), "pdf", f"handout-{module.title}")


# --- scenario exercises -----------------------------------------------------------------------------------


def exercise_list(request):
    return render(request, "learning/exercise_list.html", {
        "exercises": selectors.visible_exercises(user=request.user).order_by("title"),
        "runs": selectors.visible_runs(user=request.user)[:20] if request.user.is_authenticated else [],
        "can_author": has_perm(request.user, "learning.edit_exercise"),
    })


def exercise_detail(request, pk):
    exercise = selectors.get_exercise(pk, user=request.user)
    return render(request, "learning/exercise_detail.html", {
        "exercise": exercise, "injects": exercise.injects.prefetch_related("questions"),
        "general_questions": exercise.questions.filter(inject__isnull=True),
        "can_edit": has_perm(request.user, "learning.edit_exercise", exercise),
        "municipalities": municipalities_with_role(request.user, minimum=Role.MITWIRKENDE).order_by("name") if request.user.is_authenticated else [],
    })


@login_required
@require_POST
def exercise_start(request, pk):
    exercise = selectors.get_exercise(pk, user=request.user)
    municipality = participating_municipalities().filter(pk=id_param(request.POST, "municipality") or 0).first()
    if municipality is None:
        raise PermissionDenied
    require_perm(request.user, "learning.run_exercise", municipality)
    run = actions.do_start_exercise(exercise, municipality=municipality, acting_user=request.user)
    messages.success(request, _("Übung gestartet. Dies ist die Ansicht der Moderation."))
    return redirect(run)


def _run_context(request, run, form=None):
    injects = list(run.exercise.injects.prefetch_related("questions"))
    shown = injects[: run.current_inject]
    return {
        "run": run, "exercise": run.exercise, "shown": shown, "current": shown[-1] if shown else None,
        "remaining": len(injects) - len(shown), "total": len(injects),
        "findings": run.findings.select_related("observation", "validated_lesson"),
        "form": form or FindingForm(lessons=selectors.validatable_lessons(run)),
        "general_questions": run.exercise.questions.filter(inject__isnull=True),
        "can_run": has_perm(request.user, "learning.run_exercise", run),
    }


@login_required
def run_detail(request, pk):
    run = selectors.get_run(pk, user=request.user)
    return render(request, "learning/run_detail.html", _run_context(request, run))


@login_required
@require_POST
def run_advance(request, pk):
    run = selectors.get_run(pk, user=request.user)
    try:
        actions.do_advance_exercise(run, step=-1 if request.POST.get("richtung") == "zurueck" else 1, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(run)


@login_required
@require_POST
def run_finding(request, pk):
    run = selectors.get_run(pk, user=request.user)
    form = FindingForm(request.POST, lessons=selectors.validatable_lessons(run))
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_record_finding(run, text=d["text"], as_observation=d["as_observation"], validates=d["validates"],
                                      acting_user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Befund gespeichert."))
            return redirect(run)
    return render(request, "learning/run_detail.html", _run_context(request, run, form))


@login_required
@require_POST
def run_finish(request, pk):
    run = selectors.get_run(pk, user=request.user)
    actions.do_finish_exercise(run, acting_user=request.user)
    messages.success(request, _("Übung beendet."))
    return redirect(run)


# --- authoring -------------------------------------------------------------------------------


@login_required
def module_edit(request, pk=None):
    module = selectors.get_module(pk, user=request.user) if pk else None
    require_perm(request.user, "learning.edit_training_module", module)
    initial = {}
    if module is not None:
        initial = {"municipality": module.municipality_id, "visibility": module.visibility, "title": module.title, "path": module.path,
                   "order": module.order, "summary": module.summary, "text": module.text,
                   "lessons": list(module.lessons.all()), "recommendations": list(module.recommendations.all()),
                   "good_practices": list(module.good_practices.all()), "questions": format_questions(module.questions.all())}
    form = ModuleForm(request.POST or None, user=request.user, editing=module is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            module = actions.do_save_module(
                module, municipality=d.get("municipality"), acting_user=request.user,
                fields={k: d[k] for k in ("title", "path", "order", "summary", "text", "visibility")},
                lessons=d["lessons"], recommendations=d["recommendations"], good_practices=d["good_practices"],
                questions_text=d["questions"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Fortbildungsmodul gespeichert."))
            return redirect(module)
    return render(request, "learning/content_form.html", {"form": form, "object": module,
                                                          "heading": _("Fortbildungsmodul bearbeiten") if module else _("Neues Fortbildungsmodul"),
                                                          "parent_url": "learning:module_list", "parent_label": _("Fortbildung")})


@login_required
def exercise_edit(request, pk=None):
    exercise = selectors.get_exercise(pk, user=request.user) if pk else None
    require_perm(request.user, "learning.edit_exercise", exercise)
    initial = {}
    if exercise is not None:
        injects = []
        for inject in exercise.injects.prefetch_related("questions"):
            injects.append(" | ".join(filter(None, [inject.time_label, inject.text, inject.facilitator_note])))
            injects += [f"? {q.text}" for q in inject.questions.all()]
        initial = {"municipality": exercise.municipality_id, "visibility": exercise.visibility, "title": exercise.title,
                   "hazard_type": exercise.hazard_type, "starting_situation": exercise.starting_situation,
                   "injects": "\n".join(injects), "lessons": list(exercise.lessons.all()),
                   "questions": "\n".join(q.text for q in exercise.questions.filter(inject__isnull=True))}
    form = ExerciseForm(request.POST or None, user=request.user, editing=exercise is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            exercise = actions.do_save_exercise(
                exercise, municipality=d.get("municipality"), acting_user=request.user,
                fields={k: d[k] for k in ("title", "hazard_type", "starting_situation", "visibility")},
                injects_text=d["injects"], questions_text=d["questions"], lessons=d["lessons"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Muster-Szenario gespeichert."))
            return redirect(exercise)
    return render(request, "learning/content_form.html", {"form": form, "object": exercise,
                                                          "heading": _("Muster-Szenario bearbeiten") if exercise else _("Neues Muster-Szenario"),
                                                          "parent_url": "learning:exercise_list", "parent_label": _("Muster-Szenarien")})
