"""Reads of the Verordnungs-Synopse. Legal texts are public information: everyone may read them."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from .models import KeywordRule, LegalText, Subscription, Version


def legal_texts(user=None) -> QuerySet[LegalText]:
    return LegalText.objects.annotate(version_count=Count("versions"), latest=Max("versions__in_force_from"))


def legal_text(slug: str, user=None) -> LegalText:
    return get_object_or_404(LegalText, slug=slug)


def versions_of(legal_text: LegalText) -> list[Version]:
    """Versions sorted by date in force, each with ``effective_until`` (explicit or the day before the next)."""
    versions = list(legal_text.versions.order_by("in_force_from").defer("text"))
    for current, previous in zip(versions, [None, *versions[:-1]], strict=True):
        current.previous_pk = previous.pk if previous is not None else None
    for current, following in zip(versions, [*versions[1:], None], strict=True):
        until = current.in_force_until
        if until is None and following is not None:
            until = following.in_force_from - datetime.timedelta(days=1)
        current.effective_until = until
    return versions


def version_of(legal_text: LegalText, pk) -> Version | None:
    try:
        return legal_text.versions.get(pk=int(pk))
    except (Version.DoesNotExist, TypeError, ValueError):
        return None


def keyword_rules() -> QuerySet[KeywordRule]:
    return KeywordRule.objects.all()


def is_subscribed(user, legal_text: LegalText) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Subscription.objects.filter(
        user=user, legal_text=legal_text).exists()
