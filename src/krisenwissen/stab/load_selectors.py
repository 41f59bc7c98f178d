"""Reads of the load part (keyword-only, permission-aware where they return individual figures)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from . import load_figures as fig
from .load_config import limits_for, strain_min_group
from .load_rules import sees_all_individual_load, sees_individual_load
from .models import (
    AssignmentRole,
    LogCategory,
    LogEntry,
    Presence,
    Shift,
    StaffAssignment,
    StaffPerson,
    StrainAnswer,
    Task,
    TaskStatus,
)

BRIEF_CATEGORIES = (LogCategory.ENTSCHEIDUNG, LogCategory.MELDUNG_EIN, LogCategory.MELDUNG_AUS, LogCategory.AUFTRAG)
BRIEF_MAX_ITEMS = 200


def _assignments(staff):
    return StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).select_related("user", "function").order_by("function__order", "function__name", "role")


def members(*, staff) -> dict:
    """user → list of open assignments (holder/deputy) in ``staff``."""
    out: dict = defaultdict(list)
    for a in _assignments(staff):
        out[a.user].append(a)
    return dict(out)


def open_presences(*, staff):
    return Presence.objects.filter(staff=staff, ended_at__isnull=True).select_related("user", "function").order_by("function__order", "started_at")


def own_open_presence(*, staff, user):
    return Presence.objects.filter(staff=staff, user=user, ended_at__isnull=True).select_related("function").first()


@dataclass
class CoverageRow:
    function: object
    holders: list = field(default_factory=list)  # (user, on_duty)
    deputies: list = field(default_factory=list)
    on_duty: list = field(default_factory=list)  # users signed in for this function

    @property
    def holder_missing(self) -> bool:
        return not self.holders

    @property
    def deputies_missing(self) -> int:
        return max(0, self.function.deputies_required - len(self.deputies))

    @property
    def unstaffed_now(self) -> bool:
        return not self.on_duty

    @property
    def has_gap(self) -> bool:
        return self.holder_missing or bool(self.deputies_missing) or self.unstaffed_now


def coverage(*, staff) -> list[CoverageRow]:
    """Per active function: holders and deputies assigned (and whether on duty), who is signed in, gaps."""
    present = list(open_presences(staff=staff))
    present_users = {p.user_id for p in present}
    rows = {f.pk: CoverageRow(function=f) for f in staff.functions.filter(active=True).order_by("order", "name")}
    for a in _assignments(staff):
        row = rows.get(a.function_id)
        if row is None:
            continue
        target = row.holders if a.role == AssignmentRole.INHABER else row.deputies
        target.append((a.user, a.user_id in present_users))
    for p in present:
        if p.function_id in rows:
            rows[p.function_id].on_duty.append(p.user)
    return list(rows.values())


QUIET_AFTER = dt.timedelta(days=2)


def reference_time(*, staff, now=None):
    """The moment the figures are computed for: now for a staff on duty; the deactivation for a
    deactivated staff; the last sign-out for a staff that has been quiet for more than two days
    (nobody signed in), so that its last state stays visible — the pages then show "Stand: …"."""
    now = now or timezone.now()
    if staff.deactivated_at is not None:
        return min(now, staff.deactivated_at)
    if Presence.objects.filter(staff=staff, ended_at__isnull=True).exists():
        return now
    last = Presence.objects.filter(staff=staff, ended_at__lte=now).order_by("-ended_at").values_list("ended_at", flat=True).first()
    return last if last is not None and now - last > QUIET_AFTER else now


def _sessions(staff, users=None) -> dict[int, list[fig.Session]]:
    qs = Presence.objects.filter(staff=staff)
    if users is not None:
        qs = qs.filter(user__in=users)
    out: dict[int, list[fig.Session]] = defaultdict(list)
    for user_id, start, end in qs.values_list("user_id", "started_at", "ended_at"):
        out[user_id].append(fig.Session(timezone.localtime(start), timezone.localtime(end) if end else None))
    return out


def _person_load(user, sessions, codes, now, on_duty) -> fig.PersonLoad:
    return fig.PersonLoad(
        key=user.pk, hours_total=fig.hours_on_duty(sessions, now=now),
        stretch_hours=fig.current_stretch_hours(sessions, now=now),
        days_in_row=fig.consecutive_days(sessions, now=now), on_duty=on_duty, functions=frozenset(codes),
    )


@dataclass
class PersonFigures:
    user: object
    load: fig.PersonLoad
    warnings: list[str]
    assignments: list
    hours_7_days: float


def _figures(staff, people: dict, now) -> list[PersonFigures]:
    now = timezone.localtime(now)
    sessions = _sessions(staff, users=list(people))
    on_duty = set(Presence.objects.filter(staff=staff, ended_at__isnull=True).values_list("user_id", flat=True))
    limits = limits_for(staff)
    out = []
    for user, assignments in people.items():
        s = sessions.get(user.pk, [])
        load = _person_load(user, s, {a.function.code for a in assignments}, now, user.pk in on_duty)
        out.append(PersonFigures(user=user, load=load, warnings=load.warnings(limits), assignments=assignments,
                                 hours_7_days=fig.hours_on_duty(s, now=now, since=now - dt.timedelta(days=7))))
    return sorted(out, key=lambda p: (-len(p.warnings), -p.load.stretch_hours, p.user.get_username()))


def individual_figures(*, staff, user, viewer, now=None) -> PersonFigures | None:
    """The figures of ``user`` in ``staff`` if ``viewer`` may see them (the person, S1), else None."""
    if not sees_individual_load(viewer, StaffPerson(staff=staff, user=user)):
        return None
    people = members(staff=staff)
    assignments = people.get(user, [])
    return _figures(staff, {user: assignments}, now or reference_time(staff=staff))[0]


def all_individual_figures(*, staff, viewer, now=None) -> list[PersonFigures] | None:
    """Everybody's figures (members and anyone with presence records), for S1 only; else None."""
    if not sees_all_individual_load(viewer, staff):
        return None
    people = members(staff=staff)
    from django.contrib.auth import get_user_model

    extra = get_user_model().objects.filter(pk__in=Presence.objects.filter(staff=staff).values("user_id")).exclude(pk__in=[u.pk for u in people])
    for user in extra:
        people[user] = []
    return _figures(staff, people, now or reference_time(staff=staff))


