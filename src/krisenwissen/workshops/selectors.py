"""Reads: which workshops a person manages, what a board shows to whom.

Keyword-only after the first "what" argument. Whether someone may act on a workshop is asked
through the permissions in ``workshops.rules``; these functions decide what to read.
"""

from __future__ import annotations

import json
import time
from collections import Counter, OrderedDict

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krisenwissen.accounts.models import Membership, Municipality, Role
from krisenwissen.accounts.selectors import municipalities_with_role

from .models import (
    Attribution,
    Card,
    Cluster,
    ClusterKind,
    Participant,
    Workshop,
    WorkshopEvent,
    WorkshopStatus,
)

EVENT_BATCH = 500


def workshops_for(*, user) -> QuerySet[Workshop]:
    """Workshops the user manages (Moderation of the host, or named facilitator)."""
    if not user.is_authenticated or not user.is_active:
        return Workshop.objects.none()
    qs = Workshop.objects.select_related("host", "crisis", "theme")
    if user.is_superuser:
        return qs
    hosts = municipalities_with_role(user, minimum=Role.MODERATION).values("pk")
    return qs.filter(Q(host__in=hosts) | Q(facilitators=user)).distinct()


def host_choices(*, user, workshop: Workshop | None = None) -> QuerySet[Municipality]:
    """Municipalities the user may host a workshop in (Moderation); an existing workshop keeps its host."""
    hosts = Q(pk__in=municipalities_with_role(user, minimum=Role.MODERATION).values("pk"))
    if workshop is not None:
        hosts |= Q(pk=workshop.host_id)
    return Municipality.objects.filter(hosts)


def default_host(*, user, hosts: QuerySet[Municipality]) -> Municipality | None:
    """The host preselected in the set-up form: the user's own municipality (the first
    membership among the possible hosts), or the only possible host."""
    if getattr(user, "is_authenticated", False):
        own = (Membership.objects.filter(user=user, municipality__in=hosts).order_by("pk")
               .select_related("municipality").first())
        if own is not None:
            return own.municipality
    only = list(hosts[:2])
    return only[0] if len(only) == 1 else None


def workshop_by_pk(pk) -> Workshop:
    """The workshop with what its facilitator pages show; 404 if there is none."""
    workshop = Workshop.objects.select_related("host", "crisis", "theme", "current_question__phase").filter(pk=pk).first()
    if workshop is None:
        raise Http404
    return workshop


def workshop_by_token(token: str) -> Workshop:
    workshop = (Workshop.objects.select_related("host", "crisis", "current_question__phase")
                .filter(join_token=str(token)[:40]).first())
    if workshop is None:
        raise Http404
    return workshop


def session_key(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}-teilnahme"


def participant_for(workshop: Workshop, *, session) -> Participant | None:
    """The participant this browser session joined ``workshop`` as, if any."""
    key = session.get(session_key(workshop))
    if not key:
        return None
    return Participant.objects.select_related("municipality").filter(workshop=workshop, key=key).first()


def participant_by_key(token: str, *, key: str) -> Participant | None:
    return (Participant.objects.select_related("workshop").defer("workshop__synthesis_text", "workshop__synthesis_blocks")
            .filter(key=str(key)[:40], workshop__join_token=str(token)[:40]).first())


def visible_card_filter(participant: Participant | None) -> Q:
    """Cards a participant sees: revealed ones and their own. The facilitator screen (None)
    is projected to the room, so it shows revealed cards only and counts the hidden ones."""
    if participant is None:
        return Q(revealed=True)
    return Q(revealed=True) | Q(author=participant)


def filter_events(events: list[dict], *, participant_id: int | None) -> list[dict]:
    """Drop hidden cards of others from the event list a participant receives, and replace
    author ids by ``mine`` so that cards of an anonymous workshop cannot be linked."""
    out = []
    for event in events:
        payload = dict(event["payload"])
        if "card" in payload:
            card = dict(payload["card"])
            if participant_id is not None and not card["revealed"] and card["author"] != participant_id:
                out.append({"seq": event["seq"], "kind": "hidden", "payload": {}})
                continue
            card["mine"] = card.pop("author") == participant_id
            payload["card"] = card
        if "cards" in payload:
            cards = []
            for card in payload["cards"]:
                card = dict(card)
                card["mine"] = card.pop("author") == participant_id
                cards.append(card)
            payload["cards"] = cards
        out.append({"seq": event["seq"], "kind": event["kind"], "payload": payload})
    return out


