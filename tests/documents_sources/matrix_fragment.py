"""Permission-matrix entries of documents: research sources part (merged by tests/test_permission_matrix.py).

Interviews, surveys and literature records carry the matrix's marker words in their titles with
the same visibility as the knowledge items, so the leak check covers the sources overview, the
literature list, the document list and the search. Importing is for contributors somewhere
(editor_b, admin); the overview and the literature list are for members somewhere; an
interview or survey is read by municipality and visibility.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")

OWNERS = {"markerbnetz": ("b", "netzwerk"), "markercintern": ("c", "intern"), "markeraintern": ("a", "intern")}


def extend_world(world):
    import datetime as dt

    from django.utils import timezone

    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.documents.sources_actions import (
        do_import_literature,
        do_import_survey,
        do_upload_interview,
    )

    cities = world["cities"]
    today = timezone.localdate()
    sources = {}
    for marker, (city, visibility) in OWNERS.items():
        interview = do_upload_interview(
            municipality=cities[city], data=f"I: Wie lief es mit {marker}?\nB: Gut, {marker} war vorbereitet.".encode(),
            filename="i.txt", title=f"Interview {marker}", consent_date=today, consent_note="schriftlich",
            retention_until=today + dt.timedelta(days=365), visibility=visibility, acting_user=SYSTEM)
        survey = do_import_survey(
            municipality=cities[city], data=f"ags;Q1. Frage {marker}?\n05111;ja\n05913;nein\n".encode(), filename="u.csv",
            title=f"Umfrage {marker}", visibility=visibility, acting_user=SYSTEM)
        do_import_literature(
            municipality=cities[city], data=f"TY  - JOUR\nTI  - Literatur {marker}\nPY  - 2021\nER  -\n".encode(),
            filename="l.ris", visibility=visibility, acting_user=SYSTEM)
        sources[marker] = {"interview": interview, "survey": survey}
    world["sources"] = sources


def _i(marker="markerbnetz"):
    return lambda w: {"pk": w["sources"][marker]["interview"].pk}


def _s(marker="markerbnetz"):
    return lambda w: {"pk": w["sources"][marker]["survey"].pk}


MEMBERS = {"anonymous": LOGIN, "reader_a": OK, "editor_b": OK, "network_member": OK, "admin": OK}
CONTRIBUTORS = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}
NETWORK_READERS = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": OK, "admin": OK}
ADMIN_ONLY = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}

ENTRIES = [
    ("documents:sources_index", lambda w: {}, "get", MEMBERS),
    ("documents:sources_literature", lambda w: {}, "get", MEMBERS),
    ("documents:sources_interview_upload", lambda w: {}, "get", CONTRIBUTORS),
    ("documents:sources_interview_upload", lambda w: {}, "post", CONTRIBUTORS | {"editor_b": 400, "admin": 400}),
    ("documents:sources_survey_import", lambda w: {}, "get", CONTRIBUTORS),
    ("documents:sources_survey_import", lambda w: {}, "post", CONTRIBUTORS | {"editor_b": 400, "admin": 400}),
    ("documents:sources_literature_import", lambda w: {}, "get", CONTRIBUTORS),
    ("documents:sources_literature_import", lambda w: {}, "post", CONTRIBUTORS | {"editor_b": 400, "admin": 400}),
    ("documents:sources_interview", _i(), "get", NETWORK_READERS),
    ("documents:sources_interview", _i("markercintern"), "get", ADMIN_ONLY),
    ("documents:sources_interview", _i("markeraintern"), "get", ADMIN_ONLY | {"reader_a": OK}),
    # changing consent: contributors of the interview's municipality (empty form: 400 with a message)
    ("documents:sources_interview", _i(), "post", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": 400,
                                                   "network_member": 403, "admin": 400}),
    ("documents:sources_survey", _s(), "get", NETWORK_READERS),
    ("documents:sources_survey", _s("markercintern"), "get", ADMIN_ONLY),
    ("documents:sources_survey", _s("markeraintern"), "get", ADMIN_ONLY | {"reader_a": OK}),
]

LEAK_URLS = ["/dokumente/quellen/", "/dokumente/literatur/", "/dokumente/literatur/?q=Literatur", "/dokumente/",
             "/suche/?q=Interview"]
