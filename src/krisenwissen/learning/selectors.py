"""Permission-aware reads of the learning loop.

Every selector takes what it reads as its first argument and the rest keyword-only
(``get_action(pk, user=request.user)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Department, Municipality, Role
from krisenwissen.accounts.predicates import is_member_of_object
from krisenwissen.accounts.selectors import municipalities_with_role, visibility_scope
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.params import id_param
from krisenwissen.core.policy import has_perm
from krisenwissen.knowledge import selectors as ks
from krisenwissen.knowledge.models import (
    Code,
    GoodPractice,
    Lesson,
    LessonStatus,
    Observation,
    ObservationStatus,
    PublicationReview,
    Recommendation,
    ReviewStatus,
    Visibility,
)
from krisenwissen.search import similarity
from krisenwissen.search.selectors import search_in_scope

from . import recall
from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Assessment,
    ExerciseRun,
    Framework,
    ScenarioExercise,
    TrainingModule,
)

RECHECK_WINDOW_DAYS = 30


# --- actions ---------------------------------------------------------------------------------


def member_municipalities(*, user) -> QuerySet[Municipality]:
    return municipalities_with_role(user, minimum=Role.LESER).order_by("name")


def visible_actions(*, user) -> QuerySet[Action]:
    """Action plans are internal: members of the municipality (any role) read them."""
    return (Action.objects.filter(municipality__in=member_municipalities(user=user))
            .select_related("municipality", "lesson", "owner", "department", "capability"))


def get_action(pk, *, user) -> Action:
    try:
        return visible_actions(user=user).get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def actions_for_lesson(lesson: Lesson, *, user) -> QuerySet[Action]:
    return visible_actions(user=user).filter(lesson=lesson).order_by("due")


@dataclass
class Overview:
    municipality: Municipality
    today: dt.date
    open: list[Action]
    overdue: list[Action]
    blocked: list[Action]
    due_soon: list[Action]
    awaiting_validation: list[Lesson]
    awaiting_recheck: list[Lesson]
    departments: QuerySet = field(default=None)


def overview(municipality_id: int, *, user, params) -> Overview:
    """The leadership view of one municipality (members only); ``params`` are the page's filters."""
    municipality = member_municipalities(user=user).filter(pk=municipality_id).first()
    if municipality is None:
        raise Http404
    today = timezone.localdate()
    actions = visible_actions(user=user).filter(municipality=municipality, status__in=OPEN_STATUSES)
    lessons = Lesson.objects.filter(municipality=municipality)
    theme = id_param(params, "thema")
    if theme:
        code_ids = ks.descendant_ids([theme])
        actions = actions.filter(Q(codes__in=code_ids) | Q(lesson__codes__in=code_ids)).distinct()
        lessons = lessons.filter(codes__in=code_ids).distinct()
    department = id_param(params, "dienststelle")
    if department:
        actions = actions.filter(department_id=department)
        lessons = lessons.filter(actions__department_id=department).distinct()
    actions = list(actions.prefetch_related("codes").order_by("due", "title"))
    soon = today + dt.timedelta(days=14)
    return Overview(
        municipality=municipality,
        today=today,
        open=actions,
        overdue=[a for a in actions if a.due < today],
        blocked=[a for a in actions if a.status == ActionStatus.BLOCKIERT],
        due_soon=[a for a in actions if today <= a.due <= soon],
        awaiting_validation=list(
            lessons.filter(status=LessonStatus.IN_UMSETZUNG)
            .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
                      done_actions=Count("actions", filter=Q(actions__status=ActionStatus.ERLEDIGT)))
            .order_by("title")
        ),
        awaiting_recheck=list(
            lessons.filter(status=LessonStatus.VERANKERT, recheck_due__lte=today + dt.timedelta(days=RECHECK_WINDOW_DAYS))
            .order_by("recheck_due")
        ),
        departments=Department.objects.filter(municipality=municipality).order_by("name"),
    )


# --- lesson history and lifecycle ---------------------------------------------------------


def item_history(item, *, user) -> list[AuditEntry]:
    """Audit rows of a knowledge item (readable by the caller). Actor names only for members."""
    rows = list(AuditEntry.objects.filter(object_type=item._meta.label_lower, object_id=str(item.pk))
                .select_related("actor").order_by("timestamp", "id"))
    show_names = is_member_of_object(user, item)
    for row in rows:
        row.show_actor = show_names
    if item.visibility != Visibility.INTERN and not has_perm(user, "knowledge.decide_publication", item):
        _hide_unapproved_step_texts(rows)
    return rows


