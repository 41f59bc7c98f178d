"""Permission-matrix entries of the Rückführung (merged by tests/test_permission_matrix.py).

The checklist, the deactivation and the re-activation are for the staff's Leitung and the
Administration of its municipality (here: the platform admin); the readers and editors of
the matrix hold no staff function and are refused (403), visitors go to the login.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from django.utils import timezone

    from krisenwissen.stab.models import Staff, StaffFunction, Task

    staff = Staff.objects.create(municipality=world["cities"]["b"], name="Krisenstab markerbintern", activated_at=timezone.now())
    StaffFunction.objects.create(staff=staff, code="leitung", name="Leitung")
    function = StaffFunction.objects.create(staff=staff, code="s2", name="S2 Lage")
    task = Task.objects.create(staff=staff, number=1, title="Auftrag markerbintern")
    world["stab_closing"] = {"staff": staff, "function": function, "task": task}


def _s(w):
    return {"pk": w["stab_closing"]["staff"].pk}


def _f(w):
    return {"pk": w["stab_closing"]["staff"].pk, "fpk": w["stab_closing"]["function"].pk}


def _only_admin(status):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": status}


ENTRIES = [
    ("stab:closing", _s, "get", _only_admin(OK)),
    # A step without data: "unknown step" and back to the page.
    ("stab:closing_step", _s, "post", _only_admin(302)),
    # Without the checklist complete and without a justification: the page with the German message.
    ("stab:closing_deactivate", _s, "post", _only_admin(400)),
    # The staff is active: nothing to re-activate, a message and back to the page.
    ("stab:closing_reactivate", _s, "post", _only_admin(302)),
    ("stab:closing_function_deactivate", _f, "post", _only_admin(302)),
]

LEAK_URLS: list[str] = []
