"""Every state change of the knowledge base: one transaction, one audit row each.

Each action enforces a named permission of ``knowledge.rules`` (``require_perm``) or takes a
step of a lifecycle declared in ``knowledge.lifecycles`` (``LIFECYCLE.apply``, which checks the
permission and the source state, audits and runs the step's side effects).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import person, require_perm

from . import revisions
from .events import KnowledgeEvent
from .lifecycles import LESSON, OBSERVATION_REVIEW, PUBLICATION_REVIEW
from .models import (
    REVIEW_TEXT_FIELDS,
    VISIBILITY_RANK,
    Code,
    Crisis,
    KnowledgeItem,
    Lesson,
    LessonStatus,
    PublicationReview,
    ReviewStatus,
    Source,
    ValidationMethod,
    Visibility,
)
from .names import find_personal_data, is_redaction
from .quality import quality_hints
from .selectors import visible
from .tasks import notify_reviewers

IN_MUNICIPALITY = gettext_lazy("Dafür fehlt Ihnen die Berechtigung in dieser Kommune.")


@transaction.atomic
def do_create_item(model: type[KnowledgeItem], *, municipality, fields: dict, codes=(), links: dict | None = None, acting_user):
    """Create a knowledge item at visibility ``intern``; raising it later goes through review."""
    require_perm(acting_user, "knowledge.add_item", municipality, message=IN_MUNICIPALITY)
    fields = {k: v for k, v in fields.items() if k != "visibility"}
    item = model(municipality=municipality, created_by=person(acting_user),
                 visibility=Visibility.INTERN, **fields)
    item.full_clean()
    item.save()
    item.codes.set(codes)
    for name, values in (links or {}).items():
        getattr(item, name).set(values)
    record(KnowledgeEvent.created(model.kind_key), acting_user=acting_user, obj=item)
    return item


@transaction.atomic
def do_update_item(item: KnowledgeItem, *, fields: dict, codes=None, links: dict | None = None, acting_user):
    """Change an item's content. Visibility is not changed here.

    An internal item changes at once. A published item (Netzwerk or öffentlich) keeps its
    approved content: the change becomes a pending revision on the item's open publication
    review (created if needed, merged into an open one) that Redaktion approves or rejects,
    so nothing unreviewed reaches pages, lists, exports, search or the API.
    """
    require_perm(acting_user, f"knowledge.change_{item.kind_key}", item, message=IN_MUNICIPALITY)
    item = _lock(item)
    fields = {k: v for k, v in fields.items() if k != "visibility"}
    if item.visibility == Visibility.INTERN:
        return _update_internal_item(item, fields=fields, codes=codes, links=links, acting_user=acting_user)
    candidate = revisions.proposed(item, {})
    for key, value in fields.items():
        setattr(candidate, key, value)
    candidate.full_clean()
    changes = revisions.serialise_changes(item, fields=fields, codes=codes, links=links)
    _hold_revision(item, changes, acting_user=acting_user)
    return item


def _hold_revision(item, changes: dict, *, acting_user) -> PublicationReview | None:
    """Put ``changes`` of a published item on its open review (created if needed) for Redaktion;
    returns the review, or None when nothing changes."""
    review = _open_review(item)
    if review is None and not revisions.changed_field_names(item, changes):
        return None  # nothing changed: no review
    created = review is None
    if created:
        review = PublicationReview(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
            municipality_id=item.municipality_id, requested_visibility=item.visibility,
        )
    review.changes = revisions.merge_changes(review.changes, changes)
    review.requested_by = person(acting_user)
    review.authors = _with_author(review.authors, acting_user)
    review.flags = review_flags(revisions.proposed(item, review.changes))
    review.save()
    record(KnowledgeEvent.REVISION_REQUESTED, acting_user=acting_user, obj=item,
           fields=revisions.changed_field_names(item, review.changes), review=review.pk)
    if created:  # a further edit of a waiting revision sends no further mail
        review_id = review.pk
        transaction.on_commit(lambda: notify_reviewers.enqueue(review_id))
    return review


def _update_internal_item(item, *, fields, codes, links, acting_user):
    changed = sorted(k for k, v in fields.items() if getattr(item, k) != v)
    for key, value in fields.items():
        setattr(item, key, value)
    item.full_clean()
    item.save()
    if codes is not None:
        item.codes.set(codes)
    for name, values in (links or {}).items():
        getattr(item, name).set(values)
    record(KnowledgeEvent.changed(item.kind_key), acting_user=acting_user, obj=item, fields=changed)
    review = _open_review(item)
    if review is not None:
        # A publication request is open: the reviewer must see the flags of the text as it is now.
        review.flags = review_flags(revisions.proposed(item, review.changes))
        review.authors = _with_author(review.authors, acting_user)
        review.save(update_fields=["flags", "authors"])
    return item


def _open_review(item) -> PublicationReview | None:
    return PublicationReview.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, status=ReviewStatus.OFFEN
    ).first()


def _with_author(authors, *people) -> list[int]:
    """The review's authors plus ``people`` (users; the system and anonymous are no authors)."""
    ids = set(authors or [])
    ids.update(p.pk for p in people if getattr(p, "pk", None) is not None and person(p) is not None)
    return sorted(ids)


