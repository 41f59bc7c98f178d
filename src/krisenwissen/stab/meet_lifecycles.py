"""Lifecycles of the Lagebesprechung and the Lagebericht (one transition table each).

Lagebericht: Entwurf → zur Freigabe → freigegeben → verteilt (the Leitung may send a
submitted report back to Entwurf). The table drives enforcement (the actions call
``apply``) and the buttons on the report page (``available_transitions``).
"""

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .meet_events import MeetEvent
from .models import MeetingStatus, ReportStatus

MEETING = Lifecycle(
    key="stab.meeting", model="stab.Meeting", initial=MeetingStatus.LAUFEND,
    transitions=[
        Transition("close", sources=[MeetingStatus.LAUFEND], target=MeetingStatus.GESCHLOSSEN,
                   permission="stab.run_meeting", event=MeetEvent.MEETING_CLOSED, label=_("Besprechung schließen"),
                   permission_message=_("Die Lagebesprechung schließen Leitung, Koordinierungsgruppe oder S2.")),
    ],
)

SITUATION_REPORT = Lifecycle(
    key="stab.situation_report", model="stab.SituationReport", initial=ReportStatus.ENTWURF,
    transitions=[
        Transition("submit", sources=[ReportStatus.ENTWURF], target=ReportStatus.ZUR_FREIGABE,
                   permission="stab.submit_situation_report", event=MeetEvent.REPORT_SUBMITTED,
                   label=_("Zur Freigabe vorlegen")),
        Transition("return", sources=[ReportStatus.ZUR_FREIGABE], target=ReportStatus.ENTWURF,
                   permission="stab.approve_situation_report", event=MeetEvent.REPORT_RETURNED,
                   label=_("Zur Überarbeitung zurückgeben"),
                   permission_message=_("Über die Freigabe entscheidet die Leitung des Stabes.")),
        Transition("approve", sources=[ReportStatus.ZUR_FREIGABE], target=ReportStatus.FREIGEGEBEN,
                   permission="stab.approve_situation_report", event=MeetEvent.REPORT_APPROVED,
                   label=_("Freigeben"),
                   permission_message=_("Den Lagebericht gibt die Leitung des Stabes frei.")),
        Transition("distribute", sources=[ReportStatus.FREIGEGEBEN], target=ReportStatus.VERTEILT,
                   permission="stab.distribute_situation_report", event=MeetEvent.REPORT_DISTRIBUTED,
                   label=_("Verteilen"),
                   permission_message=_("Den Lagebericht verteilen die Leitung oder die Koordinierungsgruppe.")),
    ],
)
