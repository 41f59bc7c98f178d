"""Every state change of the knowledge base: one transaction, one audit row each."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import has_role
from krisenwissen.core.audit import record

from .models import VISIBILITY_RANK, KnowledgeItem, PublicationReview, ReviewStatus, Visibility
from .names import find_personal_data


def _require(user, municipality_id, role) -> None:
    if not has_role(user, municipality_id, role):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung in dieser Kommune."))


@transaction.atomic
def do_create_item(model: type[KnowledgeItem], *, municipality, fields: dict, codes=(), links: dict | None = None, acting_user):
    """Create a knowledge item at visibility ``intern``; raising it later goes through review."""
    _require(acting_user, municipality.pk, Role.MITWIRKENDE)
    fields = {k: v for k, v in fields.items() if k != "visibility"}
    item = model(municipality=municipality, created_by=acting_user if acting_user.is_authenticated else None,
                 visibility=Visibility.INTERN, **fields)
    item.full_clean()
    item.save()
    item.codes.set(codes)
    for name, values in (links or {}).items():
        getattr(item, name).set(values)
    record(f"{model.kind_key}_erstellt", acting_user=acting_user, obj=item)
    return item


@transaction.atomic
def do_update_item(item: KnowledgeItem, *, fields: dict, codes=None, links: dict | None = None, acting_user):
    """Change an item's content. Visibility is not changed here."""
    _require(acting_user, item.municipality_id, Role.MITWIRKENDE)
    changed = sorted(k for k, v in fields.items() if k != "visibility" and getattr(item, k) != v)
    for key, value in fields.items():
        if key != "visibility":
            setattr(item, key, value)
    item.full_clean()
    item.save()
    if codes is not None:
        item.codes.set(codes)
    for name, values in (links or {}).items():
        getattr(item, name).set(values)
    record(f"{item.kind_key}_geaendert", acting_user=acting_user, obj=item, fields=changed)
    return item


def review_flags(item: KnowledgeItem) -> list[dict]:
    """Personal data found in the item's text, as stored on the review."""
    text = f"{item.display_title}\n{item.body_text}"
    if hasattr(item, "contact") and item.contact:
        text += f"\n{item.contact}"
    return [{"kind": f.kind, "label": f.label, "text": f.text} for f in find_personal_data(text)]


@transaction.atomic
def do_request_publication(item: KnowledgeItem, visibility: str, *, acting_user) -> PublicationReview | None:
    """Ask to raise an item's visibility, or lower it at once.

    Raising (intern → Netzwerk → öffentlich) creates a review for Redaktion with the personal
    data found in the text; the item stays as it is until a reviewer confirms. Lowering takes
    effect immediately because it can only reduce exposure.
    """
    _require(acting_user, item.municipality_id, Role.MITWIRKENDE)
    if visibility not in Visibility.values:
        raise ValidationError(_("Unbekannte Sichtbarkeit."))
    if VISIBILITY_RANK[visibility] <= VISIBILITY_RANK[item.visibility]:
        if visibility != item.visibility:
            old = item.visibility
            item.visibility = visibility
            item.save(update_fields=["visibility", "updated_at"])
            record("sichtbarkeit_gesenkt", acting_user=acting_user, obj=item, old=old, new=visibility)
        return None
    content_type = ContentType.objects.get_for_model(item)
    existing = PublicationReview.objects.select_for_update().filter(
        content_type=content_type, object_id=item.pk, status=ReviewStatus.OFFEN
    ).first()
    if existing:
        existing.requested_visibility = visibility
        existing.flags = review_flags(item)
        existing.requested_by = acting_user
        existing.save()
        review = existing
    else:
        review = PublicationReview.objects.create(
            content_type=content_type, object_id=item.pk, municipality_id=item.municipality_id,
            requested_visibility=visibility, requested_by=acting_user, flags=review_flags(item),
        )
    record("freigabe_beantragt", acting_user=acting_user, obj=item, visibility=visibility, review=review.pk)
    from .tasks import notify_reviewers

    review_id = review.pk
    transaction.on_commit(lambda: notify_reviewers.enqueue(review_id))
    return review


@transaction.atomic
def do_confirm_publication(review: PublicationReview, *, acting_user, note: str = "") -> KnowledgeItem:
    """Redaktion confirms: the item takes the requested visibility."""
    review = PublicationReview.objects.select_for_update().get(pk=review.pk)
    _require(acting_user, review.municipality_id, Role.REDAKTION)
    if review.status != ReviewStatus.OFFEN:
        raise ValidationError(_("Über diese Freigabe wurde bereits entschieden."))
    item = review.item
    old = item.visibility
    item.visibility = review.requested_visibility
    item.save(update_fields=["visibility", "updated_at"])
    review.status = ReviewStatus.FREIGEGEBEN
    review.reviewer = acting_user
    review.decided_at = timezone.now()
    review.note = note
    review.save()
    record("freigabe_erteilt", acting_user=acting_user, obj=item, old=old, new=item.visibility, review=review.pk)
    return item


