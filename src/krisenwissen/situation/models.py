"""Lagebild: areas, indicators, daily observations, import runs, rule sets, staff notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Municipality
from krisenwissen.knowledge.models import Visibility


class AreaLevel(models.TextChoices):
    GEMEINDE = "gemeinde", _("Gemeinde")
    KREIS = "kreis", _("Kreis oder kreisfreie Stadt")
    LAND = "land", _("Land")
    BUND = "bund", _("Bund")


class Area(models.Model):
    """A territory with official key: municipality (8 digits), district (5), state (2), country ("00")."""

    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    level = models.CharField(_("Ebene"), max_length=10, choices=AreaLevel.choices)
    kind = models.CharField(_("Art"), max_length=60, blank=True)
    state_code = models.CharField(_("Länderkürzel"), max_length=2, blank=True,
                                  help_text=_("Für die Feiertage des Landes, z. B. NW."))
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_date = models.DateField(_("Stichtag der Einwohnerzahl"), null=True, blank=True)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="situation_areas")
    # Territorial changes: a Bezirk belongs to its city, a former district was merged into another.
    parent = models.ForeignKey("self", verbose_name=_("gehört zu"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="parts",
                               help_text=_("Übergeordnetes Gebiet (Bezirk einer Stadt) bzw. das Gebiet, "
                                           "in dem ein früherer Kreis aufgegangen ist."))
    valid_until = models.DateField(_("besteht bis"), null=True, blank=True,
                                   help_text=_("Letzter Tag als eigenes Gebiet (z. B. nach einer Kreisfusion)."))

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        permissions = [("import_shared_data",
                        _("Gemeinsam genutzte Gebietsdaten (Kreise, Länder, Bund) importieren und korrigieren"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"


class Indicator(models.Model):
    """What is measured. Open-data indicators have no municipality; own indicators belong to one."""

    key = models.SlugField(_("Schlüssel"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=60, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=120, blank=True)
    definition = models.TextField(_("Definition"), blank=True)
    higher_is_worse = models.BooleanField(_("höher ist schlechter"), default=True)
    derived = models.BooleanField(_("berechnet"), default=False,
                                  help_text=_("Wird aus anderen Indikatoren berechnet, nicht importiert."))
    decimals = models.PositiveSmallIntegerField(_("Nachkommastellen"), default=0)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="situation_indicators")
    visibility = models.CharField(_("Sichtbarkeit"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.INTERN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    OK = "ok", _("erfolgreich")
    REJECTED = "abgelehnt", _("abgelehnt")


class ImportRun(models.Model):
    """One file read by an importer, with its report."""

    fmt = models.CharField(_("Format"), max_length=40)
    filename = models.CharField(_("Datei"), max_length=300)
    started_at = models.DateTimeField(_("begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.OK)
    rows_read = models.PositiveIntegerField(_("gelesen"), default=0)
    created = models.PositiveIntegerField(_("neu"), default=0)
    updated = models.PositiveIntegerField(_("geändert"), default=0)
    unchanged = models.PositiveIntegerField(_("unverändert"), default=0)
    rejected = models.PositiveIntegerField(_("abgelehnt"), default=0)
    report = models.JSONField(_("Bericht"), default=dict, blank=True)
    data_as_of = models.DateTimeField(
        _("Datenstand"), null=True, blank=True,
        help_text=_("Stand der Daten laut Datei (z. B. „Stand: 22.11.2021 07:51:26“ der RKI-Arbeitsmappe); "
                    "ab diesem Zeitpunkt gelten ihre Korrekturen als bekannt."))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("Importlauf")
        verbose_name_plural = _("Importläufe")

    def __str__(self) -> str:
        return f"{self.fmt}: {self.filename}"


class Observation(models.Model):
    """The current value of an indicator in an area on a day.

    Bulk import speed (see docs/situation.md, Benchmark): the primary key is the natural key
    (area, indicator, date), so there is no autoincrement counter and no second index; on
    SQLite the table is created WITHOUT ROWID (migration 0001), one B-tree in all. There are no
    database-level foreign keys (SQLite would check them row by row); the importer writes only
    ids it has just looked up, and deletions cascade through Django's collector.
    """

    pk = models.CompositePrimaryKey("area", "indicator", "date")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="observations", db_index=False,
                             db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations",
                                  db_index=False, db_constraint=False)
    date = models.DateField(_("Datum"))
    value = models.FloatField(_("Wert"))
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False, db_constraint=False)

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")

    def __str__(self) -> str:
        return f"{self.area_id}/{self.indicator_id}/{self.date}: {self.value}"


class ObservationRevision(models.Model):
    """A value that was known until a later import replaced it ("what was known when").

    One row per change of a series' day: ``value`` → ``new_value``, by the import run
    ``replaced_by`` (its person and time), so every day has its revision history.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("Datum"))
    value = models.FloatField(_("früherer Wert"))
    new_value = models.FloatField(_("neuer Wert"), null=True, blank=True)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text=_("Import, der den früheren Wert geliefert hat."))
    replaced_by = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    replaced_at = models.DateTimeField(_("ersetzt am"), auto_now_add=True)
    known_from = models.DateTimeField(
        _("neuer Wert bekannt ab"), null=True, blank=True,
        help_text=_("Datenstand der Datei, die den neuen Wert brachte (sonst der Zeitpunkt der Ersetzung); "
                    "für „Stand damals“: an früheren Tagen galt noch der frühere Wert."))

    class Meta:
        ordering = ["area", "indicator", "date", "replaced_at"]
        verbose_name = _("frühere Fassung eines Messwerts")
        verbose_name_plural = _("frühere Fassungen von Messwerten")
        indexes = [models.Index(fields=["area", "indicator", "date"], name="revision_day")]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.indicator_id}/{self.date}: {self.value}"


class RuleSet(models.Model):
    """Threshold rules as data (see rules_engine). Shipped ones have no municipality."""

    key = models.SlugField(_("Schlüssel"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    definition = models.JSONField(_("Definition"))
    builtin = models.BooleanField(_("mitgeliefert"), default=False)
    active = models.BooleanField(_("auf der Übersicht"), default=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="situation_rulesets")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-builtin", "name"]
        verbose_name = _("Regelsatz")
        verbose_name_plural = _("Regelsätze")

    def __str__(self) -> str:
        return self.name


class FollowedArea(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_areas")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "area__name"]
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="followed_area_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.area_id}"


class NoteKind(models.TextChoices):
    LAGE = "lage", _("Lage")
    S2 = "s2", _("S2 – Lage")
    MASSNAHME = "massnahme", _("Maßnahme")
    HINWEIS = "hinweis", _("Hinweis")


class StaffNote(models.Model):
    """A manual note of the crisis staff for a municipality and day."""

    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE,
                                     related_name="situation_notes")
    date = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=12, choices=NoteKind.choices, default=NoteKind.LAGE)
    text = models.TextField(_("Text"))
    visibility = models.CharField(_("Sichtbarkeit"), max_length=12, choices=Visibility.choices,
                                  default=Visibility.INTERN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("Lagenotiz")
        verbose_name_plural = _("Lagenotizen")

    def __str__(self) -> str:
        return f"{self.municipality} {self.date}: {self.text[:40]}"
