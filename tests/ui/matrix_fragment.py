"""Permission-matrix entries for the ui app's own pages (merged by tests/test_permission_matrix.py)."""

USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")
OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404


def everyone(status):
    return {u: status for u in USERS}


OPERATOR_ONLY = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}


def extend_world(world):
    return None


ENTRIES: list = [
    ("ui:imprint", lambda w: {}, "get", everyone(OK)),
    ("ui:privacy", lambda w: {}, "get", everyone(OK)),
    ("ui:accessibility", lambda w: {}, "get", everyone(OK)),
    ("ui:easy_language", lambda w: {}, "get", everyone(OK)),
    ("ui:getting_started", lambda w: {}, "get", everyone(OK)),
    ("ui:getting_started_role", lambda w: {"role": "redaktion"}, "get", everyone(OK)),
    ("ui:accessibility_feedback_list", lambda w: {}, "get", OPERATOR_ONLY),
    ("ui:site_page_edit", lambda w: {"key": "impressum"}, "get", OPERATOR_ONLY),
]

LEAK_URLS: list = []
ENTRIES.append(("ui:municipality_setup", lambda w: {}, "get", OPERATOR_ONLY))
