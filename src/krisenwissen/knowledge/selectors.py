"""Permission-aware reads of the knowledge base. Views never query knowledge models directly."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from krisenwissen.accounts.models import Municipality, Role
from krisenwissen.accounts.selectors import (
    members_with_role,
    municipalities_with_role,
    participating_municipalities,
    visibility_scope,
)
from krisenwissen.core.params import id_list

from .models import (
    Code,
    Crisis,
    GoodPractice,
    KnowledgeItem,
    Lesson,
    Observation,
    ObservationKind,
    Phase,
    PublicationReview,
    Recommendation,
    ReviewStatus,
    Scheme,
)

THEME_SCHEME = "themen"


def visible(model: type[KnowledgeItem], *, user) -> QuerySet:
    """All items of ``model`` the user may read."""
    return model.objects.filter(visibility_scope(user).q()).select_related("municipality", "crisis", "phase")


def get_visible(model: type[KnowledgeItem], *, pk, user):
    """The item, or Http404 when it does not exist or the user may not read it.

    Both cases look the same so that the existence of internal items does not leak.
    """
    try:
        return visible(model, user=user).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def themes() -> QuerySet[Code]:
    """The focus themes: top-level codes of the theme scheme."""
    return Code.objects.filter(scheme__key=THEME_SCHEME, parent__isnull=True).order_by("order", "name")


def code_book() -> QuerySet[Scheme]:
    """The code book: all schemes with their codes."""
    return Scheme.objects.prefetch_related("codes")


def descendant_ids(code_ids) -> set[int]:
    """The given codes and all codes below them."""
    result = set(code_ids)
    frontier = set(code_ids)
    while frontier:
        frontier = set(Code.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= frontier
    return result


def current_crisis() -> Crisis | None:
    return Crisis.objects.prefetch_related("phases").order_by("-start").first()


def _scope_branches(scope) -> list[Q]:
    """The visibility condition of ``scope`` as disjoint parts (public; own, not public; network
    items of other cities). Each part uses an index by itself, where the OR of all three makes
    SQLite collect and sort every visible row; counts of the parts add up, newest-first lists merge."""
    if scope.everything:
        return [Q()]
    branches = [Q(visibility="oeffentlich")]
    if scope.own:
        branches.append(Q(municipality_id__in=scope.own) & ~Q(visibility="oeffentlich"))
    network = scope.network - scope.own
    if network:
        branches.append(Q(visibility="netzwerk", municipality_id__in=network))
    return branches


def visible_parts(model: type[KnowledgeItem], *, user) -> list[QuerySet]:
    """:func:`visible` as disjoint querysets (see ``_scope_branches``): together exactly the
    items the user may read, each part fast to count and to page by key on its own."""
    return [model.objects.filter(branch).select_related("municipality", "crisis", "phase")
            for branch in _scope_branches(visibility_scope(user))]


def latest_items(*, user, limit: int = 6) -> list[KnowledgeItem]:
    """The newest readable items of all kinds, newest first."""
    # The keys of each kind's newest items per visibility part first (from the date indexes,
    # no joins, no objects), then only the winners are loaded.
    newest: list[tuple] = []
    branches = _scope_branches(visibility_scope(user))
    models = (Observation, Lesson, Recommendation, GoodPractice)
    for index, model in enumerate(models):
        for branch in branches:
            newest.extend((created_at, pk, index) for created_at, pk in
                          model.objects.filter(branch).order_by("-created_at", "-id").values_list("created_at", "id")[:limit])
    newest.sort(reverse=True)
    chosen = newest[:limit]
    loaded = {}
    for index, model in enumerate(models):
        pks = [pk for _created, pk, kind in chosen if kind == index]
        if pks:
            for item in model.objects.filter(pk__in=pks).select_related("municipality", "crisis", "phase"):
                loaded[(index, item.pk)] = item
    return [loaded[(kind, pk)] for _created, pk, kind in chosen if (kind, pk) in loaded]


def counts_by_kind(*, user) -> dict[str, int]:
    branches = _scope_branches(visibility_scope(user))
    return {model.kind_key: sum(model.objects.filter(branch).order_by().count() for branch in branches)
            for model in (Observation, Lesson, Recommendation, GoodPractice)}


@dataclass
class CityCoverage:
    """How many different cities an item's evidence comes from."""

    cities: list[Municipality]
    total: int

    @property
    def count(self) -> int:
        return len(self.cities)


def coverage(observations, *, total: int | None = None) -> CityCoverage:
    cities = sorted({o.municipality for o in observations}, key=lambda m: m.name)
    if total is None:
        total = participating_municipalities().count()
    return CityCoverage(cities=cities, total=max(total, len(cities)))


@dataclass
class LessonEvidence:
    lesson: Lesson
    observations: list[Observation]
    coverage: CityCoverage


