"""Köpfe kennen: people, organisations, reachability, competences, functions and hand-overs.

The model (read this before importing, exporting or linking to it)::

    Organisation   municipality FK accounts.Municipality, name, kind (OrganisationKind:
                   verwaltung/polizei/gesundheitsamt/versorger/hilfsorganisation/
                   nachbarkommune/sonstige), parent FK self (units), short_name
                   unique (municipality, name, parent)
    Person         uuid, municipality FK, display_name, given_name, family_name,
                   account OneToOne User (nullable; CASCADE, so erasing
                   the account erases the entry), organisation FK (nullable),
                   department FK accounts.Department (nullable), unit (text),
                   position (Funktion/Titel, text), visibility (knowledge.Visibility:
                   intern/netzwerk/oeffentlich), consent_recorded_at, consent_note,
                   last_confirmed_at, reminded_at, leaving_on (date), leaving_reason
                   (LeavingReason: ruhestand/wechsel/sonstiges), external_key (import
                   de-dup, unique per municipality when not empty), maintained_by FK User
                   (who keeps the entry), search_text (derived, see people.indexing:
                   call refresh_search_text(persons) after writing people, functions or
                   competences outside people.actions), created_by, created_at, updated_at.
                   Without account and without recorded consent only functional data may
                   be kept (no given/family name, no mobile/private/personal e-mail
                   channels, no languages/crises): enforced by people.actions.
    Channel        person FK, kind (ChannelKind: buero/mobil/funktionspostfach/
                   funkrufname/email/privat), value, availability (Availability:
                   rufbereitschaft/rund_um_die_uhr/buerozeiten), audience (Audience:
                   alle_berechtigten/privat = only the person and the staff's S1/Leitung),
                   note, order. A "privat" channel kind always has audience "privat".
    CompetenceArea code (unique), label, kind (fach/krise), description, active, order
                   (vocabulary shipped by migration 0002, editable in the admin)
    PersonCompetence person FK, competence FK, level (grundlagen/erfahren/expertise or ""),
                   note; unique (person, competence)
    Function       municipality FK, name, kind (verwaltung/stab), doctrine ("", leitung,
                   s1..s6, koordinierung, verbindung, fachberatung), description, order;
                   unique (municipality, name)
    FunctionHolder function FK, person FK, role (inhaber/vertretung), order;
                   unique (function, person)
    Language       person FK, code (ISO 639-1, e.g. "en"), level text; unique (person, code)
    TrainingRecord person FK, title, date, module FK learning.TrainingModule (nullable),
                   exercise FK learning.ScenarioExercise (nullable), note
    CrisisExperience person FK, crisis FK knowledge.Crisis (nullable), label, role,
                   source (manuell/krisenstab/workshop), consent (bool)
    Handover       person FK (departing), status (offen/abgeschlossen), interview
                   (JSON list of {"question", "answer"}), summary, created_by,
                   created_at, completed_at
    HandoverItem   handover FK, kind (stabsfunktion/vertretung/massnahme/erkenntnis/
                   beobachtung/kontakt/reflexionsraum/kompetenz), content_type + object_id
                   (nullable: the object handed over), label (snapshot), successor FK
                   Person (nullable), done, note, order
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Department, Municipality
from krisenwissen.knowledge.models import Visibility


class OrganisationKind(models.TextChoices):
    VERWALTUNG = "verwaltung", _("Verwaltung")
    POLIZEI = "polizei", _("Polizei")
    GESUNDHEITSAMT = "gesundheitsamt", _("Gesundheitsamt")
    VERSORGER = "versorger", _("Versorger")
    HILFSORGANISATION = "hilfsorganisation", _("Hilfsorganisation")
    NACHBARKOMMUNE = "nachbarkommune", _("Nachbarkommune")
    SONSTIGE = "sonstige", _("Sonstige")


class Organisation(models.Model):
    """An organisation or one of its units (``parent``), kept by a municipality."""

    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.VERWALTUNG)
    parent = models.ForeignKey("self", verbose_name=_("Übergeordnete Organisation"), null=True, blank=True, on_delete=models.CASCADE, related_name="units")

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], condition=Q(parent__isnull=True), name="people_organisation_unique_top"),
            models.UniqueConstraint(fields=["municipality", "parent", "name"], name="people_organisation_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} – {self.name}" if self.parent_id else self.name


class LeavingReason(models.TextChoices):
    RUHESTAND = "ruhestand", _("Ruhestand")
    WECHSEL = "wechsel", _("Wechsel")
    SONSTIGES = "sonstiges", _("Sonstiges")


class Person(models.Model):
    """An entry of the directory: a person with or without a platform account."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("Anzeigename"), max_length=200)
    given_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    family_name = models.CharField(_("Nachname"), max_length=100, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), null=True, blank=True, on_delete=models.CASCADE, related_name="directory_entry",
    )
    organisation = models.ForeignKey(Organisation, verbose_name=_("Organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    department = models.ForeignKey(Department, verbose_name=_("Dienststelle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.CharField(_("Organisationseinheit"), max_length=200, blank=True)
    position = models.CharField(_("Funktion/Titel"), max_length=200, blank=True)
    visibility = models.CharField(_("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.INTERN, db_index=True)
    consent_recorded_at = models.DateTimeField(_("Einwilligung erfasst am"), null=True, blank=True)
    consent_note = models.CharField(_("Nachweis der Einwilligung"), max_length=500, blank=True)
    last_confirmed_at = models.DateTimeField(_("Zuletzt bestätigt"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("Zuletzt erinnert"), null=True, blank=True)
    leaving_on = models.DateField(_("Scheidet aus am"), null=True, blank=True, db_index=True)
    leaving_reason = models.CharField(_("Grund des Ausscheidens"), max_length=20, choices=LeavingReason.choices, blank=True)
    external_key = models.CharField(_("Externer Schlüssel"), max_length=200, blank=True)
    maintained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Gepflegt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    # Folded and stemmed words of name, position, unit, organisation, functions, competences and
    # languages (never reachability data), kept by people.indexing.refresh_search_text().
    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Erstellt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        ordering = ["family_name", "display_name", "pk"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "external_key"], condition=~Q(external_key=""), name="people_person_external_key_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    @property
    def has_consent_or_account(self) -> bool:
        return bool(self.account_id or self.consent_recorded_at)


class ChannelKind(models.TextChoices):
    BUERO = "buero", _("Büro")
    MOBIL = "mobil", _("Mobil")
    FUNKTIONSPOSTFACH = "funktionspostfach", _("Funktionspostfach")
    FUNKRUFNAME = "funkrufname", _("Funkrufname")
    EMAIL = "email", _("E-Mail")
    PRIVAT = "privat", _("Privat")


# Channels that are personal data of the person (not of the function): need account or consent.
PERSONAL_CHANNEL_KINDS = frozenset({ChannelKind.MOBIL, ChannelKind.EMAIL, ChannelKind.PRIVAT})


class Availability(models.TextChoices):
    RUFBEREITSCHAFT = "rufbereitschaft", _("Rufbereitschaft")
    RUND_UM_DIE_UHR = "rund_um_die_uhr", _("24/7")
    BUEROZEITEN = "buerozeiten", _("Bürozeiten")


class Audience(models.TextChoices):
    ALLE_BERECHTIGTEN = "alle_berechtigten", _("alle, die den Eintrag sehen")
    PRIVAT = "privat", _("nur die Person und S1/Leitung des Stabs")


class Channel(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("Art"), max_length=30, choices=ChannelKind.choices)
    value = models.CharField(_("Nummer/Adresse"), max_length=254)
    availability = models.CharField(_("Erreichbarkeit"), max_length=20, choices=Availability.choices, default=Availability.BUEROZEITEN)
    audience = models.CharField(_("Sichtbar für"), max_length=20, choices=Audience.choices, default=Audience.ALLE_BERECHTIGTEN)
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["person", "order", "pk"]
        verbose_name = _("Erreichbarkeit")
        verbose_name_plural = _("Erreichbarkeiten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_private(self) -> bool:
        return self.audience == Audience.PRIVAT or self.kind == ChannelKind.PRIVAT


class CompetenceKind(models.TextChoices):
    FACH = "fach", _("Fachkompetenz")
    KRISE = "krise", _("Krisenkompetenz")


class CompetenceArea(models.Model):
    """One entry of the competence vocabulary (shipped by a data migration, editable)."""

    code = models.SlugField(_("Schlüssel"), max_length=60, unique=True)
    label = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10, choices=CompetenceKind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    active = models.BooleanField(_("Aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["kind", "order", "label"]
        verbose_name = _("Kompetenz")
        verbose_name_plural = _("Kompetenzen")

    def __str__(self) -> str:
        return self.label


class CompetenceLevel(models.TextChoices):
    GRUNDLAGEN = "grundlagen", _("Grundlagen")
    ERFAHREN = "erfahren", _("erfahren")
    EXPERTISE = "expertise", _("Expertise")


class PersonCompetence(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(CompetenceArea, verbose_name=_("Kompetenz"), on_delete=models.PROTECT, related_name="holders")
    level = models.CharField(_("Stufe"), max_length=20, choices=CompetenceLevel.choices, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        ordering = ["competence__kind", "competence__order", "competence__label"]
        verbose_name = _("Kompetenz einer Person")
        verbose_name_plural = _("Kompetenzen von Personen")
        constraints = [models.UniqueConstraint(fields=["person", "competence"], name="people_competence_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.competence}"


class FunctionKind(models.TextChoices):
    VERWALTUNG = "verwaltung", _("Verwaltung")
    STAB = "stab", _("Stab")


class Doctrine(models.TextChoices):
    """Where the function sits in the staff doctrine (FwDV 100 / Verwaltungsstab)."""

    LEITUNG = "leitung", _("Leitung")
    S1 = "s1", _("S1 Personal/Innerer Dienst")
    S2 = "s2", _("S2 Lage")
    S3 = "s3", _("S3 Einsatz")
    S4 = "s4", _("S4 Versorgung")
    S5 = "s5", _("S5 Presse- und Medienarbeit")
    S6 = "s6", _("S6 Information und Kommunikation")
    KOORDINIERUNG = "koordinierung", _("Koordinierungsgruppe")
    VERBINDUNG = "verbindung", _("Verbindungsperson")
    FACHBERATUNG = "fachberatung", _("Fachberatung")


# Functions whose holders see the private reachability data of the municipality's people.
PRIVATE_CHANNEL_DOCTRINES = frozenset({Doctrine.LEITUNG, Doctrine.S1})


class Function(models.Model):
    municipality = models.ForeignKey(Municipality, verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=FunctionKind.choices, default=FunctionKind.STAB)
    doctrine = models.CharField(_("Stabsfunktion"), max_length=20, choices=Doctrine.choices, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["municipality", "kind", "order", "name"]
        verbose_name = _("Funktion")
        verbose_name_plural = _("Funktionen")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="people_function_unique_name")]

    def __str__(self) -> str:
        return self.name


class HolderRole(models.TextChoices):
    INHABER = "inhaber", _("Inhaber/in")
    VERTRETUNG = "vertretung", _("Vertretung")


class FunctionHolder(models.Model):
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="holders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="functions")
    role = models.CharField(_("Rolle"), max_length=20, choices=HolderRole.choices, default=HolderRole.INHABER)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["function", "role", "order", "pk"]
        verbose_name = _("Funktionsbesetzung")
        verbose_name_plural = _("Funktionsbesetzungen")
        constraints = [models.UniqueConstraint(fields=["function", "person"], name="people_function_holder_once")]

    def __str__(self) -> str:
        return f"{self.function}: {self.person} ({self.get_role_display()})"


class Language(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("Sprache (ISO 639-1)"), max_length=8)
    level = models.CharField(_("Niveau"), max_length=60, blank=True)

    class Meta:
        ordering = ["person", "code"]
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="people_language_once")]

    def __str__(self) -> str:
        return self.code


class TrainingRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("Titel"), max_length=300)
    date = models.DateField(_("Datum"), null=True, blank=True)
    module = models.ForeignKey("learning.TrainingModule", verbose_name=_("Fortbildungsmodul"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exercise = models.ForeignKey("learning.ScenarioExercise", verbose_name=_("Übung"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        ordering = ["person", "-date", "title"]
        verbose_name = _("Fortbildung oder Übung")
        verbose_name_plural = _("Fortbildungen und Übungen")

    def __str__(self) -> str:
        return self.title


class ExperienceSource(models.TextChoices):
    MANUELL = "manuell", _("selbst eingetragen")
    KRISENSTAB = "krisenstab", _("Mitarbeit im Krisenstab")
    WORKSHOP = "workshop", _("Teilnahme an einem Reflexionsraum")


class CrisisExperience(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="crises")
    crisis = models.ForeignKey("knowledge.Crisis", verbose_name=_("Krise"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(_("Krise (Bezeichnung)"), max_length=200, blank=True)
    role = models.CharField(_("Rolle in der Krise"), max_length=200, blank=True)
    source = models.CharField(_("Herkunft"), max_length=20, choices=ExperienceSource.choices, default=ExperienceSource.MANUELL)
    consent = models.BooleanField(_("Einwilligung der Person"), default=False)

    class Meta:
        ordering = ["person", "pk"]
        verbose_name = _("Krisenerfahrung")
        verbose_name_plural = _("Krisenerfahrungen")

    def __str__(self) -> str:
        return self.label or (str(self.crisis) if self.crisis_id else "")


class HandoverStatus(models.TextChoices):
    OFFEN = "offen", _("offen")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")


class Handover(models.Model):
    """Wissensübergabe: what a departing person hands over, to whom, and the exit debrief."""

    person = models.ForeignKey(Person, verbose_name=_("Ausscheidende Person"), on_delete=models.CASCADE, related_name="handovers")
    status = models.CharField(_("Status"), max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.OFFEN, db_index=True)
    interview = models.JSONField(_("Abschlussgespräch"), default=list, blank=True)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Angelegt von"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    completed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Wissensübergabe")
        verbose_name_plural = _("Wissensübergaben")

    def __str__(self) -> str:
        return str(_("Wissensübergabe von %(name)s") % {"name": self.person})

    def get_absolute_url(self) -> str:
        return reverse("people:handover", args=[self.pk])

    @property
    def municipality_id(self) -> int:
        return self.person.municipality_id

    @property
    def municipality(self) -> Municipality:
        return self.person.municipality


class HandoverItemKind(models.TextChoices):
    STABSFUNKTION = "stabsfunktion", _("Funktion")
    VERTRETUNG = "vertretung", _("Vertretung")
    MASSNAHME = "massnahme", _("Offene Maßnahme")
    ERKENNTNIS = "erkenntnis", _("Erkenntnis")
    BEOBACHTUNG = "beobachtung", _("Beobachtung")
    KONTAKT = "kontakt", _("Gepflegter Kontakt")
    REFLEXIONSRAUM = "reflexionsraum", _("Moderierter Reflexionsraum")
    KOMPETENZ = "kompetenz", _("Kompetenz")


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("Art"), max_length=20, choices=HandoverItemKind.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("Gegenstand"), max_length=300)
    successor = models.ForeignKey(Person, verbose_name=_("Nachfolge"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done = models.BooleanField(_("Übergeben"), default=False)
    note = models.TextField(_("Notiz"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["handover", "order", "pk"]
        verbose_name = _("Punkt der Wissensübergabe")
        verbose_name_plural = _("Punkte der Wissensübergabe")

    def __str__(self) -> str:
        return self.label
