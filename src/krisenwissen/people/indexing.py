"""The who-to-call search text of directory entries (``Person.search_text``).

Folded and stemmed words (``search.text``, the same German normalisation as the knowledge
search) of the name, position, unit, department, organisation, functions, competences and
languages. Reachability data (numbers, addresses, call signs) never enters it, so no search
can find or reveal a private channel.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from krisenwissen.search.text import fold, stemmed_terms, tokenize

from .models import Person

BULK_THRESHOLD = 200


def text_of(person: Person) -> str:
    """The searchable words of one entry (expects related rows prefetched or loads them)."""
    parts = [person.display_name, person.given_name, person.family_name, person.position, person.unit]
    if person.department_id:
        parts.append(person.department.name)
    if person.organisation_id:
        organisation = person.organisation
        parts += [organisation.name, organisation.short_name, organisation.get_kind_display()]
        if organisation.parent_id:
            parts.append(organisation.parent.name)
    for holder in person.functions.all():
        parts += [holder.function.name, holder.function.get_doctrine_display() if holder.function.doctrine else ""]
    for held in person.competences.all():
        parts += [held.competence.label, held.competence.code.replace("-", " ")]
    parts += [language.code for language in person.languages.all()]
    text = " ".join(p for p in parts if p)
    words = set(tokenize(fold(text))) | set(stemmed_terms(text))
    return " " + " ".join(sorted(words)) + " "


def prefetched(queryset):
    return queryset.select_related("department", "organisation__parent").prefetch_related(
        "functions__function", "competences__competence", "languages")


def refresh_search_text(persons: Iterable[Person] | None = None) -> int:
    """Recompute ``search_text`` of ``persons`` (all entries when None); returns the number changed."""
    if persons is None:
        queryset = Person.objects.all()
    else:
        ids = [p.pk for p in persons]
        queryset = Person.objects.filter(pk__in=ids)
    changed = []
    for person in prefetched(queryset).iterator(chunk_size=500):
        text = text_of(person)
        if text != person.search_text:
            person.search_text = text
            changed.append(person)
    if len(changed) <= BULK_THRESHOLD:
        # A save per entry: the platform search re-indexes each after the commit.
        for person in changed:
            person.save(update_fields=["search_text"])
    else:
        from krisenwissen.core.exchange import bulk_written

        Person.objects.bulk_update(changed, ["search_text"], batch_size=500)
        # Many rows at once (an import): the search index is rebuilt once after the commit.
        transaction.on_commit(lambda: bulk_written.send(sender=Person, models=[Person]))
    return len(changed)


def query_terms(text: str) -> list[tuple[str, str]]:
    """(folded word, stem) per word of a user query (at most 12 words, stopwords dropped)."""
    result = []
    for word in tokenize(fold(text or ""))[:12]:
        stems = stemmed_terms(word)
        if not stems:
            continue
        result.append((word, stems[0]))
    return result
