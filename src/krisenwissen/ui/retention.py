"""Retention of the ui app (``UiConfig.retention``, see ``core.retention``): accessibility
feedback is deleted ``periods["accessibility_feedback"]`` days after it arrived."""

from __future__ import annotations

import datetime as dt

from .models import AccessibilityFeedback


def apply(*, now: dt.datetime, periods: dict[str, int]) -> dict[str, int]:
    days = periods.get("accessibility_feedback", 0)
    if not days or days <= 0:
        return {}
    before = now - dt.timedelta(days=days)
    return {"rueckmeldungen_barrierefreiheit": AccessibilityFeedback.objects.filter(created_at__lt=before).delete()[0]}
