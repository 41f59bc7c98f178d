"""Reads of the Verordnungs-Synopse. Legal texts are public information: everyone may read them.

Also the comparison of stored versions with the current keyword rules (the Django side of the
pure ``compare.py``). Selectors take the "what" first and everything else by keyword.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from .amendapply import AmendResult, apply_act
from .amending import AmendingActError
from .compare import Comparison, assign_departments, compare
from .legaltext import LegalDocument, parse
from .models import KeywordRule, LegalText, Subscription, Version
from .versioninfo import VersionInfo, read_version_info

# ---------------------------------------------------------------------------- legal texts


def legal_texts(*, user=None) -> QuerySet[LegalText]:
    return LegalText.objects.annotate(version_count=Count("versions"), latest=Max("versions__in_force_from"))


def legal_text(slug: str, *, user=None) -> LegalText:
    return get_object_or_404(LegalText, slug=slug)


def versions_of(legal_text: LegalText) -> list[Version]:
    """Versions sorted by date in force, each with ``effective_until`` (explicit or the day before the next)."""
    versions = list(legal_text.versions.order_by("in_force_from").defer("text"))
    for current, previous in zip(versions, [None, *versions][:len(versions)], strict=True):
        current.previous_pk = previous.pk if previous is not None else None
    for current, following in zip(versions, [*versions[1:], None][:len(versions)], strict=True):
        until = current.in_force_until
        if until is None and following is not None:
            until = following.in_force_from - datetime.timedelta(days=1)
        current.effective_until = until
    return versions


def comparison_pair(versions: list[Version], *, old: Version | None = None,
                    new: Version | None = None) -> tuple[Version, Version] | None:
    """The pair a comparison starts on: never the same version twice.

    ``versions`` sorted by date in force (``versions_of``). Without a choice: the two newest
    versions with different text. With only one side chosen (or both the same): the other side is
    the nearest earlier version with different text (or, for the oldest, the nearest later one).
    """
    if len(versions) < 2:
        return None
    if old is not None and new is not None and old.pk != new.pk:
        return old, new
    fixed = new or old or versions[-1]
    position = next((i for i, v in enumerate(versions) if v.pk == fixed.pk), len(versions) - 1)
    fixed = versions[position]
    earlier = list(reversed(versions[:position]))
    later = versions[position + 1:]
    for candidates, fixed_is_new in ((earlier, True), (later, False)):
        other = next((v for v in candidates if v.sha256 != fixed.sha256), None) or next(iter(candidates), None)
        if other is not None:
            return (other, fixed) if fixed_is_new else (fixed, other)
    return None


def version_of(legal_text: LegalText, *, pk: int | None) -> Version | None:
    """The version ``pk`` of the legal text, or None (also for ``pk=None``)."""
    if pk is None:
        return None
    return legal_text.versions.filter(pk=pk).first()


def version_meta(version: Version) -> dict:
    """Metadata of a stored version for the JSON contract (``synopse.schema.json``)."""
    return {"name": version.original_name or str(version.label), "date": version.in_force_from,
            "in_force": version.in_force_from, "announced": version.announced_on, "source": version.source,
            "amending_act": version.amending_act or None,
            "amending_act_reference": version.amending_act_reference or None}


def synopse_pair(legal_text: LegalText, *, old_pk: int | None, new_pk: int | None) -> tuple[Version, Version] | None:
    """The pair of a Synopse for the chosen version ids (``None``: the default pair)."""
    return comparison_pair(versions_of(legal_text), old=version_of(legal_text, pk=old_pk),
                           new=version_of(legal_text, pk=new_pk))


def keyword_rules(*, user=None) -> QuerySet[KeywordRule]:
    return KeywordRule.objects.all()


def is_subscribed(legal_text: LegalText, *, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "pk", None) is not None and \
        Subscription.objects.filter(user=user, legal_text=legal_text).exists()


# ---------------------------------------------------------------------------- comparison


@lru_cache(maxsize=16)
def _parsed(sha: str, text: str) -> LegalDocument:
    return parse(text)


def parsed(version: Version) -> LegalDocument:
    """The parsed text of a stored version (cached by content hash)."""
    return _parsed(version.sha256, version.text)


def active_rules() -> list[tuple[str, str]]:
    return list(KeywordRule.objects.filter(active=True).values_list("term", "department"))


def compare_versions(old: Version, *, new: Version) -> Comparison:
    """Compare two stored versions and name the departments their changes concern."""
    comparison = compare(parsed(old), parsed(new))
    return assign_departments(comparison, active_rules())


def rule_tasks() -> dict[str, list[str]]:
    """Department -> tasks named in its active rules (shown beside the department filter)."""
    out: dict[str, list[str]] = {}
    for department, task in KeywordRule.objects.filter(active=True).exclude(task="").values_list("department", "task"):
        out.setdefault(department, [])
        if task not in out[department]:
            out[department].append(task)
    return out


# ---------------------------------------------------------------------------- amending acts


def amendment_result(base: Version, *, act_text: str, articles: list[str] | None = None) -> AmendResult:
    """The amending act applied to a stored version (nothing is stored). ValidationError (German)
    when the text is no amending act or none of its Artikel amends this legal text."""
    legal_text = base.legal_text
    try:
        return apply_act(base.text, act_text, articles=articles or None,
                         law=(legal_text.title, legal_text.abbreviation))
    except AmendingActError as exc:
        raise ValidationError({"file": str(exc)}) from exc


def compare_texts(old_text: str, new_text: str) -> Comparison:
    """Comparison of two texts (e.g. a base version and the result of an amending act)."""
    return assign_departments(compare(parse(old_text), parse(new_text)), active_rules())


def act_details(act_text: str) -> VersionInfo:
    """Title, promulgation and date in force that an amending act states about itself."""
    return read_version_info(act_text)