@dataclass
class RecommendationEvidence:
    recommendation: Recommendation
    lessons: list[LessonEvidence] = field(default_factory=list)
    coverage: CityCoverage | None = None


def _visible_observations_prefetch(*, user) -> Prefetch:
    return Prefetch(
        "observations",
        queryset=visible(Observation, user=user).select_related("source").order_by("municipality__name", "id"),
        to_attr="visible_observations",
    )


def lesson_evidence(lesson: Lesson, *, user, total: int | None = None) -> LessonEvidence:
    """A lesson with the observations behind it that the user may read."""
    observations = list(visible(Observation, user=user).filter(lessons=lesson).select_related("source").order_by("municipality__name", "id"))
    return LessonEvidence(lesson, observations, coverage(observations, total=total))


def recommendation_evidence(recommendation: Recommendation, *, user) -> RecommendationEvidence:
    """The evidence trail: readable lessons of the recommendation, each with its readable observations."""
    total = participating_municipalities().count()
    lessons = visible(Lesson, user=user).filter(recommendations=recommendation).prefetch_related(_visible_observations_prefetch(user=user))
    trail = RecommendationEvidence(recommendation)
    all_observations: list[Observation] = []
    for lesson in lessons:
        trail.lessons.append(LessonEvidence(lesson, lesson.visible_observations, coverage(lesson.visible_observations, total=total)))
        all_observations.extend(lesson.visible_observations)
    trail.coverage = coverage(all_observations, total=total)
    return trail


@dataclass
class PublishedCoverage:
    """The evidence strength Redaktion published with a recommendation (no cities, no items)."""

    count: int
    total: int
    cities: tuple = ()
    published: bool = True


def shown_coverage(item: Lesson | Recommendation, live: CityCoverage) -> CityCoverage | PublishedCoverage:
    """What a reader is told about a lesson's or recommendation's evidence: the figure from the
    evidence the reader may read, or, when that is less, the figure published with the item."""
    published = item.evidence_cities
    if item.visibility != "intern" and published is not None and published > live.count:
        return PublishedCoverage(count=published, total=max(item.evidence_total or 0, published))
    return live


def lessons_citing(observation: Observation, *, user) -> QuerySet[Lesson]:
    return visible(Lesson, user=user).filter(observations=observation)


def recommendations_citing(lesson: Lesson, *, user) -> QuerySet[Recommendation]:
    return visible(Recommendation, user=user).filter(lessons=lesson)


# --- lists with filters (recommendations, good practices, lessons) ---------------------

LIST_FILTERS = ("theme", "phase", "municipality", "addressee_level", "status")


def filter_items(qs: QuerySet, *, params) -> QuerySet:
    """Apply the common list filters from a QueryDict-like mapping of lists."""
    theme_ids = id_list(params, "theme")
    if theme_ids:
        qs = qs.filter(codes__in=descendant_ids(theme_ids)).distinct()
    phase_ids = id_list(params, "phase")
    if phase_ids:
        qs = qs.filter(phase_id__in=phase_ids)
    municipality_ids = id_list(params, "municipality")
    if municipality_ids:
        qs = qs.filter(municipality_id__in=municipality_ids)
    model = qs.model
    levels = [v for v in params.getlist("addressee_level") if v]
    if levels and hasattr(model, "addressee_level"):
        qs = qs.filter(addressee_level__in=levels)
    statuses = [v for v in params.getlist("status") if v]
    if statuses and model is Lesson:
        qs = qs.filter(status__in=statuses)
    return qs


def recommendation_list(*, user, params) -> QuerySet[Recommendation]:
    qs = visible(Recommendation, user=user).annotate(lesson_count=Count("lessons", distinct=True))
    return filter_items(qs, params=params).prefetch_related("codes").order_by("title")


def goodpractice_list(*, user, params) -> QuerySet[GoodPractice]:
    return filter_items(visible(GoodPractice, user=user), params=params).prefetch_related("codes").order_by("title")


def lesson_list(*, user, params) -> QuerySet[Lesson]:
    qs = visible(Lesson, user=user).annotate(observation_count=Count("observations", distinct=True))
    return filter_items(qs, params=params).prefetch_related("codes").order_by("title")


# --- city comparison ---------------------------------------------------------------------


COMPARE_PER_PAGE = 10


@dataclass
class CityColumn:
    """One city of the comparison: its counts per kind and one page of its newest observations."""

    municipality: Municipality
    groups: OrderedDict[str, list[Observation]]
    lessons: list[Lesson]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def observation_count(self) -> int:
        return sum(self.counts.values())

    @property
    def kind_counts(self) -> list[tuple[str, int]]:
        """(label, count) per kind with observations, in the kinds' order."""
        return [(str(kind.label), self.counts[kind.value]) for kind in ObservationKind if self.counts.get(kind.value)]