def review_flags(item: KnowledgeItem) -> list[dict]:
    """Personal data found in the item's text, as stored on the review."""
    text = f"{item.display_title}\n{item.body_text}"
    for name in LESSON_STEP_TEXTS:  # the free texts of lesson steps (see ``_step_texts``)
        if getattr(item, name, ""):
            text += f"\n{getattr(item, name)}"
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
    require_perm(acting_user, f"knowledge.change_{item.kind_key}", item, message=IN_MUNICIPALITY)
    if visibility not in Visibility.values:
        raise ValidationError(_("Unbekannte Sichtbarkeit."))
    item = _lock(item)
    existing = _open_review(item)
    if VISIBILITY_RANK[visibility] <= VISIBILITY_RANK[item.visibility]:
        if visibility != item.visibility:
            old = item.visibility
            item.visibility = visibility
            item.save(update_fields=["visibility", "updated_at"])
            record(KnowledgeEvent.VISIBILITY_LOWERED, acting_user=acting_user, obj=item, old=old, new=visibility)
            if visibility == Visibility.INTERN and existing is not None and existing.changes:
                # Back to intern, nothing is exposed: a pending revision takes effect at once.
                fields = revisions.apply_changes(item, existing.changes)
                record(KnowledgeEvent.changed(item.kind_key), acting_user=acting_user, obj=item, fields=fields,
                       review=existing.pk)
                existing.changes = {}
                existing.flags = review_flags(item)
                existing.save(update_fields=["changes", "flags"])
        return None
    if existing:
        existing.requested_visibility = visibility
        existing.flags = review_flags(revisions.proposed(item, existing.changes))
        existing.requested_by = person(acting_user)
        existing.authors = _with_author(existing.authors, acting_user)
        existing.save()
        review = existing
    else:
        review = PublicationReview.objects.create(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
            municipality_id=item.municipality_id, requested_visibility=visibility, requested_by=person(acting_user),
            flags=review_flags(item),
            # Four-eyes: neither the requester nor the item's author approves its first publication.
            authors=_with_author([], acting_user, *([item.created_by] if item.created_by_id else [])),
        )
    record(KnowledgeEvent.PUBLICATION_REQUESTED, acting_user=acting_user, obj=item, visibility=visibility, review=review.pk)
    review_id = review.pk
    transaction.on_commit(lambda: notify_reviewers.enqueue(review_id))
    return review


def _check_open(review: PublicationReview, step: str, acting_user) -> None:
    """The permission first, then "already decided" (the message people know)."""
    try:
        PUBLICATION_REVIEW.check(acting_user, review, step)
    except ValidationError:
        raise ValidationError(_("Über diese Freigabe wurde bereits entschieden.")) from None


@transaction.atomic
def do_confirm_publication(review: PublicationReview, *, acting_user, note: str = "", flags_reason: str = "") -> KnowledgeItem:
    """Redaktion confirms: a pending revision is published and the item takes the requested
    visibility (effects of the step). Under the four-eyes principle of the municipality, no one
    who requested the publication or wrote the revision may confirm it.

    Possible personal data in the text (``review_flags``, computed afresh) blocks the approval
    until the text is edited (``do_edit_text_under_review``) or the reviewer gives a reason why
    it may be published anyway (``flags_reason``: stored on the review and in the audit row)."""
    review = PublicationReview.objects.select_for_update().get(pk=review.pk)
    _check_open(review, "approve", acting_user)
    item = review.item
    flags = review_flags(revisions.proposed(item, review.changes))
    flags_reason = (flags_reason or "").strip()
    if flags and not flags_reason:
        raise ValidationError({"flags_reason": _(
            "Der Text enthält mögliche personenbezogene Daten. Bearbeiten Sie den Text oder begründen Sie, "
            "warum er trotzdem veröffentlicht werden kann.")})
    review.flags = flags
    review.flags_reason = flags_reason if flags else ""
    review.reviewer = person(acting_user)
    review.decided_at = timezone.now()
    review.note = note
    details = {"note": note}
    if flags:
        details.update(hinweise=len(flags), begruendung_hinweise=flags_reason)
    PUBLICATION_REVIEW.apply(review, "approve", acting_user=acting_user,
                             update_fields=["reviewer", "decided_at", "note", "flags", "flags_reason"], **details)
    item = review.item
    item.refresh_from_db()
    return item


