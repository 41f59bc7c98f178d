"""Every state change of a workshop: one transaction, one event in the board log, audit rows.

Each ``do_*`` enforces a permission declared in ``workshops.rules``. Facilitator actions take
``acting_user`` and require ``workshops.manage_workshop`` (status steps go through the
lifecycle ``workshops.lifecycles.WORKSHOP_STATUS``). Participant actions take the
``Participant`` (who joined through the link, possibly without an account) and check its
permission with the participant as the subject (``rules.ParticipantActor``); a closed board is
explained first by a German ``ValidationError``.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json as json_module
import uuid as uuid_module
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from krisenwissen.accounts.models import DepartmentFunction
from krisenwissen.core.audit import record
from krisenwissen.core.policy import PermissionDenied, has_perm, person, require_perm
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge.events import KnowledgeEvent
from krisenwissen.knowledge.models import (
    Lesson,
    Observation,
    ObservationKind,
    Recommendation,
    Source,
    SourceKind,
    Visibility,
)

from . import questionbank, selectors
from .events import WorkshopAuditEvent as E
from .lifecycles import WORKSHOP_STATUS
from .models import (
    CARD_MAX_LENGTH,
    CLUSTER_NAME_MAX_LENGTH,
    Attribution,
    Card,
    CardTransfer,
    Cluster,
    ClusterKind,
    ClusterTransfer,
    Feeling,
    Participant,
    Phase,
    PhaseKind,
    Photo,
    Question,
    QuestionBankEntry,
    Vote,
    Workshop,
    WorkshopEvent,
    WorkshopStatus,
)
from .rules import ParticipantActor
from .selectors import note_seq, report_input
from .synthesis import ANONYMOUS_SOURCE, BlockError, build_report, validate_blocks

MAX_PHOTO_BYTES = 15 * 1024 * 1024
# The pixel budget. PNG, WebP and GIF are decoded in full: at most 16 million pixels (64 MB
# with alpha, plus the RGB copy: about 120 MB at worst per upload; a phone's photo has 12 MP;
# a 7,000 × 8,000 PNG of 54 KB cost 290 MB before). JPEG (and MPO) is decoded at 1/2, 1/4 or
# 1/8 scale (``Image.draft``), since we keep at most PHOTO_MAX_EDGE pixels per edge anyway: a
# camera file of up to 64 MP is accepted and decoded with at most 24 MP (72 MB as RGB); a
# 48-MP phone photo is decoded with 12 MP. The sizes are read from the header before decoding.
MAX_PHOTO_PIXELS = 16_000_000
MAX_JPEG_SOURCE_PIXELS = 64_000_000
MAX_JPEG_DECODED_PIXELS = 24_000_000
PHOTO_MAX_EDGE = 2400
# Pillow's own guard for every image this process opens: warns above, refuses above twice.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_SOURCE_PIXELS
THUMB_EDGE = 480
ALLOWED_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


MANAGE = "workshops.manage_workshop"
NOT_FACILITATOR = gettext_lazy("Nur die Moderation dieses Workshops darf das.")


def _emit(workshop: Workshop, kind: str, payload: dict) -> int:
    """Append one event; the sequence number comes from the workshop row (locked by the write)."""
    with connection.cursor() as cursor:  # one statement (SQLite ≥ 3.35 and PostgreSQL)
        cursor.execute(f"UPDATE {Workshop._meta.db_table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",
                       [workshop.pk])
        seq = cursor.fetchone()[0]
    workshop.last_seq = seq
    WorkshopEvent.objects.create(workshop_id=workshop.pk, seq=seq, kind=kind, payload=payload)
    token = workshop.join_token or Workshop.objects.filter(pk=workshop.pk).values_list("join_token", flat=True).get()
    transaction.on_commit(lambda: note_seq(token, seq=seq))
    return seq


def author_label(card: Card, attribution: str) -> str:
    """How a card's author is shown: only with attribution ``namentlich`` by name."""
    if attribution == Attribution.NAMENTLICH and card.author and card.author.display_name:
        return card.author.display_name
    return ""


def _forget_quote_names(workshop: Workshop) -> bool:
    """Quotes in the Synthesebericht lose the names they carried under ``namentlich``."""
    anonymous = ANONYMOUS_SOURCE
    blocks = Workshop.objects.filter(pk=workshop.pk).values_list("synthesis_blocks", flat=True).first() or []
    changed = False
    for block in blocks:
        if isinstance(block, dict) and block.get("type") == "quote" and block.get("source") != anonymous:
            block["source"] = anonymous
            changed = True
    if changed:
        Workshop.objects.filter(pk=workshop.pk).update(synthesis_blocks=blocks)
    return changed


def _forget_author_names(workshop: Workshop) -> int:
    """Blank the author names in the board's event log (cards of a formerly named workshop)
    and in the quotes of its Synthesebericht."""
    _forget_quote_names(workshop)
    changed = 0
    for event in WorkshopEvent.objects.filter(workshop=workshop, kind__in=("card", "card_update", "reveal")).iterator():
        cards = event.payload.get("cards") or ([event.payload["card"]] if isinstance(event.payload.get("card"), dict) else [])
        if any(c.get("author_name") for c in cards if isinstance(c, dict)):
            for c in cards:
                if isinstance(c, dict) and "author_name" in c:
                    c["author_name"] = ""
            event.save(update_fields=["payload"])
            changed += 1
    return changed


def card_payload(card: Card, attribution: str) -> dict:
    return {
        "uuid": str(card.uuid),
        "text": card.text,
        "author": card.author_id,
        "author_name": author_label(card, attribution),
        "phase": card.phase_id,
        "question": card.question_id,
        "crisis_phase": card.crisis_phase_id,
        "when": card.when.isoformat() if card.when else None,
        "feeling": card.feeling,
        "cluster": card.cluster_id,
        "quote": card.is_quote,
        "revealed": card.revealed,
    }


def _state_payload(workshop: Workshop) -> dict:
    return {
        "status": workshop.status,
        "locked": workshop.locked,
        "voting_open": workshop.voting_open,
        "private": workshop.private_until_reveal,
        "question": workshop.current_question_id,
    }


# ------------------------------------------------------------------------------------------
# Set-up
# ------------------------------------------------------------------------------------------


