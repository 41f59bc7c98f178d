"""The lifecycles of knowledge items, each declared once (see ``core.lifecycle``).

* Observation review: Entwurf/abgelehnt → eingereicht → geprüft or abgelehnt.
* Lesson lifecycle (lesson identified → lesson learned): erkannt → bestätigt → Maßnahmen in
  Umsetzung → überprüft → verankert (re-checked: verankert → überprüft again); any open state
  → archiviert or ersetzt.
* Publication review: offen → freigegeben or abgelehnt.
"""

from django.utils.translation import gettext_lazy as _

from krisenwissen.core.lifecycle import Lifecycle, Transition

from .events import KnowledgeEvent as E
from .models import LessonStatus as L
from .models import ObservationStatus as O
from .models import ReviewStatus as R

OBSERVATION_REVIEW = Lifecycle(
    key="knowledge.observation_review",
    model="knowledge.Observation",
    initial=O.ENTWURF,
    transitions=[
        Transition("submit", sources=[O.ENTWURF, O.ABGELEHNT], target=O.EINGEREICHT,
                   permission="knowledge.submit_observation", event=E.OBSERVATION_SUBMITTED,
                   label=_("Zur Prüfung einreichen")),
        Transition("accept", sources=[O.EINGEREICHT], target=O.GEPRUEFT,
                   permission="knowledge.review_observation", event=E.OBSERVATION_ACCEPTED,
                   label=_("Als geprüft annehmen")),
        Transition("reject", sources=[O.EINGEREICHT], target=O.ABGELEHNT,
                   permission="knowledge.review_observation", event=E.OBSERVATION_REJECTED,
                   label=_("Mit Begründung ablehnen")),
    ],
)

_OPEN_LESSON_STATES = [L.ERKANNT, L.BESTAETIGT, L.IN_UMSETZUNG, L.UEBERPRUEFT, L.VERANKERT]

LESSON = Lifecycle(
    key="knowledge.lesson",
    model="knowledge.Lesson",
    initial=L.ERKANNT,
    transitions=[
        Transition("endorse", sources=[L.ERKANNT], target=L.BESTAETIGT,
                   permission="knowledge.endorse_lesson", event=E.LESSON_ENDORSED,
                   label=_("Erkenntnis bestätigen")),
        Transition("start_implementation", sources=[L.BESTAETIGT], target=L.IN_UMSETZUNG,
                   permission="knowledge.implement_lesson", event=E.LESSON_IMPLEMENTATION_STARTED,
                   label=_("Maßnahmen in Umsetzung")),
        Transition("validate", sources=[L.IN_UMSETZUNG, L.VERANKERT], target=L.UEBERPRUEFT,
                   permission="knowledge.validate_lesson", event=E.LESSON_VALIDATED,
                   label=_("Überprüfung eintragen")),
        Transition("embed", sources=[L.UEBERPRUEFT], target=L.VERANKERT,
                   permission="knowledge.embed_lesson", event=E.LESSON_EMBEDDED,
                   label=_("Als verankert kennzeichnen")),
        Transition("archive", sources=_OPEN_LESSON_STATES, target=L.ARCHIVIERT,
                   permission="knowledge.close_lesson", event=E.LESSON_ARCHIVED,
                   label=_("Archivieren")),
        Transition("replace", sources=_OPEN_LESSON_STATES, target=L.ERSETZT,
                   permission="knowledge.close_lesson", event=E.LESSON_REPLACED,
                   label=_("Durch andere Erkenntnis ersetzen")),
    ],
)

PUBLICATION_REVIEW = Lifecycle(
    key="knowledge.publication_review",
    model="knowledge.PublicationReview",
    initial=R.OFFEN,
    transitions=[
        Transition("approve", sources=[R.OFFEN], target=R.FREIGEGEBEN,
                   permission="knowledge.decide_publication", event=E.PUBLICATION_APPROVED,
                   label=_("Freigeben")),
        Transition("reject", sources=[R.OFFEN], target=R.ABGELEHNT,
                   permission="knowledge.decide_publication", event=E.PUBLICATION_REJECTED,
                   label=_("Ablehnen")),
    ],
)
