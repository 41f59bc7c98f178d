"""Permission-matrix entries of the Einsatztagebuch (merged by tests/test_permission_matrix.py).

A staff of city B whose only member (S2, and ETB-Führer) is editor_b: members and the platform
admin read and write its ETB; nobody else, not even other people of city B or the network.
"""

import io

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from django.utils import timezone
    from PIL import Image

    from krisenwissen.stab import etb_actions
    from krisenwissen.stab.models import LogCategory, Staff, StaffAssignment, StaffFunction

    editor = world["users"]["editor_b"]
    staff = Staff.objects.create(municipality=world["cities"]["b"], name="Stab B markerbintern", activated_at=timezone.now(),
                                 log_keeper=editor)
    function = StaffFunction.objects.create(staff=staff, code="s2", name="S2 Lage")
    StaffAssignment.objects.create(function=function, user=editor, started_at=timezone.now())
    etb_actions.do_write_entry(staff, category=LogCategory.LAGE, text="Lage markerbintern", acting_user=editor)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    etb_actions.do_attach_file(staff, data=out.getvalue(), name="karte.png", text="Karte", acting_user=editor)
    world["etb"] = {"staff": staff}


def _s(w):
    return {"pk": w["etb"]["staff"].pk}


def _n(number):
    return lambda w: {"pk": w["etb"]["staff"].pk, "number": number}


def _u(w):
    return {"uuid": w["etb"]["staff"].uuid}


def _members(status=OK):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": status, "network_member": DENIED, "admin": status}


_API = {"anonymous": NOT_FOUND, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}

ENTRIES = [
    ("stab:etb_log", _s, "get", _members()),
    ("stab:etb_events", _s, "get", _members()),
    ("stab:etb_new", _s, "get", _members()),
    ("stab:etb_new", _s, "post", _members(302), lambda w: {"category": "lage", "text": "Matrix-Eintrag"}),
    ("stab:etb_attach", _s, "get", _members()),
    ("stab:etb_handover", _s, "get", _members()),
    ("stab:etb_export", _s, "get", _members()),
    ("stab:etb_correct", _n(1), "get", _members()),
    ("stab:etb_attachment", _n(2), "get", _members()),
    ("api:etb_entries", _u, "get", _API),
    ("api:etb_verification", _u, "get", _API),
]

LEAK_URLS: list[str] = []