# Audit details of lesson steps holding free text, and the lesson field the text went to.
STEP_TEXT_DETAILS = {"ergebnis": "validation_result", "grund": "status_note"}


def _hide_unapproved_step_texts(rows) -> None:
    """Free text of a step on a published lesson waits on a publication review (the row's
    ``review``): readers without review rights see it only once that review published this
    very text; while it is open they see ``text_pending`` instead."""
    review_ids = {row.details.get("review") for row in rows
                  if row.details.get("review") and any(key in row.details for key in STEP_TEXT_DETAILS)}
    reviews = PublicationReview.objects.in_bulk([pk for pk in review_ids if isinstance(pk, int)])
    for row in rows:
        if not any(key in row.details for key in STEP_TEXT_DETAILS) or not row.details.get("review"):
            continue
        review = reviews.get(row.details["review"])
        details = dict(row.details)
        for key, field_name in STEP_TEXT_DETAILS.items():
            if key not in details:
                continue
            approved = (review is not None and review.status == ReviewStatus.FREIGEGEBEN
                        and (review.changes or {}).get("fields", {}).get(field_name) == details[key])
            if not approved:
                del details[key]
                row.text_pending = review is not None and review.status == ReviewStatus.OFFEN
        row.details = details


def pending_step_texts(lesson: Lesson) -> set[str]:
    """The lesson's step texts (field names) waiting on its open publication review."""
    review = (PublicationReview.objects.filter(content_type__app_label="knowledge", content_type__model="lesson",
                                               object_id=lesson.pk, status=ReviewStatus.OFFEN).first())
    fields = (review.changes or {}).get("fields", {}) if review is not None else {}
    return {name for name in STEP_TEXT_DETAILS.values() if fields.get(name)}


def action_history(action: Action) -> list[AuditEntry]:
    """Audit rows of an action (the caller has already checked that the user may read it)."""
    return list(AuditEntry.objects.filter(object_type="learning.action", object_id=str(action.pk))
                .select_related("actor").order_by("timestamp", "id"))


def submitted_observations(*, user):
    """Observations waiting for review in the municipalities where the user is Moderation."""
    return (Observation.objects.filter(municipality__in=municipalities_with_role(user, minimum=Role.MODERATION),
                                       status=ObservationStatus.EINGEREICHT)
            .select_related("municipality").order_by("updated_at"))


def replacement_candidates(lesson: Lesson, *, user) -> QuerySet[Lesson]:
    return ks.visible(Lesson, user=user).exclude(pk=lesson.pk).exclude(status=LessonStatus.ERSETZT).order_by("title")


# --- recurring lessons ----------------------------------------------------------------------

RECURRING_MIN_CODES = 0.5   # Jaccard overlap of theme/capability codes
RECURRING_MIN_TEXT = 0.25   # cosine of TF-IDF vectors of title + finding + cause (demo: 0.55 vs ≤ 0.16)
HAZARD_SCHEME = "gefahren"


@dataclass
class SimilarLesson:
    lesson: Lesson
    code_overlap: float
    text_similarity: float

    @property
    def year(self) -> int:
        return identified_year(self.lesson)


def identified_year(lesson) -> int:
    """When a lesson was identified: the start of its phase (or crisis), else when it was recorded."""
    for period in (lesson.phase, lesson.crisis):
        if period is not None and period.start:
            return period.start.year
    return lesson.created_at.year


def _lesson_codes(lesson) -> set[str]:
    # Hazard codes say where a lesson came from, not what it is about.
    return {f"{c.scheme.key}:{c.key}" for c in lesson.codes.all() if c.scheme.key != HAZARD_SCHEME}


def _lesson_text(lesson) -> str:
    return f"{lesson.title}\n{lesson.finding}\n{lesson.cause}"


def similar_lessons(lesson: Lesson, *, user, limit: int = 5) -> list[SimilarLesson]:
    """Earlier readable lessons that look like ``lesson``: same codes and similar text."""
    codes = [c for c in lesson.codes.all() if c.scheme.key != HAZARD_SCHEME]
    return similar_to(_lesson_text(lesson), codes=codes, user=user, exclude=lesson.pk, limit=limit)