@transaction.atomic
def do_edit_text_under_review(review: PublicationReview, *, fields: dict, acting_user) -> PublicationReview:
    """Redaktion edits the text under review on the review page (e.g. removes a flagged name).

    An internal item changes at once; for a published item the edit goes into the review's
    pending revision (nothing unreviewed reaches readers). The flags are computed afresh. The
    audit row names the changed fields, not the removed text, and the requester is notified.

    Four eyes: a redaction (``names.is_redaction``: words removed anywhere; words added only in
    place of found personal data, a few per place, or placeholders such as "[Name entfernt]")
    does not make the reviewer an author, so a flagged name can be removed and published in one
    review: the requester asked for this text, the reviewer only narrows it. Any other edit adds
    the reviewer to the review's authors, and another member of the Redaktion must then decide.
    """
    review = PublicationReview.objects.select_for_update().get(pk=review.pk)
    require_perm(acting_user, "knowledge.decide_publication", review, message=IN_MUNICIPALITY)
    if review.status != ReviewStatus.OFFEN:
        raise ValidationError(_("Über diese Freigabe wurde bereits entschieden."))
    item = _lock(review.item)
    allowed = REVIEW_TEXT_FIELDS[item.kind_key]
    fields = {name: (value or "").strip() if isinstance(value, str) else value
              for name, value in fields.items() if name in allowed}
    candidate = revisions.proposed(item, review.changes)
    changed = sorted(name for name, value in fields.items() if getattr(candidate, name) != value)
    if not changed:
        return review
    redaction = all(is_redaction(str(getattr(candidate, name) or ""), str(fields[name] or "")) for name in changed)
    for name in changed:
        setattr(candidate, name, fields[name])
    candidate.full_clean()
    if item.visibility == Visibility.INTERN:
        for name in changed:
            setattr(item, name, fields[name])
        item.save()
    else:
        review.changes = revisions.merge_changes(
            review.changes, revisions.serialise_changes(item, fields={name: fields[name] for name in changed}))
    review.flags = review_flags(revisions.proposed(item, review.changes))
    if not redaction:
        review.authors = _with_author(review.authors, acting_user)
    review.save(update_fields=["changes", "flags", "authors"])
    record(KnowledgeEvent.REVIEW_TEXT_EDITED, acting_user=acting_user, obj=item, fields=changed, review=review.pk,
           hinweise=len(review.flags), redaction=redaction)
    # The requester learns that the Redaktion changed the text they asked to publish.
    requester = review.requested_by
    if requester is not None and requester.pk != getattr(acting_user, "pk", None):
        notify([requester], subject=_("Redaktion hat den Text bei der Freigabe geändert"), url=item.get_absolute_url(),
               body=_("Die Redaktion hat bei der Freigabeprüfung den Text Ihres Eintrags geändert "
                      "(z. B. einen Personennamen entfernt): %(item)s") % {"item": item.display_title})
    return review


@transaction.atomic
def do_reject_publication(review: PublicationReview, *, acting_user, note: str) -> PublicationReview:
    """Redaktion rejects with a reason; the item keeps its visibility."""
    review = PublicationReview.objects.select_for_update().get(pk=review.pk)
    _check_open(review, "reject", acting_user)
    if not note.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    review.reviewer = person(acting_user)
    review.decided_at = timezone.now()
    review.note = note
    return PUBLICATION_REVIEW.apply(review, "reject", acting_user=acting_user,
                                    update_fields=["reviewer", "decided_at", "note"], note=note)