def ensure_question_bank() -> None:
    """Seed the question bank (idempotent)."""
    for order, (phase_kind, source, text, _hazard) in enumerate(questionbank.bank()):
        QuestionBankEntry.objects.get_or_create(text=text, defaults={"phase_kind": phase_kind, "source": source, "order": order})


def workshop_hazard(workshop: Workshop) -> str:
    """The hazard of a workshop (``questionbank`` key or ""), from its crisis, title and focus."""
    crisis = workshop.crisis if workshop.crisis_id else None
    return questionbank.detect_hazard(crisis.hazard_type if crisis else "", crisis.title if crisis else "",
                                      workshop.title, workshop.focus)


WORKSHOP_FIELDS = ("title", "kind", "crisis", "theme", "focus", "start_date", "end_date", "start_time", "place",
                   "attribution", "private_until_reveal", "votes_per_participant", "transfer_scope", "transfer_visibility")


@transaction.atomic
def do_create_workshop(*, host, fields: dict, facilitators=(), acting_user) -> Workshop:
    """A workshop with its agenda: phases by format, guiding questions from the bank matched
    to the crisis's hazard and the format (``questionbank.agenda_for``)."""
    require_perm(acting_user, "workshops.create_workshop",
                 message=gettext_lazy("Workshops legt die Moderation einer Kommune an."))
    require_perm(acting_user, "workshops.host_workshop", host,
                 message=gettext_lazy("Sie haben in der gastgebenden Kommune keine Moderationsrolle."))
    data = {k: v for k, v in fields.items() if k in WORKSHOP_FIELDS}
    workshop = Workshop(host=host, created_by=acting_user if getattr(acting_user, "pk", None) else None, **data)
    if workshop.end_date and workshop.end_date < workshop.start_date:
        raise ValidationError({"end_date": _("Das Ende liegt vor dem Beginn.")})
    workshop.full_clean()
    workshop.save()
    workshop.facilitators.set(list(facilitators) or ([acting_user] if getattr(acting_user, "pk", None) else []))
    workshop.invited.set(fields.get("invited") or [])
    ensure_question_bank()
    bank = {e.text: e for e in QuestionBankEntry.objects.all()}
    first = None
    agenda = questionbank.agenda_for(workshop.kind, workshop_hazard(workshop))
    for number, (kind, texts) in enumerate(agenda.items(), 1):
        phase = Phase.objects.create(workshop=workshop, number=number, kind=kind)
        for order, text in enumerate(texts):
            q = Question.objects.create(phase=phase, text=text, order=order, bank_entry=bank.get(text))
            first = first or q
    workshop.current_question = first
    workshop.save(update_fields=["current_question"])
    record(E.WORKSHOP_CREATED, acting_user=acting_user, obj=workshop, municipality=host)
    return workshop


@transaction.atomic
def do_update_workshop(workshop: Workshop, *, fields: dict, acting_user) -> Workshop:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if any(key in fields and fields[key] != getattr(workshop, key) for key in ("transfer_scope", "transfer_visibility")):
        require_perm(acting_user, "workshops.set_sharing_agreement", workshop, message=_(
            "Die Vereinbarung zur Übernahme in die Wissensbasis ändert nur die Moderation der gastgebenden Kommune."))
    changed = []
    for key, value in fields.items():
        if key in WORKSHOP_FIELDS and getattr(workshop, key) != value:
            setattr(workshop, key, value)
            changed.append(key)
    if workshop.end_date and workshop.end_date < workshop.start_date:
        raise ValidationError({"end_date": _("Das Ende liegt vor dem Beginn.")})
    workshop.full_clean()
    workshop.save()
    if "invited" in fields and set(workshop.invited.values_list("pk", flat=True)) != {m.pk for m in fields["invited"]}:
        workshop.invited.set(fields["invited"])
        changed.append("invited")
    if "private_until_reveal" in changed and not workshop.private_until_reveal:
        _reveal_all(workshop)
    if "attribution" in changed and workshop.attribution != Attribution.NAMENTLICH:
        # No longer "namentlich": the names given so far are forgotten (see do_join_workshop).
        workshop.participants.update(display_name="", user=None)
        _forget_author_names(workshop)
    _emit(workshop, "workshop", _state_payload(workshop))
    record(E.WORKSHOP_CHANGED, acting_user=acting_user, obj=workshop, municipality=workshop.host, fields=sorted(changed))
    return workshop


@transaction.atomic
def do_set_timebox(phase: Phase, minutes: int, *, acting_user) -> Phase:
    require_perm(acting_user, MANAGE, phase.workshop, message=NOT_FACILITATOR)
    if not isinstance(minutes, int) or not 5 <= minutes <= 600:
        raise ValidationError({"timebox_minutes": _("Der Zeitrahmen muss zwischen 5 und 600 Minuten liegen.")})
    phase.timebox_minutes = minutes
    phase.save(update_fields=["timebox_minutes"])
    _emit(phase.workshop, "agenda", {"phase": phase.pk, "minutes": minutes})
    record(E.TIMEBOX_CHANGED, acting_user=acting_user, obj=phase.workshop, municipality=phase.workshop.host,
           phase=phase.pk, minutes=minutes)
    return phase


