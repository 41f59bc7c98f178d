"""The learning loop: action plans, reminders, self-assessment, training and exercises.

The lesson and observation lifecycle states live on the knowledge models; this app holds
what is built around them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Department, Municipality
from krisenwissen.knowledge.models import Code, Lesson, Visibility


class Horizon(models.TextChoices):
    SOFORT = "sofort", _("sofort")
    MITTELFRISTIG = "mittelfristig", _("mittelfristig")
    LANGFRISTIG = "langfristig", _("langfristig")


class ActionStatus(models.TextChoices):
    VORGESCHLAGEN = "vorgeschlagen", _("vorgeschlagen")
    BESCHLOSSEN = "beschlossen", _("beschlossen")
    IN_ARBEIT = "in_arbeit", _("in Arbeit")
    BLOCKIERT = "blockiert", _("blockiert")
    ERLEDIGT = "erledigt", _("erledigt")
    NICHT_UMGESETZT = "nicht_umgesetzt", _("nicht umgesetzt")


OPEN_STATUSES = (ActionStatus.VORGESCHLAGEN, ActionStatus.BESCHLOSSEN, ActionStatus.IN_ARBEIT, ActionStatus.BLOCKIERT)
REASON_STATUSES = (ActionStatus.BLOCKIERT, ActionStatus.NICHT_UMGESETZT)

SCALE = [MinValueValidator(1), MaxValueValidator(3)]


class Action(models.Model):
    """A Maßnahme: the change that turns a lesson identified into a lesson learned."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(Lesson, verbose_name=_("Erkenntnis"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"))
    department = models.ForeignKey(Department, verbose_name=_("Verantwortliche Dienststelle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Verantwortliche Person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_actions")
    owner_role = models.CharField(_("Verantwortliche Funktion"), max_length=200, blank=True)
    start = models.DateField(_("Beginn"), null=True, blank=True)
    due = models.DateField(_("Fällig am"), db_index=True)
    horizon = models.CharField(_("Zeithorizont"), max_length=20, choices=Horizon.choices, default=Horizon.MITTELFRISTIG)
    impact = models.PositiveSmallIntegerField(_("Wirkung (1–3)"), default=2, validators=SCALE)
    feasibility = models.PositiveSmallIntegerField(_("Umsetzbarkeit (1–3)"), default=2, validators=SCALE)
    capability = models.ForeignKey(Code, verbose_name=_("Fähigkeitselement"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resources = models.TextField(_("Ressourcen"), blank=True)
    success_indicator = models.TextField(_("Erfolgsindikator"), blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.VORGESCHLAGEN, db_index=True)
    status_reason = models.TextField(_("Begründung"), blank=True)
    codes = models.ManyToManyField(Code, verbose_name=_("Themen"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Erstellt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)
    completed_on = models.DateField(_("Erledigt am"), null=True, blank=True)

    class Meta:
        ordering = ["due", "title"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:action_detail", args=[self.pk])

    @property
    def priority(self) -> int:
        """Impact × feasibility, 1 to 9."""
        return self.impact * self.feasibility

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due < today


class ActionNote(models.Model):
    """A progress note (Fortschrittsvermerk) on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("Vermerk"))
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Fortschrittsvermerk")
        verbose_name_plural = _("Fortschrittsvermerke")

    def __str__(self) -> str:
        return self.text[:80]


class ReminderKind(models.TextChoices):
    BALD_FAELLIG = "bald_faellig", _("bald fällig")
    UEBERFAELLIG = "ueberfaellig", _("überfällig")


class ReminderLog(models.Model):
    """One reminder sent for one action; the unique key keeps the job from repeating itself."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipient = models.EmailField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "kind", "due"], name="reminder_once_per_due_date")]

    def __str__(self) -> str:
        return f"{self.action_id} {self.kind} {self.due}"


class RecheckReminder(models.Model):
    """One reminder that an embedded lesson's re-check is due (per lesson and re-check date)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "due"], name="recheck_reminder_once")]

    def __str__(self) -> str:
        return f"{self.lesson_id} {self.due}"


# --- self-assessment ----------------------------------------------------------------------


class Framework(models.Model):
    """A self-assessment framework loaded from a data file (see docs/learning.md)."""

    key = models.SlugField(_("Schlüssel"), unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    version = models.CharField(_("Version"), max_length=50, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    source = models.CharField(_("Quelle"), max_length=500, blank=True)
    target = models.PositiveSmallIntegerField(_("Zielstufe"), default=3, validators=[MaxValueValidator(5)])
    loaded_at = models.DateTimeField(_("Geladen"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Bewertungsrahmen")
        verbose_name_plural = _("Bewertungsrahmen")

    def __str__(self) -> str:
        return self.title


class FrameworkArea(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(_("Schlüssel"))
    title = models.CharField(_("Titel"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="area_unique_key")]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    area = models.ForeignKey(FrameworkArea, on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(_("Schlüssel"))
    title = models.CharField(_("Titel"), max_length=300)
    question = models.TextField(_("Leitfrage"), blank=True)
    levels = models.JSONField(_("Stufenbeschreibungen"), default=list)  # six strings, score 0..5
    action_title = models.CharField(_("Vorgeschlagene Maßnahme"), max_length=300, blank=True)
    action_description = models.TextField(_("Beschreibung der vorgeschlagenen Maßnahme"), blank=True)
    theme_codes = models.JSONField(_("Codes"), default=list)  # "scheme:key" strings
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["area", "key"], name="indicator_unique_key")]

    def __str__(self) -> str:
        return self.title


class Assessment(models.Model):
    framework = models.ForeignKey(Framework, verbose_name=_("Bewertungsrahmen"), on_delete=models.PROTECT, related_name="assessments")
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("Datum"))
    note = models.TextField(_("Anmerkung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Selbstbewertung")
        verbose_name_plural = _("Selbstbewertungen")

    def __str__(self) -> str:
        return f"{self.framework} – {self.municipality} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("learning:assessment_detail", args=[self.pk])


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("Stufe"), validators=[MaxValueValidator(5)])
    rationale = models.TextField(_("Begründung"), blank=True)
    evidence = models.TextField(_("Belege (Links, je Zeile einer)"), blank=True)
    proposed_action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["indicator__area__order", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="score_once_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score}"

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


# --- training and exercises ---------------------------------------------------------------


class SharedContent(models.Model):
    """Training modules and exercises have an owner and a visibility like knowledge items."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN)
    title = models.CharField(_("Titel"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class TrainingModule(SharedContent):
    path = models.CharField(_("Lernpfad"), max_length=200, default="Krise können")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    text = models.TextField(_("Lerntext"))
    lessons = models.ManyToManyField(Lesson, verbose_name=_("Erkenntnisse"), blank=True, related_name="+")
    recommendations = models.ManyToManyField("knowledge.Recommendation", verbose_name=_("Handlungsempfehlungen"), blank=True, related_name="+")
    good_practices = models.ManyToManyField("knowledge.GoodPractice", verbose_name=_("Gute Praxis"), blank=True, related_name="+")
    codes = models.ManyToManyField(Code, verbose_name=_("Codes"), blank=True, related_name="+")

    class Meta:
        ordering = ["path", "order", "title"]
        verbose_name = _("Fortbildungsmodul")
        verbose_name_plural = _("Fortbildungsmodule")

    def get_absolute_url(self) -> str:
        return reverse("learning:module_detail", args=[self.pk])


class SelfCheckQuestion(models.Model):
    """A multiple-choice question; ``options`` is a list of {text, correct, feedback}."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("Frage"))
    options = models.JSONField(_("Antworten"), default=list)

    class Meta:
        ordering = ["module", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ModuleCompletion(models.Model):
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "user"], name="completion_once_per_user")]

    def __str__(self) -> str:
        return f"{self.module_id}/{self.user_id}"


class ScenarioExercise(SharedContent):
    hazard_type = models.CharField(_("Gefahrenart"), max_length=100, blank=True)
    starting_situation = models.TextField(_("Ausgangslage"))
    lessons = models.ManyToManyField(Lesson, verbose_name=_("Geprüfte Erkenntnisse"), blank=True, related_name="+")

    class Meta:
        ordering = ["title"]
        verbose_name = _("Muster-Szenario")
        verbose_name_plural = _("Muster-Szenarien")

    def get_absolute_url(self) -> str:
        return reverse("learning:exercise_detail", args=[self.pk])


class Inject(models.Model):
    exercise = models.ForeignKey(ScenarioExercise, on_delete=models.CASCADE, related_name="injects")
    order = models.PositiveSmallIntegerField(default=0)
    time_label = models.CharField(_("Zeitpunkt"), max_length=100)
    text = models.TextField(_("Einspielung"))
    facilitator_note = models.TextField(_("Hinweis für die Moderation"), blank=True)

    class Meta:
        ordering = ["exercise", "order"]

    def __str__(self) -> str:
        return f"{self.time_label}: {self.text[:60]}"


class DiscussionQuestion(models.Model):
    exercise = models.ForeignKey(ScenarioExercise, on_delete=models.CASCADE, related_name="questions")
    inject = models.ForeignKey(Inject, null=True, blank=True, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("Diskussionsfrage"))

    class Meta:
        ordering = ["exercise", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ExerciseRun(models.Model):
    """One table-top run of a scenario by a municipality."""

    exercise = models.ForeignKey(ScenarioExercise, on_delete=models.PROTECT, related_name="runs")
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    current_inject = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.municipality}, {self.started_at:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("learning:run_detail", args=[self.pk])


class ExerciseFinding(models.Model):
    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("Erkenntnis aus der Übung"))
    inject = models.ForeignKey(Inject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    observation = models.ForeignKey("knowledge.Observation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    validated_lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
