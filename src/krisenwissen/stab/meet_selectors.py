"""Reads of the Lagebesprechung and the Lagebericht (permission-aware), and the Lagebild snapshot."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from krisenwissen.core.policy import has_perm

from .models import AgendaItem, Meeting, SituationReport, Staff


def meetings_of(staff: Staff, *, user):
    """The staff's meetings, newest first (empty for someone who may not read them)."""
    if not has_perm(user, "stab.view_meeting", staff):
        return Meeting.objects.none()
    return Meeting.objects.filter(staff=staff).order_by("-number")


def reports_of(staff: Staff, *, user):
    if not has_perm(user, "stab.view_situation_report", staff):
        return SituationReport.objects.none()
    return SituationReport.objects.filter(staff=staff).order_by("-number")


def current_item(meeting: Meeting) -> AgendaItem | None:
    return meeting.items.filter(position=meeting.current_position).select_related("function").first()


def time_box(item: AgendaItem | None, *, now=None) -> dict:
    """The time box of an item as of ``now``: planned end, minutes left (negative = overrun)."""
    if item is None or item.started_at is None:
        return {}
    now = now or timezone.now()
    end = item.started_at + timezone.timedelta(minutes=item.minutes)
    seconds = int((end - now).total_seconds())
    return {"end": end, "seconds_left": seconds, "overrun": seconds < 0, "left": clock(seconds)}


def meeting_time_box(meeting: Meeting, *, now=None) -> dict:
    now = now or timezone.now()
    end = meeting.started_at + timezone.timedelta(minutes=meeting.planned_minutes)
    until = meeting.closed_at or now
    seconds = int((end - until).total_seconds())
    return {"end": end, "seconds_left": seconds, "overrun": seconds < 0, "left": clock(seconds)}


def clock(seconds: int) -> str:
    """„12:05“ (minutes:seconds), negative with a minus sign when overrun."""
    sign = "−" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


# --- the Lagebild of the staff's municipality (read-only, from the situation app's selectors) ---

def lagebild_snapshot(staff: Staff, *, as_of: date | None = None) -> dict:
    """Key figures and rule status of the areas of ``staff``'s municipality as plain data.

    Empty when the municipality has no area with values in the Lagebild. Stored on meetings
    and reports so that what the staff saw is kept (later corrections do not change it).
    """
    from krisenwissen.situation import display
    from krisenwissen.situation import selectors as situation
    from krisenwissen.situation.models import Area, RuleSet

    areas = list(Area.objects.filter(municipality=staff.municipality).order_by("ags"))
    if not areas:
        return {}
    as_of = as_of or situation.latest_data_day(areas=areas)
    if as_of is None:
        return {}
    rulesets = list(RuleSet.objects.filter(active=True).filter(Q(municipality__isnull=True) | Q(municipality=staff.municipality)))
    out = {"as_of": as_of.isoformat(), "as_of_text": display.d(as_of), "areas": []}
    for sit in situation.situation(areas, as_of=as_of, rulesets=rulesets, chart_days=0):
        figures = []
        for f in sit.figures:
            if f.value is None:
                continue
            symbol, word = display.trend_text(f)
            figures.append({
                "name": str(f.indicator.name), "unit": str(f.indicator.unit or ""),
                "value": display.num(f.value, f.indicator.decimals), "day": display.d(f.day),
                "week": f"{display.num(f.change_week_percent, 1)} %" if f.change_week_percent is not None else "–",
                "trend": f"{symbol} {word}",
            })
        statuses = []
        for st in sit.statuses:
            view = display.status_view(st.evaluation)
            statuses.append({"ruleset": str(st.ruleset.name), "rule": str(st.rule.name), "status": f"{view.symbol} {view.text}",
                             "detail": str(view.detail)})
        out["areas"].append({"name": sit.area.name, "figures": figures, "statuses": statuses})
    if not any(a["figures"] or a["statuses"] for a in out["areas"]):
        return {}
    return out