def events_after(workshop: Workshop, *, after: int, participant: Participant | None = None) -> dict:
    last = Workshop.objects.filter(pk=workshop.pk).values_list("last_seq", flat=True).get()
    if after >= last:
        return {"seq": after, "events": [], "more": False}
    rows = list(WorkshopEvent.objects.filter(workshop=workshop, seq__gt=after).order_by("seq")
                .values("seq", "kind", "payload")[:EVENT_BATCH])
    pid = participant.pk if participant is not None else None
    seq = rows[-1]["seq"] if rows else last
    return {"seq": seq, "events": filter_events(rows, participant_id=pid), "more": seq < last}


# Per-process caches of the participants' event feed. Events are append-only and never
# change, so caching them is safe in any number of processes; only the newest sequence number
# must be fresh, and it is re-read at most every SEQ_TTL seconds per workshop (a new card
# therefore shows up at most SEQ_TTL later). Device keys never change once issued. Rule that
# makes this safe: a workshop's last_seq never decreases and an event, once written, never
# changes (the demo loader keeps counting when it rebuilds a board).
SEQ_TTL = 0.1
CACHE_LIMIT = 4000
_device_cache: dict[tuple[str, str], tuple[int, int]] = {}
_seq_cache: dict[str, tuple[float, int]] = {}    # by join token (unique, never reused)
_event_cache: dict[str, dict[int, dict]] = {}


def note_seq(token: str, *, seq: int) -> None:
    """Called after a commit in this process: its own devices see the event without waiting."""
    fetched, last = _seq_cache.get(token, (0.0, -1))
    if seq > last:
        _seq_cache[token] = (time.monotonic(), seq)