def similar_to(text: str, *, codes, user, exclude: int | None = None, limit: int = 5) -> list[SimilarLesson]:
    """Readable lessons resembling a (possibly unsaved) lesson text with the given codes.

    Candidates come from the search index (lessons sharing a code, in the user's scope);
    they are then kept by code overlap and ranked by text similarity.
    """
    codes = [c for c in codes if c.scheme.key != HAZARD_SCHEME]
    if not codes:
        return []
    page = search_in_scope(visibility_scope(user), text="", filters={"kind": ["lesson"], "code": [str(c.pk) for c in codes]},
                           per_page=10_000)
    ids = [hit.object_id for hit in page.hits if hit.object_id != exclude]
    # The code overlap is cheap (one query over the link table): only lessons passing it are
    # loaded and compared by text.
    their_codes: dict[int, set[str]] = {}
    for lesson_id, scheme, key in (Lesson.codes.through.objects.filter(lesson_id__in=ids)
                                   .exclude(code__scheme__key=HAZARD_SCHEME)
                                   .values_list("lesson_id", "code__scheme__key", "code__key")):
        their_codes.setdefault(lesson_id, set()).add(f"{scheme}:{key}")
    my_codes = {f"{c.scheme.key}:{c.key}" for c in codes}
    overlaps = {pk: similarity.jaccard(my_codes, theirs) for pk, theirs in their_codes.items()}
    passing = [pk for pk, overlap in overlaps.items() if overlap >= RECURRING_MIN_CODES]
    candidates = list(ks.visible(Lesson, user=user).filter(pk__in=passing).exclude(status=LessonStatus.ERSETZT))
    candidates.sort(key=identified_year)
    corpus = [similarity.terms(text), *(similarity.terms(_lesson_text(x)) for x in candidates)]
    weights = similarity.idf(corpus)
    mine = similarity.vector(corpus[0], weights)
    result = []
    for candidate, tokens in zip(candidates, corpus[1:], strict=True):
        closeness = similarity.cosine(mine, similarity.vector(tokens, weights))
        if closeness >= RECURRING_MIN_TEXT:
            result.append(SimilarLesson(candidate, overlaps[candidate.pk], closeness))
    result.sort(key=lambda s: (-(s.code_overlap + s.text_similarity), s.lesson.created_at))
    return result[:limit]


@dataclass
class RecurringGroup:
    lessons: list[Lesson]
    embedded_actions: int

    @property
    def years(self) -> list[int]:
        return sorted({identified_year(lesson) for lesson in self.lessons})


