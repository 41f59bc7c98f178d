"""Permission-matrix entries for the workshops app (merged by tests/test_permission_matrix.py).

The world gets one workshop hosted by city B (managed by editor_b, Redaktion ≥ Moderation),
with a revealed card, a cluster and a photo, all carrying the marker ``markerbintern``.
Participants' URLs work with the join token and a session; without a session they send
people to the join page (302) or answer 403 (JSON event feed).
"""

import io
import uuid

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def _managers(status=OK, others=NOT_FOUND):
    return {"anonymous": LOGIN, "reader_a": others, "editor_b": status, "network_member": others, "admin": status}


def _everyone(status):
    return {u: status for u in USERS}


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#abcdef").save(out, "PNG")
    return out.getvalue()


def extend_world(world):
    from krisenwissen.workshops import actions

    editor = world["users"]["editor_b"]
    workshop = actions.do_create_workshop(
        host=world["cities"]["b"], acting_user=editor,
        fields={"title": "Reflexionsraum markerbintern", "start_date": __import__("datetime").date(2023, 3, 27),
                "private_until_reveal": False},
    )
    participant = actions.do_join_workshop(workshop, display_name="TN")
    card, _ = actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Karte markerbintern")
    cluster = actions.do_create_cluster(workshop, name="Cluster markerbintern", acting_user=editor)
    actions.do_move_card(card, cluster, acting_user=editor)
    photo = actions.do_upload_photo(workshop, data=_png(), caption="Foto markerbintern", acting_user=editor)
    question = workshop.phases.first().questions.first()
    world["workshop"] = {"workshop": workshop, "card": card, "cluster": cluster, "photo": photo, "question": question}


def _w(world):
    return world["workshop"]["workshop"]


ENTRIES = [
    ("workshops:list", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": OK, "editor_b": OK, "network_member": OK, "admin": OK}),
    ("workshops:create", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("workshops:detail", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:edit", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:question_add", lambda w: {"pk": _w(w).pk}, "post", _managers(302),
     lambda w: {"phase": _w(w).phases.first().pk, "text": "Was lief gut?"}),
    ("workshops:phase_timebox", lambda w: {"pk": _w(w).pk, "phase_pk": _w(w).phases.first().pk}, "post", _managers(302),
     lambda w: {"minutes": "45"}),
    ("workshops:question_remove", lambda w: {"pk": _w(w).pk, "question_pk": w["workshop"]["question"].pk}, "post", _managers(302)),
    ("workshops:qr", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:board", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:presenter", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:board_action", lambda w: {"pk": _w(w).pk}, "post", _managers(302), lambda w: {"op": "reveal"}),
    ("workshops:events", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:photo_upload", lambda w: {"pk": _w(w).pk}, "post", _managers(302), lambda w: {}),
    ("workshops:photo", lambda w: {"pk": _w(w).pk, "photo_pk": w["workshop"]["photo"].pk, "size": "vorschau"}, "get",
     {"anonymous": NOT_FOUND, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("workshops:protocol", lambda w: {"pk": _w(w).pk, "fmt": "docx"}, "get", _managers()),
    ("workshops:synthesis", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:knowledge", lambda w: {"pk": _w(w).pk}, "get", _managers()),
    ("workshops:join", lambda w: {"token": _w(w).join_token}, "get", _everyone(OK)),
    ("workshops:participant_board", lambda w: {"token": _w(w).join_token}, "get", _everyone(302)),
    ("workshops:participant_card", lambda w: {"token": _w(w).join_token}, "post", _everyone(302),
     lambda w: {"uuid": str(uuid.uuid4()), "text": "ohne Sitzung"}),
    ("workshops:participant_vote", lambda w: {"token": _w(w).join_token}, "post", _everyone(302)),
    ("workshops:participant_photo", lambda w: {"token": _w(w).join_token}, "post", _everyone(302)),
    ("workshops:participant_events", lambda w: {"token": _w(w).join_token}, "get", _everyone(403)),
]

LEAK_URLS: list = ["/reflexionsraeume/"]
