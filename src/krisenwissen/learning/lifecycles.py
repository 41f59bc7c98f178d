"""The status lifecycle of an action (Maßnahme), declared once (see ``core.lifecycle``).

Deciding on an action (beschlossen) and dropping it (nicht umgesetzt) are for the Redaktion of
the municipality; the other steps for Mitwirkende. blockiert and nicht umgesetzt need a reason
(``models.REASON_STATUSES``, checked by the action).
"""

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .events import LearningEvent as E
from .models import ActionStatus as S

_DECIDED = _("Über Maßnahmen entscheidet die Redaktion der Kommune.")

ACTION_STATUS = Lifecycle(
    key="learning.action_status",
    model="learning.Action",
    initial=S.VORGESCHLAGEN,
    transitions=[
        Transition("decide", sources=[S.VORGESCHLAGEN], target=S.BESCHLOSSEN,
                   permission="learning.decide_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("beschließen"), permission_message=_DECIDED),
        Transition("drop", sources=[S.VORGESCHLAGEN, S.BESCHLOSSEN, S.IN_ARBEIT, S.BLOCKIERT], target=S.NICHT_UMGESETZT,
                   permission="learning.decide_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("nicht umsetzen"), permission_message=_DECIDED),
        Transition("start", sources=[S.BESCHLOSSEN, S.BLOCKIERT, S.ERLEDIGT], target=S.IN_ARBEIT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("in Arbeit")),
        Transition("block", sources=[S.BESCHLOSSEN, S.IN_ARBEIT], target=S.BLOCKIERT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("blockiert")),
        Transition("complete", sources=[S.BESCHLOSSEN, S.IN_ARBEIT, S.BLOCKIERT], target=S.ERLEDIGT,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("erledigt")),
        Transition("propose_again", sources=[S.NICHT_UMGESETZT], target=S.VORGESCHLAGEN,
                   permission="learning.change_action", event=E.ACTION_STATUS_CHANGED,
                   label=_("erneut vorschlagen")),
    ],
)
