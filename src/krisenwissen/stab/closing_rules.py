"""Named permissions of the crisis staff: closing part (Rückführung, deactivation, debrief).

* ``stab.deactivate_staff``: the staff's Leitung and the municipality's Administration; while
  the staff is deactivated also whoever held the Leitung when it was deactivated (their
  assignments ended with it), so that they can activate it again;
* ``stab.run_closing``: work through the Rückführung checklist and deactivate single
  functions (the same people).

Imported by ``rules``; imports the part's audit events and lifecycle so that both are
registered at start-up (autodiscovery finds only ``events``/``lifecycles``).
"""

import rules

from krisenwissen.accounts.predicates import is_active_user, is_superuser

from . import closing_events  # noqa: F401  (registers the events)
from .models import LEITUNG_CODES, StaffAssignment, StaffStatus
from .rules import administers_staff_municipality, is_staff_leitung, staff_of


@rules.predicate
def led_staff_when_deactivated(user, obj) -> bool:
    """A deactivated staff: ``user`` held its Leitung until the deactivation ended it."""
    staff = staff_of(obj)
    if staff is None or staff.status != StaffStatus.DEAKTIVIERT or staff.deactivated_at is None or not is_active_user(user):
        return False
    return StaffAssignment.objects.filter(user=user, function__staff=staff, function__code__in=LEITUNG_CODES,
                                          ended_at=staff.deactivated_at).exists()


closes_staff = is_active_user & (is_superuser | is_staff_leitung | administers_staff_municipality | led_staff_when_deactivated)

rules.add_perm("stab.deactivate_staff", closes_staff)
rules.add_perm("stab.run_closing", closes_staff)
