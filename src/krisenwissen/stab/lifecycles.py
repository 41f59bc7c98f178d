"""The lifecycle of a staff's status (``Staff.status``), one transition table.

A staff is created active by ``actions.do_activate_staff`` (the table's initial state);
the Rückführung deactivates it (``closing_actions.do_deactivate_staff``, only with a complete
checklist or a recorded justification) and may re-activate it, keeping the whole history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .closing_events import ClosingEvent
from .models import StaffStatus as S

STAFF_TRANSITIONS = [
    Transition("deactivate", sources=[S.AKTIV], target=S.DEAKTIVIERT, permission="stab.deactivate_staff",
               event=ClosingEvent.STAFF_DEACTIVATED, label=_("Stab deaktivieren"),
               permission_message=_("Einen Stab deaktivieren seine Leitung und die Administration der Kommune.")),
    Transition("reactivate", sources=[S.DEAKTIVIERT], target=S.AKTIV, permission="stab.deactivate_staff",
               event=ClosingEvent.STAFF_REACTIVATED, label=_("Stab wieder aktivieren"),
               permission_message=_("Einen Stab aktivieren seine (letzte) Leitung und die Administration der Kommune wieder.")),
]

STAFF_LIFECYCLE = Lifecycle(
    key="stab.staff",
    model="stab.Staff",
    transitions=STAFF_TRANSITIONS,
    state_field="status",
    initial=S.AKTIV,
)
