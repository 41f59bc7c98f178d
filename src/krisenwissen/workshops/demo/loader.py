"""Write the demo workshops (idempotent: stable UUIDs, board content rebuilt on reload)."""

from __future__ import annotations

import io
import uuid
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from krisenwissen.accounts.models import Municipality, User
from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.demo.loader import demo_uuid

from ..actions import ensure_question_bank, process_photo
from ..models import (
    Card,
    Cluster,
    Participant,
    Phase,
    Photo,
    Question,
    QuestionBankEntry,
    Vote,
    Workshop,
    WorkshopEvent,
)
from ..questionbank import DEFAULT_AGENDA, PHASES_BY_KIND
from ..selectors import report_input
from ..synthesis import build_report
from . import content


def _flipchart_png() -> bytes:
    """A drawn stand-in for a photographed pin board (no real photo in the demo)."""
    image = Image.new("RGB", (800, 560), "#f4f1e8")
    draw = ImageDraw.Draw(image)
    colours = ["#ffe27a", "#9fd3f5", "#b8e6a1", "#f7b7c5"]
    for col in range(4):
        draw.rectangle([30 + col * 192, 30, 200 + col * 192, 70], fill="#14325c")
        for row in range(5):
            x, y = 40 + col * 192, 100 + row * 88
            draw.rectangle([x, y, x + 150, y + 70], fill=colours[(col + row) % 4], outline="#888")
            for line in range(3):
                draw.line([x + 10, y + 18 + line * 18, x + 130 - line * 20, y + 18 + line * 18], fill="#333", width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _workshop(data: dict, crisis, themes) -> Workshop:
    host = Municipality.objects.get(ags=data["host"])
    workshop, _created = Workshop.objects.update_or_create(
        uuid=demo_uuid("workshop", data["key"]),
        defaults={"title": data["title"], "kind": "reflexionsraum", "crisis": crisis, "theme": themes.get(data["theme"]),
                  "focus": data["focus"], "start_date": data["start_date"], "end_date": data["end_date"], "host": host,
                  "place": data["place"], "attribution": data["attribution"], "status": data["status"],
                  "locked": data["status"] != "geplant", "private_until_reveal": True, "votes_per_participant": 5, "voting_open": False,
                  "join_token": f"demo-{data['key']}"},
    )
    workshop.facilitators.set(User.objects.filter(username__in=data["facilitators"]))
    workshop.invited.set(Municipality.objects.filter(ags__in=["05913", "05111", "05113", "05513", "05315"]))
    # Rebuild the board content from scratch (children only; the workshop keeps its id).
    workshop.cards.all().delete()
    workshop.clusters.all().delete()
    workshop.participants.all().delete()
    workshop.events.all().delete()
    for photo in workshop.photos.all():
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        photo.delete()
    workshop.current_question = None
    # last_seq keeps counting (device feeds cache events by sequence number); connected
    # devices learn about the rebuilt board from a "reset" event.
    workshop.last_seq += 1
    workshop.save()
    WorkshopEvent.objects.create(workshop=workshop, seq=workshop.last_seq, kind="reset", payload={})
    workshop.phases.all().delete()
    bank = {e.text: e for e in QuestionBankEntry.objects.all()}
    for number, kind in enumerate(PHASES_BY_KIND["reflexionsraum"], 1):
        phase = Phase.objects.create(workshop=workshop, number=number, kind=kind, timebox_minutes=90 if kind != "transfer" else 120)
        texts = DEFAULT_AGENDA[kind] + data.get("extra_questions", {}).get(kind, [])
        for order, text in enumerate(texts):
            Question.objects.create(phase=phase, text=text, order=order, bank_entry=bank.get(text))
    return workshop


@transaction.atomic
def load(*, force: bool = False) -> dict[str, int]:
    ensure_question_bank()
    crisis = km.Crisis.objects.filter(uuid=demo_uuid("crisis", "covid-19")).first() or km.Crisis.objects.first()
    if crisis is None:
        return {}
    existing = Workshop.objects.filter(uuid=demo_uuid("workshop", content.ESSEN["key"])).first()
    if existing is not None and not force:
        return {"workshops": Workshop.objects.count()}
    themes = {c.key: c for c in km.Code.objects.filter(scheme__key="themen")}
    crisis_phases = {p.number: p for p in crisis.phases.all()}
    essen = _workshop(content.ESSEN, crisis, themes)
    follow_up = _workshop(content.FOLLOW_UP, crisis, themes)
    follow_up.current_question = Question.objects.filter(phase__workshop=follow_up).first()
    follow_up.save(update_fields=["current_question"])

    cities = {m.ags: m for m in Municipality.objects.filter(ags__in={p[1] for p in content.PARTICIPANTS})}
    participants = {}
    for key, ags, function in content.PARTICIPANTS:
        city = cities.get(ags)
        # Chatham House: no display name (see actions.do_join_workshop).
        participants[key] = Participant.objects.create(workshop=essen, municipality=city,
                                                       department_function=function, key=f"demo-{key}")
    phases = {p.kind: p for p in essen.phases.all()}
    questions = {kind: list(phase.questions.all()) for kind, phase in phases.items()}
    clusters = {}
    for order, (key, name, kind, _votes) in enumerate(content.CLUSTERS, 1):
        clusters[key] = Cluster.objects.create(workshop=essen, name=name, kind=kind, order=order, phase=phases["transfer"] if kind == "massnahmenidee" else phases["analytisch"])
    for key, phase_kind, q_index, author, cp_number, month, feeling, cluster, quote, text in content.CARDS:
        question = questions[phase_kind][min(q_index, len(questions[phase_kind]) - 1)]
        Card.objects.create(
            uuid=uuid.uuid5(demo_uuid("workshop", content.ESSEN["key"]), key), workshop=essen, phase=phases[phase_kind],
            question=question, author=participants[author], text=text, revealed=True,
            crisis_phase=crisis_phases.get(cp_number) if cp_number else None,
            when=date(month[0], month[1], 1) if month else None, feeling=feeling, cluster=clusters.get(cluster), is_quote=quote,
        )
    people = list(participants.values())
    counter = 0
    for key, _name, _kind, votes in content.CLUSTERS:
        for _ in range(votes):
            # Spread dots over the participants, three each at most.
            voter = people[counter % len(people)]
            counter += 1
            Vote.objects.create(uuid=uuid.uuid5(demo_uuid("workshop", content.ESSEN["key"]), f"vote-{counter}"),
                                workshop=essen, participant=voter, cluster=clusters[key])
    full, thumb, width, height = process_photo(_flipchart_png())
    photo = Photo(workshop=essen, caption="Pinnwand der Transferphase mit Karten in vier Spalten", width=width, height=height)
    photo.image.save("demo-essen-pinnwand.jpg", ContentFile(full), save=False)
    photo.thumbnail.save("demo-essen-pinnwand-vorschau.jpg", ContentFile(thumb), save=False)
    photo.save()
    essen.current_question = questions["transfer"][-1]
    blocks = build_report(report_input(essen))
    blocks.append({"type": "paragraph", "text": content.SYNTHESIS_NOTE})
    essen.synthesis_text = ""
    essen.synthesis_blocks = blocks
    essen.save()
    return {"workshops": 2, "workshop_karten": len(content.CARDS), "workshop_cluster": len(content.CLUSTERS)}
