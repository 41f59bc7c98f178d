"""Named permissions of the crisis staff: Meldungen and Aufträge (the msg part). Imported by ``rules``.

* every member of the staff (and the municipality's Administration) reads messages and tasks;
* every member takes in or writes out a message and gives a task (while the staff is active);
* the **Sichter** (the staff's sichtende Funktion, a per-staff setting, see
  ``msg_selectors.sichter_function``) and the Leitung route and close messages;
* the members of a receiving function acknowledge a message (Kenntnisnahme);
* the members of a task's owner function, the Leitung and whoever gave it work on a task and
  report it done; the Leitung and whoever gave it abort it.
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.predicates import is_active_user, is_superuser

from .rules import (
    is_staff_leitung,
    is_staff_member,
    leads_staff,
    reads_staff,
    staff_codes,
    staff_of,
)


@rules.predicate
def staff_is_active(user, obj) -> bool:
    staff = staff_of(obj)
    return bool(staff is not None and staff.is_active)


@rules.predicate
def is_sichter(user, obj) -> bool:
    from .msg_selectors import sichter_function

    staff = staff_of(obj)
    if staff is None:
        return False
    function = sichter_function(staff)
    return bool(function is not None and function.code in staff_codes(user, staff))


@rules.predicate
def receives_message(user, obj) -> bool:
    """``user`` holds a function on the message's Verteiler."""
    staff = staff_of(obj)
    if staff is None or not hasattr(obj, "distribution") or not obj.pk:
        return False
    codes = staff_codes(user, staff)
    return bool(codes) and obj.distribution.filter(code__in=codes).exists()


@rules.predicate
def owns_task(user, obj) -> bool:
    staff = staff_of(obj)
    function = getattr(obj, "owner_function", None)
    return bool(staff is not None and function is not None and function.code in staff_codes(user, staff))


@rules.predicate
def gave_task(user, obj) -> bool:
    return bool(getattr(obj, "created_by_id", None) and obj.created_by_id == getattr(user, "pk", None))


writes_in_staff = is_active_user & staff_is_active
routes_messages = writes_in_staff & (is_superuser | is_sichter | is_staff_leitung)

rules.add_perm("stab.view_messages", reads_staff)
rules.add_perm("stab.create_message", writes_in_staff & (is_superuser | is_staff_member))
rules.add_perm("stab.route_message", routes_messages)
rules.add_perm("stab.complete_message", routes_messages)
rules.add_perm("stab.acknowledge_message", writes_in_staff & receives_message)
rules.add_perm("stab.manage_message_settings", leads_staff)
rules.add_perm("stab.view_tasks", reads_staff)
rules.add_perm("stab.create_task", writes_in_staff & (is_superuser | is_staff_member))
rules.add_perm("stab.work_task", writes_in_staff & (is_superuser | owns_task | is_staff_leitung | gave_task))
rules.add_perm("stab.abort_task", writes_in_staff & (is_superuser | is_staff_leitung | gave_task))

from . import msg_lifecycles  # noqa: E402, F401  (registers the lifecycles of messages and tasks)
