"""Reflexionsräume: facilitated workshops with live capture (cards, clusters, votes, photos).

Every change on the board appends a ``WorkshopEvent`` with a per-workshop sequence number;
clients poll "everything after event N". Cards carry a client-generated UUID so that a card
sent twice (double submit, resend after a dropped connection) is stored exactly once.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality

CARD_MAX_LENGTH = 500
CLUSTER_NAME_MAX_LENGTH = 200


def new_token() -> str:
    return secrets.token_urlsafe(16)


class WorkshopKind(models.TextChoices):
    REFLEXIONSRAUM = "reflexionsraum", _("Reflexionsraum")
    INNOVATIONSWORKSHOP = "innovationsworkshop", _("Innovationsworkshop")
    NACHBESPRECHUNG = "nachbesprechung", _("Nachbesprechung")
    ZWISCHENBILANZ = "zwischenbilanz", _("Zwischenbilanz während der Krise")


class Attribution(models.TextChoices):
    ANONYM = "anonym", _("anonym")
    CHATHAM_HOUSE = "chatham_house", _("Chatham House")
    NAMENTLICH = "namentlich", _("namentlich")


class TransferScope(models.TextChoices):
    """The sharing agreement: who may take whose cards into the knowledge base."""

    MODERATION = "moderation", _("Die Moderation übernimmt die Karten aller beteiligten Kommunen (jeweils für die Kommune der Teilnehmenden)")
    EIGENE = "eigene", _("Jede Kommune übernimmt nur die Karten ihrer eigenen Teilnehmenden")


class TransferVisibility(models.TextChoices):
    INTERN = "intern", _("intern (nur die jeweilige Kommune)")
    NETZWERK = "netzwerk", _("Netzwerk (die Kommunen des gemeinsamen Netzwerks)")


class WorkshopStatus(models.TextChoices):
    GEPLANT = "geplant", _("geplant")
    LAEUFT = "laeuft", _("läuft")
    DOKUMENTIERT = "dokumentiert", _("dokumentiert")
    VALIDIERT = "validiert", _("validiert")
    VEROEFFENTLICHT = "veroeffentlicht", _("veröffentlicht")


# The order and the allowed steps between these states: workshops.lifecycles.WORKSHOP_STATUS.


class Workshop(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Format"), max_length=30, choices=WorkshopKind.choices, default=WorkshopKind.REFLEXIONSRAUM)
    crisis = models.ForeignKey("knowledge.Crisis", verbose_name=_("Krise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    theme = models.ForeignKey("knowledge.Code", verbose_name=_("Themenschwerpunkt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    focus = models.CharField(_("Thema"), max_length=300, blank=True)
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    start_time = models.TimeField(_("Beginn (Uhrzeit)"), default=datetime.time(10, 0))
    host = models.ForeignKey(Municipality, verbose_name=_("Gastgebende Kommune"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    invited = models.ManyToManyField(Municipality, verbose_name=_("Eingeladene Kommunen"), blank=True, related_name="+")
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("Moderation"), blank=True, related_name="+")
    attribution = models.CharField(_("Nennung der Beiträge"), max_length=20, choices=Attribution.choices, default=Attribution.CHATHAM_HOUSE)
    status = models.CharField(_("Status"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.GEPLANT)
    locked = models.BooleanField(_("Board gesperrt"), default=False)
    private_until_reveal = models.BooleanField(_("Karten verdeckt bis zur Aufdeckung"), default=True)
    voting_open = models.BooleanField(_("Punktabfrage läuft"), default=False)
    votes_per_participant = models.PositiveSmallIntegerField(_("Punkte je Person"), default=3)
    current_question = models.ForeignKey("Question", verbose_name=_("Aktuelle Leitfrage"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    join_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    synthesis_text = models.TextField(_("Synthesebericht (Entwurf)"), blank=True)
    synthesis_final = models.BooleanField(_("Synthesebericht abgeschlossen"), default=False)
    # The sharing agreement of the participating municipalities (see ``workshops.rules``).
    transfer_scope = models.CharField(_("Übernahme in die Wissensbasis"), max_length=20, choices=TransferScope.choices, default=TransferScope.MODERATION)
    transfer_visibility = models.CharField(_("Sichtbarkeit der übernommenen Einträge"), max_length=20, choices=TransferVisibility.choices, default=TransferVisibility.INTERN)
    # The Synthesebericht as structured blocks (see workshops.synthesis.validate_blocks);
    # empty while no draft exists (an older plain-text draft is converted when shown).
    synthesis_blocks = models.JSONField(_("Synthesebericht (Blöcke)"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", args=[self.pk])

    @property
    def accepts_contributions(self) -> bool:
        return not self.locked and self.status in (WorkshopStatus.GEPLANT, WorkshopStatus.LAEUFT)

    @property
    def current_phase(self):
        return self.current_question.phase if self.current_question_id else None


class PhaseKind(models.TextChoices):
    DESKRIPTIV = "deskriptiv", _("Deskriptive Phase")
    ANALYTISCH = "analytisch", _("Analytische Phase")
    TRANSFER = "transfer", _("Transferphase")
    IDEEN = "ideen", _("Ideen- und Vorschlagsphase")


PHASE_LEADS = {
    PhaseKind.DESKRIPTIV: _("Was ist geschehen? Wie haben sich die Beteiligten gefühlt?"),
    PhaseKind.ANALYTISCH: _("Wie wurde reagiert? Wer hat was gemacht?"),
    PhaseKind.TRANSFER: _("Was wurde gelernt, wie kann es weiter genutzt werden?"),
    PhaseKind.IDEEN: _("Welche Verbesserungen schlagen wir vor?"),
}


class Phase(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    kind = models.CharField(_("Art"), max_length=20, choices=PhaseKind.choices)
    timebox_minutes = models.PositiveSmallIntegerField(_("Zeitrahmen (Minuten)"), default=60)

    class Meta:
        ordering = ["workshop", "number"]
        verbose_name = _("Workshop-Phase")
        verbose_name_plural = _("Workshop-Phasen")
        constraints = [models.UniqueConstraint(fields=["workshop", "number"], name="workshop_phase_unique_number")]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def lead(self) -> str:
        return str(PHASE_LEADS.get(self.kind, ""))

    @property
    def is_descriptive(self) -> bool:
        return self.kind == PhaseKind.DESKRIPTIV


class QuestionSource(models.TextChoices):
    LEITFRAGE = "leitfrage", _("Leitfrage (PanReflex)")
    AFTER_ACTION = "after_action", _("Nachbesprechung (After Action Review)")
    EIGENE = "eigene", _("eigene Frage")


class QuestionBankEntry(models.Model):
    text = models.CharField(_("Frage"), max_length=500, unique=True)
    phase_kind = models.CharField(_("Phase"), max_length=20, choices=PhaseKind.choices)
    source = models.CharField(_("Herkunft"), max_length=20, choices=QuestionSource.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase_kind", "order"]
        verbose_name = _("Frage der Fragenbank")
        verbose_name_plural = _("Fragenbank")

    def __str__(self) -> str:
        return self.text


class Question(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Leitfrage"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    bank_entry = models.ForeignKey(QuestionBankEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["phase__number", "order", "id"]
        verbose_name = _("Leitfrage")
        verbose_name_plural = _("Leitfragen")

    def __str__(self) -> str:
        return self.text


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(_("Anzeigename"), max_length=80, blank=True)
    key = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    department_function = models.CharField(_("Bereich"), max_length=30, choices=DepartmentFunction.choices, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")

    def __str__(self) -> str:
        return self.display_name or str(_("anonym"))


class Feeling(models.TextChoices):
    VERUNSICHERT = "verunsichert", _("verunsichert")
    UEBERLASTET = "ueberlastet", _("überlastet")
    OHNMAECHTIG = "ohnmaechtig", _("ohnmächtig")
    ANGESPANNT = "angespannt", _("angespannt")
    GEFORDERT = "gefordert", _("gefordert, aber handlungsfähig")
    ZUVERSICHTLICH = "zuversichtlich", _("zuversichtlich")
    GESTAERKT = "gestaerkt", _("gestärkt")


class ClusterKind(models.TextChoices):
    OFFEN = "", _("noch nicht eingeordnet")
    BEFUND = "befund", _("Befund")
    OFFENE_FRAGE = "offene_frage", _("offene Frage")
    MASSNAHMENIDEE = "massnahmenidee", _("Maßnahmenidee")


class Cluster(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="clusters")
    name = models.CharField(_("Name"), max_length=CLUSTER_NAME_MAX_LENGTH)
    kind = models.CharField(_("Einordnung"), max_length=20, choices=ClusterKind.choices, blank=True, default="")
    action_done = models.BooleanField(_("Maßnahme erledigt"), default=False)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("Cluster")
        verbose_name_plural = _("Cluster")

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    uuid = models.UUIDField(unique=True)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    text = models.CharField(_("Text"), max_length=CARD_MAX_LENGTH)
    revealed = models.BooleanField(_("aufgedeckt"), default=False)
    crisis_phase = models.ForeignKey("knowledge.Phase", verbose_name=_("Krisenphase"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    when = models.DateField(_("Zeitpunkt"), null=True, blank=True)
    feeling = models.CharField(_("Gefühl"), max_length=20, choices=Feeling.choices, blank=True)
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")
    is_quote = models.BooleanField(_("Zitat"), default=False)
    transferred = models.BooleanField(_("in die Wissensbasis übernommen"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Karte")
        verbose_name_plural = _("Karten")

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:77] + " …"


class Vote(models.Model):
    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Punkt")
        verbose_name_plural = _("Punkte")

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.cluster_id}"


class Photo(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image = models.FileField(upload_to="workshops/photos/")
    thumbnail = models.FileField(upload_to="workshops/thumbs/")
    caption = models.CharField(_("Bildbeschreibung"), max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    def __str__(self) -> str:
        return self.caption


class WorkshopEvent(models.Model):
    """Append-only change log of a workshop's board; ``seq`` counts 1, 2, 3 … per workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "seq"]
        constraints = [models.UniqueConstraint(fields=["workshop", "seq"], name="workshop_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.workshop_id}#{self.seq} {self.kind}"


class CardTransfer(models.Model):
    """The stable link card → observation: a second transfer updates the observation."""

    card = models.OneToOneField(Card, on_delete=models.CASCADE, related_name="transfer")
    observation = models.OneToOneField("knowledge.Observation", on_delete=models.CASCADE, related_name="+")
    transferred_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.card_id} → {self.observation_id}"


class ClusterTransfer(models.Model):
    """The stable link cluster → lesson (and recommendation for an action idea), per owning
    municipality: the host's when everything was transferred together, otherwise each
    municipality's own part."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="transfers")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("knowledge.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recommendation = models.ForeignKey("knowledge.Recommendation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    transferred_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "municipality"], name="cluster_transfer_unique_municipality")]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.municipality_id} → {self.lesson_id}"