@transaction.atomic
def do_reject_publication(review: PublicationReview, *, acting_user, note: str) -> PublicationReview:
    """Redaktion rejects with a reason; the item keeps its visibility."""
    review = PublicationReview.objects.select_for_update().get(pk=review.pk)
    _require(acting_user, review.municipality_id, Role.REDAKTION)
    if review.status != ReviewStatus.OFFEN:
        raise ValidationError(_("Über diese Freigabe wurde bereits entschieden."))
    if not note.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    review.status = ReviewStatus.ABGELEHNT
    review.reviewer = acting_user
    review.decided_at = timezone.now()
    review.note = note
    review.save()
    record("freigabe_abgelehnt", acting_user=acting_user, obj=review.item, review=review.pk, note=note)
    return review


@transaction.atomic
def do_create_code(*, scheme, key: str, name: str, parent=None, description: str = "", acting_user):
    """Add a code to the shared code book (platform administrators only)."""
    from .models import Code

    if not (acting_user.is_authenticated and acting_user.is_superuser):
        raise PermissionDenied(_("Nur die Plattform-Administration pflegt das Codebuch."))
    if parent is not None and parent.scheme_id != scheme.pk:
        raise ValidationError(_("Der übergeordnete Code gehört zu einem anderen Schema."))
    code = Code(scheme=scheme, key=key, name=name, parent=parent, description=description)
    code.full_clean()
    code.save()
    record("code_angelegt", acting_user=acting_user, obj=code, scheme=scheme.key)
    return code


@transaction.atomic
def do_ensure_source(*, kind: str, title: str, municipality, defaults: dict | None = None, acting_user):
    """The source of this kind and title, created (with ``defaults``) if it does not exist yet.

    Sources are shared citations (a workshop, an interview series, a report); anyone who may
    contribute in ``municipality`` may register one, e.g. when turning workshop cards into
    observations. Only a newly created source writes an audit row.
    """
    from .models import Source

    _require(acting_user, municipality.pk, Role.MITWIRKENDE)
    source = Source.objects.filter(kind=kind, title=title).order_by("pk").first()
    if source is not None:
        return source
    source = Source(kind=kind, title=title, **(defaults or {}))
    source.full_clean()
    source.save()
    record("quelle_angelegt", acting_user=acting_user, obj=source, municipality=municipality, art=kind)
    return source


# --- lesson lifecycle ----------------------------------------------------------------------
#
# Observation: Entwurf → eingereicht → geprüft | abgelehnt (with reason; may be resubmitted).
# Lesson: erkannt → bestätigt → Maßnahmen in Umsetzung → überprüft → verankert → archiviert |
# ersetzt. A verankert lesson is validated again at its re-check date (→ überprüft →
# verankert with a new date). Every transition writes one audit row; the rows are the history.


def _lock(item):
    return type(item).objects.select_for_update().get(pk=item.pk)


def _transition_error(item, allowed_from) -> ValidationError:
    choices = dict(type(item)._meta.get_field("status").choices)
    labels = ", ".join(f"„{choices[s]}“" for s in allowed_from)
    return ValidationError(
        _("Dieser Schritt ist im Status „%(status)s“ nicht möglich (nur aus: %(allowed)s).")
        % {"status": item.get_status_display(), "allowed": labels}
    )


@transaction.atomic
def do_submit_observation(observation, *, acting_user):
    """Entwurf (or abgelehnt) → eingereicht. Returns the observation; quality hints are advisory."""
    from .models import ObservationStatus
    from .quality import quality_hints

    observation = _lock(observation)
    _require(acting_user, observation.municipality_id, Role.MITWIRKENDE)
    allowed = (ObservationStatus.ENTWURF, ObservationStatus.ABGELEHNT)
    if observation.status not in allowed:
        raise _transition_error(observation, allowed)
    old = observation.status
    observation.status = ObservationStatus.EINGEREICHT
    observation.rejection_reason = ""
    observation.save(update_fields=["status", "rejection_reason", "updated_at"])
    hints = [h.code for h in quality_hints(observation.text)]
    record("beobachtung_eingereicht", acting_user=acting_user, obj=observation, old=old, new=observation.status, hinweise=hints)
    _notify_members(observation, Role.MODERATION, exclude=acting_user,
                    subject=_("Beobachtung zur Prüfung eingereicht"),
                    body=_("Eine Beobachtung der Kommune %(city)s wartet auf Ihre Prüfung: %(item)s")
                    % {"city": observation.municipality.name, "item": observation})
    return observation