@transaction.atomic
def do_create_code(*, scheme, key: str, name: str, parent=None, description: str = "", acting_user):
    """Add a code to the shared code book (platform administrators only)."""
    require_perm(acting_user, "knowledge.add_code", message=_("Nur die Plattform-Administration pflegt das Codebuch."))
    if parent is not None and parent.scheme_id != scheme.pk:
        raise ValidationError(_("Der übergeordnete Code gehört zu einem anderen Schema."))
    code = Code(scheme=scheme, key=key, name=name, parent=parent, description=description)
    code.full_clean()
    code.save()
    record(KnowledgeEvent.CODE_CREATED, acting_user=acting_user, obj=code, scheme=scheme.key)
    return code


CODEBOOK_ONLY_ADMINS = gettext_lazy("Nur die Plattform-Administration pflegt das Codebuch.")


def _is_below(code: Code, ancestor: Code) -> bool:
    """``code`` is ``ancestor`` or lies in its subtree."""
    seen = set()
    node = code
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def do_rename_code(code: Code, *, name: str, description: str | None = None, acting_user) -> Code:
    """Rename a code (its key, its codings and its uses stay)."""
    require_perm(acting_user, "knowledge.add_code", message=CODEBOOK_ONLY_ADMINS)
    code = Code.objects.select_for_update().get(pk=code.pk)
    old = code.name
    code.name = (name or "").strip()
    if description is not None:
        code.description = description
    code.full_clean()
    code.save()
    record(KnowledgeEvent.CODE_RENAMED, acting_user=acting_user, obj=code, old=old, new=code.name)
    return code


@transaction.atomic
def do_move_code(code: Code, *, parent: Code | None, acting_user) -> Code:
    """Give a code another parent in its scheme (None: top level); its subtree moves with it."""
    require_perm(acting_user, "knowledge.add_code", message=CODEBOOK_ONLY_ADMINS)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if parent is not None:
        if parent.scheme_id != code.scheme_id:
            raise ValidationError(_("Der übergeordnete Code gehört zu einem anderen Schema."))
        if _is_below(parent, code):
            raise ValidationError(_("Ein Code kann nicht unter sich selbst oder einen seiner Untercodes verschoben werden."))
    old_parent = code.parent.name if code.parent_id else ""
    code.parent = parent
    code.save(update_fields=["parent"])
    record(KnowledgeEvent.CODE_MOVED, acting_user=acting_user, obj=code, old_parent=old_parent,
           new_parent=parent.name if parent else "")
    return code


def _repoint(model, field, source: Code, target: Code) -> None:
    """Rows of ``model`` whose ``field`` points at ``source`` point at ``target`` afterwards; rows
    that would then duplicate an existing row under a unique constraint are dropped instead."""
    from django.db.models import UniqueConstraint

    manager = model._base_manager
    rows = manager.filter(**{field.name: source})
    uniques = [tuple(c.fields) for c in model._meta.constraints
               if isinstance(c, UniqueConstraint) and c.condition is None and field.name in c.fields]
    uniques += [tuple(ut) for ut in model._meta.unique_together if field.name in ut]
    for fields in uniques:
        others = [model._meta.get_field(f).attname for f in fields if f != field.name]
        for row in rows.values("pk", *others):
            if manager.filter(**{field.name: target}, **{f: row[f] for f in others}).exists():
                manager.filter(pk=row["pk"]).delete()
    rows.update(**{field.name: target})


@transaction.atomic
def do_merge_codes(source: Code, *, into: Code, acting_user) -> Code:
    """Merge ``source`` into ``into``: everything that used ``source`` (codings, knowledge items,
    learning contents, workshops, search rows, memos, child codes) uses ``into``; ``source`` is deleted."""
    require_perm(acting_user, "knowledge.add_code", message=CODEBOOK_ONLY_ADMINS)
    source = Code.objects.select_for_update().get(pk=source.pk)
    into = Code.objects.select_for_update().get(pk=into.pk)
    if source.pk == into.pk:
        raise ValidationError(_("Ein Code kann nicht mit sich selbst zusammengeführt werden."))
    if source.scheme_id != into.scheme_id:
        raise ValidationError(_("Nur Codes desselben Schemas können zusammengeführt werden."))
    if _is_below(into, source):
        raise ValidationError(_("Ein Code kann nicht in einen seiner Untercodes zusammengeführt werden."))
    source.children.update(parent=into)
    for relation in Code._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        if relation.many_to_many:
            continue  # the through model's foreign key to Code comes as its own many-to-one relation
        if relation.related_model is Code or relation.one_to_one:
            continue  # parent → children: done above; one-to-one extras are deleted with the source
        _repoint(relation.related_model, relation.field, source, into)
    name = source.name
    source.delete()
    record(KnowledgeEvent.CODES_MERGED, acting_user=acting_user, obj=into, merged=name)
    return into


