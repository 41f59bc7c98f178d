"""Named permissions of the crisis staff: Lagebesprechung and Lagebericht (``meet`` part).

Imported by ``rules``. Who may do what (all per staff):

* **read** meetings, protocols and Lageberichte: everyone who reads the staff
  (``stab.view_staff``: its members and the Administration of its municipality);
* **run a meeting** (start it, move to the next item, record decisions and turn them into
  tasks, close it and announce the next one): the **Leitung** and the **Koordinierungsgruppe
  des Stabes**, in a Führungsstab also **S2 (Lage)** — the functions that chair and minute the
  situation meeting in both doctrines (``MEETING_GROUPS``); the Leitung alone would be a
  bottleneck in a long crisis, and the other functions contribute but do not chair;
* **contribute** to a running meeting (Fakt / Annahme / Frage): every member of the staff, for a
  function they hold (those who run the meeting may minute for any function);
* **Lagebericht**: every member may start one and submit it; each function **writes its own
  section** (only holders or deputies of that function, only while the report is a draft);
  the **Leitung approves** (or sends it back); the Leitung and those who run meetings keep the
  distribution list and **distribute** the approved report.

Superusers may do everything (platform support).
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.predicates import is_active_user, is_superuser

from .models import LEITUNG_CODES, FunctionGroup, StaffAssignment
from .rules import reads_staff, staff_of

# Function groups that chair and minute the Lagebesprechung (besides the Leitung codes).
MEETING_GROUPS = frozenset({FunctionGroup.LEITUNG, FunctionGroup.KOORDINIERUNG, FunctionGroup.S2})


def _meet_staff(obj):
    """The staff of a staff, meeting, report, or report section."""
    staff = staff_of(obj)
    if staff is None and hasattr(obj, "report"):
        staff = staff_of(obj.report)
    return staff


def held_functions(user, staff) -> list[tuple[int, str, str]]:
    """(id, code, group) of the functions ``user`` holds in ``staff`` (cached per request user)."""
    if staff is None or getattr(user, "pk", None) is None or not is_active_user(user):
        return []  # no staff, no account (anonymous, or the SYSTEM actor of commands and demo loaders)
    cache = user.__dict__.setdefault("_krisenwissen_meet_functions", {})
    if staff.pk not in cache:
        cache[staff.pk] = list(StaffAssignment.objects.filter(
            user=user, ended_at__isnull=True, function__staff=staff,
        ).values_list("function_id", "function__code", "function__group"))
    return cache[staff.pk]


@rules.predicate
def runs_meetings(user, obj) -> bool:
    return any(code in LEITUNG_CODES or group in MEETING_GROUPS for _id, code, group in held_functions(user, _meet_staff(obj)))


@rules.predicate
def is_meet_member(user, obj) -> bool:
    return bool(held_functions(user, _meet_staff(obj)))


@rules.predicate
def is_meet_leitung(user, obj) -> bool:
    return any(code in LEITUNG_CODES for _id, code, _group in held_functions(user, _meet_staff(obj)))


@rules.predicate
def holds_section_function(user, section) -> bool:
    function_id = getattr(section, "function_id", None)
    return function_id is not None and any(fid == function_id for fid, _c, _g in held_functions(user, _meet_staff(section)))


def _reads(user, obj) -> bool:
    return reads_staff.test(user, _meet_staff(obj))


reads_meet = rules.predicate(_reads, name="reads_meet")
runs = is_active_user & (is_superuser | runs_meetings)
member = is_active_user & (is_superuser | is_meet_member)

rules.add_perm("stab.view_meeting", reads_meet)
rules.add_perm("stab.run_meeting", runs)
rules.add_perm("stab.contribute_meeting", member)
rules.add_perm("stab.view_situation_report", reads_meet)
rules.add_perm("stab.create_situation_report", member)
rules.add_perm("stab.submit_situation_report", member)
rules.add_perm("stab.write_report_section", is_active_user & (is_superuser | holds_section_function))
rules.add_perm("stab.approve_situation_report", is_active_user & (is_superuser | is_meet_leitung))
rules.add_perm("stab.distribute_situation_report", is_active_user & (is_superuser | is_meet_leitung | runs_meetings))

# Register this part's lifecycles and audit events at start-up (autodiscovery finds only an
# app's lifecycles.py and events.py; the system check and the audit log need them known).
from . import meet_lifecycles  # noqa: E402, F401