def _notify_members(item, minimum_role, *, exclude, subject, body) -> None:
    """In-app notification (and e-mail) to the members of the item's own municipality with a role."""
    from krisenwissen.accounts.selectors import members_with_role
    from krisenwissen.core.notifications import notify

    people = members_with_role(item.municipality_id, minimum_role)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    people = list(people)
    if people:
        notify(people, subject=subject, body=body, url=item.get_absolute_url())


@transaction.atomic
def do_review_observation(observation, *, accept: bool, reason: str = "", acting_user):
    """eingereicht → geprüft, or → abgelehnt with a reason (Moderation of the municipality)."""
    from .models import ObservationStatus

    observation = _lock(observation)
    _require(acting_user, observation.municipality_id, Role.MODERATION)
    if observation.status != ObservationStatus.EINGEREICHT:
        raise _transition_error(observation, [ObservationStatus.EINGEREICHT])
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    old = observation.status
    observation.status = ObservationStatus.GEPRUEFT if accept else ObservationStatus.ABGELEHNT
    observation.rejection_reason = "" if accept else reason
    observation.save(update_fields=["status", "rejection_reason", "updated_at"])
    record("beobachtung_geprueft" if accept else "beobachtung_abgelehnt", acting_user=acting_user, obj=observation,
           old=old, new=observation.status, **({"grund": reason} if not accept else {}))
    author = observation.created_by
    if not accept and author is not None and author != acting_user and has_role(author, observation.municipality_id, Role.LESER):
        from krisenwissen.core.notifications import notify

        notify([author], subject=_("Beobachtung abgelehnt"), url=observation.get_absolute_url(),
               body=_("Ihre Beobachtung wurde abgelehnt. Begründung: %(reason)s") % {"reason": reason})
    return observation


def _set_lesson_status(lesson, new, *, acting_user, action: str, fields=(), **details):
    old = lesson.status
    lesson.status = new
    lesson.save(update_fields=["status", "updated_at", *fields])
    record(action, acting_user=acting_user, obj=lesson, old=old, new=new, **details)
    return lesson


@transaction.atomic
def do_endorse_lesson(lesson, *, note: str = "", acting_user):
    """erkannt → bestätigt: the responsible role (Redaktion of the municipality) endorses it."""
    from .models import LessonStatus

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.REDAKTION)
    if lesson.status != LessonStatus.ERKANNT:
        raise _transition_error(lesson, [LessonStatus.ERKANNT])
    lesson.status_note = note.strip()
    return _set_lesson_status(lesson, LessonStatus.BESTAETIGT, acting_user=acting_user, action="erkenntnis_bestaetigt",
                              fields=["status_note"], note=lesson.status_note)


@transaction.atomic
def do_start_lesson_implementation(lesson, *, acting_user, reason: str = ""):
    """bestätigt → Maßnahmen in Umsetzung (also triggered when an action is decided)."""
    from .models import LessonStatus

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.MITWIRKENDE)
    if lesson.status == LessonStatus.IN_UMSETZUNG:
        return lesson
    if lesson.status != LessonStatus.BESTAETIGT:
        raise _transition_error(lesson, [LessonStatus.BESTAETIGT])
    return _set_lesson_status(lesson, LessonStatus.IN_UMSETZUNG, acting_user=acting_user,
                              action="erkenntnis_in_umsetzung", reason=reason)


@transaction.atomic
def do_validate_lesson(lesson, *, date, method: str, result: str, acting_user, evidence: str = ""):
    """Maßnahmen in Umsetzung (or verankert, at its re-check) → überprüft, with date, method, result."""
    from .models import LessonStatus, ValidationMethod

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.MITWIRKENDE)
    allowed = (LessonStatus.IN_UMSETZUNG, LessonStatus.VERANKERT)
    if lesson.status not in allowed:
        raise _transition_error(lesson, allowed)
    errors = {}
    if date is None:
        errors["date"] = _("Bitte geben Sie das Datum der Überprüfung an.")
    elif date > timezone.localdate():
        errors["date"] = _("Eine Überprüfung kann nicht in der Zukunft liegen.")
    if method not in ValidationMethod.values:
        errors["method"] = _("Bitte wählen Sie die Art der Überprüfung.")
    if not (result or "").strip():
        errors["result"] = _("Bitte beschreiben Sie das Ergebnis der Überprüfung.")
    if errors:
        raise ValidationError(errors)
    lesson.validated_on = date
    lesson.validation_method = method
    lesson.validation_result = result.strip()
    return _set_lesson_status(
        lesson, LessonStatus.UEBERPRUEFT, acting_user=acting_user, action="erkenntnis_ueberprueft",
        fields=["validated_on", "validation_method", "validation_result"],
        datum=date.isoformat(), methode=method, ergebnis=lesson.validation_result, beleg=evidence,
    )


