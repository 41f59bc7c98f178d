"""Permission-aware reads of the directory (keyword-only ``user``).

Every list of people goes through :func:`visible_people`: the read scope of knowledge items
(``accounts.selectors.VisibilityScope``) applied to ``Person.municipality`` and
``Person.visibility``, so an ``intern`` entry of another city never appears, ``netzwerk``
entries appear in the cities of a shared network. Channels come from :func:`shared_channels`
(audience "alle_berechtigten"); private channels are read only through the audited action
``people.actions.do_view_private_channels``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.accounts.selectors import visibility_scope
from krisenwissen.core.policy import has_perm, is_system
from krisenwissen.knowledge.models import Lesson, Observation
from krisenwissen.learning.models import OPEN_STATUSES, Action

from .indexing import query_terms
from .models import (
    Audience,
    Availability,
    Channel,
    ChannelKind,
    CompetenceArea,
    Function,
    FunctionHolder,
    Handover,
    HolderRole,
    OrganisationKind,
    Person,
    PersonCompetence,
)

DEFAULT_CONFIRM_MONTHS = 6
# Office hours for "erreichbar jetzt" of channels marked Bürozeiten: weekday range and hours.
DEFAULT_OFFICE_HOURS = ((0, 4), (dt.time(8, 0), dt.time(16, 0)))
MAX_RESULTS = 200


def confirm_months() -> int:
    return max(1, int(getattr(settings, "KRISENWISSEN_PEOPLE_CONFIRM_MONTHS", DEFAULT_CONFIRM_MONTHS)))


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """Entries last confirmed before this moment are stale (never confirmed ones too)."""
    now = now or timezone.now()
    return now - dt.timedelta(days=round(confirm_months() * 30.44))


def is_stale(person: Person, now: dt.datetime | None = None) -> bool:
    return person.last_confirmed_at is None or person.last_confirmed_at < stale_before(now)


def stale_q(now: dt.datetime | None = None) -> Q:
    return Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=stale_before(now))


def channel_available(channel: Channel, now: dt.datetime | None = None) -> bool:
    """Whether the channel is reachable at ``now`` (local time)."""
    if channel.availability in (Availability.RUND_UM_DIE_UHR, Availability.RUFBEREITSCHAFT):
        return True
    local = timezone.localtime(now or timezone.now())
    (first_day, last_day), (start, end) = getattr(settings, "KRISENWISSEN_PEOPLE_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    return first_day <= local.weekday() <= last_day and start <= local.time() < end


def _shared_channels_q() -> Q:
    return Q(audience=Audience.ALLE_BERECHTIGTEN) & ~Q(kind=ChannelKind.PRIVAT)


def visible_people(*, user) -> QuerySet[Person]:
    """Every directory entry ``user`` may read (commands acting as SYSTEM read all)."""
    if is_system(user):
        return Person.objects.all()
    return Person.objects.filter(visibility_scope(user).q())


def person_for(pk: int, *, user) -> Person:
    """The entry ``pk`` if ``user`` may read it, else 404 (also for entries that exist elsewhere)."""
    person = visible_people(user=user).select_related(
        "municipality", "organisation__parent", "department", "account", "maintained_by").filter(pk=pk).first()
    if person is None:
        raise Http404(_("Diesen Eintrag gibt es nicht oder Sie dürfen ihn nicht sehen."))
    return person


def shared_channels(person: Person) -> list[Channel]:
    """The channels everyone who reads the entry may see (never private ones)."""
    return list(person.channels.filter(_shared_channels_q()))


def has_private_channels(person: Person) -> bool:
    return person.channels.exclude(_shared_channels_q()).exists()


def private_channels_of(person: Person) -> list[Channel]:
    """Private channels, unchecked: only for ``actions.do_view_private_channels`` (audited)."""
    return list(person.channels.exclude(_shared_channels_q()))


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class PersonRow:
    person: Person
    channels: list[Channel]
    available_now: bool
    stale: bool
    functions: list[FunctionHolder]
    competences: list[PersonCompetence]


@dataclass
class DirectoryPage:
    text: str
    rows: list[PersonRow]
    total: int
    truncated: bool
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stale_count: int = 0


FACET_KEYS = ("kommune", "bereich", "organisation", "funktion", "kompetenz", "sprache", "erreichbar", "aktualitaet")


def _clean_filters(filters) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for key in FACET_KEYS:
        values = (filters or {}).get(key) or ()
        if isinstance(values, str):
            values = (values,)
        cleaned = tuple(dict.fromkeys(str(v)[:80] for v in values if str(v).strip()))[:20]
        if cleaned:
            result[key] = cleaned
    return result


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]


def _apply_filters(queryset: QuerySet[Person], filters: dict[str, tuple[str, ...]], *, skip: str = "", now=None) -> QuerySet[Person]:
    for key, values in filters.items():
        if key == skip:
            continue
        if key == "kommune":
            queryset = queryset.filter(municipality_id__in=_ids(values))
        elif key == "bereich":
            queryset = queryset.filter(department__function__in=[v for v in values if v in DepartmentFunction.values])
        elif key == "organisation":
            queryset = queryset.filter(organisation__kind__in=[v for v in values if v in OrganisationKind.values])
        elif key == "funktion":
            queryset = queryset.filter(functions__function__name__in=values)
        elif key == "kompetenz":
            queryset = queryset.filter(competences__competence__code__in=values)
        elif key == "sprache":
            queryset = queryset.filter(languages__code__in=values)
        elif key == "aktualitaet":
            if "veraltet" in values and "aktuell" not in values:
                queryset = queryset.filter(stale_q(now))
            elif "aktuell" in values and "veraltet" not in values:
                queryset = queryset.exclude(stale_q(now))
    return queryset.distinct()


def search_people(*, user, text: str = "", filters=None, now: dt.datetime | None = None) -> DirectoryPage:
    """Who to call: German full-text over names, functions, competences and organisations,
    with facets, within what ``user`` may read; each row shows the shared channels and
    whether the person is reachable now. Private channels are never part of it."""
    now = now or timezone.now()
    text = (text or "").strip()[:200]
    selected = _clean_filters(filters)
    base = visible_people(user=user)
    for word, stem in query_terms(text):
        base = base.filter(Q(search_text__contains=f" {word}") | Q(search_text__contains=stem))
    matches = _apply_filters(base, selected, now=now)

    shared = Prefetch("channels", queryset=Channel.objects.filter(_shared_channels_q()), to_attr="shared_channels")
    people = list(
        matches.select_related("municipality", "organisation", "department")
        .prefetch_related(shared, "functions__function", "competences__competence")
        .order_by("family_name", "display_name", "pk")[: MAX_RESULTS + 1]
    )
    truncated = len(people) > MAX_RESULTS
    people = people[:MAX_RESULTS]
    rows = []
    for person in people:
        channels = person.shared_channels
        rows.append(PersonRow(
            person=person, channels=channels,
            available_now=any(channel_available(c, now) for c in channels),
            stale=is_stale(person, now),
            functions=list(person.functions.all()),
            competences=list(person.competences.all()),
        ))
    if "erreichbar" in selected and "jetzt" in selected["erreichbar"]:
        rows = [row for row in rows if row.available_now]
    total = len(rows) if "erreichbar" in selected else matches.count()

    facets = _facets(base, selected, now)
    stale_count = _apply_filters(base, selected, skip="aktualitaet", now=now).filter(stale_q(now)).count()
    return DirectoryPage(text=text, rows=rows, total=total, truncated=truncated, facets=facets,
                         filters=selected, stale_count=stale_count)


def _facets(base: QuerySet[Person], selected: dict, now) -> dict[str, list[FacetValue]]:
    """Counts per facet value over the matches of all *other* facets (multi-select facets)."""

    def build(key, pairs, labels):
        chosen = set(selected.get(key, ()))
        values = [FacetValue(str(v), str(labels.get(v, v)), c, str(v) in chosen) for v, c in pairs if v not in (None, "")]
        return sorted(values, key=lambda f: (-f.count, f.label))[:30]

    facets = {}
    # order_by(): the model's default ordering would join GROUP BY and split a value into several rows.
    qs = _apply_filters(base, selected, skip="kommune", now=now)
    pairs = qs.order_by().values_list("municipality_id").annotate(n=Count("pk", distinct=True))
    names = dict(Municipality.objects.filter(pk__in=[p for p, _n in pairs]).values_list("pk", "name"))
    facets["kommune"] = build("kommune", pairs, names)
    qs = _apply_filters(base, selected, skip="bereich", now=now)
    facets["bereich"] = build("bereich", qs.order_by().values_list("department__function").annotate(n=Count("pk", distinct=True)),
                              dict(DepartmentFunction.choices))
    qs = _apply_filters(base, selected, skip="organisation", now=now)
    facets["organisation"] = build("organisation", qs.order_by().values_list("organisation__kind").annotate(n=Count("pk", distinct=True)),
                                   dict(OrganisationKind.choices))
    qs = _apply_filters(base, selected, skip="funktion", now=now)
    facets["funktion"] = build("funktion", qs.order_by().values_list("functions__function__name").annotate(n=Count("pk", distinct=True)), {})
    qs = _apply_filters(base, selected, skip="kompetenz", now=now)
    labels = dict(CompetenceArea.objects.values_list("code", "label"))
    facets["kompetenz"] = build("kompetenz", qs.order_by().values_list("competences__competence__code").annotate(n=Count("pk", distinct=True)), labels)
    qs = _apply_filters(base, selected, skip="sprache", now=now)
    facets["sprache"] = build("sprache", qs.order_by().values_list("languages__code").annotate(n=Count("pk", distinct=True)), {})
    qs = _apply_filters(base, selected, skip="aktualitaet", now=now)
    stale = qs.filter(stale_q(now)).count()
    fresh = qs.count() - stale
    chosen = set(selected.get("aktualitaet", ()))
    facets["aktualitaet"] = [
        FacetValue("aktuell", str(_("aktuell")), fresh, "aktuell" in chosen),
        FacetValue("veraltet", str(_("Bestätigung überfällig")), stale, "veraltet" in chosen),
    ]
    return facets


# --- coverage ---------------------------------------------------------------------------


@dataclass
class LeavingRow:
    person: Person
    functions: list[str]
    competences: list[str]
    lessons: int
    observations: int
    open_actions: int

    @property
    def holds_something(self) -> bool:
        return bool(self.functions or self.competences or self.lessons or self.observations or self.open_actions)


@dataclass
class CoverageReport:
    municipality: Municipality
    functions_without_deputy: list[Function]
    functions_without_holder: list[Function]
    single_holder_competences: list[tuple[CompetenceArea, Person]]
    stale_people: list[Person]
    people_total: int
    leaving: list[LeavingRow]

    def as_dict(self) -> dict:
        return {
            "kommune": {"ags": self.municipality.ags, "name": self.municipality.name},
            "personen": self.people_total,
            "funktionen_ohne_vertretung": [{"id": f.pk, "name": f.name, "art": f.kind, "stabsfunktion": f.doctrine} for f in self.functions_without_deputy],
            "funktionen_ohne_besetzung": [{"id": f.pk, "name": f.name, "art": f.kind, "stabsfunktion": f.doctrine} for f in self.functions_without_holder],
            "kompetenzen_einfach_besetzt": [{"kompetenz": c.code, "bezeichnung": c.label, "person_id": p.pk, "person": p.display_name}
                                            for c, p in self.single_holder_competences],
            "veraltete_eintraege": [{"person_id": p.pk, "person": p.display_name,
                                     "zuletzt_bestaetigt": p.last_confirmed_at.isoformat() if p.last_confirmed_at else None}
                                    for p in self.stale_people],
            "ausscheidende": [{"person_id": r.person.pk, "person": r.person.display_name,
                               "scheidet_aus_am": r.person.leaving_on.isoformat() if r.person.leaving_on else None,
                               "grund": r.person.leaving_reason, "funktionen": r.functions, "kompetenzen": r.competences,
                               "erkenntnisse": r.lessons, "beobachtungen": r.observations, "offene_massnahmen": r.open_actions}
                              for r in self.leaving],
        }


def coverage_municipalities(*, user) -> QuerySet[Municipality]:
    """Municipalities whose coverage report ``user`` may see."""
    ids = set(Person.objects.values_list("municipality_id", flat=True)) | set(Function.objects.values_list("municipality_id", flat=True))
    municipalities = Municipality.objects.filter(pk__in=ids).order_by("name")
    if is_system(user):
        return municipalities
    return municipalities.filter(pk__in=[m.pk for m in municipalities if has_perm(user, "people.view_coverage", m)])


def coverage(municipality: Municipality, *, user, now: dt.datetime | None = None) -> CoverageReport:
    """Where the municipality depends on single people (checked: ``people.view_coverage``)."""
    from krisenwissen.core.policy import require_perm

    require_perm(user, "people.view_coverage", municipality)
    now = now or timezone.now()
    people = Person.objects.filter(municipality=municipality)
    functions = list(Function.objects.filter(municipality=municipality).annotate(
        inhaber=Count("holders", filter=Q(holders__role=HolderRole.INHABER)),
        vertretung=Count("holders", filter=Q(holders__role=HolderRole.VERTRETUNG)),
    ).order_by("kind", "order", "name"))
    without_deputy = [f for f in functions if f.inhaber and not f.vertretung]
    without_holder = [f for f in functions if not f.inhaber]

    holders: dict[int, list[PersonCompetence]] = defaultdict(list)
    for held in PersonCompetence.objects.filter(person__municipality=municipality).select_related("competence", "person"):
        holders[held.competence_id].append(held)
    single = sorted(((h[0].competence, h[0].person) for h in holders.values() if len(h) == 1), key=lambda pair: pair[0].label)

    stale = list(people.filter(stale_q(now)).order_by("last_confirmed_at", "display_name"))
    horizon = timezone.localdate(now) + dt.timedelta(days=365)
    leaving_people = list(people.filter(leaving_on__isnull=False, leaving_on__lte=horizon).order_by("leaving_on"))
    counts = Counter(PersonCompetence.objects.filter(person__municipality=municipality).values_list("competence_id", flat=True))
    leaving = []
    for person in leaving_people:
        functions_held = [f"{h.function.name} ({h.get_role_display()})" for h in person.functions.select_related("function")]
        competences = [
            str(c.competence.label) + (str(_(" (einzige Person)")) if counts[c.competence_id] == 1 else "")
            for c in person.competences.select_related("competence")
        ]
        lessons = observations = open_actions = 0
        if person.account_id:
            lessons = Lesson.objects.filter(created_by_id=person.account_id).count()
            observations = Observation.objects.filter(created_by_id=person.account_id).count()
            open_actions = Action.objects.filter(owner_id=person.account_id, status__in=OPEN_STATUSES).count()
        row = LeavingRow(person, functions_held, competences, lessons, observations, open_actions)
        if row.holds_something:
            leaving.append(row)
    return CoverageReport(municipality, without_deputy, without_holder, single, stale, people.count(), leaving)


# --- Wissensübergabe ----------------------------------------------------------------------


def handovers_for(person: Person, *, user) -> QuerySet[Handover]:
    if not has_perm(user, "people.view_handover", person):
        return Handover.objects.none()
    return person.handovers.all()


def successor_candidates(person: Person, *, user) -> QuerySet[Person]:
    """People of the same municipality who could take over (readable by ``user``)."""
    return visible_people(user=user).filter(municipality_id=person.municipality_id).exclude(pk=person.pk).order_by("family_name", "display_name")


def own_entry(*, user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(account=user).first()


def functions_of(municipality_id: int, *, user) -> QuerySet[Function]:
    return Function.objects.filter(municipality_id=municipality_id).prefetch_related("holders__person")
