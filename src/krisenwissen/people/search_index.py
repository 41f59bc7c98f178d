"""What Köpfe kennen puts into the platform search (declared as ``PeopleConfig.search_index``).

A directory entry is found on "Suche" like a knowledge item, within the same read scope
(municipality + visibility). The document holds the name, position, organisation, department,
unit, functions, competences and languages: never reachability data (numbers, addresses,
call signs), so no search, snippet, CSV export or API answer can show a channel. This module
does not import the search app.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .indexing import prefetched
from .models import Person

models = [Person]


def kind(model) -> str:
    return "person"


def related(model) -> list:
    # Competences, functions and languages are not many-to-many fields: their actions refresh
    # Person.search_text with a save, which re-indexes the entry.
    return []


def _body(person: Person) -> str:
    parts = [person.position, person.unit]
    if person.organisation_id:
        parts.append(person.organisation.name)
    if person.department_id:
        parts.append(person.department.name)
    parts += [f"{h.function.name} ({h.get_role_display()})" for h in person.functions.all()]
    parts += [c.competence.label for c in person.competences.all()]
    return " · ".join(p for p in parts if p)


def document(obj: Person) -> dict:
    return {
        "kind": "person",
        "object_id": obj.pk,
        "municipality_id": obj.municipality_id,
        "visibility": obj.visibility,
        "title": obj.display_name,
        "body": _body(obj),
        "created_at": obj.created_at,
    }


def documents(model, objects: Sequence[Person], context: dict) -> Iterator[dict]:
    for person in prefetched(Person.objects.filter(pk__in=[p.pk for p in objects])).order_by("pk"):
        yield document(person)
