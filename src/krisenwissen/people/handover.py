"""What a Wissensübergabe covers: the checklist generated from what the platform knows about a
departing person, and the interview guide of the exit debrief (a short Reflexionsraum).

Reads only; ``actions.do_start_handover`` writes the items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from krisenwissen.knowledge.models import Lesson, Observation
from krisenwissen.learning.models import OPEN_STATUSES, Action
from krisenwissen.workshops.models import PhaseKind, QuestionBankEntry, Workshop

from .models import FunctionHolder, HandoverItemKind, HolderRole, Person, PersonCompetence

# Questions of the exit debrief beyond the question bank: what the successor must know.
HANDOVER_QUESTIONS = {
    PhaseKind.DESKRIPTIV: [
        "Welche Krisen und Lagen haben Sie in Ihrer Funktion erlebt, und was war dabei Ihre Rolle?",
    ],
    PhaseKind.ANALYTISCH: [
        "Welche Kontakte (intern, bei Behörden, Versorgern, Hilfsorganisationen, Nachbarkommunen) waren in der Krise entscheidend, und warum?",
        "Welches Wissen steht nirgends geschrieben, sondern nur in Ihrem Kopf?",
    ],
    PhaseKind.TRANSFER: [
        "Was sollte Ihre Nachfolge in den ersten drei Monaten unbedingt tun oder lesen?",
        "Was würden Sie in der nächsten Krise anders machen?",
    ],
}
BANK_QUESTIONS_PER_PHASE = 1
GUIDE_PHASES = (PhaseKind.DESKRIPTIV, PhaseKind.ANALYTISCH, PhaseKind.TRANSFER)


@dataclass(frozen=True)
class GuideQuestion:
    phase: str
    phase_label: str
    text: str


def interview_guide() -> list[GuideQuestion]:
    """The exit-debrief guide: the three Reflexionsraum phases, one question of the question bank
    (Leitfragen first) and the hand-over questions per phase."""
    guide = []
    for phase in GUIDE_PHASES:
        bank = list(QuestionBankEntry.objects.filter(phase_kind=phase).order_by("source", "order")[:BANK_QUESTIONS_PER_PHASE])
        texts = [entry.text for entry in bank] + HANDOVER_QUESTIONS[phase]
        guide += [GuideQuestion(str(phase), str(PhaseKind(phase).label), text) for text in texts]
    return guide


@dataclass(frozen=True)
class PlannedItem:
    kind: str
    label: str
    target: object | None = None


def checklist(person: Person) -> list[PlannedItem]:
    """Everything the person holds or keeps: functions and deputyships, competences nobody else
    in the municipality has, and (with an account) open actions they own, lessons and
    observations they authored, contacts they maintain and workshops they facilitated."""
    items: list[PlannedItem] = []
    for holder in FunctionHolder.objects.filter(person=person).select_related("function").order_by("role", "function__name"):
        kind = HandoverItemKind.STABSFUNKTION if holder.role == HolderRole.INHABER else HandoverItemKind.VERTRETUNG
        items.append(PlannedItem(kind, f"{holder.function.name} ({holder.get_role_display()})", holder.function))
    counts = Counter(PersonCompetence.objects.filter(person__municipality_id=person.municipality_id).values_list("competence_id", flat=True))
    for held in person.competences.select_related("competence"):
        if counts[held.competence_id] == 1:
            items.append(PlannedItem(HandoverItemKind.KOMPETENZ, _("%(label)s (einzige Person der Kommune)") % {"label": held.competence.label}, held.competence))
    account_id = person.account_id
    if account_id:
        for action in Action.objects.filter(owner_id=account_id, status__in=OPEN_STATUSES).order_by("due"):
            items.append(PlannedItem(HandoverItemKind.MASSNAHME, action.title, action))
        for lesson in Lesson.objects.filter(created_by_id=account_id).order_by("title"):
            items.append(PlannedItem(HandoverItemKind.ERKENNTNIS, lesson.display_title, lesson))
        for observation in Observation.objects.filter(created_by_id=account_id).order_by("pk"):
            items.append(PlannedItem(HandoverItemKind.BEOBACHTUNG, observation.display_title[:300], observation))
        for contact in Person.objects.filter(maintained_by_id=account_id).exclude(pk=person.pk).order_by("display_name"):
            items.append(PlannedItem(HandoverItemKind.KONTAKT, contact.display_name, contact))
        for workshop in Workshop.objects.filter(facilitators__id=account_id).order_by("-start_date").distinct():
            items.append(PlannedItem(HandoverItemKind.REFLEXIONSRAUM, workshop.title, workshop))
    return items


def content_type_and_id(target) -> tuple[ContentType | None, int | None]:
    if target is None:
        return None, None
    return ContentType.objects.get_for_model(target), target.pk
