"""Permission-matrix entries for the regulations app (merged by tests/test_permission_matrix.py).

Legal texts are public information: everyone (also anonymous) reads lists, versions, Synopse
and exports. Creating legal texts, uploading versions, correcting their details and editing keyword rules needs the
Redaktion of any municipality (editor_b) or a superuser; subscribing needs a login.
"""

import datetime

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")

OLD = """% Testverordnung  (Testverordnung - TestV)

# § 1 – Versammlungen

(1) Versammlungen sind anzuzeigen.

# § 2 – Schulen

Schulen bleiben geöffnet.
"""
NEW = OLD.replace("bleiben geöffnet", "werden geschlossen")


def _everyone(status):
    return {u: status for u in USERS}


def _editors(status=OK):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": status, "network_member": DENIED, "admin": status}


def _logged_in(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


def extend_world(world):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.regulations import actions
    from krisenwissen.regulations.models import KeywordRule

    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    old = actions.do_add_version(legal_text, text=OLD, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    new = actions.do_add_version(legal_text, text=NEW, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM)
    rule = KeywordRule.objects.get_or_create(term="Schule", department="Schulverwaltung")[0]
    world["regulations"] = {"legal_text": legal_text, "old": old, "new": new, "rule": rule}


def _r(world):
    return world["regulations"]


def _slug(w):
    return {"slug": _r(w)["legal_text"].slug}


ENTRIES = [
    ("regulations:list", lambda w: {}, "get", _everyone(OK)),
    ("regulations:create", lambda w: {}, "get", _editors()),
    ("regulations:keywords", lambda w: {}, "get", _everyone(OK)),
    ("regulations:keyword_edit", lambda w: {"pk": _r(w)["rule"].pk}, "get", _editors()),
    ("regulations:detail", _slug, "get", _everyone(OK)),
    ("regulations:version", lambda w: {**_slug(w), "pk": _r(w)["old"].pk}, "get", _everyone(OK)),
    ("regulations:synopse", _slug, "get", _everyone(OK)),
    ("regulations:synopse_export", lambda w: {**_slug(w), "fmt": "json"}, "get", _everyone(OK)),
    ("api:synopse", _slug, "get", _everyone(OK)),
    ("regulations:synopse_export", lambda w: {**_slug(w), "fmt": "html"}, "get", _everyone(OK)),
    ("regulations:version_add", _slug, "get", _editors()),
    ("regulations:version_edit", lambda w: {**_slug(w), "pk": _r(w)["old"].pk}, "get", _editors()),
    ("regulations:amend", _slug, "get", _editors()),
    ("regulations:subscribe", _slug, "post", _logged_in(302)),
    ("regulations:keyword_delete", lambda w: {"pk": _r(w)["rule"].pk}, "post", _editors(302)),
]
LEAK_URLS: list = []