def recurring_report(*, user) -> list[RecurringGroup]:
    """Lessons identified more than once (connected by similarity) with no embedded action.

    "Embedded action" means: no lesson of the group is verankert and no readable action of
    the group is erledigt.
    """
    lessons = list(ks.visible(Lesson, user=user).exclude(status__in=[LessonStatus.ERSETZT, LessonStatus.ARCHIVIERT])
                   .prefetch_related("codes__scheme").order_by("created_at", "id"))
    corpus = [similarity.terms(_lesson_text(x)) for x in lessons]
    weights = similarity.idf(corpus)
    vectors = [similarity.vector(t, weights) for t in corpus]
    codes = [_lesson_codes(x) for x in lessons]
    parent = list(range(len(lessons)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only lessons sharing a code can reach the code threshold: compare those pairs only.
    by_code: dict[str, list[int]] = {}
    for i, lesson_codes in enumerate(codes):
        for code in lesson_codes:
            by_code.setdefault(code, []).append(i)
    pairs = {(i, j) for members in by_code.values() for n, i in enumerate(members) for j in members[n + 1:]}
    for i, j in sorted(pairs):
        if (similarity.jaccard(codes[i], codes[j]) >= RECURRING_MIN_CODES
                and similarity.cosine(vectors[i], vectors[j]) >= RECURRING_MIN_TEXT):
            parent[find(j)] = find(i)
    groups: dict[int, list[Lesson]] = {}
    for i, lesson in enumerate(lessons):
        groups.setdefault(find(i), []).append(lesson)
    done = dict(visible_actions(user=user).filter(status=ActionStatus.ERLEDIGT).values_list("lesson_id").annotate(n=Count("id")))
    result = []
    for members in groups.values():
        if len(members) < 2:
            continue
        if any(m.status == LessonStatus.VERANKERT for m in members):
            continue
        embedded = sum(done.get(m.pk, 0) for m in members)
        if embedded:
            continue
        result.append(RecurringGroup(members, embedded))
    result.sort(key=lambda g: (-len(g.lessons), g.lessons[0].title))
    return result


# --- self-assessment, training, exercises --------------------------------------------------


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.order_by("title")


def visible_assessments(*, user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(municipality__in=member_municipalities(user=user)).select_related("framework", "municipality")


def get_assessment(pk, *, user) -> Assessment:
    try:
        return visible_assessments(user=user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (Assessment.objects.filter(framework=assessment.framework, municipality=assessment.municipality)
            .filter(Q(date__lt=assessment.date) | Q(date=assessment.date, id__lt=assessment.pk))
            .order_by("-date", "-id").first())


def visible_modules(*, user) -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(visibility_scope(user).q()).select_related("municipality")


def get_module(pk, *, user) -> TrainingModule:
    try:
        return visible_modules(user=user).get(pk=pk)
    except (TrainingModule.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_exercises(*, user) -> QuerySet[ScenarioExercise]:
    return ScenarioExercise.objects.filter(visibility_scope(user).q()).select_related("municipality")


def get_exercise(pk, *, user) -> ScenarioExercise:
    try:
        return visible_exercises(user=user).get(pk=pk)
    except (ScenarioExercise.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def validatable_lessons(run: ExerciseRun) -> QuerySet[Lesson]:
    """Lessons of the practising municipality an exercise finding can validate (the run's readers are its members)."""
    return Lesson.objects.filter(municipality=run.municipality,
                                 status__in=[LessonStatus.IN_UMSETZUNG, LessonStatus.VERANKERT]).order_by("title")


def visible_runs(*, user) -> QuerySet[ExerciseRun]:
    return ExerciseRun.objects.filter(municipality__in=member_municipalities(user=user)).select_related("exercise", "municipality")


def get_run(pk, *, user) -> ExerciseRun:
    try:
        return visible_runs(user=user).get(pk=pk)
    except (ExerciseRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- crisis-onset briefing ------------------------------------------------------------------


@dataclass
class BriefingItem:
    kind: str
    kind_label: str
    title: str
    url: str
    score: float
    reasons: list[str]
    status: str = ""
    municipality: str = ""
    excerpt: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "url": self.url, "score": self.score,
                "status": self.status, "reasons": self.reasons}


MAX_BRIEFING_TITLE = 300
MAX_BRIEFING_DESCRIPTION = 5000


@dataclass
class BriefingResult:
    """The briefing for one crisis: ``items`` (top), ``more`` (per kind) and whether anything
    specific to the hazard exists (otherwise ``items`` is the nearest related knowledge)."""

    hazard: str
    hazard_label: str
    items: list[BriefingItem]
    more: dict[str, list[BriefingItem]]
    has_specific: bool

    @property
    def no_knowledge_message(self) -> str:
        if self.has_specific:
            return ""
        return str(_("Zu dieser Gefahrenart gibt es noch keine Erkenntnisse. Hier ist das nächstliegende Wissen "
                     "aus verwandten Gefahrenarten und zu Krisenbeginn allgemein."))


KIND_LABELS = {"lesson": _("Erkenntnis"), "action": _("Maßnahme"), "goodpractice": _("Gute Praxis"),
               "recommendation": _("Handlungsempfehlung"), "training": _("Fortbildungsmodul"),
               "scenario": _("Muster-Szenario"), "observation": _("Beobachtung")}
KIND_LABELS_PLURAL = {"lesson": _("Weitere Erkenntnisse"), "action": _("Weitere Maßnahmen"), "goodpractice": _("Weitere Gute Praxis"),
                      "recommendation": _("Weitere Handlungsempfehlungen"), "training": _("Weitere Fortbildungsmodule"),
                      "scenario": _("Weitere Muster-Szenarien"), "observation": _("Weitere Beobachtungen")}
REASON_LABELS = {
    "hazard": _("gleiche Gefahrenart"),
    "vocabulary": _("Begriffe dieser Gefahrenart"),
    "related": _("verwandte Gefahrenart"),
    "onset": _("Kernthema zu Krisenbeginn (Stab, Personal, Rückführung)"),
    "text": _("ähnlicher Text"),
    "breadth": _("in mehreren Städten belegt"),
}


def hazard_choices() -> list[tuple[str, str]]:
    """The known hazard types with their German labels (the briefing's vocabulary)."""
    from krisenwissen.knowledge.models import HazardType

    labels = dict(HazardType.choices)
    return [(name, str(labels.get(name, name))) for name in recall.known_hazards()]


def unknown_hazard_message(value: str) -> str:
    known = ", ".join(label for _name, label in hazard_choices())
    if not (value or "").strip():
        return str(_("Bitte geben Sie eine Gefahrenart an. Bekannt sind: %(known)s.") % {"known": known})
    return str(_("Die Gefahrenart „%(value)s“ ist unbekannt. Bekannt sind: %(known)s.") % {"value": value[:100], "known": known})


def resolve_hazard(value: str) -> str:
    """The known hazard type for ``value`` (type or mapped synonym), else a German ValidationError."""
    try:
        return recall.resolve_hazard(value)
    except recall.UnknownHazard:
        raise ValidationError(unknown_hazard_message(value), code="unknown_hazard") from None


def _code_keys() -> dict[int, str]:
    return {pk: f"{scheme}:{key}" for pk, scheme, key in Code.objects.values_list("pk", "scheme__key", "key")}


def _codes_by_item(model, ids, keys: dict[int, str]) -> dict[int, frozenset[str]]:
    """Codes of many items from the link table in one query (no model instances)."""
    through = model.codes.through
    column = through._meta.get_field(model._meta.model_name).attname
    result: dict[int, set[str]] = {}
    for item_id, code_id in through.objects.filter(**{f"{column}__in": ids}).values_list(column, "code_id"):
        result.setdefault(item_id, set()).add(keys[code_id])
    return {k: frozenset(v) for k, v in result.items()}


def _briefing_candidates(user) -> list[recall.Candidate]:
    """Everything ``user`` may read that can inform a crisis start (permission-aware)."""
    keys = _code_keys()
    none: frozenset[str] = frozenset()
    candidates: list[recall.Candidate] = []
    lessons = list(ks.visible(Lesson, user=user).exclude(status__in=[LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT])
                   .select_related("municipality"))
    lesson_ids = [x.pk for x in lessons]
    lesson_codes = _codes_by_item(Lesson, lesson_ids, keys)
    # Evidence breadth counts only readable observations (as the evidence trail does).
    cities: dict[int, set[int]] = {}
    for lesson_id, city in (Lesson.observations.through.objects
                            .filter(lesson_id__in=lesson_ids, observation__in=ks.visible(Observation, user=user).values("pk"))
                            .values_list("lesson_id", "observation__municipality_id")):
        cities.setdefault(lesson_id, set()).add(city)
    for lesson in lessons:
        candidates.append(recall.Candidate(
            "lesson", lesson.pk, lesson.title, f"{lesson.finding}\n{lesson.cause}", lesson_codes.get(lesson.pk, none),
            len(cities.get(lesson.pk, ())), open_lesson=lesson.status != LessonStatus.VERANKERT, payload=lesson))
    actions = list(visible_actions(user=user).exclude(status=ActionStatus.NICHT_UMGESETZT).select_related("municipality"))
    action_codes = _codes_by_item(Action, [a.pk for a in actions], keys)
    extra_lesson_codes = _codes_by_item(Lesson, {a.lesson_id for a in actions if a.lesson_id}, keys)
    for action in actions:
        codes = action_codes.get(action.pk, none) | extra_lesson_codes.get(action.lesson_id, none)
        if action.capability_id:
            codes |= {keys[action.capability_id]}
        candidates.append(recall.Candidate("action", action.pk, action.title, action.description, frozenset(codes), 1, payload=action))
    for kind, model, text in (("goodpractice", GoodPractice, lambda x: x.body_text), ("recommendation", Recommendation, lambda x: x.text)):
        items = list(ks.visible(model, user=user).select_related("municipality"))
        codes = _codes_by_item(model, [x.pk for x in items], keys)
        for x in items:
            candidates.append(recall.Candidate(kind, x.pk, x.title, text(x), codes.get(x.pk, none), 1, payload=x))
    # Reviewed observations (no quotes: a quote alone tells a crisis staff nothing to do).
    observations = list(ks.visible(Observation, user=user).filter(status=ObservationStatus.GEPRUEFT)
                        .exclude(kind="zitat").select_related("municipality"))
    observation_codes = _codes_by_item(Observation, [o.pk for o in observations], keys)
    for observation in observations:
        candidates.append(recall.Candidate("observation", observation.pk, str(observation), observation.text,
                                           observation_codes.get(observation.pk, none), 1, payload=observation))
    modules = list(visible_modules(user=user))
    module_codes = _codes_by_item(TrainingModule, [m.pk for m in modules], keys)
    for module in modules:
        candidates.append(recall.Candidate("training", module.pk, module.title, f"{module.summary}\n{module.text}",
                                           module_codes.get(module.pk, none), 1, payload=module))
    # Scenario templates carry their hazard as a type, not as codes: the type's own codes stand in.
    profiles = recall.vocabulary()
    for exercise in visible_exercises(user=user).prefetch_related("injects"):
        try:
            codes = profiles[recall.resolve_hazard(exercise.hazard_type)].codes
        except recall.UnknownHazard:
            codes = none
        injects = " ".join(i.text for i in exercise.injects.all())
        candidates.append(recall.Candidate("scenario", exercise.pk, exercise.title,
                                           f"{exercise.starting_situation}\n{injects}", codes, 1, payload=exercise))
    return candidates


def _briefing_item(r: recall.Ranked) -> BriefingItem:
    obj = r.candidate.payload
    status = obj.get_status_display() if hasattr(obj, "get_status_display") else ""
    text = " ".join(r.candidate.text.split())
    return BriefingItem(
        kind=r.candidate.kind, kind_label=str(KIND_LABELS[r.candidate.kind]), title=r.candidate.title,
        url=obj.get_absolute_url(), score=r.score, reasons=[str(REASON_LABELS[c]) for c in recall.reason_codes(r.signals)],
        status=str(status) if r.candidate.kind != "observation" else "",
        municipality=obj.municipality.name,
        excerpt=text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + " …",
    )


def briefing_result(*, user, title: str, hazard_type: str, description: str = "", limit: int = 12,
                    per_kind: int = 3) -> BriefingResult:
    """The most relevant readable knowledge for a new crisis (nothing is written).

    ``hazard_type`` must be a known hazard type or one of its mapped synonyms (see
    ``learning/data/hazards.json``); anything else raises a German ``ValidationError`` that
    lists the known types. ``user`` decides what is read: anonymous → public items only;
    actions appear only to members of their municipality; internal items only to members of
    the owning municipality. See :mod:`krisenwissen.learning.recall` for the scoring.
    """
    hazard = resolve_hazard(hazard_type)
    # Bounded: a pasted situation report must not make the text comparison arbitrarily slow.
    title, description = (title or "")[:MAX_BRIEFING_TITLE], (description or "")[:MAX_BRIEFING_DESCRIPTION]
    result = recall.brief(_briefing_candidates(user), title=title, hazard_type=hazard, description=description)
    ranked = result.ranked
    if not result.has_specific:
        # Nearest related knowledge only: related hazards and generic crisis-onset items with a signal.
        ranked = [r for r in ranked if r.score > 0]
    items = [_briefing_item(r) for r in ranked[:limit]]
    # "Also relevant", per kind: the next best of each kind that are not among the top items,
    # so that actions, good practices and training modules are never crowded out by lessons.
    more: dict[str, list[BriefingItem]] = {kind: [] for kind in recall.KIND_ORDER}
    if per_kind:
        for r in ranked[limit:]:
            bucket = more[r.candidate.kind]
            if len(bucket) < per_kind and r.score > 0 and (r.tier > recall.GENERIC or not result.has_specific):
                bucket.append(_briefing_item(r))
    labels = dict(hazard_choices())
    return BriefingResult(hazard=hazard, hazard_label=labels.get(hazard, hazard), items=items,
                          more={kind: bucket for kind, bucket in more.items() if bucket}, has_specific=result.has_specific)


def briefing(*, user, title: str, hazard_type: str, description: str = "", limit: int = 12,
             per_kind: int = 0) -> list[BriefingItem] | tuple[list[BriefingItem], dict[str, list[BriefingItem]]]:
    """The top items of :func:`briefing_result` (with ``per_kind``: also the "more" buckets)."""
    result = briefing_result(user=user, title=title, hazard_type=hazard_type, description=description,
                             limit=limit, per_kind=per_kind)
    return (result.items, result.more) if per_kind else result.items
