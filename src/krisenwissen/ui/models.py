"""Pages the operator publishes (imprint, privacy, accessibility) and accessibility feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SitePageKey(models.TextChoices):
    IMPRESSUM = "impressum", _("Impressum")
    DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
    BARRIEREFREIHEIT = "barrierefreiheit", _("Barrierefreiheit: nicht barrierefreie Inhalte")


class SitePage(models.Model):
    """The operator's text of one page (Markdown without HTML); without a row the default text shows."""

    key = models.CharField(_("Seite"), max_length=30, choices=SitePageKey.choices, unique=True)
    body = models.TextField(_("Text"), max_length=50_000)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Geändert von"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Seite des Betreibers")
        verbose_name_plural = _("Seiten des Betreibers")

    def __str__(self) -> str:
        return str(self.get_key_display())


class AccessibilityFeedback(models.Model):
    """A message sent through the feedback form of the accessibility statement."""

    message = models.TextField(_("Nachricht"), max_length=5000)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")

    def __str__(self) -> str:
        return f"{_('Rückmeldung')} {self.pk}"