@dataclass
class Comparison:
    columns: list[CityColumn]
    page: int = 1
    num_pages: int = 1
    per_page: int = COMPARE_PER_PAGE


def comparable_cities(*, user) -> QuerySet[Municipality]:
    """Participating municipalities; the comparison shows only what the user may read of each."""
    return participating_municipalities()


def _compared_observations(*, user, cities, theme_id=None, phase_id=None) -> QuerySet[Observation]:
    observations = visible(Observation, user=user).filter(municipality__in=cities)
    if theme_id:
        # A subquery rather than a join: no duplicates, so no DISTINCT over all rows.
        tagged = Observation.codes.through.objects.filter(code_id__in=descendant_ids([theme_id]))
        observations = observations.filter(pk__in=tagged.values("observation_id"))
    if phase_id:
        observations = observations.filter(phase_id=phase_id)
    return observations


def compare_cities(*, user, municipality_ids, theme_id=None, phase_id=None, page: int = 1,
                   per_page: int = COMPARE_PER_PAGE) -> Comparison:
    """Side by side: each city's readable observations for a theme and phase, counted per kind,
    with one page (newest first, ``per_page`` per city) of them grouped by kind."""
    cities = list(comparable_cities(user=user).filter(id__in=municipality_ids))
    observations = _compared_observations(user=user, cities=cities, theme_id=theme_id, phase_id=phase_id)
    lessons = visible(Lesson, user=user).filter(municipality__in=cities)
    if theme_id:
        lessons = lessons.filter(codes__in=descendant_ids([theme_id])).distinct()
    if phase_id:
        lessons = lessons.filter(Q(phase_id=phase_id) | Q(observations__phase_id=phase_id)).distinct()
    lessons = list(lessons)
    counts: dict[int, dict[str, int]] = {city.id: {} for city in cities}
    for row in observations.order_by().values("municipality_id", "kind").annotate(n=Count("id")):
        counts[row["municipality_id"]][row["kind"]] = row["n"]
    largest = max((sum(c.values()) for c in counts.values()), default=0)
    num_pages = max(1, -(-largest // per_page))
    page = min(max(1, page), num_pages)
    offset = (page - 1) * per_page
    columns = []
    for city in cities:
        groups: OrderedDict[str, list[Observation]] = OrderedDict((kind.label, []) for kind in ObservationKind)
        for obs in observations.filter(municipality_id=city.id).order_by("-created_at", "-id")[offset:offset + per_page]:
            groups[obs.get_kind_display()].append(obs)
        columns.append(CityColumn(city, groups, [lesson for lesson in lessons if lesson.municipality_id == city.id],
                                  counts=counts[city.id]))
    return Comparison(columns=columns, page=page, num_pages=num_pages, per_page=per_page)


def compare_export_rows(*, user, municipality_ids, theme_id=None, phase_id=None):
    """Every compared observation for the CSV export, streamed: (city, kind label, observation),
    city by city in the page's order, kind by kind, newest first."""
    cities = list(comparable_cities(user=user).filter(id__in=municipality_ids))
    observations = _compared_observations(user=user, cities=cities, theme_id=theme_id, phase_id=phase_id)
    for city in cities:
        for kind in ObservationKind:
            for obs in observations.filter(municipality_id=city.id, kind=kind.value).order_by("-created_at", "-id").iterator(chunk_size=2000):
                yield city, str(kind.label), obs


# --- publication reviews -----------------------------------------------------------------


def review_queue(*, user) -> QuerySet[PublicationReview]:
    """Open publication requests of the municipalities in which the user is Redaktion."""
    municipalities = municipalities_with_role(user, minimum=Role.REDAKTION)
    return (
        PublicationReview.objects.filter(municipality__in=municipalities, status=ReviewStatus.OFFEN)
        .select_related("municipality", "requested_by", "content_type")
        .order_by("requested_at")
    )


def get_reviewable(pk, *, user) -> PublicationReview:
    municipalities = municipalities_with_role(user, minimum=Role.REDAKTION)
    try:
        return PublicationReview.objects.select_related("municipality").get(pk=pk, municipality__in=municipalities)
    except (PublicationReview.DoesNotExist, ValueError):
        raise Http404 from None


def open_review_for(item) -> PublicationReview | None:
    return PublicationReview.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, status=ReviewStatus.OFFEN
    ).first()


def other_reviewers(review: PublicationReview, *, user) -> QuerySet:
    """The Redaktion members of the review's municipality other than ``user`` (the four-eyes partners)."""
    return members_with_role(review.municipality_id, minimum=Role.REDAKTION).exclude(pk=getattr(user, "pk", None))


def phases_of(crisis: Crisis | None) -> QuerySet[Phase]:
    if crisis is None:
        return Phase.objects.none()
    return crisis.phases.order_by("number")
