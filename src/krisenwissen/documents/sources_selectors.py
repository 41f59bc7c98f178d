"""Reads of the research sources part (keyword-only, permission-aware)."""

from __future__ import annotations

from collections import Counter

from krisenwissen.accounts.gemeinden import STATE_NAMES
from krisenwissen.accounts.models import Municipality
from krisenwissen.accounts.selectors import visibility_scope

from . import survey
from .sources_models import Interview, LiteratureRecord, Survey


def _scoped(queryset, user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    return queryset.filter(visibility_scope(user).q())


def readable_surveys(*, user):
    return _scoped(Survey.objects.all(), user)


def readable_literature(*, user):
    return _scoped(LiteratureRecord.objects.all(), user)


def readable_interviews(*, user):
    from .ingest_selectors import readable_documents

    return Interview.objects.filter(document__in=readable_documents(user=user))


GROUPINGS = {"groesse": "Größenklasse der Kommune", "land": "Land"}


def response_groups(*, survey_obj: Survey, by: str) -> list[str]:
    """The group (size class or state) of each response, "" when its municipality is unknown."""
    ids = {pk for pk in survey_obj.response_municipalities if pk}
    info = {pk: (population, ags) for pk, population, ags in
            Municipality.objects.filter(pk__in=ids).values_list("pk", "population", "ags")}
    groups = []
    for pk in survey_obj.response_municipalities or [None] * len(survey_obj.answers):
        if not pk or pk not in info:
            groups.append("")
        elif by == "land":
            groups.append(STATE_NAMES.get(info[pk][1][:2], ""))
        else:
            groups.append(survey.size_class(info[pk][0]))
    return groups


def municipality_counts(*, survey_obj: Survey) -> list[tuple[str, int]]:
    counts = Counter(pk for pk in survey_obj.response_municipalities if pk)
    names = dict(Municipality.objects.filter(pk__in=counts).values_list("pk", "name"))
    return sorted(((names.get(pk, "?"), n) for pk, n in counts.items()), key=lambda x: (-x[1], x[0]))
