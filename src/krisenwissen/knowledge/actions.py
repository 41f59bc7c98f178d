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
