"""Permission-matrix entries of qualitative coding (merged by tests/test_permission_matrix.py).

Every page needs a login and the right to code somewhere (Mitwirkende or higher); documents the
person may not read answer 404. Editing the code book and importing are for the platform
administration. The marker documents carry the matrix's marker words in their text and codings,
so the leak check also covers retrieval and the co-occurrence table.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404


def extend_world(world):
    import hashlib

    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.documents import coding_actions
    from krisenwissen.documents.models import Document, DocumentVersion

    owners = {"markeraintern": ("a", "intern"), "markerbintern": ("b", "intern"), "markerbnetz": ("b", "netzwerk"),
              "markercpublic": ("c", "oeffentlich"), "markercintern": ("c", "intern")}
    versions, codings = {}, {}
    for marker, (city, visibility) in owners.items():
        text = f"Protokoll {marker} des Krisenstabs: Schutzausrüstung fehlt."
        document = Document.objects.create(municipality=world["cities"][city], title=f"Protokoll {marker}", visibility=visibility)
        version = DocumentVersion.objects.create(document=document, number=1, text=text, status="fertig",
                                                 content_hash=hashlib.sha256(text.encode()).hexdigest(), original_name="p.txt")
        versions[marker] = version
        codings[marker] = coding_actions.do_code_segment(version, start=0, end=len(text), code=world["theme"], acting_user=SYSTEM)
    world["coding"] = {"versions": versions, "codings": codings}


def _v(marker="markerbnetz"):
    return lambda w: {"pk": w["coding"]["versions"][marker].pk}


def _c(marker="markerbnetz"):
    return lambda w: {"pk": w["coding"]["codings"][marker].pk}


def _coders(status=OK, editor_b=None):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": status if editor_b is None else editor_b,
            "network_member": DENIED, "admin": status}


def _admin_only(status=OK):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": status}


ENTRIES = [
    ("documents:coding_index", lambda w: {}, "get", _coders()),
    ("documents:coding_version", _v(), "get", _coders()),
    ("documents:coding_version", _v("markercintern"), "get", _coders(editor_b=NOT_FOUND)),
    ("documents:coding_version", _v(), "post", _coders(302), lambda w: {"code": w["theme"].pk, "start": 0, "end": 9}),
    ("documents:coding_version", _v("markercpublic"), "post", _coders(302, editor_b=OK),
     lambda w: {"code": w["theme"].pk, "start": 0, "end": 9}),  # readable, but not B's: the form says no
    ("documents:coding_version_memo", _v(), "post", _coders(302), lambda w: {"text": "Memo"}),
    ("documents:coding_version_memo", _v("markercintern"), "post", _coders(302, editor_b=NOT_FOUND), lambda w: {"text": "Memo"}),
    ("documents:coding_agreement", _v(), "get", _coders()),
    ("documents:coding_agreement", _v("markeraintern"), "get", _coders(editor_b=NOT_FOUND)),
    ("documents:coding_code", lambda w: {"pk": w["theme"].pk}, "get", _coders()),
    ("documents:coding_code_edit", lambda w: {"pk": w["theme"].pk}, "get", _admin_only()),
    ("documents:coding_cooccurrence", lambda w: {}, "get", _coders()),
    ("documents:coding_export", lambda w: {}, "get", _coders()),
    ("documents:coding_export_codebook", lambda w: {}, "get", _coders()),
    ("documents:coding_import", lambda w: {}, "get", _admin_only()),
    ("documents:coding_remove", _c("markercintern"), "post", _coders(302, editor_b=NOT_FOUND)),
    ("documents:coding_remove", _c(), "post", _coders(302)),
]

LEAK_URLS = ["/dokumente/codierung/", "/dokumente/codierung/kookkurrenz/"]
