"""Audit events of Köpfe kennen (keys English, labels German)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class PeopleEvent(models.TextChoices):
    PERSON_CREATED = "people.person_created", _("Eintrag im Verzeichnis angelegt")
    PERSON_CHANGED = "people.person_changed", _("Eintrag im Verzeichnis geändert")
    ENTRY_CONFIRMED = "people.entry_confirmed", _("Eintrag bestätigt")
    CONSENT_RECORDED = "people.consent_recorded", _("Einwilligung erfasst")
    CHANNEL_ADDED = "people.channel_added", _("Erreichbarkeit hinzugefügt")
    CHANNEL_CHANGED = "people.channel_changed", _("Erreichbarkeit geändert")
    CHANNEL_REMOVED = "people.channel_removed", _("Erreichbarkeit entfernt")
    PRIVATE_CHANNELS_VIEWED = "people.private_channels_viewed", _("Private Erreichbarkeit angesehen")
    COMPETENCE_SET = "people.competence_set", _("Kompetenz eingetragen")
    COMPETENCE_REMOVED = "people.competence_removed", _("Kompetenz entfernt")
    FUNCTION_CREATED = "people.function_created", _("Funktion angelegt")
    FUNCTION_HOLDER_SET = "people.function_holder_set", _("Funktion besetzt")
    FUNCTION_HOLDER_REMOVED = "people.function_holder_removed", _("Funktionsbesetzung entfernt")
    ORGANISATION_CREATED = "people.organisation_created", _("Organisation angelegt")
    LEAVING_SET = "people.leaving_set", _("Ausscheiden eingetragen")
    HANDOVER_STARTED = "people.handover_started", _("Wissensübergabe begonnen")
    HANDOVER_ITEM_CHANGED = "people.handover_item_changed", _("Punkt der Wissensübergabe geändert")
    HANDOVER_INTERVIEW_SAVED = "people.handover_interview_saved", _("Abschlussgespräch gespeichert")
    HANDOVER_COMPLETED = "people.handover_completed", _("Wissensübergabe abgeschlossen")
    PERSON_ERASED = "people.person_erased", _("Eintrag im Verzeichnis gelöscht")
    CONFIRM_REMINDERS_SENT = "people.confirm_reminders_sent", _("Erinnerungen zur Bestätigung verschickt")
    COVERAGE_EXPORTED = "people.coverage_exported", _("Abdeckungsbericht ausgegeben")
    # CSV/LDAP import and exports (k17-io)
    PEOPLE_IMPORTED = "people.people_imported", _("Verzeichnis importiert")
    PEOPLE_IMPORT_REFUSED = "people.people_import_refused", _("Verzeichnis-Import abgelehnt")
    DIRECTORY_EXPORTED = "people.directory_exported", _("Verzeichnis exportiert")
