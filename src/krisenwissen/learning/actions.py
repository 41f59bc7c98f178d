"""Every state change of the learning loop: one transaction, permission check, audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.accounts.models import Membership
from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge.models import (
    Code,
    GoodPractice,
    Lesson,
    Observation,
    ObservationKind,
    Recommendation,
)
from krisenwissen.knowledge.selectors import visible

from .authoring import parse_injects, parse_questions
from .events import LearningEvent
from .lifecycles import ACTION_STATUS
from .models import (
    REASON_STATUSES,
    Action,
    ActionNote,
    ActionStatus,
    Assessment,
    AssessmentScore,
    DiscussionQuestion,
    ExerciseFinding,
    ExerciseRun,
    Framework,
    Indicator,
    Inject,
    ModuleCompletion,
    ScenarioExercise,
    SelfCheckQuestion,
    TrainingModule,
)

ACTION_FIELDS = (
    "title", "description", "department", "owner", "owner_role", "start", "due", "horizon", "impact",
    "feasibility", "capability", "resources", "success_indicator",
)

_NO_PERMISSION_HERE = gettext_lazy("Dafür fehlt Ihnen die Berechtigung in dieser Kommune.")


def _validate_action_fields(municipality, fields: dict, *, creating: bool, old_due=None) -> dict:
    errors: dict[str, str] = {}
    owner = fields.get("owner")
    if owner is not None and not (owner.is_superuser or Membership.objects.filter(user=owner, municipality=municipality).exists()):
        errors["owner"] = _("%(name)s ist nicht Mitglied der Kommune %(city)s und kann nicht verantwortlich sein.") % {
            "name": owner.get_full_name() or owner.username, "city": municipality.name}
    if owner is not None and not owner.is_active:
        errors["owner"] = _("Die Person ist nicht mehr aktiv.")
    if not owner and not (fields.get("owner_role") or "").strip() and not fields.get("department"):
        errors["owner"] = _("Bitte benennen Sie eine verantwortliche Person, Funktion oder Dienststelle.")
    department = fields.get("department")
    if department is not None and department.municipality_id != municipality.pk:
        errors["department"] = _("Die Dienststelle gehört zu einer anderen Kommune.")
    due = fields.get("due")
    today = timezone.localdate()
    if not isinstance(due, dt.date):
        errors["due"] = _("Bitte geben Sie ein Fälligkeitsdatum an.")
    elif due < today and (creating or due != old_due):
        errors["due"] = _("Das Fälligkeitsdatum %(date)s liegt in der Vergangenheit.") % {"date": due.strftime("%d.%m.%Y")}
    start = fields.get("start")
    if isinstance(start, dt.date) and isinstance(due, dt.date) and start > due:
        errors["start"] = _("Der Beginn liegt nach dem Fälligkeitsdatum.")
    capability = fields.get("capability")
    if capability is not None and capability.scheme.key != "faehigkeiten":
        errors["capability"] = _("Bitte wählen Sie ein Fähigkeitselement.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def do_create_action(*, municipality, fields: dict, lesson=None, codes=(), acting_user) -> Action:
    """Create a Maßnahme (Mitwirkende). Owners must be members; past due dates are refused."""
    require_perm(acting_user, "learning.add_action", municipality, message=_NO_PERMISSION_HERE)
    if lesson is not None and lesson.municipality_id != municipality.pk:
        raise ValidationError({"lesson": _("Maßnahmen gehören zur Kommune der Erkenntnis.")})
    fields = {k: v for k, v in fields.items() if k in ACTION_FIELDS}
    _validate_action_fields(municipality, fields, creating=True)
    action = Action(municipality=municipality, lesson=lesson, created_by=acting_user, **fields)
    action.full_clean()
    action.save()
    action.codes.set(codes)
    record(LearningEvent.ACTION_CREATED, acting_user=acting_user, obj=action, erkenntnis=lesson.pk if lesson else None,
           faellig=action.due.isoformat(), verantwortlich=action.owner_id)
    return action


@transaction.atomic
def do_update_action(action: Action, *, fields: dict, codes=None, acting_user) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    require_perm(acting_user, "learning.change_action", action, message=_NO_PERMISSION_HERE)
    fields = {k: v for k, v in fields.items() if k in ACTION_FIELDS}
    merged = {name: getattr(action, name) for name in ACTION_FIELDS} | fields
    _validate_action_fields(action.municipality, merged, creating=False, old_due=action.due)
    changed = sorted(k for k, v in fields.items() if getattr(action, k) != v)
    for key, value in fields.items():
        setattr(action, key, value)
    action.full_clean()
    action.save()
    if codes is not None:
        action.codes.set(codes)
    record(LearningEvent.ACTION_CHANGED, acting_user=acting_user, obj=action, felder=changed)
    return action


@transaction.atomic
def do_change_action_status(action: Action, status: str, *, reason: str = "", acting_user) -> Action:
    """Move an action to ``status`` along its lifecycle (``lifecycles.ACTION_STATUS``).

    blockiert and nicht umgesetzt need a reason; deciding (beschlossen) and dropping need
    Redaktion. The table's effects keep the reason as a note and move a bestätigt lesson to
    "Maßnahmen in Umsetzung" when its first action is decided.
    """
    action = Action.objects.select_for_update().get(pk=action.pk)
    require_perm(acting_user, "learning.change_action", action, message=_NO_PERMISSION_HERE)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unbekannter Status.")})
    transition = ACTION_STATUS.find(action, target=status)
    if transition is None:
        raise ValidationError({"status": _("Von „%(old)s“ kann nicht zu „%(new)s“ gewechselt werden.") % {
            "old": action.get_status_display(), "new": ActionStatus(status).label}})
    ACTION_STATUS.check(acting_user, action, transition.name)
    reason = (reason or "").strip()
    if status in REASON_STATUSES and not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    action.status_reason = reason if status in REASON_STATUSES else ""
    action.completed_on = timezone.localdate() if status == ActionStatus.ERLEDIGT else None
    return ACTION_STATUS.apply(action, transition.name, acting_user=acting_user,
                               update_fields=["status_reason", "completed_on"], grund=reason)


@transaction.atomic
def do_add_action_note(action: Action, *, text: str, acting_user) -> ActionNote:
    require_perm(acting_user, "learning.change_action", action, message=_NO_PERMISSION_HERE)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Der Vermerk ist leer.")})
    note = ActionNote.objects.create(action=action, author=acting_user, text=text[:5000])
    record(LearningEvent.ACTION_NOTE_ADDED, acting_user=acting_user, obj=action, note=note.pk)
    return note


# --- self-assessment ----------------------------------------------------------------------


@transaction.atomic
def do_create_assessment(*, framework: Framework, municipality, date, scores: dict, note: str = "", acting_user) -> Assessment:
    """Save a complete self-assessment: ``scores`` maps indicator id → (score, rationale, evidence)."""
    require_perm(acting_user, "learning.score_assessment", municipality, message=_NO_PERMISSION_HERE)
    indicators = {i.pk: i for i in framework_indicators(framework)}
    errors = {}
    for indicator_id, (score, _rationale, evidence) in scores.items():
        if indicator_id not in indicators:
            errors[f"indicator_{indicator_id}"] = _("Unbekannter Indikator.")
            continue
        if not isinstance(score, int) or not 0 <= score <= 5:
            errors[f"score_{indicator_id}"] = _("%(title)s: Die Stufe muss zwischen 0 und 5 liegen.") % {"title": indicators[indicator_id].title}
        for line in (evidence or "").splitlines():
            if line.strip() and not line.strip().startswith(("http://", "https://", "/")):
                errors[f"evidence_{indicator_id}"] = _("%(title)s: Belege bitte als Link (https://… oder /…), einer je Zeile.") % {"title": indicators[indicator_id].title}
    missing = set(indicators) - set(scores)
    if missing:
        errors["scores"] = _("Es fehlen Bewertungen für %(n)d Indikatoren.") % {"n": len(missing)}
    if date is None or date > timezone.localdate():
        errors["date"] = _("Das Datum der Bewertung darf nicht in der Zukunft liegen.")
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(framework=framework, municipality=municipality, date=date, note=note, created_by=acting_user)
    AssessmentScore.objects.bulk_create([
        AssessmentScore(assessment=assessment, indicator_id=i, score=s, rationale=(r or "").strip(), evidence=(e or "").strip())
        for i, (s, r, e) in scores.items()
    ])
    record(LearningEvent.ASSESSMENT_CREATED, acting_user=acting_user, obj=assessment, municipality=municipality,
           rahmen=framework.key, mittelwert=round(sum(s for s, _r, _e in scores.values()) / max(1, len(scores)), 2))
    return assessment


def framework_indicators(framework: Framework):
    return Indicator.objects.filter(area__framework=framework).select_related("area")


@transaction.atomic
def do_propose_action_from_score(score: AssessmentScore, *, acting_user) -> Action:
    """One click: turn a low score into a proposed Maßnahme (due in 6 months, owner the user)."""
    score = AssessmentScore.objects.select_for_update(of=("self",)).select_related("assessment__municipality", "indicator").get(pk=score.pk)
    assessment = score.assessment
    require_perm(acting_user, "learning.add_action", assessment, message=_NO_PERMISSION_HERE)
    if score.proposed_action_id:
        return score.proposed_action
    indicator = score.indicator
    codes = []
    for ref in indicator.theme_codes:
        scheme, _sep, key = ref.partition(":")
        code = Code.objects.filter(scheme__key=scheme, key=key).first()
        if code:
            codes.append(code)
    capability = next((c for c in codes if c.scheme.key == "faehigkeiten"), None)
    owner = acting_user if Membership.objects.filter(user=acting_user, municipality=assessment.municipality).exists() else None
    action = do_create_action(
        municipality=assessment.municipality,
        fields={
            "title": indicator.action_title or _("Verbessern: %(title)s") % {"title": indicator.title},
            "description": (indicator.action_description or indicator.question)
            + "\n\n" + _("Aus der Selbstbewertung vom %(date)s: Stufe %(score)d von 5.") % {
                "date": assessment.date.strftime("%d.%m.%Y"), "score": score.score}
            + (f"\n{score.rationale}" if score.rationale else ""),
            "owner": owner,
            "owner_role": "" if owner else _("Krisenstab"),
            "due": timezone.localdate() + dt.timedelta(days=182),
            "horizon": "mittelfristig",
            "impact": 3 if score.score <= 1 else 2,
            "feasibility": 2,
            "capability": capability,
            "success_indicator": _("Nächste Selbstbewertung: mindestens Stufe %(n)d") % {"n": min(5, score.score + 2)},
        },
        codes=[c for c in codes if c.scheme.key != "faehigkeiten"],
        acting_user=acting_user,
    )
    score.proposed_action = action
    score.save(update_fields=["proposed_action"])
    return action


# --- training and exercises -----------------------------------------------------------------


@transaction.atomic
def do_answer_module(module, *, answers: dict[int, int], acting_user) -> ModuleCompletion:
    """Record a user's answers to a module's self-check; complete when every question is answered."""
    require_perm(acting_user, "learning.answer_module", module,
                 message=_("Bitte melden Sie sich an, damit Ihr Lernstand gespeichert wird."))
    questions = list(module.questions.all())
    correct = 0
    stored = {}
    for question in questions:
        choice = answers.get(question.pk)
        if choice is None:
            continue
        if not 0 <= choice < len(question.options):
            raise ValidationError(_("Ungültige Antwort."))
        stored[str(question.pk)] = choice
        correct += bool(question.options[choice].get("correct"))
    completion, _created = ModuleCompletion.objects.select_for_update().get_or_create(module=module, user=acting_user)
    completion.answers = stored
    completion.correct = correct
    completion.total = len(questions)
    if len(stored) == len(questions):
        completion.completed_at = completion.completed_at or timezone.now()
    completion.save()
    record(LearningEvent.MODULE_ANSWERED, acting_user=acting_user, obj=module, municipality=module.municipality,
           richtig=correct, fragen=len(questions), abgeschlossen=completion.completed_at is not None)
    return completion


@transaction.atomic
def do_start_exercise(exercise, *, municipality, acting_user) -> ExerciseRun:
    require_perm(acting_user, "learning.run_exercise", municipality, message=_NO_PERMISSION_HERE)
    run = ExerciseRun.objects.create(exercise=exercise, municipality=municipality, facilitator=acting_user)
    record(LearningEvent.EXERCISE_STARTED, acting_user=acting_user, obj=run, municipality=municipality, szenario=exercise.pk)
    return run


@transaction.atomic
def do_advance_exercise(run: ExerciseRun, *, acting_user, step: int = 1) -> ExerciseRun:
    run = ExerciseRun.objects.select_for_update().get(pk=run.pk)
    require_perm(acting_user, "learning.run_exercise", run, message=_NO_PERMISSION_HERE)
    if run.finished_at:
        raise ValidationError(_("Die Übung ist bereits beendet."))
    count = run.exercise.injects.count()
    run.current_inject = max(0, min(count, run.current_inject + step))
    run.save(update_fields=["current_inject"])
    record(LearningEvent.EXERCISE_ADVANCED, acting_user=acting_user, obj=run,
           einspielung=run.current_inject)
    return run


@transaction.atomic
def do_record_finding(run: ExerciseRun, *, text: str, as_observation: bool = True, validates=None,
                      validation_result: str = "", acting_user) -> ExerciseFinding:
    """A finding of the exercise; optionally becomes an observation (Entwurf) and validation evidence."""
    run = ExerciseRun.objects.select_for_update(of=("self",)).select_related("exercise", "municipality").get(pk=run.pk)
    require_perm(acting_user, "learning.run_exercise", run, message=_NO_PERMISSION_HERE)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Bitte beschreiben Sie die Erkenntnis aus der Übung.")})
    inject = run.exercise.injects.filter(order__lte=run.current_inject).order_by("-order").first() if run.current_inject else None
    finding = ExerciseFinding(run=run, text=text, inject=inject, created_by=acting_user)
    if as_observation:
        finding.observation = knowledge_actions.do_create_item(
            Observation, municipality=run.municipality,
            fields={"kind": ObservationKind.ERFAHRUNG,
                    "text": _("Übung „%(title)s“ am %(date)s: %(text)s") % {
                        "title": run.exercise.title, "date": run.started_at.strftime("%d.%m.%Y"), "text": text}},
            acting_user=acting_user,
        )
    if validates is not None:
        if validates.municipality_id != run.municipality_id:
            raise ValidationError({"validates": _("Nur Erkenntnisse der übenden Kommune können so überprüft werden.")})
        knowledge_actions.do_validate_lesson(
            validates, date=timezone.localdate(), method="uebung",
            result=(validation_result or text).strip(), acting_user=acting_user,
            evidence=run.get_absolute_url(),
        )
        finding.validated_lesson = validates
    finding.save()
    record(LearningEvent.EXERCISE_FINDING_RECORDED, acting_user=acting_user, obj=run, municipality=run.municipality,
           beobachtung=finding.observation_id, erkenntnis=finding.validated_lesson_id)
    return finding


@transaction.atomic
def do_finish_exercise(run: ExerciseRun, *, acting_user) -> ExerciseRun:
    run = ExerciseRun.objects.select_for_update().get(pk=run.pk)
    require_perm(acting_user, "learning.run_exercise", run, message=_NO_PERMISSION_HERE)
    if not run.finished_at:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(LearningEvent.EXERCISE_FINISHED, acting_user=acting_user, obj=run, municipality=run.municipality,
               befunde=run.findings.count())
    return run


# --- authoring of training modules and exercises --------------------------------------------


def _link_readable(user, model, items):
    ids = [i.pk for i in items]
    readable = set(visible(model, user=user).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - readable:
        raise ValidationError(_("Es können nur Einträge verknüpft werden, die Sie lesen dürfen."))
    return ids


@transaction.atomic
def do_save_module(module, *, municipality, fields: dict, lessons=(), recommendations=(), good_practices=(), codes=(),
                   questions_text: str = "", acting_user):
    """Create or update a training module (Redaktion of the owning municipality)."""
    owner = module.municipality if module is not None else municipality
    require_perm(acting_user, "learning.edit_training_module", owner,
                 message=_("Fortbildungsmodule pflegt die Redaktion der Kommune."))
    questions, errors = parse_questions(questions_text)
    if errors:
        raise ValidationError({"questions": errors})
    lesson_ids = _link_readable(acting_user, Lesson, lessons)
    rec_ids = _link_readable(acting_user, Recommendation, recommendations)
    gp_ids = _link_readable(acting_user, GoodPractice, good_practices)
    allowed = {"title", "path", "order", "summary", "text", "visibility"}
    if module is None:
        module = TrainingModule(municipality=owner)
    for key, value in fields.items():
        if key in allowed:
            setattr(module, key, value)
    module.full_clean()
    created = module.pk is None
    module.save()
    module.lessons.set(lesson_ids)
    module.recommendations.set(rec_ids)
    module.good_practices.set(gp_ids)
    module.codes.set(codes)
    module.questions.all().delete()
    SelfCheckQuestion.objects.bulk_create([SelfCheckQuestion(module=module, order=n, text=q.text, options=q.options)
                                           for n, q in enumerate(questions)])
    record(LearningEvent.MODULE_CREATED if created else LearningEvent.MODULE_CHANGED, acting_user=acting_user, obj=module,
           fragen=len(questions), sichtbarkeit=module.visibility)
    return module


@transaction.atomic
def do_save_exercise(exercise, *, municipality, fields: dict, injects_text: str, questions_text: str = "", lessons=(), acting_user):
    """Create or update a scenario exercise; injects cannot change once the scenario has been run."""
    owner = exercise.municipality if exercise is not None else municipality
    require_perm(acting_user, "learning.edit_exercise", owner,
                 message=_("Muster-Szenarien pflegt die Redaktion der Kommune."))
    injects, errors = parse_injects(injects_text)
    if errors:
        raise ValidationError({"injects": errors})
    if exercise is not None and exercise.runs.exists():
        raise ValidationError({"injects": [_("Das Szenario wurde schon geübt; legen Sie für Änderungen ein neues an.")]})
    general = [line.strip().lstrip("?").strip() for line in (questions_text or "").splitlines() if line.strip()]
    lesson_ids = _link_readable(acting_user, Lesson, lessons)
    if exercise is None:
        exercise = ScenarioExercise(municipality=owner)
    for key in ("title", "hazard_type", "starting_situation", "visibility"):
        if key in fields:
            setattr(exercise, key, fields[key])
    exercise.full_clean()
    created = exercise.pk is None
    exercise.save()
    exercise.lessons.set(lesson_ids)
    exercise.questions.all().delete()
    exercise.injects.all().delete()
    order = 0
    for n, parsed in enumerate(injects, 1):
        inject = Inject.objects.create(exercise=exercise, order=n, time_label=parsed.time_label, text=parsed.text,
                                       facilitator_note=parsed.note)
        for q in parsed.questions:
            order += 1
            DiscussionQuestion.objects.create(exercise=exercise, inject=inject, order=order, text=q)
    for q in general:
        order += 1
        DiscussionQuestion.objects.create(exercise=exercise, order=order, text=q[:1000])
    record(LearningEvent.EXERCISE_CREATED if created else LearningEvent.EXERCISE_CHANGED, acting_user=acting_user, obj=exercise,
           einspielungen=len(injects))
    return exercise