def rotation(*, staff, figures: list[PersonFigures]) -> list[dict]:
    """Rotation suggestions with users and functions resolved (from ``figures``, already permitted)."""
    by_key = {p.user.pk: p.user for p in figures}
    functions = {f.code: f for f in staff.functions.all()}
    out = []
    for s in fig.rotation_suggestions([p.load for p in figures], limits_for(staff)):
        out.append({"tired": by_key[s.tired], "function": functions.get(s.function), "rested": [by_key[k] for k in s.rested]})
    return out


def work_counts(*, staff) -> dict[int, int]:
    """Logged work per member: ETB entries authored + tasks of functions the person holds (not cancelled)."""
    people = members(staff=staff)
    counts = {u.pk: 0 for u in people}
    for row in LogEntry.objects.filter(staff=staff, author__isnull=False).values("author_id").annotate(n=Count("pk")):
        counts[row["author_id"]] = counts.get(row["author_id"], 0) + row["n"]
    tasks = dict(Task.objects.filter(staff=staff, owner_function__isnull=False).exclude(status=TaskStatus.ABGEBROCHEN)
                 .values("owner_function_id").annotate(n=Count("pk")).values_list("owner_function_id", "n"))
    for user, assignments in people.items():
        counts[user.pk] += sum(tasks.get(a.function_id, 0) for a in assignments if a.role == AssignmentRole.INHABER)
    return counts


@dataclass
class Aggregates:
    members: int
    on_duty: int
    over_shift: int
    over_days: int
    concentration: fig.Concentration
    strain_total: dict | None
    strain_days: list  # (day, summary or None)


def aggregates(*, staff, now=None) -> Aggregates:
    """Figures without names: for the Leitung, S1 and the Administration (``stab.view_load_aggregates``)."""
    people = members(staff=staff)
    figures = _figures(staff, people, now or reference_time(staff=staff))
    minimum = strain_min_group()
    by_day: dict = defaultdict(list)
    for day, value in StrainAnswer.objects.filter(staff=staff).values_list("day", "value"):
        by_day[day].append(value)
    return Aggregates(
        members=len(people), on_duty=sum(1 for p in figures if p.load.on_duty),
        over_shift=sum(1 for p in figures if "shift" in p.warnings), over_days=sum(1 for p in figures if "days" in p.warnings),
        concentration=fig.concentration(list(work_counts(staff=staff).values())),
        strain_total=fig.strain_summary([v for vs in by_day.values() for v in vs], min_group=minimum),
        strain_days=[(day, fig.strain_summary(vs, min_group=minimum)) for day, vs in sorted(by_day.items(), reverse=True)][:14],
    )


