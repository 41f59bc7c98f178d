"""The status lifecycle of an action (Maßnahme), declared once (see ``core.lifecycle``).

Deciding on an action (beschlossen) and dropping it (nicht umgesetzt) are for the Redaktion of
the municipality; the other steps for Mitwirkende. blockiert and nicht umgesetzt need a reason
(``models.REASON_STATUSES``, checked by ``actions.do_change_action_status``, which also sets
the reason and the completion date and passes the reason as ``grund``).

Side effects, run by ``ACTION_STATUS.apply`` after the audit row:

* a given reason is kept as a progress note ("blockiert: …");
* deciding or starting an action of a bestätigt lesson moves the lesson to "Maßnahmen in
  Umsetzung" (the lesson lifecycle is knowledge's; this calls its action).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge.models import LessonStatus

from .events import LearningEvent as E
from .models import ActionNote
from .models import ActionStatus as S

_DECIDED = _("Über Maßnahmen entscheidet die Redaktion der Kommune.")


def note_reason(action, transition, *, acting_user, grund: str = "", **details) -> None:
    """Keep the reason of a status change as a progress note of the action."""
    if grund:
        author = acting_user if getattr(acting_user, "pk", None) else None
        ActionNote.objects.create(action=action, author=author, text=f"{S(transition.target).label}: {grund}")


def start_lesson_implementation(action, transition, *, acting_user, **details) -> None:
    """The first decided (or started) action of a bestätigt lesson moves it to "Maßnahmen in Umsetzung"."""
    lesson = action.lesson
    if lesson is not None and lesson.status == LessonStatus.BESTAETIGT:
        knowledge_actions.do_start_lesson_implementation(
            lesson, acting_user=acting_user,
            reason=gettext("Maßnahme „%(title)s“ beschlossen") % {"title": action.title})


ACTION_STATUS = Lifecycle(
    key="learning.action_status",
    model="learning.Action",
    initial=S.VORGESCHLAGEN,
    transitions=[
        Transition("decide", sources=[S.VORGESCHLAGEN], target=S.BESCHLOSSEN,
                   permission="learning.decide_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("beschließen"), permission_message=_DECIDED,
                   effects=[note_reason, start_lesson_implementation]),
        Transition("drop", sources=[S.VORGESCHLAGEN, S.BESCHLOSSEN, S.IN_ARBEIT, S.BLOCKIERT], target=S.NICHT_UMGESETZT,
                   permission="learning.decide_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("nicht umsetzen"), permission_message=_DECIDED, effects=[note_reason]),
        Transition("start", sources=[S.BESCHLOSSEN, S.BLOCKIERT, S.ERLEDIGT], target=S.IN_ARBEIT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("in Arbeit"), effects=[note_reason, start_lesson_implementation]),
        Transition("block", sources=[S.BESCHLOSSEN, S.IN_ARBEIT], target=S.BLOCKIERT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("blockiert"), effects=[note_reason]),
        Transition("complete", sources=[S.BESCHLOSSEN, S.IN_ARBEIT, S.BLOCKIERT], target=S.ERLEDIGT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("erledigt"), effects=[note_reason]),
        Transition("propose_again", sources=[S.NICHT_UMGESETZT], target=S.VORGESCHLAGEN,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("erneut vorschlagen"), effects=[note_reason]),
    ],
)
