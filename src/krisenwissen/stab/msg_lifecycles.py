"""The lifecycles of Meldungen and Aufträge: one transition table each (``core.lifecycle``).

Imported by ``ops_rules`` (so that the tables are registered when the app is ready; the
core autodiscovery only finds ``stab/lifecycles.py``). The ETB entries of the steps are
the transitions' effects, written in the action's transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .models import LogCategory, MessageDirection, MessageStatus, TaskStatus
from .msg_events import MsgEvent

# An action may set ``obj._log_event_at`` (only the system does: demo content and imports of
# past events) so that the step's ETB entry carries the time the step happened.


def _message_category(message) -> str:
    return LogCategory.MELDUNG_AUS if message.direction == MessageDirection.AUSGANG else LogCategory.MELDUNG_EIN


def _log_message_routed(message, transition, *, acting_user, **details):
    from .journal import record_in_log
    from .msg_text import routed_text

    record_in_log(message.staff, category=_message_category(message), text=routed_text(message), acting_user=acting_user,
                  event_at=getattr(message, "_log_event_at", None))


def _log_message_completed(message, transition, *, acting_user, **details):
    from .journal import record_in_log
    from .msg_text import completed_text

    record_in_log(message.staff, category=_message_category(message), text=completed_text(message), acting_user=acting_user,
                  event_at=getattr(message, "_log_event_at", None))


def _log_task_closed(task, transition, *, acting_user, **details):
    from .journal import record_in_log
    from .msg_text import task_closed_text

    record_in_log(task.staff, category=LogCategory.AUFTRAG, text=task_closed_text(task), acting_user=acting_user,
                  event_at=getattr(task, "_log_event_at", None))


MESSAGE = Lifecycle(
    key="stab.message", model="stab.Message", initial=MessageStatus.AUFGENOMMEN,
    transitions=[
        Transition("route", sources=[MessageStatus.AUFGENOMMEN], target=MessageStatus.VERTEILT,
                   permission="stab.route_message", event=MsgEvent.MESSAGE_ROUTED, label=_("Sichten und verteilen"),
                   permission_message=_("Meldungen sichtet und verteilt die sichtende Funktion des Stabes oder die Leitung."),
                   effects=[_log_message_routed]),
        Transition("complete", sources=[MessageStatus.AUFGENOMMEN, MessageStatus.VERTEILT], target=MessageStatus.ERLEDIGT,
                   permission="stab.complete_message", event=MsgEvent.MESSAGE_COMPLETED, label=_("Als erledigt abschließen"),
                   permission_message=_("Meldungen schließt die sichtende Funktion des Stabes oder die Leitung ab."),
                   effects=[_log_message_completed]),
    ],
)

TASK = Lifecycle(
    key="stab.task", model="stab.Task", initial=TaskStatus.OFFEN,
    transitions=[
        Transition("start", sources=[TaskStatus.OFFEN], target=TaskStatus.IN_ARBEIT,
                   permission="stab.work_task", event=MsgEvent.TASK_STARTED, label=_("In Arbeit nehmen"),
                   permission_message=_("Aufträge bearbeitet die zuständige Funktion (oder die Leitung, oder wer den Auftrag erteilt hat).")),
        Transition("complete", sources=[TaskStatus.OFFEN, TaskStatus.IN_ARBEIT], target=TaskStatus.ERLEDIGT,
                   permission="stab.work_task", event=MsgEvent.TASK_COMPLETED, label=_("Erledigt melden"),
                   permission_message=_("Aufträge bearbeitet die zuständige Funktion (oder die Leitung, oder wer den Auftrag erteilt hat)."),
                   effects=[_log_task_closed]),
        Transition("abort", sources=[TaskStatus.OFFEN, TaskStatus.IN_ARBEIT], target=TaskStatus.ABGEBROCHEN,
                   permission="stab.abort_task", event=MsgEvent.TASK_ABORTED, label=_("Abbrechen"),
                   permission_message=_("Einen Auftrag bricht die Leitung ab oder wer ihn erteilt hat."),
                   effects=[_log_task_closed]),
    ],
)

# Steps that need a text from the person (the feedback when completing, the reason when aborting).
TASK_STEPS_WITH_FEEDBACK = frozenset({"complete", "abort"})
