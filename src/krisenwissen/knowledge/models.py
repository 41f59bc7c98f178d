"""The knowledge base: crises and phases, the code book, sources and knowledge items."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krisenwissen.accounts.models import DepartmentFunction, Municipality


class Visibility(models.TextChoices):
    INTERN = "intern", _("intern")
    NETZWERK = "netzwerk", _("Netzwerk")
    OEFFENTLICH = "oeffentlich", _("öffentlich")


VISIBILITY_RANK = {v: i for i, v in enumerate(Visibility.values)}


class HazardType(models.TextChoices):
    """Hazard types offered when a crisis is created. The field stays free text (older data)."""

    PANDEMIE = "Pandemie", _("Pandemie")
    ENERGIE = "Energie", _("Energie")
    STARKREGEN = "Starkregen", _("Starkregen/Hochwasser")
    HITZE = "Hitze", _("Hitze")
    STROMAUSFALL = "Stromausfall", _("Stromausfall")
    FLUCHT = "Flucht", _("Flucht und Migration")
    CYBER = "Cyber", _("Cyberangriff/IT-Ausfall")
    SONSTIGE = "Sonstige", _("Sonstige")


class Crisis(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Titel"), max_length=200)
    hazard_type = models.CharField(_("Gefahrenart"), max_length=100, blank=True)
    start = models.DateField(_("Beginn"), null=True, blank=True)
    end = models.DateField(_("Ende"), null=True, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("Krise")
        verbose_name_plural = _("Krisen")

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    crisis = models.ForeignKey(Crisis, verbose_name=_("Krise"), on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    name = models.CharField(_("Name"), max_length=200)
    start = models.DateField(_("Beginn"), null=True, blank=True)
    end = models.DateField(_("Ende"), null=True, blank=True)
    period_label = models.CharField(_("Zeitraum"), max_length=100, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["crisis", "number"]
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        constraints = [models.UniqueConstraint(fields=["crisis", "number"], name="phase_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Scheme(models.Model):
    """A code scheme of the taxonomy, e.g. focus themes or capability elements."""

    key = models.SlugField(_("Schlüssel"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("Schema")
        verbose_name_plural = _("Schemata")

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    """A node in the hierarchical code book."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("Schema"), on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey("self", verbose_name=_("Übergeordnet"), null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    key = models.SlugField(_("Schlüssel"))
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["scheme__order", "order", "name"]
        verbose_name = _("Code")
        verbose_name_plural = _("Codes")
        constraints = [models.UniqueConstraint(fields=["scheme", "key"], name="code_unique_key")]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    INTERVIEW = "interview", _("Interview")
    SURVEY = "survey", _("Befragung")
    DOCUMENT = "document", _("Dokument")
    LITERATURE = "literature", _("Literatur")