@transaction.atomic
def do_embed_lesson(lesson, *, recheck_due, acting_user, note: str = ""):
    """überprüft → verankert with the date of the next re-check (Redaktion)."""
    from .models import LessonStatus

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.REDAKTION)
    if lesson.status != LessonStatus.UEBERPRUEFT:
        raise _transition_error(lesson, [LessonStatus.UEBERPRUEFT])
    if recheck_due is None:
        raise ValidationError({"recheck_due": _("Bitte legen Sie fest, wann die Verankerung erneut überprüft wird.")})
    if recheck_due <= timezone.localdate():
        raise ValidationError({"recheck_due": _("Die nächste Überprüfung muss in der Zukunft liegen.")})
    lesson.recheck_due = recheck_due
    lesson.status_note = note.strip()
    return _set_lesson_status(lesson, LessonStatus.VERANKERT, acting_user=acting_user, action="erkenntnis_verankert",
                              fields=["recheck_due", "status_note"], naechste_pruefung=recheck_due.isoformat())


@transaction.atomic
def do_archive_lesson(lesson, *, reason: str, acting_user):
    """Any open state → archiviert, with a reason (Redaktion)."""
    from .models import LessonStatus

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.REDAKTION)
    if lesson.status in (LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT):
        raise ValidationError(_("Die Erkenntnis ist bereits abgeschlossen."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Archivierung.")})
    lesson.status_note = reason.strip()
    return _set_lesson_status(lesson, LessonStatus.ARCHIVIERT, acting_user=acting_user, action="erkenntnis_archiviert",
                              fields=["status_note"], grund=lesson.status_note)


@transaction.atomic
def do_replace_lesson(lesson, *, replacement, reason: str = "", acting_user):
    """lesson → ersetzt by ``replacement``. Circular chains (A ersetzt B ersetzt A) are refused."""
    from .models import Lesson, LessonStatus

    lesson = _lock(lesson)
    _require(acting_user, lesson.municipality_id, Role.REDAKTION)
    if lesson.status in (LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT):
        raise ValidationError(_("Die Erkenntnis ist bereits abgeschlossen."))
    if replacement is None or replacement.pk == lesson.pk:
        raise ValidationError({"replacement": _("Eine Erkenntnis kann sich nicht selbst ersetzen.")})
    from .selectors import visible

    if not visible(Lesson, acting_user).filter(pk=replacement.pk).exists():
        raise ValidationError({"replacement": _("Sie können nur durch eine Erkenntnis ersetzen, die Sie lesen dürfen.")})
    # Walk the replacement's own chain; meeting ``lesson`` would close a circle.
    seen = {replacement.pk}
    current = replacement.replaced_by_id
    while current is not None:
        if current == lesson.pk or current in seen:
            raise ValidationError({"replacement": _(
                "Zirkulärer Verweis: „%(other)s“ wird bereits (mittelbar) durch diese Erkenntnis ersetzt."
            ) % {"other": replacement.title}})
        seen.add(current)
        current = Lesson.objects.filter(pk=current).values_list("replaced_by_id", flat=True).first()
    lesson.replaced_by = replacement
    lesson.status_note = (reason or "").strip()
    return _set_lesson_status(lesson, LessonStatus.ERSETZT, acting_user=acting_user, action="erkenntnis_ersetzt",
                              fields=["replaced_by", "status_note"], ersetzt_durch=replacement.pk,
                              ersetzt_durch_titel=replacement.title)


@transaction.atomic
def do_create_crisis(*, title: str, hazard_type: str, start=None, description: str = "", acting_user):
    """Create a crisis (Redaktion in some municipality, or platform administration)."""
    from krisenwissen.accounts.selectors import municipalities_with_role

    from .models import Crisis

    if not (acting_user.is_authenticated and (acting_user.is_superuser
                                              or municipalities_with_role(acting_user, Role.REDAKTION).exists())):
        raise PermissionDenied(_("Krisen legt die Redaktion oder die Administration an."))
    crisis = Crisis(title=(title or "").strip(), hazard_type=(hazard_type or "").strip(), start=start,
                    description=(description or "").strip())
    crisis.full_clean()
    crisis.save()
    record("krise_angelegt", acting_user=acting_user, obj=crisis, gefahrenart=crisis.hazard_type)
    return crisis
