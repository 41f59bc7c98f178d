"""Permission-matrix entries of the Lagebesprechung and the Lagebericht (merged by
tests/test_permission_matrix.py).

The staff belongs to city A and none of the matrix's users holds a function in it: its pages
are for the staff's members (and the Administration of A); the platform admin (superuser)
passes every permission. POSTs send invalid data where a valid one would change the world for
the entries after it (400 = allowed, form refused).
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from django.utils import timezone

    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.stab import meet_actions as actions
    from krisenwissen.stab.models import FunctionGroup, Meeting, MeetingStatus, Staff, StaffFunction

    staff = Staff.objects.create(municipality=world["cities"]["a"], name="Stab Matrix", activated_at=timezone.now())
    for order, (code, group) in enumerate([("leitung", FunctionGroup.LEITUNG), ("s2", FunctionGroup.S2), ("gesundheit", FunctionGroup.STAENDIG)]):
        StaffFunction.objects.create(staff=staff, code=code, name=code.title(), group=group, order=order)
    meeting = actions.do_start_meeting(staff, acting_user=SYSTEM)
    closed = Meeting.objects.create(staff=staff, number=99, status=MeetingStatus.GESCHLOSSEN, started_at=timezone.now(),
                                    closed_at=timezone.now(), protocol_pdf=b"%PDF-1.7 matrix", protocol_docx=b"PK matrix",
                                    protocol_sha256="0" * 64)
    report = actions.do_create_situation_report(staff, title="Lage Matrix", acting_user=SYSTEM)
    world["meet"] = {"staff": staff, "meeting": meeting, "closed": closed, "report": report,
                     "section": report.sections.first(), "recipient": report.recipients.first()}


def _m(w, key="meeting"):
    return {"pk": w["meet"][key].pk}


def _staff(w):
    return {"pk": w["meet"]["staff"].pk}


def _r(w):
    return {"pk": w["meet"]["report"].pk}


def _members(status):
    """Only the staff's members (none here) and the superuser."""
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": status}


ENTRIES = [
    ("stab:meet_meetings", _staff, "get", _members(OK)),
    ("stab:meet_meeting", _m, "get", _members(OK)),
    ("stab:meet_contribute", _m, "post", _members(400)),
    ("stab:meet_decide", _m, "post", _members(400)),
    ("stab:meet_advance", _m, "post", _members(302)),
    ("stab:meet_close", _m, "post", _members(400), lambda w: {"schluss-next_meeting_at": "kaputt"}),
    ("stab:meet_protocol", lambda w: {**_m(w, "closed"), "fmt": "pdf"}, "get", _members(OK)),
    ("stab:meet_reports", _staff, "get", _members(OK)),
    ("stab:meet_report_detail", _r, "get", _members(OK)),
    ("stab:meet_report_section", lambda w: {**_r(w), "section": w["meet"]["section"].pk}, "post", _members(400),
     lambda w: {f"s{w['meet']['section'].pk}-text": "x" * 20001}),
    ("stab:meet_report_step", _r, "post", _members(400), lambda w: {"step": "unbekannt"}),
    ("stab:meet_report_recipient_add", _r, "post", _members(400)),
    ("stab:meet_report_recipient_remove", lambda w: {**_r(w), "recipient": w["meet"]["recipient"].pk}, "post", _members(302)),
    ("stab:meet_report_download", lambda w: {**_r(w), "fmt": "docx"}, "get", _members(OK)),
]

LEAK_URLS: list[str] = []
