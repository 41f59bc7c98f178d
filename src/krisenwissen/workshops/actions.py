"""Every state change of a workshop: one transaction, one event in the board log, audit rows.

Each ``do_*`` enforces a permission declared in ``workshops.rules``. Facilitator actions take
``acting_user`` and require ``workshops.manage_workshop`` (status steps go through the
lifecycle ``workshops.lifecycles.WORKSHOP_STATUS``). Participant actions take the
``Participant`` (who joined through the link, possibly without an account) and check its
permission with the participant as the subject (``rules.ParticipantActor``); a closed board is
explained first by a German ``ValidationError``.
"""

from __future__ import annotations

import io
import uuid as uuid_module

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from krisenwissen.accounts.models import DepartmentFunction
from krisenwissen.core.audit import record
from krisenwissen.core.policy import has_perm, require_perm
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge.models import (
    Lesson,
    Observation,
    ObservationKind,
    Recommendation,
    SourceKind,
)

from . import questionbank
from .events import WorkshopAuditEvent as E
from .lifecycles import WORKSHOP_STATUS
from .models import (
    CARD_MAX_LENGTH,
    CLUSTER_NAME_MAX_LENGTH,
    Attribution,
    Card,
    Cluster,
    ClusterKind,
    Feeling,
    Participant,
    Phase,
    Photo,
    Question,
    QuestionBankEntry,
    Vote,
    Workshop,
    WorkshopEvent,
    WorkshopStatus,
)
from .rules import ParticipantActor
from .selectors import note_seq, synthesis_data
from .synthesis import draft

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


def _forget_author_names(workshop: Workshop) -> int:
    """Blank the author names in the board's event log (cards of a formerly named workshop)."""
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


WORKSHOP_FIELDS = ("title", "kind", "crisis", "theme", "focus", "start_date", "end_date", "place",
                   "attribution", "private_until_reveal", "votes_per_participant")


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
            workshop = (Workshop.objects.select_related("current_question__phase").defer("synthesis_text")
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
def do_generate_synthesis(workshop: Workshop, *, acting_user) -> str:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.synthesis_text = draft(synthesis_data(workshop))
    workshop.synthesis_final = False
    workshop.save(update_fields=["synthesis_text", "synthesis_final"])
    record(E.SYNTHESIS_GENERATED, acting_user=acting_user, obj=workshop, municipality=workshop.host)
    return workshop.synthesis_text


@transaction.atomic
def do_save_synthesis(workshop: Workshop, *, text: str, final: bool, acting_user) -> Workshop:
    require_perm(acting_user, MANAGE, workshop, message=NOT_FACILITATOR)
    if len(text or "") > 200_000:
        raise ValidationError({"text": _("Der Text ist zu lang (höchstens 200 000 Zeichen).")})
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.synthesis_text = (text or "").replace("\r\n", "\n")
    workshop.synthesis_final = final
    workshop.save(update_fields=["synthesis_text", "synthesis_final"])
    record(E.SYNTHESIS_SAVED, acting_user=acting_user, obj=workshop, municipality=workshop.host, final=final)
    return workshop


@transaction.atomic
def do_transfer_to_knowledge(workshop: Workshop, *, cards=(), clusters=(), acting_user) -> dict[str, int]:
    """Turn cards into observations and clusters into lessons (findings) or recommendations
    (action ideas), at visibility ``intern``, anonymous, with the workshop as their source.

    Each item belongs to the municipality of the card's author when the acting person may
    write there, otherwise to the host municipality.
    """
    require_perm(acting_user, "workshops.transfer_results", workshop, message=NOT_FACILITATOR)
    source = knowledge_actions.do_ensure_source(
        kind=SourceKind.WORKSHOP, title=workshop.title, municipality=workshop.host, acting_user=acting_user,
        defaults={"date": workshop.start_date,
                  "citation": _("%(kind)s „%(title)s“, %(place)s, %(date)s (Ergebnisse anonymisiert)") % {
                      "kind": workshop.get_kind_display(), "title": workshop.title, "place": workshop.place or workshop.host.name,
                      "date": workshop.start_date.strftime("%d.%m.%Y")}},
    )

    def owner(card: Card):
        city = card.author.municipality if card.author else None
        if city is not None and has_perm(acting_user, "workshops.file_observation", city):
            return city
        return workshop.host

    def observation_kind(card: Card) -> str:
        if card.is_quote:
            return ObservationKind.ZITAT
        if card.cluster and card.cluster.kind == ClusterKind.MASSNAHMENIDEE:
            return ObservationKind.VERBESSERUNGSPOTENZIAL
        return ObservationKind.ERFAHRUNG

    counts = {"beobachtungen": 0, "erkenntnisse": 0, "empfehlungen": 0}
    observation_by_card: dict[int, Observation] = {}
    cards = list(cards)
    clusters = list(clusters)
    for cluster in clusters:
        if cluster.workshop_id != workshop.pk:
            raise ValidationError(_("Dieser Cluster gehört zu einem anderen Workshop."))
        cards += [c for c in cluster.cards.select_related("author__municipality", "crisis_phase") if c not in cards]
    for card in cards:
        if card.workshop_id != workshop.pk:
            raise ValidationError(_("Diese Karte gehört zu einem anderen Workshop."))
        obs = knowledge_actions.do_create_item(
            Observation, municipality=owner(card), acting_user=acting_user,
            fields={"kind": observation_kind(card), "text": card.text, "source": source, "anonymous": True,
                    "crisis": workshop.crisis, "phase": card.crisis_phase,
                    "department_function": card.author.department_function if card.author else ""},
            codes=[workshop.theme] if workshop.theme else [],
        )
        observation_by_card[card.pk] = obs
        counts["beobachtungen"] += 1
        if not card.transferred:
            card.transferred = True
            card.save(update_fields=["transferred"])
    for cluster in clusters:
        evidence = [observation_by_card[c.pk] for c in cluster.cards.all() if c.pk in observation_by_card]
        body = "\n".join(f"– {o.text}" for o in evidence) or cluster.name
        codes = [workshop.theme] if workshop.theme else []
        if cluster.kind == ClusterKind.MASSNAHMENIDEE:
            knowledge_actions.do_create_item(
                Recommendation, municipality=workshop.host, acting_user=acting_user, codes=codes,
                fields={"title": cluster.name, "text": body, "crisis": workshop.crisis},
            )
            counts["empfehlungen"] += 1
        else:
            knowledge_actions.do_create_item(
                Lesson, municipality=workshop.host, acting_user=acting_user, codes=codes,
                fields={"title": cluster.name, "finding": body, "crisis": workshop.crisis},
                links={"observations": evidence},
            )
            counts["erkenntnisse"] += 1
    record(E.TRANSFERRED_TO_KNOWLEDGE, acting_user=acting_user, obj=workshop, municipality=workshop.host, **counts)
    return counts
