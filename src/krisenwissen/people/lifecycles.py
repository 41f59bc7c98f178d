"""The lifecycle of a Wissensübergabe (see ``core.lifecycle``): offen → abgeschlossen.

Completing needs ``people.manage_handover`` (S1/HR or the Administration of the person's
municipality); ``actions.do_complete_handover`` checks first that every item has a successor
or is marked as handed over, and stamps ``completed_at``.
"""

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .events import PeopleEvent as E
from .models import HandoverStatus as S

HANDOVER = Lifecycle(
    key="people.handover",
    model="people.Handover",
    initial=S.OFFEN,
    transitions=[
        Transition("complete", sources=[S.OFFEN], target=S.ABGESCHLOSSEN,
                   permission="people.manage_handover", event=E.HANDOVER_COMPLETED,
                   label=_("Wissensübergabe abschließen"),
                   permission_message=_("Eine Wissensübergabe schließen S1 oder die Administration der Kommune ab.")),
    ],
)