@transaction.atomic
def do_ensure_source(*, kind: str, title: str, municipality, defaults: dict | None = None, acting_user):
    """The source of this kind and title, created (with ``defaults``) if it does not exist yet.

    Sources are shared citations (a workshop, an interview series, a report); anyone who may
    contribute in ``municipality`` may register one, e.g. when turning workshop cards into
    observations. Only a newly created source writes an audit row.
    """
    require_perm(acting_user, "knowledge.add_source", municipality, message=IN_MUNICIPALITY)
    source = Source.objects.filter(kind=kind, title=title).order_by("pk").first()
    if source is not None:
        return source
    source = Source(kind=kind, title=title, **(defaults or {}))
    source.full_clean()
    source.save()
    record(KnowledgeEvent.SOURCE_CREATED, acting_user=acting_user, obj=source, municipality=municipality, art=kind)
    return source



# --- lesson lifecycle ----------------------------------------------------------------------
#
# The transition tables are in ``lifecycles.py`` (OBSERVATION_REVIEW, LESSON). The actions
# lock the row, check permission and source state first (``check``), then the input, and
# take the step with ``apply``; every step writes one audit row, the rows are the history.


def _lock(item):
    return type(item).objects.select_for_update().get(pk=item.pk)


# The free texts written in lesson steps (not through the edit form).
LESSON_STEP_TEXTS = ("validation_result", "status_note")


def _step_texts(lesson, *, acting_user, **texts: str) -> dict:
    """Set the free texts of a lesson step; returns extra audit details.

    An internal lesson takes them at once. On a published lesson (Netzwerk or öffentlich) the
    step's state takes effect at once, but its free text is held on the lesson's pending
    revision (like an edit, ``_hold_revision``) until a second Redaktion member approves it;
    the row's old text of that field is cleared, as it described an earlier step. The audit
    row keeps the text with the review's id, and the history shows it to readers without
    review rights only once that review has published it (``learning.selectors.item_history``).
    """
    if lesson.visibility == Visibility.INTERN:
        for name, value in texts.items():
            setattr(lesson, name, value)
        return {}
    for name in texts:
        setattr(lesson, name, "")
    pending = {name: value for name, value in texts.items() if value}
    if not pending:
        return {}
    review = _hold_revision(lesson, revisions.serialise_changes(lesson, fields=pending), acting_user=acting_user)
    return {} if review is None else {"review": review.pk}


def _check_open_lesson(lesson, step: str, acting_user) -> None:
    """Closing steps: the permission first, then "already closed" (the message people know)."""
    try:
        LESSON.check(acting_user, lesson, step)
    except ValidationError:
        if lesson.status in (LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT):
            raise ValidationError(_("Die Erkenntnis ist bereits abgeschlossen.")) from None
        raise


@transaction.atomic
def do_submit_observation(observation, *, acting_user):
    """Entwurf (or abgelehnt) → eingereicht. Returns the observation; quality hints are advisory.

    The Moderation of the municipality is notified (effect of the step).
    """
    observation = _lock(observation)
    OBSERVATION_REVIEW.check(acting_user, observation, "submit")
    observation.rejection_reason = ""
    hints = [h.code for h in quality_hints(observation.text)]
    return OBSERVATION_REVIEW.apply(observation, "submit", acting_user=acting_user,
                                    update_fields=["rejection_reason"], hinweise=hints)


@transaction.atomic
def do_review_observation(observation, *, accept: bool, reason: str = "", acting_user):
    """eingereicht → geprüft, or → abgelehnt with a reason (Moderation of the municipality).

    A rejection is sent to the author (effect of the step).
    """
    step = "accept" if accept else "reject"
    observation = _lock(observation)
    OBSERVATION_REVIEW.check(acting_user, observation, step)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    observation.rejection_reason = "" if accept else reason
    return OBSERVATION_REVIEW.apply(observation, step, acting_user=acting_user, update_fields=["rejection_reason"],
                                    **({} if accept else {"grund": reason}))


@transaction.atomic
def do_endorse_lesson(lesson, *, note: str = "", acting_user):
    """erkannt → bestätigt: the responsible role (Redaktion of the municipality) endorses it."""
    lesson = _lock(lesson)
    LESSON.check(acting_user, lesson, "endorse")
    note = note.strip()
    held = _step_texts(lesson, status_note=note, acting_user=acting_user)
    return LESSON.apply(lesson, "endorse", acting_user=acting_user, update_fields=["status_note"], note=note, **held)