def roster(*, staff, start=None, days: int = 14):
    """Planned shifts from ``start`` (default: today − 1 day) for ``days`` days."""
    start = start or (timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=1))
    return Shift.objects.filter(staff=staff, ends_at__gt=start, starts_at__lt=start + dt.timedelta(days=days)).select_related("function", "user").order_by("starts_at", "function__order")


def handover_since(*, staff, user, now=None):
    """Since when the incoming person needs the brief: their last sign-out, else the end of their
    previous shift, else the staff's activation."""
    now = now or timezone.now()
    last_out = Presence.objects.filter(staff=staff, user=user, ended_at__isnull=False, ended_at__lte=now).order_by("-ended_at").values_list("ended_at", flat=True).first()
    if last_out:
        return last_out
    last_shift = Shift.objects.filter(staff=staff, user=user, ends_at__lte=now).order_by("-ends_at").values_list("ends_at", flat=True).first()
    return last_shift or staff.activated_at


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def lagebild_changes(*, staff, user, since, now) -> dict:
    """Changes in the Lagebild of the staff's municipality since ``since``, as ``user`` may read
    them (the situation app's selectors): its staff notes, and the indicator values of its areas
    (first and latest value in the period). Plain data for the brief."""
    from krisenwissen.situation.models import Area, Observation
    from krisenwissen.situation.selectors import readable_indicators, readable_notes

    day_from = timezone.localtime(since).date()
    notes = [{"date": n.date.isoformat(), "kind": n.get_kind_display(), "text": n.text[:500]}
             for n in readable_notes(user=user, municipality=staff.municipality).filter(date__gte=day_from).order_by("date")[:50]]
    areas = list(Area.objects.filter(municipality=staff.municipality))
    figures = []
    if areas:
        rows = (Observation.objects.filter(area__in=areas, indicator__in=readable_indicators(user=user),
                                           date__gte=day_from - dt.timedelta(days=1), date__lte=timezone.localtime(now).date())
                .select_related("indicator", "area").order_by("area_id", "indicator_id", "date"))
        series: dict = defaultdict(list)
        for o in rows[:5000]:
            series[(o.area, o.indicator)].append((o.date, o.value))
        for (area, indicator), values in list(series.items())[:30]:
            (d0, v0), (d1, v1) = values[0], values[-1]
            figures.append({"area": area.name, "indicator": str(indicator), "from_date": d0.isoformat(), "from": v0,
                            "to_date": d1.isoformat(), "to": v1})
    return {"notes": notes, "figures": figures, "empty": not notes and not figures,
            "empty_text": _("keine Lagebild-Daten für die Kommune") if not notes and not figures else ""}


def handover_content(*, staff, user, since, now) -> dict:
    """The brief's content (plain JSON): open tasks, decisions/messages/orders since, Lagebild changes."""
    tasks = Task.objects.filter(staff=staff, status__in=[TaskStatus.OFFEN, TaskStatus.IN_ARBEIT]).select_related("owner_function").order_by("due_at", "number")
    entries = LogEntry.objects.filter(staff=staff, category__in=BRIEF_CATEGORIES, entered_at__gte=since).order_by("number")
    return {
        "since": since.isoformat(), "since_text": _fmt(since),
        "tasks": [{"number": t.number, "title": t.title, "function": t.owner_function.name if t.owner_function else "",
                   "due": _fmt(t.due_at), "overdue": bool(t.due_at and t.due_at < now), "status": t.get_status_display()}
                  for t in tasks[:BRIEF_MAX_ITEMS]],
        "entries": [{"number": e.number, "category": e.get_category_display(), "at": _fmt(e.event_at), "author": e.author_name,
                     "text": e.text[:1000]} for e in entries[:BRIEF_MAX_ITEMS]],
        "lagebild": lagebild_changes(staff=staff, user=user, since=since, now=now),
    }


def handover_briefs(*, staff, user):
    return staff.handover_briefs.filter(user=user).order_by("-created_at")[:10]
