"""Every state change of Köpfe kennen: one transaction, permission check, audit row.

Privacy rule (enforced here): an entry of a person without a platform account keeps personal
data (given/family name, mobile, private and personal e-mail channels, languages, crises) only
with recorded consent; otherwise only functional data (function, unit, office number,
functional mailbox, radio call sign). Every look at private reachability data goes through
:func:`do_view_private_channels`, which writes an audit row.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.audit import record
from krisenwissen.core.policy import person as person_of
from krisenwissen.core.policy import require_perm
from krisenwissen.knowledge.models import Visibility

from . import handover as handover_plan
from .events import PeopleEvent
from .indexing import refresh_search_text
from .lifecycles import HANDOVER
from .models import (
    PERSONAL_CHANNEL_KINDS,
    Audience,
    Availability,
    Channel,
    ChannelKind,
    CompetenceArea,
    CompetenceLevel,
    CrisisExperience,
    Doctrine,
    Function,
    FunctionHolder,
    FunctionKind,
    Handover,
    HandoverItem,
    HandoverItemKind,
    HandoverStatus,
    HolderRole,
    Language,
    LeavingReason,
    Organisation,
    OrganisationKind,
    Person,
    PersonCompetence,
)
from .validation import clean_channel_value, clean_text

PERSON_FIELDS = ("display_name", "given_name", "family_name", "organisation", "department", "unit", "position",
                 "visibility", "external_key", "account", "maintained_by")
MAX_CHANNELS = 20
MAX_COMPETENCES = 50
MAX_LANGUAGES = 20


def _clean_person_fields(municipality: Municipality, fields: dict, *, existing: Person | None = None) -> dict:
    errors: dict[str, str] = {}
    cleaned = {}
    for name in ("display_name", "given_name", "family_name", "unit", "position", "external_key"):
        if name in fields:
            try:
                cleaned[name] = clean_text(fields[name] or "", field=str(Person._meta.get_field(name).verbose_name))
            except ValueError as exc:
                errors[name] = str(exc)
    for name in ("organisation", "department", "account", "maintained_by", "visibility"):
        if name in fields:
            cleaned[name] = fields[name]
    display = cleaned.get("display_name", existing.display_name if existing else "")
    if not display:
        given = cleaned.get("given_name", existing.given_name if existing else "")
        family = cleaned.get("family_name", existing.family_name if existing else "")
        display = f"{given} {family}".strip() or cleaned.get("position", existing.position if existing else "")
        if not display:
            errors["display_name"] = _("Bitte einen Anzeigenamen angeben.")
        cleaned["display_name"] = display
    organisation = cleaned.get("organisation")
    if organisation is not None and organisation.municipality_id != municipality.pk:
        errors["organisation"] = _("Die Organisation gehört zu einer anderen Kommune.")
    department = cleaned.get("department")
    if department is not None and department.municipality_id != municipality.pk:
        errors["department"] = _("Die Dienststelle gehört zu einer anderen Kommune.")
    if "visibility" in cleaned and cleaned["visibility"] not in Visibility.values:
        errors["visibility"] = _("Unbekannte Sichtbarkeit.")
    account = cleaned.get("account")
    if account is not None:
        taken = Person.objects.filter(account=account)
        if existing is not None:
            taken = taken.exclude(pk=existing.pk)
        if taken.exists():
            errors["account"] = _("Dieses Konto gehört schon zu einem anderen Eintrag.")
    key = cleaned.get("external_key")
    if key:
        duplicates = Person.objects.filter(municipality=municipality, external_key=key)
        if existing is not None:
            duplicates = duplicates.exclude(pk=existing.pk)
        if duplicates.exists():
            errors["external_key"] = _("Diesen externen Schlüssel hat schon ein anderer Eintrag der Kommune.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_functional_only(person: Person) -> None:
    """Without account and consent only functional data may be kept."""
    if person.has_consent_or_account:
        return
    problems = []
    if person.given_name or person.family_name:
        problems.append(_("Vor- und Nachname"))
    if person.pk:
        if person.channels.filter(kind__in=PERSONAL_CHANNEL_KINDS).exists():
            problems.append(_("persönliche Erreichbarkeiten (Mobil, Privat, persönliche E-Mail)"))
        if person.languages.exists():
            problems.append(_("Sprachen"))
        if person.crises.exists():
            problems.append(_("Krisenerfahrungen"))
    if problems:
        raise ValidationError(_(
            "Ohne Konto und ohne erfasste Einwilligung darf der Eintrag nur funktionale Angaben enthalten "
            "(Funktion, Organisationseinheit, Büronummer, Funktionspostfach, Funkrufname). Bitte zuerst die "
            "Einwilligung erfassen oder entfernen: %(items)s.") % {"items": ", ".join(str(p) for p in problems)})


@transaction.atomic
def do_create_person(municipality: Municipality, *, acting_user, consent_note: str = "", **fields) -> Person:
    """A new directory entry of ``municipality`` (starts ``intern`` unless given)."""
    require_perm(acting_user, "people.add_person", municipality)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("Unbekannte Angaben: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = _clean_person_fields(municipality, fields)
    person = Person(municipality=municipality, created_by=person_of(acting_user), **cleaned)
    consent_note = clean_text(consent_note, field=_("Nachweis der Einwilligung"), max_length=500) if consent_note else ""
    if consent_note:
        person.consent_recorded_at = timezone.now()
        person.consent_note = consent_note
    _check_functional_only(person)
    if person.maintained_by_id is None and person_of(acting_user) is not None:
        person.maintained_by = person_of(acting_user)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError(_("Der Eintrag widerspricht einem vorhandenen (Konto oder externer Schlüssel doppelt).")) from None
    refresh_search_text([person])
    record(PeopleEvent.PERSON_CREATED, acting_user=acting_user, obj=person, municipality=municipality,
           einwilligung=bool(consent_note), konto=bool(person.account_id))
    return person


@transaction.atomic
def do_update_person(person: Person, *, acting_user, **fields) -> Person:
    require_perm(acting_user, "people.change_person", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("Unbekannte Angaben: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if any(name in fields and fields[name] != getattr(person, name) for name in ("account", "maintained_by", "external_key")):
        # Linking an account, handing the entry to another maintainer or re-keying it is management.
        require_perm(acting_user, "people.manage_directory", person)
    cleaned = _clean_person_fields(person.municipality, fields, existing=person)
    changed = sorted(name for name, value in cleaned.items() if getattr(person, name) != value)
    for name, value in cleaned.items():
        setattr(person, name, value)
    _check_functional_only(person)
    person.save()
    refresh_search_text([person])
    if changed:
        record(PeopleEvent.PERSON_CHANGED, acting_user=acting_user, obj=person, felder=changed)
    return person


@transaction.atomic
def do_record_consent(person: Person, *, note: str, acting_user) -> Person:
    """Record the consent of a person without account (note: where the signed form is kept)."""
    require_perm(acting_user, "people.change_person", person)
    note = clean_text(note, field=_("Nachweis der Einwilligung"), max_length=500)
    if not note:
        raise ValidationError({"consent_note": _("Bitte angeben, wie und wann die Einwilligung erteilt wurde.")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.consent_recorded_at = timezone.now()
    person.consent_note = note
    person.save(update_fields=["consent_recorded_at", "consent_note", "updated_at"])
    record(PeopleEvent.CONSENT_RECORDED, acting_user=acting_user, obj=person)
    return person


def _clean_channels(person: Person, channels: list[dict]) -> list[Channel]:
    if len(channels) > MAX_CHANNELS:
        raise ValidationError(_("Höchstens %(n)d Erreichbarkeiten je Eintrag.") % {"n": MAX_CHANNELS})
    result = []
    errors = []
    for number, data in enumerate(channels, start=1):
        kind = data.get("kind", "")
        if kind not in ChannelKind.values:
            errors.append(_("Erreichbarkeit %(n)d: unbekannte Art.") % {"n": number})
            continue
        availability = data.get("availability") or Availability.BUEROZEITEN
        audience = data.get("audience") or Audience.ALLE_BERECHTIGTEN
        if availability not in Availability.values or audience not in Audience.values:
            errors.append(_("Erreichbarkeit %(n)d: unbekannte Erreichbarkeit oder Sichtbarkeit.") % {"n": number})
            continue
        if kind == ChannelKind.PRIVAT:
            audience = Audience.PRIVAT
        try:
            value = clean_channel_value(kind, data.get("value", ""))
            note = clean_text(data.get("note", ""), field=_("Hinweis"))
        except ValueError as exc:
            errors.append(_("Erreichbarkeit %(n)d: %(error)s") % {"n": number, "error": exc})
            continue
        result.append(Channel(person=person, kind=kind, value=value, availability=availability, audience=audience,
                              note=note, order=number))
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def do_set_channels(person: Person, channels: list[dict], *, acting_user) -> list[Channel]:
    """Replace the entry's channels (dicts with kind, value, availability, audience, note)."""
    require_perm(acting_user, "people.change_person", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    new = _clean_channels(person, channels)
    if not person.has_consent_or_account and any(c.kind in PERSONAL_CHANNEL_KINDS for c in new):
        raise ValidationError(_("Ohne Konto und ohne erfasste Einwilligung sind nur funktionale Erreichbarkeiten erlaubt "
                                "(Büro, Funktionspostfach, Funkrufname)."))
    old = [(c.kind, c.value, c.availability, c.audience, c.note) for c in person.channels.all()]
    if old == [(c.kind, c.value, c.availability, c.audience, c.note) for c in new]:
        return list(person.channels.all())
    person.channels.all().delete()
    Channel.objects.bulk_create(new)
    # Only kinds and counts go to the audit log: the numbers themselves are personal data.
    record(PeopleEvent.CHANNEL_CHANGED, acting_user=acting_user, obj=person,
           arten=sorted({c.kind for c in new}), anzahl=len(new), privat=sum(1 for c in new if c.is_private))
    return list(person.channels.all())


@transaction.atomic
def do_set_competences(person: Person, competences: list[tuple], *, acting_user) -> None:
    """Replace the entry's competences: (CompetenceArea, level, note) triples."""
    require_perm(acting_user, "people.change_person", person)
    if len(competences) > MAX_COMPETENCES:
        raise ValidationError(_("Höchstens %(n)d Kompetenzen je Eintrag.") % {"n": MAX_COMPETENCES})
    seen = set()
    rows = []
    for competence, level, note in competences:
        if not isinstance(competence, CompetenceArea) or competence.pk in seen:
            continue
        if level and level not in CompetenceLevel.values:
            raise ValidationError(_("Unbekannte Stufe der Kompetenz."))
        seen.add(competence.pk)
        rows.append(PersonCompetence(person=person, competence=competence, level=level or "",
                                     note=clean_text(note or "", field=_("Hinweis"), max_length=300)))
    before = set(person.competences.values_list("competence_id", flat=True))
    person.competences.all().delete()
    PersonCompetence.objects.bulk_create(rows)
    refresh_search_text([person])
    if before != seen:
        record(PeopleEvent.COMPETENCE_SET, acting_user=acting_user, obj=person,
               kompetenzen=sorted(c.code for c in CompetenceArea.objects.filter(pk__in=seen)))


@transaction.atomic
def do_set_languages(person: Person, codes: list[str], *, acting_user) -> None:
    require_perm(acting_user, "people.change_person", person)
    cleaned = []
    for code in codes:
        code = (code or "").strip().lower()
        if not code:
            continue
        if not code.isalpha() or len(code) > 3:
            raise ValidationError(_("„%(code)s“ ist kein Sprachkürzel (ISO 639-1, z. B. „en“).") % {"code": code[:20]})
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationError(_("Zu viele Sprachen."))
    if cleaned and not person.has_consent_or_account:
        raise ValidationError(_("Sprachen sind persönliche Angaben: zuerst die Einwilligung erfassen."))
    person.languages.all().delete()
    Language.objects.bulk_create([Language(person=person, code=code) for code in cleaned])
    refresh_search_text([person])
    record(PeopleEvent.PERSON_CHANGED, acting_user=acting_user, obj=person, felder=["languages"])


@transaction.atomic
def do_add_crisis_experience(person: Person, *, acting_user, crisis=None, label: str = "", role: str = "",
                             source: str = "manuell", consent: bool = False) -> CrisisExperience:
    require_perm(acting_user, "people.change_person", person)
    if not consent:
        raise ValidationError(_("Krisenerfahrungen werden nur mit Einwilligung der Person eingetragen."))
    if not person.has_consent_or_account:
        raise ValidationError(_("Krisenerfahrungen sind persönliche Angaben: zuerst die Einwilligung erfassen."))
    experience = CrisisExperience.objects.create(
        person=person, crisis=crisis, label=clean_text(label, field=_("Krise")), role=clean_text(role, field=_("Rolle")),
        source=source, consent=True)
    record(PeopleEvent.PERSON_CHANGED, acting_user=acting_user, obj=person, felder=["crises"])
    return experience


@transaction.atomic
def do_add_training(person: Person, *, acting_user, title: str, date=None, module=None, exercise=None):
    from .models import TrainingRecord

    require_perm(acting_user, "people.change_person", person)
    title = clean_text(title or (str(module or exercise or "")), field=_("Titel"), max_length=300)
    if not title:
        raise ValidationError(_("Bitte einen Titel angeben."))
    training = TrainingRecord.objects.create(person=person, title=title, date=date, module=module, exercise=exercise)
    record(PeopleEvent.PERSON_CHANGED, acting_user=acting_user, obj=person, felder=["trainings"])
    return training


@transaction.atomic
def do_take_over_platform_history(person: Person, *, acting_user) -> dict[str, int]:
    """The person takes what the platform knows into their own entry (their consent is the
    step itself): completed training modules and exercises they ran as trainings, and the
    crises of the Reflexionsräume they took part in as crisis experience."""
    from krisenwissen.learning.models import ExerciseRun, ModuleCompletion
    from krisenwissen.workshops.models import Participant

    from .models import ExperienceSource, TrainingRecord

    require_perm(acting_user, "people.take_over_history", person,
                 message=_("Nur die Person selbst übernimmt ihre Fortbildungen und Krisenerfahrungen."))
    account_id = person.account_id
    known_modules = set(person.trainings.exclude(module=None).values_list("module_id", flat=True))
    known_exercises = set(person.trainings.exclude(exercise=None).values_list("exercise_id", flat=True))
    trainings = []
    for completion in ModuleCompletion.objects.filter(user_id=account_id, completed_at__isnull=False).select_related("module"):
        if completion.module_id not in known_modules:
            known_modules.add(completion.module_id)
            trainings.append(TrainingRecord(person=person, title=completion.module.title[:300], module=completion.module,
                                            date=timezone.localdate(completion.completed_at)))
    for run in ExerciseRun.objects.filter(facilitator_id=account_id).select_related("exercise"):
        if run.exercise_id not in known_exercises:
            known_exercises.add(run.exercise_id)
            trainings.append(TrainingRecord(person=person, title=run.exercise.title[:300], exercise=run.exercise,
                                            date=timezone.localdate(run.started_at), note=_("Übung geleitet")))
    TrainingRecord.objects.bulk_create(trainings)
    known_labels = set(person.crises.values_list("label", flat=True))
    crises = []
    for participant in Participant.objects.filter(user_id=account_id).select_related("workshop__crisis"):
        workshop = participant.workshop
        label = str(workshop.crisis or workshop.title)[:200]
        if label not in known_labels:
            known_labels.add(label)
            crises.append(CrisisExperience(person=person, crisis=workshop.crisis, label=label,
                                           role=_("Teilnahme am Reflexionsraum „%(title)s“") % {"title": workshop.title[:150]},
                                           source=ExperienceSource.WORKSHOP, consent=True))
    CrisisExperience.objects.bulk_create(crises)
    counts = {"fortbildungen": len(trainings), "krisen": len(crises)}
    record(PeopleEvent.PERSON_CHANGED, acting_user=acting_user, obj=person, felder=["trainings", "crises"], **counts)
    return counts


@transaction.atomic
def do_confirm_entry(person: Person, *, acting_user, now: dt.datetime | None = None) -> Person:
    """„Eintrag bestätigen“: the data is current as of now."""
    require_perm(acting_user, "people.confirm_own_entry", person,
                 message=_("Einen Eintrag bestätigt die Person selbst (ohne Konto: wer ihn pflegt)."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.last_confirmed_at = now or timezone.now()
    person.reminded_at = None
    person.save(update_fields=["last_confirmed_at", "reminded_at", "updated_at"])
    record(PeopleEvent.ENTRY_CONFIRMED, acting_user=acting_user, obj=person)
    return person


@transaction.atomic
def do_set_leaving(person: Person, *, leaving_on: dt.date | None, reason: str = "", acting_user) -> Person:
    """S1/HR enters that a person leaves (retirement or move); None clears it."""
    require_perm(acting_user, "people.set_leaving", person,
                 message=_("Das Ausscheiden tragen S1 (Personal) oder die Administration der Kommune ein."))
    if leaving_on is not None and reason not in LeavingReason.values:
        raise ValidationError({"leaving_reason": _("Bitte den Grund angeben (Ruhestand, Wechsel, Sonstiges).")})
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.leaving_on = leaving_on
    person.leaving_reason = reason if leaving_on else ""
    person.save(update_fields=["leaving_on", "leaving_reason", "updated_at"])
    record(PeopleEvent.LEAVING_SET, acting_user=acting_user, obj=person,
           datum=leaving_on.isoformat() if leaving_on else None, grund=person.leaving_reason)
    return person


@transaction.atomic
def do_view_private_channels(person: Person, *, acting_user) -> list[Channel]:
    """The private channels of ``person`` for the person themself and S1/Leitung; audited."""
    from .selectors import private_channels_of

    require_perm(acting_user, "people.view_private_channels", person,
                 message=_("Private Erreichbarkeiten sehen nur die Person selbst und S1/Leitung des Stabs."))
    channels = private_channels_of(person)
    if channels:
        record(PeopleEvent.PRIVATE_CHANNELS_VIEWED, acting_user=acting_user, obj=person, anzahl=len(channels))
    return channels


@transaction.atomic
def do_create_organisation(municipality: Municipality, *, name: str, kind: str = OrganisationKind.VERWALTUNG,
                           parent: Organisation | None = None, short_name: str = "", acting_user) -> Organisation:
    require_perm(acting_user, "people.manage_directory", municipality)
    name = clean_text(name, field=_("Name"))
    if not name:
        raise ValidationError({"name": _("Bitte einen Namen angeben.")})
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Unbekannte Art.")})
    if parent is not None and parent.municipality_id != municipality.pk:
        raise ValidationError({"parent": _("Die übergeordnete Organisation gehört zu einer anderen Kommune.")})
    organisation, created = Organisation.objects.get_or_create(
        municipality=municipality, name=name, parent=parent, defaults={"kind": kind, "short_name": clean_text(short_name, field=_("Kurzname"))})
    if created:
        record(PeopleEvent.ORGANISATION_CREATED, acting_user=acting_user, obj=organisation, municipality=municipality)
    return organisation


@transaction.atomic
def do_create_function(municipality: Municipality, *, name: str, kind: str = FunctionKind.STAB, doctrine: str = "",
                       description: str = "", acting_user) -> Function:
    require_perm(acting_user, "people.manage_functions", municipality)
    name = clean_text(name, field=_("Bezeichnung"))
    errors = {}
    if not name:
        errors["name"] = _("Bitte eine Bezeichnung angeben.")
    if kind not in FunctionKind.values:
        errors["kind"] = _("Unbekannte Art.")
    if doctrine and doctrine not in Doctrine.values:
        errors["doctrine"] = _("Unbekannte Stabsfunktion.")
    if Function.objects.filter(municipality=municipality, name=name).exists():
        errors["name"] = _("Diese Funktion gibt es in der Kommune schon.")
    if errors:
        raise ValidationError(errors)
    function = Function.objects.create(municipality=municipality, name=name, kind=kind, doctrine=doctrine, description=description)
    record(PeopleEvent.FUNCTION_CREATED, acting_user=acting_user, obj=function, municipality=municipality)
    return function


@transaction.atomic
def do_assign_function(function: Function, person: Person, *, role: str = HolderRole.INHABER, acting_user) -> FunctionHolder:
    """``person`` holds ``function`` as Inhaber/in or Vertretung (same municipality only)."""
    require_perm(acting_user, "people.manage_functions", function)
    if person.municipality_id != function.municipality_id:
        raise ValidationError(_("Funktionen werden nur mit Personen der eigenen Kommune besetzt."))
    if role not in HolderRole.values:
        raise ValidationError(_("Unbekannte Rolle."))
    holder, _created = FunctionHolder.objects.update_or_create(function=function, person=person, defaults={"role": role})
    refresh_search_text([person])
    record(PeopleEvent.FUNCTION_HOLDER_SET, acting_user=acting_user, obj=function, municipality=function.municipality,
           person_id=person.pk, rolle=role)
    return holder


@transaction.atomic
def do_remove_function_holder(holder: FunctionHolder, *, acting_user) -> None:
    require_perm(acting_user, "people.manage_functions", holder.function)
    person = holder.person
    function = holder.function
    holder.delete()
    refresh_search_text([person])
    record(PeopleEvent.FUNCTION_HOLDER_REMOVED, acting_user=acting_user, obj=function, municipality=function.municipality,
           person_id=person.pk)


@transaction.atomic
def do_erase_person(person: Person, *, acting_user) -> None:
    """Delete the entry with its channels, competences, languages, trainings, crises and
    hand-overs (Art. 17 GDPR). The audit row names no personal data."""
    require_perm(acting_user, "people.erase_person", person)
    municipality = person.municipality
    pk = person.pk
    # Audit rows naming the entry are pseudonymised by signals.forget_audit_names.
    person.delete()
    record(PeopleEvent.PERSON_ERASED, acting_user=acting_user, municipality=municipality, person_id=pk)


# --- Wissensübergabe ------------------------------------------------------------------------


@transaction.atomic
def do_start_handover(person: Person, *, acting_user) -> Handover:
    """Open a Wissensübergabe with the checklist generated from what the platform knows."""
    require_perm(acting_user, "people.manage_handover", person,
                 message=_("Eine Wissensübergabe beginnen S1 (Personal) oder die Administration der Kommune."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.handovers.filter(status=HandoverStatus.OFFEN).exists():
        raise ValidationError(_("Für diese Person läuft schon eine Wissensübergabe."))
    handover = Handover.objects.create(person=person, created_by=person_of(acting_user),
                                       interview=[{"phase": q.phase, "question": q.text, "answer": ""}
                                                  for q in handover_plan.interview_guide()])
    items = []
    for order, planned in enumerate(handover_plan.checklist(person)):
        content_type, object_id = handover_plan.content_type_and_id(planned.target)
        items.append(HandoverItem(handover=handover, kind=planned.kind, label=str(planned.label)[:300],
                                  content_type=content_type, object_id=object_id, order=order))
    HandoverItem.objects.bulk_create(items)
    record(PeopleEvent.HANDOVER_STARTED, acting_user=acting_user, obj=handover, municipality=person.municipality,
           punkte=len(items))
    return handover


@transaction.atomic
def do_assign_successor(item: HandoverItem, *, successor: Person | None, acting_user, done: bool | None = None,
                        note: str | None = None) -> HandoverItem:
    handover = item.handover
    require_perm(acting_user, "people.manage_handover", handover)
    if handover.status != HandoverStatus.OFFEN:
        raise ValidationError(_("Die Wissensübergabe ist abgeschlossen."))
    if successor is not None and (successor.municipality_id != handover.person.municipality_id or successor.pk == handover.person_id):
        raise ValidationError(_("Die Nachfolge muss eine andere Person derselben Kommune sein."))
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    item.successor = successor
    if done is not None:
        item.done = done
    if note is not None:
        item.note = clean_text(note, field=_("Notiz"), max_length=2000) if "\n" not in note else note[:2000]
    item.save()
    record(PeopleEvent.HANDOVER_ITEM_CHANGED, acting_user=acting_user, obj=handover, municipality=handover.person.municipality,
           punkt=item.pk, nachfolge=successor.pk if successor else None, erledigt=item.done)
    return item


@transaction.atomic
def do_save_handover_interview(handover: Handover, answers: list[str], *, summary: str | None = None, acting_user) -> Handover:
    require_perm(acting_user, "people.manage_handover", handover)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != HandoverStatus.OFFEN:
        raise ValidationError(_("Die Wissensübergabe ist abgeschlossen."))
    interview = list(handover.interview or [])
    for entry, answer in zip(interview, answers, strict=False):
        entry["answer"] = (answer or "")[:10_000]
    handover.interview = interview
    if summary is not None:
        handover.summary = summary[:20_000]
    handover.save(update_fields=["interview", "summary"])
    record(PeopleEvent.HANDOVER_INTERVIEW_SAVED, acting_user=acting_user, obj=handover, municipality=handover.person.municipality)
    return handover


@transaction.atomic
def do_complete_handover(handover: Handover, *, acting_user) -> Handover:
    """Close the hand-over: every item has a successor or is marked handed over. Functions and
    deputyships pass to their successors; contacts get the successor's account as maintainer."""
    handover = Handover.objects.select_for_update(of=("self",)).select_related("person").get(pk=handover.pk)
    HANDOVER.check(acting_user, handover, "complete")
    open_items = [item.label for item in handover.items.all() if item.successor_id is None and not item.done]
    if open_items:
        raise ValidationError(_("Noch ohne Nachfolge: %(items)s. Bitte eine Nachfolge wählen oder als übergeben markieren.")
                              % {"items": "; ".join(open_items[:10])})
    passed = 0
    departing = handover.person
    for item in handover.items.select_related("successor", "content_type"):
        successor = item.successor
        if successor is None:
            continue
        target = item.target
        if item.kind in (HandoverItemKind.STABSFUNKTION, HandoverItemKind.VERTRETUNG) and isinstance(target, Function):
            role = HolderRole.INHABER if item.kind == HandoverItemKind.STABSFUNKTION else HolderRole.VERTRETUNG
            FunctionHolder.objects.filter(function=target, person=departing).delete()
            FunctionHolder.objects.update_or_create(function=target, person=successor, defaults={"role": role})
            passed += 1
        elif item.kind == HandoverItemKind.KONTAKT and isinstance(target, Person) and successor.account_id:
            Person.objects.filter(pk=target.pk).update(maintained_by=successor.account_id)
            passed += 1
        if not item.done:
            item.done = True
            item.save(update_fields=["done"])
    handover.completed_at = timezone.now()
    HANDOVER.apply(handover, "complete", acting_user=acting_user, update_fields=["completed_at"],
                   punkte=handover.items.count(), uebertragen=passed)
    refresh_search_text([departing, *{i.successor for i in handover.items.select_related("successor") if i.successor}])
    return handover
