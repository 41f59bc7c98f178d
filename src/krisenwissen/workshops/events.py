"""Audit events of the workshops app (keys English, labels German).

Migration ``0002_audit_event_keys`` renamed the German keys written before (``workshop_angelegt``
…) so that old audit rows show these labels too.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krisenwissen.core.audit import register_events


@register_events
class WorkshopAuditEvent(models.TextChoices):
    WORKSHOP_CREATED = "workshops.workshop_created", _("Workshop angelegt")
    WORKSHOP_CHANGED = "workshops.workshop_changed", _("Workshop geändert")
    STATUS_CHANGED = "workshops.status_changed", _("Workshop-Status geändert")
    TIMEBOX_CHANGED = "workshops.timebox_changed", _("Zeitrahmen geändert")
    QUESTION_ADDED = "workshops.question_added", _("Leitfrage hinzugefügt")
    QUESTION_REMOVED = "workshops.question_removed", _("Leitfrage entfernt")
    QUESTION_CHOSEN = "workshops.question_chosen", _("Leitfrage gewählt")
    BOARD_LOCKED = "workshops.board_locked", pgettext_lazy("audit event", "Board gesperrt")
    BOARD_UNLOCKED = "workshops.board_unlocked", _("Board entsperrt")
    VOTING_OPENED = "workshops.voting_opened", _("Punktabfrage gestartet")
    VOTING_CLOSED = "workshops.voting_closed", _("Punktabfrage beendet")
    CARDS_REVEALED = "workshops.cards_revealed", _("Karten aufgedeckt")
    CLUSTER_CREATED = "workshops.cluster_created", _("Cluster angelegt")
    CLUSTER_CHANGED = "workshops.cluster_changed", _("Cluster geändert")
    CARD_MOVED = "workshops.card_moved", _("Karte verschoben")
    QUOTE_MARKED = "workshops.quote_marked", _("Zitat markiert")
    QUOTE_UNMARKED = "workshops.quote_unmarked", _("Zitat-Markierung entfernt")
    PHOTO_UPLOADED = "workshops.photo_uploaded", _("Foto hochgeladen")
    SYNTHESIS_GENERATED = "workshops.synthesis_generated", _("Synthesebericht erzeugt")
    SYNTHESIS_SAVED = "workshops.synthesis_saved", _("Synthesebericht gespeichert")
    TRANSFERRED_TO_KNOWLEDGE = "workshops.transferred_to_knowledge", _("in die Wissensbasis übernommen")
    TIMELINE_PREFILLED = "workshops.timeline_prefilled", _("Zeitstrahl vorbelegt")
