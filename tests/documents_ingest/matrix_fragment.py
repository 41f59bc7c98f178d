"""Permission-matrix entries of documents: ingest part (merged by tests/test_permission_matrix.py).

Every page needs a login; the document list and upload are for contributors somewhere (here
editor_b and the admin). Documents carry the matrix's marker words in their title and text with
the same visibility as the knowledge items, so the leak check covers the document list, the
search (passages) and the viewer. Turning passages into observations is for the Redaktion of
the document's municipality.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.documents.ingest_actions import do_upload_document, run_extraction
    from krisenwissen.documents.search_index import reindex_document

    cities = world["cities"]
    owners = {"markeraintern": ("a", "intern"), "markerbintern": ("b", "intern"), "markerbnetz": ("b", "netzwerk"),
              "markercpublic": ("c", "oeffentlich"), "markercintern": ("c", "intern")}
    documents = {}
    for marker, (city, visibility) in owners.items():
        text = (f"Protokoll {marker}\n\nDer Krisenstab hat im Dokument {marker} die Lage bewertet. "
                "Das Einsatztagebuch wurde lückenlos geführt.\n").encode()
        result = do_upload_document(municipality=cities[city], data=text, filename=f"protokoll-{marker}.txt",
                                    title=f"Dokument {marker}", visibility=visibility, acting_user=SYSTEM, enqueue=False)
        run_extraction(result.version.pk)
        reindex_document(result.document.pk)
        documents[marker] = result.document
    world["documents"] = documents


def _d(w, marker="markerbnetz"):
    return {"pk": w["documents"][marker].pk}


def _v(w, marker="markerbnetz"):
    return {"pk": w["documents"][marker].versions.get().pk}


def _t(w, marker="markerbnetz"):
    return {"pk": w["documents"][marker].passages.order_by("order").first().pk}


CONTRIBUTORS = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}
NETWORK_READERS = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": OK, "admin": OK}
ADMIN_ONLY = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}

ENTRIES = [
    ("documents:list", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": OK, "editor_b": OK, "network_member": OK, "admin": OK}),
    ("documents:upload", lambda w: {}, "get", CONTRIBUTORS),
    ("documents:detail", _d, "get", NETWORK_READERS),
    ("documents:detail", lambda w: _d(w, "markercintern"), "get", ADMIN_ONLY),
    ("documents:detail", lambda w: _d(w, "markeraintern"), "get", ADMIN_ONLY | {"reader_a": OK}),
    ("documents:versions", _d, "get", NETWORK_READERS),
    ("documents:status", _d, "get", NETWORK_READERS),
    ("documents:original", _v, "get", NETWORK_READERS),
    ("documents:original", lambda w: _v(w, "markercintern"), "get", ADMIN_ONLY),
    ("documents:passage", _t, "get", NETWORK_READERS | {"editor_b": 302, "network_member": 302, "admin": 302}),
    ("documents:accept_passage", _t, "post", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": 302,
                                              "network_member": DENIED, "admin": 302}),
    ("documents:accept_passage", lambda w: _t(w, "markercpublic"), "post", ADMIN_ONLY | {"admin": 302}),
    ("documents:edit", _d, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED,
                                   "admin": OK}),
    ("documents:edit", lambda w: _d(w, "markercintern"), "get", ADMIN_ONLY),
]

LEAK_URLS = ["/dokumente/", "/suche/?q=Einsatztagebuch", "/suche/?q=Protokoll", "/suche/?q=marker",
             "/wissen/?q=Einsatztagebuch", "/api/v1/suche/?q=Einsatztagebuch", "/api/v1/suche/?q=Protokoll"]
