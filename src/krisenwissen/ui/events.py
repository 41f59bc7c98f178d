"""Audit events of the ui app: the operator's pages and accessibility feedback."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.audit import register_events


@register_events
class UiEvent(models.TextChoices):
    SITE_PAGE_EDITED = "ui.site_page_edited", _("Seite des Betreibers geändert")
    ACCESSIBILITY_FEEDBACK_RECEIVED = "ui.accessibility_feedback_received", _("Rückmeldung zur Barrierefreiheit eingegangen")
