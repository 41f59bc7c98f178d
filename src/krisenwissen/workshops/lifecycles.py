"""The status of a workshop, declared once (see ``core.lifecycle``).

geplant → läuft → dokumentiert → validiert → veröffentlicht, one step at a time; a documented
workshop can be reopened (dokumentiert → läuft). Choosing a guiding question starts a planned
workshop. Ending it (dokumentiert) locks the board and closes a running vote; reopening
unlocks it. All steps are for the people who manage the workshop (``workshops.change_status``).
"""

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .events import WorkshopAuditEvent as E
from .models import WorkshopStatus as S


def close_board(workshop, transition, *, acting_user, **details) -> None:
    """A documented workshop takes no more contributions."""
    workshop.locked = True
    workshop.voting_open = False
    workshop.save(update_fields=["locked", "voting_open"])


def open_board(workshop, transition, *, acting_user, **details) -> None:
    workshop.locked = False
    workshop.save(update_fields=["locked"])


WORKSHOP_STATUS = Lifecycle(
    key="workshops.status",
    model="workshops.Workshop",
    initial=S.GEPLANT,
    transitions=[
        Transition("start", sources=[S.GEPLANT], target=S.LAEUFT,
                   permission="workshops.change_status", event=E.STATUS_CHANGED,
                   label=_("Workshop starten")),
        Transition("finish", sources=[S.LAEUFT], target=S.DOKUMENTIERT,
                   permission="workshops.change_status", event=E.STATUS_CHANGED,
                   label=_("Workshop beenden"), effects=[close_board]),
        Transition("reopen", sources=[S.DOKUMENTIERT], target=S.LAEUFT,
                   permission="workshops.change_status", event=E.STATUS_CHANGED,
                   label=_("Workshop wieder öffnen"), effects=[open_board]),
        Transition("validate", sources=[S.DOKUMENTIERT], target=S.VALIDIERT,
                   permission="workshops.change_status", event=E.STATUS_CHANGED,
                   label=_("Ergebnisse validieren")),
        Transition("publish", sources=[S.VALIDIERT], target=S.VEROEFFENTLICHT,
                   permission="workshops.change_status", event=E.STATUS_CHANGED,
                   label=_("Workshop veröffentlichen")),
    ],
)
