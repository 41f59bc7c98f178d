"""Background jobs of the knowledge base (django-tasks; in production run `krisenwissen db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django_tasks import task

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import members_with_role

from .models import PublicationReview, ReviewStatus


@task()
def notify_reviewers(review_id: int) -> int:
    """E-mail the Redaktion of the item's municipality that a publication request or revision waits.

    Only members of the owning municipality are written to, so the mail reveals nothing they
    could not already read. Returns the number of mails sent.
    """
    review = PublicationReview.objects.select_related("municipality").filter(pk=review_id).first()
    if review is None or review.status != ReviewStatus.OFFEN:
        return 0
    recipients = sorted(
        members_with_role(review.municipality_id, minimum=Role.REDAKTION)
        .exclude(email="")
        .exclude(pk=review.requested_by_id)
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    link = settings.KRISENWISSEN_BASE_URL.rstrip("/") + reverse("knowledge:review_detail", args=[review.pk])
    if review.is_revision:
        subject = f"Geänderte Fassung zur Freigabe: {review.item}"[:150]
        what = ("wurde eine geänderte Fassung vorgelegt. Bis zur Freigabe sehen andere die bisherige Fassung "
                f"(Sichtbarkeit „{review.item.get_visibility_display()}“).")
    else:
        subject = f"Freigabe beantragt: {review.item}"[:150]
        what = f"wurde beantragt, die Sichtbarkeit auf „{review.get_requested_visibility_display()}“ zu erweitern."
    body = (
        f"Guten Tag,\n\nfür einen Eintrag der Kommune {review.municipality.name} {what}\n\n"
        f"Eintrag: {review.item}\n"
        f"Hinweise auf personenbezogene Daten: {len(review.flags)}\n\n"
        f"Bitte prüfen Sie den Antrag: {link}\n\n-- krisenwissen\n"
    )
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients])
    return len(recipients)