class Source(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("Art"), max_length=20, choices=SourceKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    citation = models.TextField(_("Zitierweise"), blank=True)
    url = models.URLField(_("Adresse"), blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Quelle")
        verbose_name_plural = _("Quellen")

    def __str__(self) -> str:
        return self.title


class KnowledgeItem(models.Model):
    """Fields every knowledge item shares: owner, visibility, context and codes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN, db_index=True)
    crisis = models.ForeignKey(Crisis, verbose_name=_("Krise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    phase = models.ForeignKey(Phase, verbose_name=_("Phase"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department_function = models.CharField(_("Funktion der Dienststelle"), max_length=30, choices=DepartmentFunction.choices, blank=True)
    codes = models.ManyToManyField(Code, verbose_name=_("Codes"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Erstellt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        abstract = True

    # Subclasses set these; they drive URLs, search and exports.
    kind_key: str = ""
    url_name: str = ""

    def get_absolute_url(self) -> str:
        return reverse(f"knowledge:{self.url_name}", args=[self.pk])

    @property
    def display_title(self) -> str:
        return getattr(self, "title", "") or str(self)

    @property
    def body_text(self) -> str:
        """The item's running text, for search and name review."""
        return ""


class ObservationKind(models.TextChoices):
    HERAUSFORDERUNG = "herausforderung", _("Herausforderung")
    GELINGENSFAKTOR = "gelingensfaktor", _("Gelingensfaktor")
    VERBESSERUNGSPOTENZIAL = "verbesserungspotenzial", _("Verbesserungspotenzial")
    ERFAHRUNG = "erfahrung", _("Erfahrung")
    ZITAT = "zitat", _("Zitat")


class ObservationStatus(models.TextChoices):
    ENTWURF = "entwurf", _("Entwurf")
    EINGEREICHT = "eingereicht", _("eingereicht")
    GEPRUEFT = "geprueft", _("geprüft")
    ABGELEHNT = "abgelehnt", _("abgelehnt")


class Observation(KnowledgeItem):
    kind_key = "observation"
    url_name = "observation_detail"

    kind = models.CharField(_("Art"), max_length=30, choices=ObservationKind.choices)
    text = models.TextField(_("Text"))
    source = models.ForeignKey(Source, verbose_name=_("Quelle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="observations")
    anonymous = models.BooleanField(_("anonym"), default=True)
    status = models.CharField(_("Status"), max_length=20, choices=ObservationStatus.choices, default=ObservationStatus.ENTWURF, db_index=True)
    rejection_reason = models.TextField(_("Ablehnungsgrund"), blank=True)
    # Provenance of an observation taken from a workshop card (the source is the workshop).
    workshop_phase = models.CharField(_("Workshop-Phase"), max_length=100, blank=True)
    workshop_question = models.CharField(_("Leitfrage"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The parts of a visibility scope, each from its own index (knowledge.selectors._scope_branches):
        # the newest public observations without sorting, and a city's items of one visibility.
        indexes = [models.Index(fields=["visibility", "created_at"], name="knowledge_obs_vis_created"),
                   models.Index(fields=["municipality", "visibility"], name="knowledge_obs_city_vis")]
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " …"

    @property
    def body_text(self) -> str:
        return self.text


class LessonStatus(models.TextChoices):
    ERKANNT = "erkannt", _("erkannt")
    BESTAETIGT = "bestaetigt", _("bestätigt")
    IN_UMSETZUNG = "in_umsetzung", _("Maßnahmen in Umsetzung")
    UEBERPRUEFT = "ueberprueft", _("überprüft")
    VERANKERT = "verankert", _("verankert")
    ARCHIVIERT = "archiviert", _("archiviert")
    ERSETZT = "ersetzt", _("ersetzt")


class ValidationMethod(models.TextChoices):
    UEBUNG = "uebung", _("Übung")
    REALEREIGNIS = "realereignis", _("reales Ereignis")
    AUDIT = "audit", _("Audit/Prüfung")
    NACHBETRACHTUNG = "nachbetrachtung", _("Nachbetrachtung")


class Lesson(KnowledgeItem):
    kind_key = "lesson"
    url_name = "lesson_detail"

    title = models.CharField(_("Titel"), max_length=300)
    finding = models.TextField(_("Befund"))
    cause = models.TextField(_("Ursache"), blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=LessonStatus.choices, default=LessonStatus.ERKANNT)
    observations = models.ManyToManyField(Observation, verbose_name=_("Belege"), blank=True, related_name="lessons")
    # Lifecycle (changed only through the transition actions in knowledge.actions).
    validated_on = models.DateField(_("Überprüft am"), null=True, blank=True)
    validation_method = models.CharField(_("Überprüfungsart"), max_length=20, choices=ValidationMethod.choices, blank=True)
    validation_result = models.TextField(_("Ergebnis der Überprüfung"), blank=True)
    recheck_due = models.DateField(_("Nächste Überprüfung"), null=True, blank=True, db_index=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("Ersetzt durch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces")
    status_note = models.TextField(_("Begründung des Status"), blank=True)
    # The evidence strength published with the lesson (see ``Recommendation.evidence_cities``).
    evidence_cities = models.PositiveSmallIntegerField(_("Belegt in Städten (veröffentlicht)"), null=True, blank=True)
    evidence_total = models.PositiveSmallIntegerField(_("Städte insgesamt (veröffentlicht)"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Erkenntnis")
        verbose_name_plural = _("Erkenntnisse")

    def __str__(self) -> str:
        return self.title

    @property
    def body_text(self) -> str:
        return f"{self.finding}\n{self.cause}".strip()


class AddresseeLevel(models.TextChoices):
    KOMMUNE = "kommune", _("Kommune")
    LAND = "land", _("Land")
    BUND = "bund", _("Bund")


class Recommendation(KnowledgeItem):
    kind_key = "recommendation"
    url_name = "recommendation_detail"

    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Text"))
    addressee_level = models.CharField(_("Adressat"), max_length=20, choices=AddresseeLevel.choices, default=AddresseeLevel.KOMMUNE)
    lessons = models.ManyToManyField(Lesson, verbose_name=_("Erkenntnisse"), blank=True, related_name="recommendations")
    # The evidence strength published with the recommendation ("in 4 von 5 Städten beobachtet"):
    # set when Redaktion approves a publication, from the evidence the reviewer could read.
    # Shown to readers who cannot see the (internal) evidence itself; never the items.
    evidence_cities = models.PositiveSmallIntegerField(_("Belegt in Städten (veröffentlicht)"), null=True, blank=True)
    evidence_total = models.PositiveSmallIntegerField(_("Städte insgesamt (veröffentlicht)"), null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Handlungsempfehlung")
        verbose_name_plural = _("Handlungsempfehlungen")

    def __str__(self) -> str:
        return self.title

    @property
    def body_text(self) -> str:
        return self.text


class GoodPractice(KnowledgeItem):
    kind_key = "goodpractice"
    url_name = "goodpractice_detail"

    title = models.CharField(_("Titel"), max_length=300)
    city = models.CharField(_("Stadt"), max_length=200)
    country = models.CharField(pgettext_lazy("Staat", "Land"), max_length=100, default="Deutschland")
    problem = models.TextField(_("Ausgangslage"))
    solution = models.TextField(_("Lösung"))
    results = models.TextField(_("Ergebnisse"), blank=True)
    transferability = models.TextField(_("Übertragbarkeit"), blank=True)
    contact = models.CharField(_("Ansprechstelle"), max_length=300, blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("Quellen"), blank=True, related_name="good_practices")

    class Meta:
        ordering = ["title"]
        verbose_name = _("Gute Praxis")
        verbose_name_plural = _("Gute Praxis")

    def __str__(self) -> str:
        return self.title

    @property
    def body_text(self) -> str:
        return "\n".join(filter(None, [self.problem, self.solution, self.results, self.transferability]))


# The text fields Redaktion may edit on the review page (everything a flag can be found in).
REVIEW_TEXT_FIELDS = {
    "observation": ["text"],
    "lesson": ["title", "finding", "cause"],
    "recommendation": ["title", "text"],
    "goodpractice": ["title", "problem", "solution", "results", "transferability", "contact"],
}

KNOWLEDGE_MODELS = (Observation, Lesson, Recommendation, GoodPractice)
MODEL_BY_KIND = {m.kind_key: m for m in KNOWLEDGE_MODELS}


class ReviewStatus(models.TextChoices):
    OFFEN = "offen", _("offen")
    FREIGEGEBEN = "freigegeben", _("freigegeben")
    ABGELEHNT = "abgelehnt", _("abgelehnt")


class PublicationReview(models.Model):
    """A request to raise an item's visibility; the item changes only when Redaktion confirms."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    requested_visibility = models.CharField(_("Gewünschte Sichtbarkeit"), max_length=20, choices=Visibility.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Beantragt von"), null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("Beantragt am"), auto_now_add=True)
    status = models.CharField(_("Status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OFFEN, db_index=True)
    flags = models.JSONField(_("Hinweise"), default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Geprüft von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True)
    # Why the reviewer published although personal data was flagged (required then; audited).
    flags_reason = models.TextField(_("Begründung trotz Hinweisen"), blank=True)
    # A pending revision of a published item: the proposed content ({"fields": {...}, "codes":
    # [...], "links": {...}}, see ``knowledge.revisions``). Empty for a pure visibility request.
    # The item itself keeps its approved content until the review is approved.
    changes = models.JSONField(_("Geänderte Fassung"), default=dict, blank=True)
    # Everyone who asked for this publication or wrote the text under review (user ids): under
    # the four-eyes principle none of them may approve it.
    authors = models.JSONField(_("Beteiligte"), default=list, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("Freigabeprüfung")
        verbose_name_plural = _("Freigabeprüfungen")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=models.Q(status="offen"),
                name="review_one_open_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"Freigabe {self.item} → {self.get_requested_visibility_display()}"

    @property
    def is_revision(self) -> bool:
        """True if the review carries a changed version of the item's content."""
        return bool(self.changes)
