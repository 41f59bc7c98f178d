"""Permission-matrix entries of Köpfe kennen (merged by tests/test_permission_matrix.py).

Every page needs a login. Directory entries carry the matrix's marker words in their names
with the same visibility as the knowledge items, so the leak check also covers the directory
and its search. Managing the directory (create, edit, leaving, erase, functions, hand-over)
is for the Administration and S1 of the entry's municipality (here: the platform admin);
a Redaktion sees the coverage report of its own city.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.people import actions

    cities = world["cities"]
    owners = {"markeraintern": ("a", "intern"), "markerbintern": ("b", "intern"), "markerbnetz": ("b", "netzwerk"),
              "markercpublic": ("c", "oeffentlich"), "markercintern": ("c", "intern")}
    people = {}
    for marker, (city, visibility) in owners.items():
        people[marker] = actions.do_create_person(cities[city], acting_user=SYSTEM, display_name=f"Lagedienst {marker}",
                                                  position="Krisenstab", visibility=visibility)
        actions.do_set_channels(people[marker], [{"kind": "buero", "value": "030 23125 001"}], acting_user=SYSTEM)
    handover = actions.do_start_handover(people["markerbnetz"], acting_user=SYSTEM)
    world["people"] = {"people": people, "handover": handover}


def _p(w, marker="markerbnetz"):
    return {"pk": w["people"]["people"][marker].pk}


def _h(w):
    return {"pk": w["people"]["handover"].pk}


def _logged_in(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


def _admin_only(status=OK, reader_a=DENIED):
    return {"anonymous": LOGIN, "reader_a": reader_a, "editor_b": DENIED, "network_member": DENIED, "admin": status}


ENTRIES = [
    ("people:list", lambda w: {}, "get", _logged_in(OK)),
    ("people:own", lambda w: {}, "get", _logged_in(302)),
    ("people:create", lambda w: {}, "get", _admin_only()),
    ("people:functions", lambda w: {}, "get", _admin_only()),
    ("people:coverage", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("people:detail", _p, "get", {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": OK, "admin": OK}),
    ("people:detail", lambda w: _p(w, "markercintern"), "get", _admin_only(reader_a=NOT_FOUND) | {"editor_b": NOT_FOUND, "network_member": NOT_FOUND}),
    ("people:edit", _p, "get", _admin_only(reader_a=NOT_FOUND)),
    ("people:confirm", _p, "post", _admin_only(302, reader_a=NOT_FOUND)),
    ("people:take_over_history", _p, "post", _admin_only(302, reader_a=NOT_FOUND)),
    ("people:leaving", _p, "get", _admin_only(reader_a=NOT_FOUND)),
    ("people:erase", _p, "get", _admin_only(reader_a=NOT_FOUND)),
    ("people:handover_start", lambda w: _p(w, "markerbintern"), "post", _admin_only(302, reader_a=NOT_FOUND) | {"network_member": NOT_FOUND}),
    ("people:handover", _h, "get", _admin_only(reader_a=NOT_FOUND)),
    ("people:handover_complete", _h, "post", _admin_only(302, reader_a=NOT_FOUND)),
]

LEAK_URLS = ["/koepfe/", "/koepfe/?q=Lagedienst", "/koepfe/?q=marker", "/koepfe/?q=Krisenstab&erreichbar=jetzt", "/koepfe/abdeckung/"]