@transaction.atomic
def do_add_question(phase: Phase, *, text: str, acting_user) -> Question:
    require_perm(acting_user, MANAGE, phase.workshop, message=NOT_FACILITATOR)
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Bitte geben Sie die Leitfrage ein.")})
    if len(text) > 500:
        raise ValidationError({"text": _("Die Leitfrage ist zu lang (höchstens 500 Zeichen).")})
    bank = QuestionBankEntry.objects.filter(text=text).first()
    order = (phase.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    question = Question.objects.create(phase=phase, text=text, order=order, bank_entry=bank)
    _emit(phase.workshop, "agenda", {"question": question.pk})
    record(E.QUESTION_ADDED, acting_user=acting_user, obj=phase.workshop, municipality=phase.workshop.host, question=question.pk)
    return question


@transaction.atomic
def do_remove_question(question: Question, *, acting_user) -> None:
    workshop = question.phase.workshop
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    if question.cards.exists():
        raise ValidationError(_("Zu dieser Leitfrage gibt es schon Karten; sie bleibt erhalten."))
    if workshop.current_question_id == question.pk:
        workshop.current_question = None
        workshop.save(update_fields=["current_question"])
    pk = question.pk
    question.delete()
    _emit(workshop, "agenda", {"removed": pk})
    record(E.QUESTION_REMOVED, acting_user=acting_user, obj=workshop, municipality=workshop.host, question=pk)


@transaction.atomic
def do_set_current_question(workshop: Workshop, question: Question, *, acting_user) -> Workshop:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    if question.phase.workshop_id != workshop.pk:
        raise ValidationError(_("Diese Leitfrage gehört zu einem anderen Workshop."))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.current_question = question
    if workshop.status == WorkshopStatus.GEPLANT:  # choosing a question starts the workshop
        WORKSHOP_STATUS.apply(workshop, "start", acting_user=acting_user, update_fields=["current_question"])
    else:
        workshop.save(update_fields=["current_question"])
    _emit(workshop, "workshop", _state_payload(workshop))
    record(E.QUESTION_CHOSEN, acting_user=acting_user, obj=workshop, municipality=workshop.host, question=question.pk)
    return workshop


@transaction.atomic
def do_set_status(workshop: Workshop, status: str, *, acting_user) -> Workshop:
    """Take the step of ``WORKSHOP_STATUS`` that leads to ``status`` (forward one step at a time,
    or back from ``dokumentiert`` to ``läuft`` to reopen the board)."""
    require_perm(acting_user, "workshops.change_status", workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if status not in WorkshopStatus.values:
        raise ValidationError(_("Unbekannter Status."))
    transition = WORKSHOP_STATUS.find(workshop, target=status)
    if transition is None:
        raise ValidationError(
            _("Der Status kann nur von „%(old)s“ zum nächsten Schritt wechseln.") % {"old": workshop.get_status_display()}
        )
    WORKSHOP_STATUS.apply(workshop, transition.name, acting_user=acting_user)
    _emit(workshop, "workshop", _state_payload(workshop))
    return workshop


@transaction.atomic
def do_set_locked(workshop: Workshop, locked: bool, *, acting_user) -> Workshop:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status in (WorkshopStatus.VALIDIERT, WorkshopStatus.VEROEFFENTLICHT) and not locked:
        raise ValidationError(_("Ein validierter Workshop bleibt gesperrt."))
    workshop.locked = locked
    if locked:
        workshop.voting_open = False
    workshop.save(update_fields=["locked", "voting_open"])
    _emit(workshop, "workshop", _state_payload(workshop))
    record(E.BOARD_LOCKED if locked else E.BOARD_UNLOCKED, acting_user=acting_user, obj=workshop, municipality=workshop.host)
    return workshop


@transaction.atomic
def do_set_voting(workshop: Workshop, open_: bool, *, acting_user) -> Workshop:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if open_ and not workshop.accepts_contributions:
        raise ValidationError(_("Das Board ist gesperrt; eine Punktabfrage ist nicht möglich."))
    workshop.voting_open = open_
    workshop.save(update_fields=["voting_open"])
    _emit(workshop, "workshop", _state_payload(workshop))
    record(E.VOTING_OPENED if open_ else E.VOTING_CLOSED, acting_user=acting_user, obj=workshop, municipality=workshop.host)
    return workshop


# ------------------------------------------------------------------------------------------
# Participants and cards
# ------------------------------------------------------------------------------------------


def _require_open(workshop: Workshop) -> None:
    if workshop.status not in (WorkshopStatus.GEPLANT, WorkshopStatus.LAEUFT):
        raise ValidationError(_("Dieser Workshop ist beendet; Beiträge sind nicht mehr möglich."))
    if workshop.locked:
        raise ValidationError(_("Das Board ist gesperrt; die Moderation nimmt gerade keine Beiträge an."))


@transaction.atomic
def do_join_workshop(workshop: Workshop, *, display_name: str = "", municipality=None, department_function: str = "",
                     acting_user=None) -> Participant:
    """Join through the link, with or without an account (``acting_user`` None: a visitor
    without an account). Only a ``namentlich`` workshop stores the name and the account: under
    the Chatham House rule and in anonymous workshops the participant record (the author of
    every card) holds neither, so no card can ever be linked to a person, not even after the
    attribution is changed later. Municipality and department stay (they are what the
    workshop's statistics show)."""
    workshop = Workshop.objects.get(pk=workshop.pk)
    _require_open(workshop)
    require_perm(acting_user or AnonymousUser(), "workshops.join_workshop", workshop)
    name = " ".join((display_name or "").split())
    if len(name) > 80:
        raise ValidationError({"display_name": _("Der Anzeigename ist zu lang (höchstens 80 Zeichen).")})
    named = workshop.attribution == Attribution.NAMENTLICH
    if not named:
        name = ""
    if department_function and department_function not in DepartmentFunction.values:
        raise ValidationError({"department_function": _("Unbekannter Bereich.")})
    if municipality is not None and municipality.pk not in invited_municipality_ids(workshop):
        raise ValidationError({"municipality": _("Diese Kommune ist zu diesem Workshop nicht eingeladen.")})
    user = acting_user if named and getattr(acting_user, "is_authenticated", False) else None
    participant = Participant.objects.create(
        workshop=workshop, display_name=name, user=user, municipality=municipality, department_function=department_function,
    )
    _emit(workshop, "participant", {"count": workshop.participants.count()})
    return participant


def invited_municipality_ids(workshop: Workshop) -> set[int]:
    """The municipalities participants may name: the host and the invited ones."""
    return {workshop.host_id, *workshop.invited.values_list("pk", flat=True)}


def _clean_card_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if not text:
        raise ValidationError({"text": _("Die Karte ist leer. Bitte schreiben Sie einen Text.")})
    if len(text) > CARD_MAX_LENGTH:
        raise ValidationError({"text": _("Die Karte ist zu lang: %(n)s Zeichen, erlaubt sind höchstens %(max)s. "
                                         "Bitte kürzen Sie oder teilen Sie den Gedanken auf zwei Karten auf.")
                               % {"n": len(text), "max": CARD_MAX_LENGTH}})
    return text


def parse_card_uuid(value) -> uuid_module.UUID:
    try:
        return uuid_module.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise ValidationError({"uuid": _("Ungültige Kartenkennung.")}) from None


def do_add_card(participant: Participant, *, card_uuid, text: str, crisis_phase=None, when=None, feeling: str = "",
                question=None) -> tuple[Card, bool]:
    """Store a card once. The same UUID sent again returns the stored card (``created`` False)."""
    card_uuid = parse_card_uuid(card_uuid)
    existing = Card.objects.filter(uuid=card_uuid).first()
    if existing is not None:
        if existing.author_id != participant.pk:
            raise ValidationError({"uuid": _("Diese Kartenkennung ist bereits vergeben.")})
        return existing, False
    text = _clean_card_text(text)
    if feeling and feeling not in Feeling.values:
        raise ValidationError({"feeling": _("Unbekannte Angabe zum Gefühl.")})
    try:
        with transaction.atomic():
            workshop = (Workshop.objects.select_related("current_question__phase").defer("synthesis_text", "synthesis_blocks")
                        .get(pk=participant.workshop_id))
            _require_open(workshop)
            require_perm(ParticipantActor(participant), "workshops.write_card", workshop)
            question = question or workshop.current_question
            if question is not None and question.phase.workshop_id != workshop.pk:
                raise ValidationError(_("Diese Leitfrage gehört zu einem anderen Workshop."))
            if crisis_phase is not None and workshop.crisis_id and crisis_phase.crisis_id != workshop.crisis_id:
                raise ValidationError({"crisis_phase": _("Diese Krisenphase gehört zu einer anderen Krise.")})
            card = Card.objects.create(
                uuid=card_uuid, workshop=workshop, author=participant, text=text,
                question=question, phase=question.phase if question else None,
                revealed=not workshop.private_until_reveal, crisis_phase=crisis_phase, when=when, feeling=feeling or "",
            )
            _emit(workshop, "card", {"card": card_payload(card, workshop.attribution)})
    except IntegrityError:
        # A concurrent request with the same UUID won the race: return its card.
        existing = Card.objects.filter(uuid=card_uuid, author=participant).first()
        if existing is None:
            raise
        return existing, False
    return card, True


PREFILL_MAX_ITEMS = 300


def _prefill_text(text) -> str:
    """A prefilled item as card text: printable, and shortened to a card (never refused for length)."""
    text = " ".join(str(text or "").split())
    if len(text) > CARD_MAX_LENGTH:
        text = text[: CARD_MAX_LENGTH - 2].rstrip() + " …"
    return _clean_card_text(text)


@transaction.atomic
def do_prefill_timeline(workshop: Workshop, *, items, acting_user) -> list[Card]:
    """Put context cards on the timeline wall before the board opens (what another tool already
    knows about the crisis: an Einsatztagebuch's key entries, decisions, open tasks).

    Each item is a mapping with ``key`` (stable per workshop: an item whose key was stored
    before is skipped, so a retried call stores everything once), ``text``, optionally ``when``
    (a date or datetime) and ``crisis_phase`` (a phase of the workshop's crisis; without it the
    card is placed by its date). The cards have no author, are revealed and belong to the
    descriptive phase. Returns the cards created now. At most ``PREFILL_MAX_ITEMS`` per call.
    """
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _require_open(workshop)
    items = list(itertools.islice(iter(items), PREFILL_MAX_ITEMS + 1))
    if len(items) > PREFILL_MAX_ITEMS:
        raise ValidationError(_("Es können höchstens %(max)s Einträge auf einmal vorbelegt werden.") % {"max": PREFILL_MAX_ITEMS})
    phase = workshop.phases.filter(kind=PhaseKind.DESKRIPTIV).first()
    crisis_phases = list(workshop.crisis.phases.all()) if workshop.crisis_id else []
    prepared = []
    for item in items:
        key = str(item.get("key") or "").strip()
        if not key or len(key) > 200:
            raise ValidationError(_("Jeder vorbelegte Eintrag braucht eine Kennung (höchstens 200 Zeichen)."))
        when = item.get("when")
        if isinstance(when, dt.datetime):
            when = when.date()
        elif when is not None and not isinstance(when, dt.date):
            raise ValidationError(_("Ungültiges Datum eines vorbelegten Eintrags."))
        crisis_phase = item.get("crisis_phase")
        if crisis_phase is not None and crisis_phase.crisis_id != workshop.crisis_id:
            raise ValidationError(_("Diese Krisenphase gehört zu einer anderen Krise."))
        if crisis_phase is None:
            crisis_phase = selectors.crisis_phase_for(Card(when=when), crisis_phases)
        prepared.append((uuid_module.uuid5(workshop.uuid, key), _prefill_text(item.get("text")), when, crisis_phase))
    stored = set(Card.objects.filter(workshop=workshop, uuid__in=[p[0] for p in prepared]).values_list("uuid", flat=True))
    created = []
    for card_uuid, text, when, crisis_phase in prepared:
        if card_uuid in stored:
            continue
        stored.add(card_uuid)
        card = Card.objects.create(uuid=card_uuid, workshop=workshop, author=None, text=text, phase=phase, question=None,
                                   revealed=True, crisis_phase=crisis_phase, when=when)
        _emit(workshop, "card", {"card": card_payload(card, workshop.attribution)})
        created.append(card)
    record(E.TIMELINE_PREFILLED, acting_user=acting_user, obj=workshop, municipality=workshop.host, count=len(created))
    return created


def _reveal_all(workshop: Workshop) -> int:
    hidden = list(Card.objects.filter(workshop=workshop, revealed=False).select_related("author"))
    if not hidden:
        return 0
    Card.objects.filter(pk__in=[c.pk for c in hidden]).update(revealed=True)
    for card in hidden:
        card.revealed = True
    _emit(workshop, "reveal", {"cards": [card_payload(c, workshop.attribution) for c in hidden]})
    return len(hidden)


@transaction.atomic
def do_reveal_cards(workshop: Workshop, *, acting_user) -> int:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    count = _reveal_all(workshop)
    record(E.CARDS_REVEALED, acting_user=acting_user, obj=workshop, municipality=workshop.host, count=count)
    return count


def _clean_cluster_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie dem Cluster einen Namen.")})
    if len(name) > CLUSTER_NAME_MAX_LENGTH:
        raise ValidationError({"name": _("Der Name ist zu lang (höchstens %(max)s Zeichen).") % {"max": CLUSTER_NAME_MAX_LENGTH}})
    return name


def _cluster_payload(cluster: Cluster) -> dict:
    return {"id": cluster.pk, "name": cluster.name, "kind": cluster.kind, "phase": cluster.phase_id, "done": cluster.action_done}


@transaction.atomic
def do_create_cluster(workshop: Workshop, *, name: str, kind: str = "", acting_user) -> Cluster:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    name = _clean_cluster_name(name)
    if kind not in ClusterKind.values:
        raise ValidationError({"kind": _("Unbekannte Einordnung.")})
    workshop = Workshop.objects.select_related("current_question").get(pk=workshop.pk)
    order = (workshop.clusters.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    cluster = Cluster.objects.create(workshop=workshop, name=name, kind=kind, order=order,
                                     phase_id=workshop.current_question.phase_id if workshop.current_question else None)
    _emit(workshop, "cluster", {"cluster": _cluster_payload(cluster)})
    record(E.CLUSTER_CREATED, acting_user=acting_user, obj=workshop, municipality=workshop.host, cluster=cluster.pk)
    return cluster


@transaction.atomic
def do_update_cluster(cluster: Cluster, *, name: str | None = None, kind: str | None = None, action_done: bool | None = None,
                      acting_user) -> Cluster:
    require_perm(acting_user, MANAGE, cluster.workshop, message=NOT_FACILITATOR)
    if name is not None:
        cluster.name = _clean_cluster_name(name)
    if kind is not None:
        if kind not in ClusterKind.values:
            raise ValidationError({"kind": _("Unbekannte Einordnung.")})
        cluster.kind = kind
    if action_done is not None:
        cluster.action_done = action_done
    cluster.save()
    _emit(cluster.workshop, "cluster", {"cluster": _cluster_payload(cluster)})
    record(E.CLUSTER_CHANGED, acting_user=acting_user, obj=cluster.workshop, municipality=cluster.workshop.host, cluster=cluster.pk)
    return cluster


@transaction.atomic
def do_move_card(card: Card, cluster: Cluster | None, *, acting_user) -> Card:
    workshop = card.workshop
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    if cluster is not None and cluster.workshop_id != card.workshop_id:
        raise ValidationError(_("Dieser Cluster gehört zu einem anderen Workshop."))
    card.cluster = cluster
    card.save(update_fields=["cluster"])
    _emit(workshop, "card_update", {"card": card_payload(card, workshop.attribution)})
    record(E.CARD_MOVED, acting_user=acting_user, obj=workshop, municipality=workshop.host, card=str(card.uuid),
           cluster=cluster.pk if cluster else None)
    return card


@transaction.atomic
def do_mark_quote(card: Card, is_quote: bool, *, acting_user) -> Card:
    require_perm(acting_user, MANAGE, card.workshop, message=NOT_FACILITATOR)
    card.is_quote = is_quote
    card.save(update_fields=["is_quote"])
    _emit(card.workshop, "card_update", {"card": card_payload(card, card.workshop.attribution)})
    record(E.QUOTE_MARKED if is_quote else E.QUOTE_UNMARKED, acting_user=acting_user, obj=card.workshop,
           municipality=card.workshop.host, card=str(card.uuid))
    return card


def do_cast_vote(participant: Participant, cluster: Cluster, *, vote_uuid=None) -> Vote:
    """One dot for a cluster; a person has ``votes_per_participant`` dots. Resending the same
    vote UUID does not count twice.

    Dots are bound to the participant, not to the address: people in one room often share an
    address (venue Wi-Fi). Re-joining from the same browser finds the participant in the
    session; re-joining with cleared cookies creates a participant, which the join rate limit
    per address (``KRISENWISSEN_RATE_LIMITS["workshop_join"]``) bounds, and so the extra dots."""
    vote_uuid = parse_card_uuid(vote_uuid) if vote_uuid else uuid_module.uuid4()
    existing = Vote.objects.filter(uuid=vote_uuid).first()
    if existing is not None:
        if existing.participant_id != participant.pk:
            raise ValidationError({"uuid": _("Diese Kennung ist bereits vergeben.")})
        return existing
    try:
        with transaction.atomic():
            workshop = Workshop.objects.get(pk=participant.workshop_id)
            _require_open(workshop)
            if not workshop.voting_open:
                raise ValidationError(_("Die Punktabfrage ist nicht geöffnet."))
            if cluster.workshop_id != workshop.pk:
                raise ValidationError(_("Dieser Cluster gehört zu einem anderen Workshop."))
            require_perm(ParticipantActor(participant), "workshops.cast_vote", workshop)
            if Vote.objects.filter(participant=participant).count() >= workshop.votes_per_participant:
                raise ValidationError(_("Sie haben alle %(n)s Punkte vergeben.") % {"n": workshop.votes_per_participant})
            vote = Vote.objects.create(uuid=vote_uuid, workshop=workshop, participant=participant, cluster=cluster)
            _emit(workshop, "vote", {"cluster": cluster.pk, "count": cluster.votes.count()})
    except IntegrityError:
        # A concurrent request with the same UUID won the race: return its vote.
        existing = Vote.objects.filter(uuid=vote_uuid, participant=participant).first()
        if existing is None:
            raise
        return existing
    return vote


# ------------------------------------------------------------------------------------------
# Photos
# ------------------------------------------------------------------------------------------


def _too_many_pixels(pixels: int, budget: int) -> ValidationError:
    return ValidationError({"image": _("Das Foto hat zu viele Bildpunkte (%(mp)s Megapixel; höchstens %(max)s). "
                                       "Bitte ein kleineres Foto hochladen.")
                            % {"mp": round(pixels / 1e6, 1), "max": budget // 1_000_000}})


def process_photo(data: bytes) -> tuple[bytes, bytes, int, int]:
    """Validate an upload and re-encode it: JPEG without any metadata (EXIF, GPS, device), and
    a thumbnail. Raises ValidationError with a German message for anything that is not a photo.

    Memory is bounded: the size is read from the file header before anything is decoded, JPEG
    is decoded reduced (``draft``), and no more than ``MAX_PHOTO_PIXELS`` pixels are decoded."""
    if not data:
        raise ValidationError({"image": _("Die Datei ist leer.")})
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("Das Foto ist zu groß (%(mb)s MB); erlaubt sind höchstens %(max)s MB.")
                               % {"mb": round(len(data) / 1024 / 1024, 1), "max": MAX_PHOTO_BYTES // 1024 // 1024}})
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            fmt = probe.format
            if fmt not in ALLOWED_PHOTO_FORMATS:
                raise ValidationError({"image": _("Dieses Bildformat wird nicht unterstützt. Bitte JPEG oder PNG hochladen.")})
            pixels = probe.width * probe.height
            budget = MAX_JPEG_SOURCE_PIXELS if fmt in ("JPEG", "MPO") else MAX_PHOTO_PIXELS
            if pixels > budget:
                raise _too_many_pixels(pixels, budget)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            budget = MAX_PHOTO_PIXELS
            if image.format in ("JPEG", "MPO"):
                # decode at 1/2, 1/4 or 1/8 scale, still at least the size the photo is stored with
                factor = PHOTO_MAX_EDGE / max(image.width, image.height)
                if factor < 1:
                    image.draft("RGB", (max(1, int(image.width * factor)), max(1, int(image.height * factor))))
                budget = MAX_JPEG_DECODED_PIXELS
            if image.width * image.height > budget:
                raise _too_many_pixels(image.width * image.height, budget)
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, from the header
        raise ValidationError({"image": _("Das Foto hat zu viele Bildpunkte. Bitte ein kleineres Foto hochladen.")}) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError({"image": _("Die Datei ist kein lesbares Foto. Bitte JPEG oder PNG hochladen.")}) from None
    image.thumbnail((PHOTO_MAX_EDGE, PHOTO_MAX_EDGE))
    full = io.BytesIO()
    image.save(full, "JPEG", quality=85, optimize=True)  # no exif= argument: metadata is dropped
    thumb_image = image.copy()
    thumb_image.thumbnail((THUMB_EDGE, THUMB_EDGE))
    thumb = io.BytesIO()
    thumb_image.save(thumb, "JPEG", quality=80)
    return full.getvalue(), thumb.getvalue(), image.width, image.height


def do_upload_photo(workshop: Workshop, *, data: bytes, caption: str, participant: Participant | None = None,
                    acting_user=None) -> Photo:
    if participant is not None:
        _require_open(participant.workshop)
        require_perm(ParticipantActor(participant), "workshops.upload_photo", workshop)
    else:
        require_perm(acting_user, "workshops.upload_photo", workshop, message=NOT_FACILITATOR)
    caption = " ".join((caption or "").split())
    if not caption:
        raise ValidationError({"caption": _("Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist.")})
    if len(caption) > 300:
        raise ValidationError({"caption": _("Die Bildbeschreibung ist zu lang (höchstens 300 Zeichen).")})
    full, thumb, width, height = process_photo(data)
    name = uuid_module.uuid4().hex
    with transaction.atomic():
        photo = Photo(workshop=workshop, uploaded_by=participant, caption=caption, width=width, height=height)
        photo.image.save(f"{name}.jpg", ContentFile(full), save=False)
        photo.thumbnail.save(f"{name}-vorschau.jpg", ContentFile(thumb), save=False)
        photo.save()
        _emit(workshop, "photo", {"photo": photo.pk, "caption": caption})
        record(E.PHOTO_UPLOADED, acting_user=acting_user, obj=workshop, municipality=workshop.host, photo=photo.pk)
    return photo


# ------------------------------------------------------------------------------------------
# Documentation and knowledge
# ------------------------------------------------------------------------------------------


@transaction.atomic
def do_generate_synthesis(workshop: Workshop, *, acting_user) -> list[dict]:
    """Write a fresh draft of the Synthesebericht from the board (blocks, see ``synthesis``)."""
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.synthesis_final:
        raise ValidationError(_("Der Synthesebericht ist abgeschlossen. Öffnen Sie ihn erst wieder zur Bearbeitung."))
    workshop.synthesis_blocks = build_report(report_input(workshop))
    workshop.synthesis_text = ""
    workshop.synthesis_final = False
    workshop.save(update_fields=["synthesis_blocks", "synthesis_text", "synthesis_final"])
    record(E.SYNTHESIS_GENERATED, acting_user=acting_user, obj=workshop, municipality=workshop.host)
    return workshop.synthesis_blocks


@transaction.atomic
def do_save_synthesis_blocks(workshop: Workshop, *, blocks, final: bool, acting_user) -> Workshop:
    """Store the edited blocks of the Synthesebericht; ``final`` makes it read-only.

    Malformed blocks are refused as a whole with a German message (nothing is half-written);
    a final report is not changed until it is reopened (:func:`do_reopen_synthesis`).
    """
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    try:
        clean = validate_blocks(blocks)
    except BlockError as exc:
        raise ValidationError({"blocks": _("Der Bericht wurde nicht gespeichert: %(e)s") % {"e": exc}}) from None
    if len(json_module.dumps(clean, ensure_ascii=False)) > MAX_SYNTHESIS_JSON:
        raise ValidationError({"blocks": _("Der Bericht ist zu lang (höchstens 500 000 Zeichen).")})
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.synthesis_final:
        raise ValidationError(_("Der Synthesebericht ist abgeschlossen. Öffnen Sie ihn erst wieder zur Bearbeitung."))
    workshop.synthesis_blocks = clean
    workshop.synthesis_final = final
    workshop.save(update_fields=["synthesis_blocks", "synthesis_final"])
    record(E.SYNTHESIS_SAVED, acting_user=acting_user, obj=workshop, municipality=workshop.host, final=final,
           blocks=len(clean))
    return workshop


def _ensure_workshop_source(workshop: Workshop, *, acting_user) -> Source:
    """The workshop as the knowledge base's source (shared citation), created once."""
    title = workshop.title
    source = Source.objects.filter(kind=SourceKind.WORKSHOP, title=title).order_by("pk").first()
    if source is not None:
        return source
    source = Source(kind=SourceKind.WORKSHOP, title=title, date=workshop.start_date, citation=_(
        "%(kind)s „%(title)s“, %(place)s, %(date)s (Ergebnisse anonymisiert)") % {
        "kind": workshop.get_kind_display(), "title": workshop.title, "place": workshop.place or workshop.host.name,
        "date": workshop.start_date.strftime("%d.%m.%Y")})
    source.full_clean()
    source.save()
    record(KnowledgeEvent.SOURCE_CREATED, acting_user=acting_user, obj=source, municipality=workshop.host, art=SourceKind.WORKSHOP)
    return source


@transaction.atomic
def do_reopen_synthesis(workshop: Workshop, *, acting_user) -> Workshop:
    """A final Synthesebericht becomes editable again (audited)."""
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.synthesis_final = False
    workshop.save(update_fields=["synthesis_final"])
    record(E.SYNTHESIS_SAVED, acting_user=acting_user, obj=workshop, municipality=workshop.host, final=False, reopened=True)
    return workshop


MAX_SYNTHESIS_JSON = 500_000


def _save_item(item, *, fields: dict, codes, links: dict | None = None, add_links: dict | None = None, acting_user) -> str:
    """Create ``item`` (unsaved) or update it in place; returns "created", "updated" or "unchanged".

    An item already raised beyond the agreed visibility (it went through review) keeps its
    reviewed content: a repeated transfer leaves it alone.
    """
    created = item.pk is None
    if not created and item.visibility not in (Visibility.INTERN, fields.get("visibility")):
        return "unchanged"
    if not created:
        fields = {k: v for k, v in fields.items() if k != "visibility"}  # never raised here
    changed = sorted(k for k, v in fields.items() if getattr(item, k) != v)
    for key, value in fields.items():
        setattr(item, key, value)
    if created or changed:
        item.full_clean()
        item.save()
    code_ids = sorted({c.pk for c in codes})
    if created or sorted(item.codes.values_list("pk", flat=True)) != code_ids:
        item.codes.set(code_ids)
        changed.append("codes")
    for name, values in (links or {}).items():
        manager = getattr(item, name)
        if {v.pk for v in values} - set(manager.values_list("pk", flat=True)):
            manager.add(*values)
            changed.append(name)
    if created:
        record(KnowledgeEvent.created(item.kind_key), acting_user=acting_user, obj=item)
        return "created"
    if changed:
        record(KnowledgeEvent.changed(item.kind_key), acting_user=acting_user, obj=item, fields=changed)
        return "updated"
    return "unchanged"


def _most_common_phase(observations):
    phases = Counter(o.phase for o in observations if o.phase_id)
    return phases.most_common(1)[0][0] if phases else None


@transaction.atomic
def do_transfer_to_knowledge(workshop: Workshop, *, cards=(), clusters=(), merge: dict | None = None,
                             acting_user) -> dict[str, int]:
    """Take board results into the knowledge base, provenance-true and idempotent.

    - Every card becomes an observation of its *author's* municipality (the host for a card
      without one) at the visibility of the sharing agreement (``transfer_visibility``), with
      the workshop as source, the workshop phase and question, the crisis phase (timeline wall,
      the card's date or its cluster's place on the timeline), the crisis's hazard code, the
      workshop's theme and the theme codes the code book suggests for its cluster.
    - Every cluster becomes a lesson linked to its observations; an action idea also becomes a
      recommendation linked to that lesson (so "in n von m Städten" counts its cities). The
      lesson belongs to the host when the acting person may take every card (sharing agreement),
      otherwise to each municipality whose cards were taken. ``merge`` maps a cluster's pk to an
      existing lesson the observations are added to instead (needs the right to change it).
    - Stable links (``CardTransfer``, ``ClusterTransfer``) make a second run update, never double.

    Which cards the acting person may take is ``workshops.transfer_card`` (see ``workshops.rules``):
    cards of a cluster beyond it are left out; a single card beyond it is refused.
    """
    require_perm(acting_user, "workshops.transfer_results", workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update(of=("self",)).select_related("host", "crisis", "theme").get(pk=workshop.pk)
    merge = merge or {}
    clusters = list(clusters)
    for cluster in clusters:
        if cluster.workshop_id != workshop.pk:
            raise ValidationError(_("Dieser Cluster gehört zu einem anderen Workshop."))
    chosen = list(cards)
    for card in chosen:
        if card.workshop_id != workshop.pk:
            raise ValidationError(_("Diese Karte gehört zu einem anderen Workshop."))
        require_perm(acting_user, "workshops.transfer_card", card, message=_(
            "Diese Karte stammt von Teilnehmenden einer anderen Kommune. Nach der Vereinbarung dieses Workshops "
            "übernimmt jede Kommune die Karten ihrer eigenen Teilnehmenden."))
    cluster_cards: dict[int, list[Card]] = {}
    skipped = 0
    for cluster in clusters:
        own = []
        for card in Card.objects.filter(cluster=cluster).select_related("author__municipality", "crisis_phase", "phase", "question", "workshop"):
            if has_perm(acting_user, "workshops.transfer_card", card):
                own.append(card)
            else:
                skipped += 1
        cluster_cards[cluster.pk] = own
    all_cards = {c.pk: c for c in chosen}
    for own in cluster_cards.values():
        all_cards.update((c.pk, c) for c in own)
    if not all_cards:
        raise PermissionDenied(_("Keine der gewählten Karten stammt aus Ihrer Kommune. Nach der Vereinbarung dieses "
                                 "Workshops übernimmt jede Kommune die Karten ihrer eigenen Teilnehmenden."))
    cards = (Card.objects.filter(pk__in=all_cards).select_related("author__municipality", "crisis_phase", "phase", "question", "cluster")
             .order_by("created_at", "pk"))

    visibility = workshop.transfer_visibility
    source = _ensure_workshop_source(workshop, acting_user=acting_user)
    themes, hazards = selectors.code_book_terms()
    hazard = selectors.hazard_code_for(workshop.crisis, hazards)
    base_codes = [c for c in (workshop.theme, hazard) if c is not None]
    crisis_phases = list(workshop.crisis.phases.all()) if workshop.crisis_id else []
    suggestion: dict[int, list] = {}
    timeline_of_cluster: dict[int, Counter] = {}
    for cluster in {c.cluster for c in cards if c.cluster_id} | set(clusters):
        members = list(cluster.cards.all())
        suggestion[cluster.pk] = selectors.suggested_codes(cluster, members, themes)
        timeline_of_cluster[cluster.pk] = Counter(c.crisis_phase for c in members if c.crisis_phase_id)

    counts = {"beobachtungen": 0, "erkenntnisse": 0, "empfehlungen": 0, "aktualisiert": 0, "zusammengefuehrt": 0,
              "uebersprungen": skipped}
    observation_by_card: dict[int, Observation] = {}
    links = {link.card_id: link for link in CardTransfer.objects.filter(card__in=list(cards)).select_related("observation")}
    for card in cards:
        city = card.author.municipality if card.author_id and card.author.municipality_id else workshop.host
        if card.is_quote:
            kind = ObservationKind.ZITAT
        elif card.cluster_id and card.cluster.kind == ClusterKind.MASSNAHMENIDEE:
            kind = ObservationKind.VERBESSERUNGSPOTENZIAL
        else:
            kind = ObservationKind.ERFAHRUNG
        fields = {
            "kind": kind, "text": card.text, "source": source, "anonymous": True, "visibility": visibility,
            "crisis": workshop.crisis,
            "phase": selectors.crisis_phase_for(card, crisis_phases, cluster_phases=timeline_of_cluster.get(card.cluster_id)),
            "department_function": card.author.department_function if card.author_id else "",
            "workshop_phase": str(card.phase.get_kind_display()) if card.phase_id else "",
            "workshop_question": card.question.text if card.question_id else "",
        }
        codes = base_codes + [c for c in suggestion.get(card.cluster_id, []) if c not in base_codes]
        link = links.get(card.pk)
        if link is None:
            observation = Observation(municipality=city, created_by=person(acting_user))
            outcome = _save_item(observation, fields=fields, codes=codes, acting_user=acting_user)
            CardTransfer.objects.create(card=card, observation=observation)
            counts["beobachtungen"] += 1
        else:
            observation = link.observation
            if observation.municipality_id != city.pk:  # the author's municipality was corrected
                fields["municipality"] = city
            outcome = _save_item(observation, fields=fields, codes=codes, acting_user=acting_user)
            counts["aktualisiert"] += outcome == "updated"
        observation_by_card[card.pk] = observation
        if not card.transferred:
            card.transferred = True
            card.save(update_fields=["transferred"])

    may_take_all = has_perm(acting_user, "workshops.transfer_all_cards", workshop)
    for cluster in clusters:
        groups: dict = {}
        for card in cluster_cards[cluster.pk]:
            owner = workshop.host if may_take_all else observation_by_card[card.pk].municipality
            groups.setdefault(owner, []).append(observation_by_card[card.pk])
        codes = base_codes + [c for c in suggestion.get(cluster.pk, []) if c not in base_codes]
        for owner, evidence in groups.items():
            _transfer_cluster(workshop, cluster, owner, evidence, codes=codes, visibility=visibility,
                              merge_into=merge.get(cluster.pk), counts=counts, acting_user=acting_user)
    record(E.TRANSFERRED_TO_KNOWLEDGE, acting_user=acting_user, obj=workshop, municipality=workshop.host, **counts)
    return counts


def _transfer_cluster(workshop, cluster, owner, evidence, *, codes, visibility, merge_into, counts, acting_user) -> None:
    link, _new = ClusterTransfer.objects.select_for_update().get_or_create(cluster=cluster, municipality=owner)
    bullets = "\n".join(f"– {o.text}" for o in evidence)
    if cluster.kind == ClusterKind.MASSNAHMENIDEE:
        finding = _("Im Workshop „%(w)s“ vorgeschlagene Maßnahme „%(c)s“, gestützt auf:") % {"w": workshop.title, "c": cluster.name}
    elif cluster.kind == ClusterKind.OFFENE_FRAGE:
        finding = _("Offene Frage aus dem Workshop „%(w)s“:") % {"w": workshop.title}
    else:
        finding = _("Befund aus dem Workshop „%(w)s“:") % {"w": workshop.title}
    finding = f"{finding}\n{bullets}"
    lesson = link.lesson
    if lesson is None and merge_into is not None:
        # Merging adds this cluster's evidence to someone's lesson: that needs the right to change it.
        lesson = knowledge_actions.do_update_item(
            merge_into, fields={}, links={"observations": list(merge_into.observations.all()) + evidence}, acting_user=acting_user)
        counts["zusammengefuehrt"] += 1
    elif lesson is None:
        lesson = Lesson(municipality=owner, created_by=person(acting_user))
        _save_item(lesson, fields={"title": cluster.name[:300], "finding": finding, "crisis": workshop.crisis,
                                   "phase": _most_common_phase(evidence), "visibility": visibility},
                   codes=codes, links={"observations": evidence}, acting_user=acting_user)
        counts["erkenntnisse"] += 1
    else:
        outcome = _save_item(lesson, fields={"title": cluster.name[:300], "finding": finding, "crisis": workshop.crisis,
                                             "phase": _most_common_phase(evidence), "visibility": lesson.visibility},
                             codes=codes, links={"observations": evidence}, acting_user=acting_user)
        counts["aktualisiert"] += outcome == "updated"
    link.lesson = lesson
    if cluster.kind == ClusterKind.MASSNAHMENIDEE:
        recommendation = link.recommendation
        fields = {"title": cluster.name[:300], "text": "\n".join(o.text for o in evidence), "crisis": workshop.crisis,
                  "visibility": visibility if recommendation is None else recommendation.visibility}
        if recommendation is None:
            recommendation = Recommendation(municipality=owner, created_by=person(acting_user))
            _save_item(recommendation, fields=fields, codes=codes, links={"lessons": [lesson]}, acting_user=acting_user)
            counts["empfehlungen"] += 1
        else:
            outcome = _save_item(recommendation, fields=fields, codes=codes, links={"lessons": [lesson]}, acting_user=acting_user)
            counts["aktualisiert"] += outcome == "updated"
        link.recommendation = recommendation
    link.save()
