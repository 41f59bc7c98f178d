"""Legal texts, their dated versions, keyword rules and subscriptions (thin models)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BUND = "bund", _("Bund")
    LAND = "land", _("Land")
    KOMMUNE = "kommune", _("Kommune")


class State(models.TextChoices):
    NONE = "", _("–")
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class LegalText(models.Model):
    """A law or ordinance (public information: readable by everyone)."""

    title = models.CharField(_("Titel"), max_length=500)
    abbreviation = models.CharField(_("Abkürzung"), max_length=60)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    level = models.CharField(_("Ebene"), max_length=10, choices=Level.choices, default=Level.BUND)
    state = models.CharField(_("Land"), max_length=2, choices=State.choices, blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")

    def __str__(self) -> str:
        return f"{self.abbreviation} – {self.title}" if self.title else self.abbreviation

    def get_absolute_url(self) -> str:
        return reverse("regulations:detail", kwargs={"slug": self.slug})


class Version(models.Model):
    """One dated version (Fassung) of a legal text."""

    legal_text = models.ForeignKey(LegalText, verbose_name=_("Rechtstext"), on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(_("Text"))
    in_force_from = models.DateField(_("In Kraft ab"))
    in_force_until = models.DateField(_("In Kraft bis"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=500, blank=True)
    announced_on = models.DateField(_("Verkündet am"), null=True, blank=True)
    note = models.TextField(_("Anmerkung"), blank=True)
    amending_act = models.CharField(
        _("Rechtsakt dieser Fassung"), max_length=500, blank=True,
        help_text=_("z. B. „Zweite Verordnung zur Änderung der Coronavirus-Einreiseverordnung“ oder "
                    "„Artikel 1 der Verordnung vom 16.12.2021“; bei der ersten Fassung die Verordnung selbst"))
    amending_act_reference = models.CharField(
        _("Fundstelle des Rechtsakts"), max_length=200, blank=True,
        help_text=_("z. B. BAnz AT 17.12.2021 V1 oder BGBl. I S. 2397"))
    original_name = models.CharField(_("Dateiname"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("Hochgeladen"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["legal_text", "in_force_from"]
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        constraints = [models.UniqueConstraint(fields=["legal_text", "in_force_from"], name="version_unique_start")]

    def __str__(self) -> str:
        return f"{self.legal_text.abbreviation} {self.label}"

    @property
    def label(self) -> str:
        return _("Fassung ab %(date)s") % {"date": self.in_force_from.strftime("%d.%m.%Y")}

    @property
    def act_description(self) -> str:
        """The act this version comes from, with its reference ("" when unknown)."""
        if self.amending_act and self.amending_act_reference:
            return f"{self.amending_act} ({self.amending_act_reference})"
        return self.amending_act or self.amending_act_reference

    @property
    def title_line(self) -> str:
        """How the Synopse names the version: date in force and, if known, the act."""
        act = self.act_description
        return f"{self.label} – {act}" if act else self.label

    def takes_effect_in(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.in_force_from - today).days


class KeywordRule(models.Model):
    """A term in a changed passage that concerns a department (editable by the Redaktion)."""

    term = models.CharField(_("Begriff"), max_length=100)
    department = models.CharField(_("Amt"), max_length=100)
    task = models.CharField(_("Aufgabe"), max_length=300, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["department", "term"]
        verbose_name = _("Stichwortregel")
        verbose_name_plural = _("Stichwortregeln")
        constraints = [models.UniqueConstraint(fields=["term", "department"], name="keywordrule_unique")]

    def __str__(self) -> str:
        return f"{self.term} → {self.department}"


class Subscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regulation_subscriptions")
    legal_text = models.ForeignKey(LegalText, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [models.UniqueConstraint(fields=["user", "legal_text"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.legal_text.abbreviation}"
