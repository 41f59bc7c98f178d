"""Named permissions of the crisis staff: load part. Imported by ``rules``.

Privacy by design (docs/stab-belastung.md):

* the board (who is on duty now, per function), the roster and the deputy coverage: the staff's
  members and the Administration of its municipality (``stab.view_load``);
* aggregates (concentration figure, how many over the limits, strain check): the Leitung, S1 and
  the Administration (``stab.view_load_aggregates``);
* individual figures (hours, days in a row, warnings, rotation): only the person themself and the
  staff's S1 (``stab.view_individual_load`` on a ``StaffPerson``; ``stab.view_all_individual_load``
  on the staff for S1's list). The Administration, the Leitung and the platform's superusers do
  NOT see them (``sees_individual_load`` is tested directly, bypassing the superuser shortcut).
* signing in/out, the handover brief and its acknowledgement: members for themselves only (the
  actions also check membership and ownership directly, for the same reason).
"""

import rules

from krisenwissen.accounts.predicates import is_active_user, is_superuser

from .rules import (
    administers_staff_municipality,
    is_staff_leitung,
    is_staff_member,
    is_staff_personnel,
)


@rules.predicate
def is_the_person(user, obj) -> bool:
    """``obj`` is the user's own record (a StaffPerson or a HandoverBrief of the user)."""
    return getattr(obj, "user", None) is not None and getattr(obj.user, "pk", None) == getattr(user, "pk", -1)


@rules.predicate
def staff_is_active(user, obj) -> bool:
    from .rules import staff_of

    staff = staff_of(obj)
    return staff is not None and staff.is_active


rules.add_perm("stab.view_load", is_active_user & (is_superuser | is_staff_member | administers_staff_municipality))
rules.add_perm("stab.view_load_aggregates", is_active_user & (is_superuser | is_staff_leitung | is_staff_personnel | administers_staff_municipality))
# Individual figures: no superuser clause, and the views and selectors test these predicates
# directly (Django lets an active superuser pass every ``has_perm``): not even the platform
# administration sees a person's load figures unless it is the person or the staff's S1.
sees_individual_load = is_active_user & ((is_staff_member & is_the_person) | is_staff_personnel)
sees_all_individual_load = is_active_user & is_staff_personnel
rules.add_perm("stab.view_individual_load", sees_individual_load)
rules.add_perm("stab.view_all_individual_load", sees_all_individual_load)
rules.add_perm("stab.sign_in_out", is_active_user & is_staff_member & staff_is_active)
rules.add_perm("stab.answer_strain_check", is_active_user & is_staff_member)
rules.add_perm("stab.manage_roster", is_active_user & (is_superuser | is_staff_leitung | is_staff_personnel | administers_staff_municipality))
rules.add_perm("stab.configure_load", is_active_user & (is_superuser | is_staff_leitung | is_staff_personnel))
# Handover briefs: created by a member for themself; read by the person and S1; acknowledged by the person.
rules.add_perm("stab.create_handover", is_active_user & is_staff_member & staff_is_active)
# The brief shows since when the person was off duty (presence data): same rule as individual figures.
sees_handover = is_active_user & ((is_staff_member & is_the_person) | is_staff_personnel)
rules.add_perm("stab.view_handover", sees_handover)
rules.add_perm("stab.acknowledge_handover", is_active_user & is_staff_member & is_the_person)
