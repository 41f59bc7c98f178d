"""Reads of the crisis staff core (keyword-only, permission-aware)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q

from krisenwissen.accounts.models import Municipality, Role
from krisenwissen.accounts.selectors import (
    administered_municipalities,
    members_with_role,
    visibility_scope,
)
from krisenwissen.core.policy import has_perm

from .models import (
    AssignmentRole,
    Staff,
    StaffAssignment,
    StaffFunction,
    StaffStatus,
    StaffTemplate,
)


def staffs_for(*, user):
    """The staffs ``user`` may read: superusers all; others those they are members of and those
    of the municipalities they administer."""
    qs = Staff.objects.select_related("municipality", "crisis", "template")
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if getattr(user, "is_superuser", False):
        return qs
    member_of = StaffAssignment.objects.filter(user=user, ended_at__isnull=True).values("function__staff_id")
    return qs.filter(Q(pk__in=member_of) | Q(municipality__in=administered_municipalities(user=user))).distinct()


@dataclass
class StaffLists:
    real_active: list
    real_closed: list
    exercises: list


def staff_lists(*, user) -> StaffLists:
    """Real staffs (active, closed) and exercise staffs apart."""
    staffs = list(staffs_for(user=user))
    real = [s for s in staffs if not s.exercise]
    return StaffLists(real_active=[s for s in real if s.status == StaffStatus.AKTIV],
                      real_closed=[s for s in real if s.status != StaffStatus.AKTIV],
                      exercises=[s for s in staffs if s.exercise])


def templates_for(*, user):
    """Shipped templates and the own templates of the municipalities ``user`` belongs to."""
    qs = StaffTemplate.objects.select_related("municipality").filter(active=True)
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = visibility_scope(user)
    if scope.everything:
        return qs.order_by("municipality__name", "name")
    return qs.filter(Q(municipality__isnull=True) | Q(municipality_id__in=scope.own)).order_by("municipality__name", "name")


def activation_municipalities(*, user):
    """Where ``user`` may activate a staff (the municipalities they administer)."""
    if getattr(user, "is_superuser", False):
        return Municipality.objects.all()
    return administered_municipalities(user=user)


def candidate_members(*, municipality):
    """Accounts that can hold a function of a staff of ``municipality`` (its members)."""
    return members_with_role(municipality.pk, minimum=Role.LESER).filter(is_active=True).order_by("last_name", "first_name", "username")


@dataclass
class FunctionRow:
    function: StaffFunction
    holders: list = field(default_factory=list)
    deputies: list = field(default_factory=list)

    @property
    def missing_holder(self) -> bool:
        return self.function.active and not self.holders

    @property
    def missing_deputies(self) -> int:
        return max(0, self.function.deputies_required - len(self.deputies)) if self.function.active else 0

    @property
    def gap(self) -> bool:
        return self.missing_holder or bool(self.missing_deputies)


def function_rows(staff: Staff) -> list[FunctionRow]:
    """Each function of ``staff`` with its open holders and deputies and its coverage gaps."""
    open_assignments = StaffAssignment.objects.filter(ended_at__isnull=True).select_related("user")
    rows = []
    for function in staff.functions.prefetch_related(Prefetch("assignments", queryset=open_assignments, to_attr="open_assignments")):
        row = FunctionRow(function)
        for a in function.open_assignments:
            (row.holders if a.role == AssignmentRole.INHABER else row.deputies).append(a)
        rows.append(row)
    return rows


def onset_briefing(staff_or_template, *, user, limit: int = 6):
    """The crisis-onset briefing for the template's hazard (the learning loop's lessons and open
    actions, as ``user`` may read them), or None when the template names no known hazard."""
    from krisenwissen.learning.selectors import briefing_result

    template = staff_or_template.template if isinstance(staff_or_template, Staff) else staff_or_template
    hazard = (template.hazard if template is not None else "") or ""
    if not hazard:
        return None
    title = staff_or_template.name
    try:
        return briefing_result(user=user, title=title, hazard_type=hazard, description=template.description, limit=limit, per_kind=2)
    except ValidationError:
        return None


@dataclass
class ActivationProposal:
    municipality: Municipality
    rule_name: str
    ruleset_name: str
    level: int
    since: object = None


def proposal_level() -> int:
    return int(getattr(settings, "KRISENWISSEN_STAB_PROPOSAL_LEVEL", 2))


def activation_proposals(*, user) -> list[ActivationProposal]:
    """Municipalities ``user`` may activate a staff for whose Lagebild rule status is in force at
    ``KRISENWISSEN_STAB_PROPOSAL_LEVEL`` or above, with no active real staff: a proposal, never an activation."""
    from krisenwissen.situation import selectors as situation
    from krisenwissen.situation.models import Area

    if not has_perm(user, "stab.activate_staff"):
        return []
    municipalities = list(activation_municipalities(user=user)[:50])
    if not municipalities:
        return []
    busy = set(Staff.objects.filter(status=StaffStatus.AKTIV, exercise=False, municipality__in=municipalities)
               .values_list("municipality_id", flat=True))
    areas = [a for a in Area.objects.filter(municipality__in=municipalities, valid_until__isnull=True).select_related("municipality")
             if a.municipality_id not in busy]
    if not areas:
        return []
    as_of = situation.latest_data_day(areas=areas)
    if as_of is None:
        return []
    threshold = proposal_level()
    out: dict[int, ActivationProposal] = {}
    for sit in situation.situation(areas, as_of=as_of, rulesets=situation.rulesets_for(user=user), chart_days=0):
        for status in sit.statuses:
            rule = status.rule
            if status.evaluation.in_force and rule.level >= threshold:
                current = out.get(sit.area.municipality_id)
                if current is None or rule.level > current.level:
                    out[sit.area.municipality_id] = ActivationProposal(
                        municipality=sit.area.municipality, rule_name=rule.name, ruleset_name=status.ruleset.name,
                        level=rule.level, since=status.evaluation.periods[-1].start if status.evaluation.periods else None)
    return sorted(out.values(), key=lambda p: p.municipality.name)


def staff_as_dict(staff: Staff) -> dict:
    """A staff as plain data (command line, API): no personal data, only counts of holders."""
    return {
        "id": staff.pk, "uuid": str(staff.uuid), "name": staff.name, "exercise": staff.exercise, "status": staff.status,
        "kind": staff.kind, "municipality": {"ags": staff.municipality.ags, "name": staff.municipality.name},
        "template": staff.template.key if staff.template else None, "crisis": staff.crisis.title if staff.crisis else None,
        "alert_level": staff.alert_level, "activated_at": staff.activated_at.isoformat(),
        "deactivated_at": staff.deactivated_at.isoformat() if staff.deactivated_at else None,
        "next_meeting_at": staff.next_meeting_at.isoformat() if staff.next_meeting_at else None,
        "functions": [{"code": f.code, "name": f.name, "active": f.active,
                       "holders": sum(1 for a in f.assignments.all() if a.ended_at is None and a.role == AssignmentRole.INHABER),
                       "deputies": sum(1 for a in f.assignments.all() if a.ended_at is None and a.role == AssignmentRole.VERTRETUNG)}
                      for f in staff.functions.all()],
    }
