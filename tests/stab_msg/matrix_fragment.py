"""Permission-matrix entries of Meldungen and Aufträge (merged by tests/test_permission_matrix.py).

A staff of city B: ``editor_b`` holds its Koordinierungsgruppe (the default Sichter) and the
Gesundheitsamt; the platform admin (superuser) passes every permission (taking note for a function he
does not hold is refused by the action with a German message); everyone else is outside the staff (403).
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")
LEAK_URLS: list[str] = []


def extend_world(world):
    import datetime

    from django.utils import timezone

    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.stab import msg_actions as actions
    from krisenwissen.stab.models import FunctionGroup, Staff, StaffAssignment, StaffFunction

    staff = Staff.objects.create(municipality=world["cities"]["b"], name="Stab Matrix", activated_at=timezone.now())
    koord = StaffFunction.objects.create(staff=staff, code="koordinierung", name="Koordinierungsgruppe", group=FunctionGroup.KOORDINIERUNG)
    health = StaffFunction.objects.create(staff=staff, code="gesundheit", name="Gesundheitsamt", group=FunctionGroup.EREIGNISSPEZIFISCH)
    for function in (koord, health):
        StaffAssignment.objects.create(function=function, user=world["users"]["editor_b"], started_at=timezone.now())

    def message(text):
        return actions.do_record_message(staff, direction="eingang", channel="telefon", priority="blitz", sender="Leitstelle",
                                         recipient="Stab", content=text, acting_user=SYSTEM)

    new, to_route, to_close = message("neu"), message("zu verteilen"), message("abzuschließen")
    routed = message("verteilt")
    actions.do_route_message(routed, functions=[health], acting_user=SYSTEM)
    task = actions.do_create_task(staff, title="Auftrag Matrix", owner_function=health,
                                  due_at=timezone.now() + datetime.timedelta(days=1), description="", acting_user=SYSTEM)
    world["stab_msg"] = {"staff": staff, "new": new, "to_route": to_route, "to_close": to_close, "routed": routed, "task": task}


def _staff(w):
    return {"pk": w["stab_msg"]["staff"].pk}


def _obj(key):
    return lambda w: {"pk": w["stab_msg"][key].pk}


def _members(status, admin=None):
    """Only the staff member editor_b and the superuser; others refused."""
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": status, "network_member": DENIED, "admin": status if admin is None else admin}


ENTRIES = [
    ("stab:msg_list", _staff, "get", _members(OK)),
    ("stab:msg_create", _staff, "get", _members(OK)),
    ("stab:msg_blank_form", _staff, "get", _members(OK)),
    ("stab:msg_settings", _staff, "get", _members(DENIED, admin=OK)),
    ("stab:msg_detail", _obj("new"), "get", _members(OK)),
    ("stab:msg_route", _obj("to_route"), "post", _members(400)),
    ("stab:msg_acknowledge", _obj("routed"), "post", _members(302)),  # the superuser passes, the action refuses in German
    ("stab:msg_complete", _obj("to_close"), "post", _members(302)),
    ("stab:msg_task_list", _staff, "get", _members(OK)),
    ("stab:msg_task_create", _staff, "get", _members(OK)),
    ("stab:msg_task_detail", _obj("task"), "get", _members(OK)),
    ("stab:msg_task_step", lambda w: {"pk": w["stab_msg"]["task"].pk, "step": "start"}, "post", _members(302)),
    ("api:stab_tasks", lambda w: {"uuid": w["stab_msg"]["staff"].uuid}, "get",
     {"anonymous": 403, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("api:stab_messages", lambda w: {"uuid": w["stab_msg"]["staff"].uuid}, "get",
     {"anonymous": 403, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
]
