"""Permission-matrix entries of the staff's load part (merged by tests/test_permission_matrix.py).

The matrix users hold no staff function: none of them may sign in or see anything but the
platform admin (superuser). The staff roles (the person, S1, Leitung, another member, the
municipality's Administration, a non-member) are walked over every load URL in
tests/stab_load/test_privacy.py, which shows that individual figures are visible only to the
person and S1.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    import datetime as dt

    from django.utils import timezone

    from krisenwissen.stab.models import (
        AssignmentRole,
        Presence,
        Shift,
        Staff,
        StaffAssignment,
        StaffFunction,
    )
    from tests import factories as f

    now = timezone.now()
    staff = Staff.objects.create(municipality=world["cities"]["a"], name="Stab Last markerload", activated_at=now - dt.timedelta(days=3))
    function = StaffFunction.objects.create(staff=staff, code="s2", name="S2 Lage")
    person = f.UserFactory(username="stab-lagedienst")
    StaffAssignment.objects.create(function=function, user=person, role=AssignmentRole.INHABER, started_at=staff.activated_at)
    Presence.objects.create(staff=staff, user=person, function=function, started_at=now - dt.timedelta(hours=3))
    shift = Shift.objects.create(staff=staff, function=function, user=person, starts_at=now, ends_at=now + dt.timedelta(hours=8))
    from krisenwissen.stab.load_actions import do_create_handover_brief

    brief = do_create_handover_brief(staff, acting_user=person)
    world["stab_load"] = {"staff": staff, "person": person, "shift": shift, "brief": brief}


def _s(w):
    return {"pk": w["stab_load"]["staff"].pk}


def _only_admin(status=OK, admin=None):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": status if admin is None else admin}


ENTRIES = [
    ("stab:load_overview", _s, "get", _only_admin()),
    ("stab:load_roster", _s, "get", _only_admin()),
    ("stab:load_strain", _s, "get", _only_admin()),
    ("stab:load_configuration", _s, "get", _only_admin()),
    ("stab:load_limits", _s, "get", _only_admin()),
    # Individual figures: not even the platform admin (only the person and the staff's S1).
    ("stab:load_individuals", _s, "get", _only_admin(DENIED)),
    ("stab:load_person", lambda w: _s(w) | {"user_pk": w["stab_load"]["person"].pk}, "get", _only_admin(DENIED)),
    ("stab:load_handover", lambda w: {"brief_pk": w["stab_load"]["brief"].pk}, "get", _only_admin(DENIED)),
    # Signing in/out, the handover brief and its acknowledgement are for members only.
    # (A superuser passes the declared permission; the action refuses a non-member: sign-in/out
    # then redirects with an error message, the handover brief is refused.)
    ("stab:load_sign_in", _s, "post", _only_admin(302)),
    ("stab:load_sign_out", _s, "post", _only_admin(302)),
    ("stab:load_create_handover", _s, "post", _only_admin(DENIED)),
    ("stab:load_acknowledge_handover", lambda w: {"brief_pk": w["stab_load"]["brief"].pk}, "post", _only_admin(DENIED)),
    ("stab:load_remove_shift", lambda w: _s(w) | {"shift_pk": w["stab_load"]["shift"].pk}, "post", _only_admin(302)),
]

LEAK_URLS: list[str] = []
