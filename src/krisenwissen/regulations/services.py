"""Comparison of stored versions with the current keyword rules (Django side of compare.py)."""

from __future__ import annotations

from functools import lru_cache

from .compare import Comparison, assign_departments, compare
from .legaltext import LegalDocument, parse
from .models import KeywordRule, Version


@lru_cache(maxsize=16)
def _parsed(sha: str, text: str) -> LegalDocument:
    return parse(text)


def parsed(version: Version) -> LegalDocument:
    """The parsed text of a stored version (cached by content hash)."""
    return _parsed(version.sha256, version.text)


def active_rules() -> list[tuple[str, str]]:
    return list(KeywordRule.objects.filter(active=True).values_list("term", "department"))


def compare_versions(old: Version, new: Version) -> Comparison:
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
