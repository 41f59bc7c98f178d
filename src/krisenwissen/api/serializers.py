"""Plain-dict representations of knowledge items for the read-only API."""

from __future__ import annotations

from krisenwissen.knowledge.models import (
    GoodPractice,
    KnowledgeItem,
    Lesson,
    Observation,
    Recommendation,
)


def _common(item: KnowledgeItem, request) -> dict:
    return {
        "id": str(item.uuid),
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "municipality": {"name": item.municipality.name, "ags": item.municipality.ags},
        "visibility": item.visibility,
        "crisis": item.crisis.title if item.crisis else None,
        "phase": {"number": item.phase.number, "name": item.phase.name} if item.phase else None,
        "department_function": item.department_function or None,
        "codes": [{"scheme": c.scheme.key, "key": c.key, "name": c.name} for c in item.codes.all()],
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }


def observation(item: Observation, request, visible_ids=None) -> dict:
    data = _common(item, request)
    data.update(kind=item.kind, text=item.text, anonymous=item.anonymous,
                source={"kind": item.source.kind, "title": item.source.title, "citation": item.source.citation} if item.source else None)
    return data


def lesson(item: Lesson, request, visible_ids=None) -> dict:
    data = _common(item, request)
    observations = [o for o in item.observations.all() if visible_ids is None or o.pk in visible_ids.get("observation", ())]
    data.update(title=item.title, finding=item.finding, cause=item.cause, status=item.status,
                observations=[str(o.uuid) for o in observations])
    return data


def recommendation(item: Recommendation, request, visible_ids=None) -> dict:
    data = _common(item, request)
    lessons = [lesson for lesson in item.lessons.all() if visible_ids is None or lesson.pk in visible_ids.get("lesson", ())]
    data.update(title=item.title, text=item.text, addressee_level=item.addressee_level, lessons=[str(x.uuid) for x in lessons])
    return data


def goodpractice(item: GoodPractice, request, visible_ids=None) -> dict:
    data = _common(item, request)
    data.update(title=item.title, city=item.city, country=item.country, problem=item.problem, solution=item.solution,
                results=item.results, transferability=item.transferability, contact=item.contact,
                sources=[{"kind": s.kind, "title": s.title, "citation": s.citation} for s in item.sources.all()])
    return data


# What each serializer reads beyond the item's own row, loaded with the page (no query per item).
RELATED = {
    "observation": (("source",), ()),
    "lesson": ((), ("observations",)),
    "recommendation": ((), ("lessons",)),
    "goodpractice": ((), ("sources",)),
}

SERIALIZERS = {"observation": observation, "lesson": lesson, "recommendation": recommendation, "goodpractice": goodpractice}
