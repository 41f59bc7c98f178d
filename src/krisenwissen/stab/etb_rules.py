"""Named permissions of the crisis staff: the Einsatztagebuch (ETB). Imported by ``rules``.

* ``stab.view_log``: read a staff's ETB (as ``stab.view_staff``: members, the Administration);
* ``stab.write_log``: write entries, corrections and attachments (members of the staff);
* ``stab.hand_over_log``: pass on the role of the ETB-Führer (the current one, the Leitung,
  the Administration of the staff's municipality).
"""

import rules

from krisenwissen.accounts.predicates import is_active_user, is_superuser

from .rules import (
    administers_staff_municipality,
    is_staff_leitung,
    is_staff_member,
    reads_staff,
    staff_of,
)


@rules.predicate
def keeps_the_log(user, obj) -> bool:
    staff = staff_of(obj)
    return bool(staff is not None and staff.log_keeper_id and staff.log_keeper_id == getattr(user, "pk", None))


rules.add_perm("stab.view_log", reads_staff)
rules.add_perm("stab.write_log", is_active_user & (is_superuser | is_staff_member))
rules.add_perm("stab.hand_over_log", is_active_user & (is_superuser | keeps_the_log | is_staff_leitung | administers_staff_municipality))