def poll_events(token: str, *, key: str, after: int) -> dict | None:
    """The participants' event feed (every device asks twice a second): usually answered from
    memory, otherwise in one or two small queries. None if token and key do not belong together."""
    participant_key = key
    token, participant_key = str(token)[:40], str(participant_key)[:40]
    w, p, e = Workshop._meta.db_table, Participant._meta.db_table, WorkshopEvent._meta.db_table
    device = _device_cache.get((token, participant_key))
    now = time.monotonic()
    if device is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT w.id, w.last_seq, p.id FROM {w} w JOIN {p} p ON p.workshop_id = w.id "
                           "WHERE w.join_token = %s AND p.key = %s", [token, participant_key])
            row = cursor.fetchone()
        if row is None:
            return None
        if len(_device_cache) > CACHE_LIMIT:
            _device_cache.clear()
        device = _device_cache[(token, participant_key)] = (row[0], row[2])
        _seq_cache[token] = (now, row[1])
    workshop_id, participant_id = device
    fetched, last = _seq_cache.get(token, (0.0, -1))
    if now - fetched > SEQ_TTL or last < 0:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_seq FROM {w} WHERE id = %s", [workshop_id])
            row = cursor.fetchone()
        if row is None:
            return None
        last = row[0]
        _seq_cache[token] = (now, last)
    if after >= last:
        # Another process may have written newer events than this one knows yet: never send a
        # device back behind what it already has (it would receive events twice).
        return {"seq": after, "events": [], "more": False}
    cached = _event_cache.setdefault(token, {})
    upto = min(last, after + EVENT_BATCH)
    if any(seq not in cached for seq in range(after + 1, upto + 1)):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, kind, payload FROM {e} WHERE workshop_id = %s AND seq > %s AND seq <= %s "
                           "ORDER BY seq", [workshop_id, after, upto])
            for seq, kind, payload in cursor.fetchall():
                cached[seq] = {"seq": seq, "kind": kind,
                               "payload": json.loads(payload) if isinstance(payload, str | bytes) else payload}
        if len(cached) > CACHE_LIMIT:
            for seq in sorted(cached)[: len(cached) - CACHE_LIMIT // 2]:
                cached.pop(seq, None)
    rows = [cached[seq] for seq in range(after + 1, upto + 1) if seq in cached]
    seq = rows[-1]["seq"] if rows else last
    return {"seq": seq, "events": filter_events(rows, participant_id=participant_id), "more": seq < last}


def board(workshop: Workshop, *, participant: Participant | None = None) -> dict:
    """Everything a board view shows. ``participant`` None means the facilitator."""
    cards = list(Card.objects.filter(workshop=workshop).filter(visible_card_filter(participant))
                 .select_related("author__municipality", "question", "phase", "crisis_phase", "cluster"))
    hidden = Card.objects.filter(workshop=workshop, revealed=False)
    hidden_count = (hidden.exclude(author=participant) if participant is not None else hidden).count()
    clusters = list(Cluster.objects.filter(workshop=workshop).annotate(vote_count=Count("votes")))
    by_cluster: OrderedDict = OrderedDict((c.pk, {"cluster": c, "cards": []}) for c in clusters)
    unclustered = []
    for card in cards:
        if card.cluster_id and card.cluster_id in by_cluster:
            by_cluster[card.cluster_id]["cards"].append(card)
        else:
            unclustered.append(card)
    phases = list(workshop.phases.prefetch_related("questions"))
    crisis_phases = list(workshop.crisis.phases.all()) if workshop.crisis_id else []
    timeline = [{"phase": cp, "cards": [c for c in cards if c.crisis_phase_id == cp.pk]} for cp in crisis_phases]
    # Dated cards outside every crisis phase (a workshop without a crisis, or events after the
    # last phase, e.g. a hot debrief's prefilled ETB entries) stay on the wall, by date.
    unphased = sorted((c for c in cards if c.when and not c.crisis_phase_id), key=lambda c: (c.when, c.pk))
    if unphased:
        timeline.append({"phase": None, "cards": unphased})
    feelings = Counter(c.get_feeling_display() for c in cards if c.feeling)
    my_votes = Counter()
    if participant is not None:
        my_votes = Counter(participant.votes.values_list("cluster_id", flat=True))
        for group in by_cluster.values():
            group["mine"] = my_votes.get(group["cluster"].pk, 0)
    return {
        "workshop": workshop,
        "cards": cards,
        "hidden_count": hidden_count,
        "clusters": list(by_cluster.values()),
        "cluster_list": clusters,
        "unclustered": unclustered,
        "phases": phases,
        "current_question": workshop.current_question,
        "current_phase": workshop.current_phase,
        "timeline": timeline,
        "feelings": sorted(feelings.items(), key=lambda kv: -kv[1]),
        "votes_left": (max(0, workshop.votes_per_participant - sum(my_votes.values())) if participant else None),
        "participant": participant,
        "participant_count": workshop.participants.count(),
        "seq": workshop.last_seq,
        "clock": phase_clock(workshop),
    }


def phase_clock(workshop: Workshop, *, now=None) -> dict | None:
    """The time box of the running phase, measured on the server's clock.

    The phase started with the first of the latest unbroken run of board events that set a
    question of this phase (``workshop`` events carry the current question); the time box may
    change while it runs. ``remaining`` (seconds, negative when over time) is what every device
    counts down from, so phones and the projector show the same time whatever their own clocks
    say. None when no phase runs or the phase was never started on the board.
    """
    phase = workshop.current_phase
    if phase is None or workshop.status != WorkshopStatus.LAEUFT:
        return None
    in_phase = set(phase.questions.values_list("pk", flat=True))
    started = None
    for created_at, payload in (WorkshopEvent.objects.filter(workshop=workshop, kind="workshop")
                                .order_by("seq").values_list("created_at", "payload")):
        if (payload or {}).get("question") in in_phase:
            started = started or created_at
        else:
            started = None
    if started is None:
        return None
    now = now or timezone.now()
    total = phase.timebox_minutes * 60
    remaining = int(total - (now - started).total_seconds())
    return {"phase": phase, "started": started, "total": total, "remaining": remaining,
            "over": remaining < 0, "label": _clock_label(remaining)}


def _clock_label(seconds: int) -> str:
    sign = "+" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def participants_by_city(workshop: Workshop) -> list[dict]:
    """Participants grouped by municipality and department; names only when attribution allows."""
    rows: OrderedDict = OrderedDict()
    for p in workshop.participants.select_related("municipality").order_by("municipality__name", "department_function", "id"):
        key = (p.municipality.name if p.municipality else "", p.get_department_function_display() if p.department_function else "")
        rows.setdefault(key, []).append(p)
    out = []
    for (city, department), people in rows.items():
        names = [p.display_name for p in people if p.display_name] if workshop.attribution == Attribution.NAMENTLICH else []
        out.append({"city": city, "department": department, "count": len(people), "names": names})
    return out


def previous_open_action_ideas(workshop: Workshop, *, user) -> list[Cluster]:
    """Open action ideas of earlier workshops with the same theme or a shared participating city.

    Only workshops ``user`` manages count: a workshop's board is readable by its own
    facilitators alone, so another city's action ideas are not shown through a shared theme.
    """
    cities = set(workshop.participants.exclude(municipality=None).values_list("municipality_id", flat=True)) | {workshop.host_id}
    cities |= set(workshop.invited.values_list("pk", flat=True))
    earlier = Workshop.objects.filter(pk__in=workshops_for(user=user).values("pk"),
                                      start_date__lt=workshop.start_date).exclude(pk=workshop.pk)
    condition = Q(host_id__in=cities) | Q(participants__municipality_id__in=cities) | Q(invited__in=cities)
    if workshop.theme_id:
        condition |= Q(theme_id=workshop.theme_id)
    earlier_ids = earlier.filter(condition).values("pk")
    return list(Cluster.objects.filter(workshop__in=earlier_ids, kind=ClusterKind.MASSNAHMENIDEE, action_done=False)
                .select_related("workshop").annotate(vote_count=Count("votes")).order_by("-workshop__start_date", "order"))


def is_finished(workshop: Workshop) -> bool:
    return workshop.status not in (WorkshopStatus.GEPLANT, WorkshopStatus.LAEUFT)


# ------------------------------------------------------------------------------------------
# Board → knowledge base: what the transfer suggests (codes, crisis phase, similar lessons)
# ------------------------------------------------------------------------------------------

HAZARD_SCHEME = "gefahren"


def code_book_terms():
    """(theme codes, hazard codes) of the code book as (Code, "name description key …") pairs."""
    from krisenwissen.knowledge.models import Code

    themes, hazards = [], []
    for code in Code.objects.select_related("scheme", "parent").order_by("scheme__order", "order", "pk"):
        text = " ".join(filter(None, [code.name, code.description, code.key.replace("-", " "),
                                      code.parent.name if code.parent_id else ""]))
        (hazards if code.scheme.key == HAZARD_SCHEME else themes).append((code, text))
    return themes, hazards


def hazard_code_for(crisis, hazards):
    from .suggest import hazard_code

    if crisis is None:
        return None
    return hazard_code(crisis.hazard_type, hazards)


def cluster_text(cluster: Cluster, cards) -> str:
    return " ".join([cluster.name, *(c.text for c in cards)])


def suggested_codes(cluster: Cluster, cards, themes) -> list:
    """The theme codes the code book suggests for a cluster (name and card texts)."""
    from .suggest import suggest_codes

    return suggest_codes(cluster_text(cluster, cards), themes)


def crisis_phase_for(card: Card, crisis_phases, *, cluster_phases=None):
    """The crisis phase of a card: placed on the timeline wall, else by the card's date, else the
    phase where the other cards of its cluster were placed on the timeline (most of them)."""
    if card.crisis_phase_id:
        return card.crisis_phase
    if card.when:
        for phase in crisis_phases:
            if phase.start and phase.start <= card.when and (phase.end is None or card.when <= phase.end):
                return phase
    if cluster_phases:
        return cluster_phases.most_common(1)[0][0]
    return None


SIMILAR_LESSON_POOL = 1000


def lesson_index(*, user, exclude=()):
    """The lessons the user may read (the newest ``SIMILAR_LESSON_POOL``), prepared for
    similarity queries; only readable lessons are ever compared or shown."""
    from krisenwissen.knowledge.models import Lesson
    from krisenwissen.knowledge.selectors import visible

    from .suggest import Index

    lessons = {lesson.pk: lesson for lesson in
               visible(Lesson, user=user).exclude(pk__in=list(exclude)).order_by("-updated_at", "-pk")[:SIMILAR_LESSON_POOL]}
    return lessons, Index([(pk, f"{lesson.title} {lesson.finding}") for pk, lesson in lessons.items()])


def similar_lessons(text: str, *, user, exclude=(), limit: int = 3, index=None):
    """The existing lessons the user may read that are most similar to ``text``, best first,
    as (lesson, score) pairs."""
    from .suggest import nearest

    lessons, prepared = index if index is not None else lesson_index(user=user, exclude=exclude)
    return [(lessons[m.key], m.score) for m in nearest(text, prepared, limit=limit)]


def transfer_plan(workshop: Workshop, *, user) -> dict:
    """What the transfer page shows: each cluster with its cards (those the user may take
    marked), suggested codes, an existing link, and the nearest readable lessons to merge with."""
    from krisenwissen.core.policy import has_perm

    from .models import ClusterTransfer

    context = board(workshop)
    themes, _hazards = code_book_terms()
    linked = {}
    for link in ClusterTransfer.objects.filter(cluster__workshop=workshop).select_related("lesson", "recommendation"):
        linked.setdefault(link.cluster_id, []).append(link)
    linked_lessons = {link.lesson_id for links in linked.values() for link in links if link.lesson_id}
    index = lesson_index(user=user, exclude=linked_lessons)
    for group in context["clusters"]:
        cluster, cards = group["cluster"], group["cards"]
        group["allowed"] = [c for c in cards if has_perm(user, "workshops.transfer_card", c)]
        group["codes"] = suggested_codes(cluster, cards, themes)
        group["links"] = linked.get(cluster.pk, [])
        group["similar"] = [] if group["links"] else similar_lessons(cluster_text(cluster, cards), user=user, index=index)
    context["unclustered_allowed"] = {c.pk for c in context["unclustered"] if has_perm(user, "workshops.transfer_card", c)}
    context["transfer_all"] = has_perm(user, "workshops.transfer_all_cards", workshop)
    return context


def readable_lesson(pk, *, user):
    """The lesson with ``pk`` if the user may read it, else None (a merge target from a form)."""
    from krisenwissen.knowledge.models import Lesson
    from krisenwissen.knowledge.selectors import visible

    return visible(Lesson, user=user).filter(pk=pk).first()


def report_input(workshop: Workshop):
    """The plain data the Synthesebericht is written from (``synthesis.ReportInput``)."""
    from .models import PHASE_LEADS
    from .questionbank import section_for_question
    from .synthesis import ReportCard, ReportCluster, ReportInput, ReportPhase

    cards = list(Card.objects.filter(workshop=workshop)
                 .select_related("crisis_phase", "question", "phase", "author__municipality").order_by("created_at", "id"))
    clusters = list(Cluster.objects.filter(workshop=workshop).annotate(vote_count=Count("votes")).order_by("order", "id"))
    participants = list(workshop.participants.select_related("municipality"))
    cities = sorted({p.municipality.name for p in participants if p.municipality_id})
    if not cities:
        cities = sorted({workshop.host.name, *(m.name for m in workshop.invited.all())})
    departments = []
    for p in participants:
        label = p.get_department_function_display() if p.department_function else ""
        if label and label not in departments:
            departments.append(label)
    phases = list(workshop.phases.prefetch_related("questions").order_by("number"))
    crisis_phases = []
    if workshop.crisis_id:
        crisis_phases = [ReportPhase(number=p.number, name=p.name, period=p.period_label, start=p.start, end=p.end,
                                     description=p.description) for p in workshop.crisis.phases.all().order_by("number")]
    named = workshop.attribution == Attribution.NAMENTLICH
    return ReportInput(
        title=workshop.title,
        kind_label=workshop.get_kind_display(),
        focus=workshop.focus or (workshop.theme.name if workshop.theme_id else ""),
        crisis=workshop.crisis.title if workshop.crisis_id else "",
        start_date=workshop.start_date,
        end_date=workshop.end_date,
        place=workshop.place or workshop.host.name,
        attribution=workshop.attribution,
        cities=cities,
        departments=departments,
        participant_count=len(participants),
        workshop_phases=[(p.get_kind_display(), str(PHASE_LEADS.get(p.kind, "")), p.timebox_minutes) for p in phases],
        questions=[(p.get_kind_display(), q.text) for p in phases for q in p.questions.all()],
        crisis_phases=crisis_phases,
        clusters=[ReportCluster(key=str(c.pk), name=c.name, kind=c.kind, votes=c.vote_count) for c in clusters],
        cards=[ReportCard(
            text=c.text,
            question=c.question.text if c.question_id else "",
            section=section_for_question(c.question.text, c.phase.kind if c.phase_id else "") if c.question_id else "",
            phase_kind=c.phase.kind if c.phase_id else "",
            city=str(c.author.municipality_id) if c.author_id and c.author.municipality_id else "",
            crisis_phase=c.crisis_phase.number if c.crisis_phase_id else None,
            when=c.when,
            feeling=c.get_feeling_display() if c.feeling else "",
            cluster=str(c.cluster_id) if c.cluster_id else "",
            is_quote=c.is_quote,
            author=c.author.display_name if named and c.author_id and c.author.display_name else "",
        ) for c in cards],
    )