@transaction.atomic
def do_start_lesson_implementation(lesson, *, acting_user, reason: str = ""):
    """bestätigt → Maßnahmen in Umsetzung (also triggered when an action is decided).

    A lesson already in Umsetzung stays as it is (deciding a second action changes nothing).
    """
    lesson = _lock(lesson)
    if lesson.status == LessonStatus.IN_UMSETZUNG:
        require_perm(acting_user, LESSON["start_implementation"].permission, lesson)
        return lesson
    return LESSON.apply(lesson, "start_implementation", acting_user=acting_user, reason=reason)


@transaction.atomic
def do_validate_lesson(lesson, *, date, method: str, result: str, acting_user, evidence: str = ""):
    """Maßnahmen in Umsetzung (or verankert, at its re-check) → überprüft, with date, method, result."""
    lesson = _lock(lesson)
    LESSON.check(acting_user, lesson, "validate")
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
    result = result.strip()
    held = _step_texts(lesson, validation_result=result, acting_user=acting_user)
    return LESSON.apply(
        lesson, "validate", acting_user=acting_user,
        update_fields=["validated_on", "validation_method", "validation_result"],
        datum=date.isoformat(), methode=method, ergebnis=result, beleg=evidence, **held,
    )


@transaction.atomic
def do_embed_lesson(lesson, *, recheck_due, acting_user, note: str = ""):
    """überprüft → verankert with the date of the next re-check (Redaktion)."""
    lesson = _lock(lesson)
    LESSON.check(acting_user, lesson, "embed")
    if recheck_due is None:
        raise ValidationError({"recheck_due": _("Bitte legen Sie fest, wann die Verankerung erneut überprüft wird.")})
    if recheck_due <= timezone.localdate():
        raise ValidationError({"recheck_due": _("Die nächste Überprüfung muss in der Zukunft liegen.")})
    lesson.recheck_due = recheck_due
    held = _step_texts(lesson, status_note=note.strip(), acting_user=acting_user)
    return LESSON.apply(lesson, "embed", acting_user=acting_user, update_fields=["recheck_due", "status_note"],
                        naechste_pruefung=recheck_due.isoformat(), **held)


@transaction.atomic
def do_archive_lesson(lesson, *, reason: str, acting_user):
    """Any open state → archiviert, with a reason (Redaktion)."""
    lesson = _lock(lesson)
    _check_open_lesson(lesson, "archive", acting_user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Archivierung.")})
    reason = reason.strip()
    held = _step_texts(lesson, status_note=reason, acting_user=acting_user)
    return LESSON.apply(lesson, "archive", acting_user=acting_user, update_fields=["status_note"], grund=reason, **held)


@transaction.atomic
def do_replace_lesson(lesson, *, replacement, reason: str = "", acting_user):
    """lesson → ersetzt by ``replacement``. Circular chains (A ersetzt B ersetzt A) are refused."""
    lesson = _lock(lesson)
    _check_open_lesson(lesson, "replace", acting_user)
    if replacement is None or replacement.pk == lesson.pk:
        raise ValidationError({"replacement": _("Eine Erkenntnis kann sich nicht selbst ersetzen.")})
    if not visible(Lesson, user=acting_user).filter(pk=replacement.pk).exists():
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
    held = _step_texts(lesson, status_note=(reason or "").strip(), acting_user=acting_user)
    return LESSON.apply(lesson, "replace", acting_user=acting_user, update_fields=["replaced_by", "status_note"],
                        ersetzt_durch=replacement.pk, ersetzt_durch_titel=replacement.title, **held)


@transaction.atomic
def do_create_crisis(*, title: str, hazard_type: str, start=None, description: str = "", acting_user):
    """Create a crisis (Redaktion in some municipality, or platform administration)."""
    require_perm(acting_user, "knowledge.add_crisis", message=_("Krisen legt die Redaktion oder die Administration an."))
    crisis = Crisis(title=(title or "").strip(), hazard_type=(hazard_type or "").strip(), start=start,
                    description=(description or "").strip())
    crisis.full_clean()
    crisis.save()
    record(KnowledgeEvent.CRISIS_CREATED, acting_user=acting_user, obj=crisis, gefahrenart=crisis.hazard_type)
    return crisis
