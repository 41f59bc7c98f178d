"""State changes of the ui app: the operator's pages and accessibility feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from krisenwissen.core import ratelimit
from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import person, require_perm
from krisenwissen.core.tasks import send_notification_mails

from .events import UiEvent
from .models import AccessibilityFeedback, SitePage, SitePageKey

MAX_BODY = 50_000
MAX_MESSAGE = 5000


def do_edit_site_page(key: str, body: str, *, acting_user) -> SitePage:
    """Save the operator's text of ``key`` (imprint, privacy, accessibility limitations)."""
    require_perm(acting_user, "ui.edit_site_page")
    if key not in SitePageKey.values:
        raise ValidationError(_("Diese Seite gibt es nicht."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(_("Der Text darf nicht leer sein."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("Der Text ist zu lang (höchstens %(n)s Zeichen).") % {"n": MAX_BODY})
    with transaction.atomic():
        page = SitePage.objects.select_for_update().filter(key=key).first()
        before = page.body if page else ""
        if page is None:
            page = SitePage(key=key)
        page.body = body
        page.updated_by = person(acting_user)
        page.save()
        record(UiEvent.SITE_PAGE_EDITED, acting_user=acting_user, obj=page, seite=key,
               zeichen_vorher=len(before), zeichen_nachher=len(body))
    return page


def site_operators():
    """Active superusers and holders of ``ui.change_sitepage`` (directly or through a group)."""
    return get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename="change_sitepage", user_permissions__content_type__app_label="ui")
        | Q(groups__permissions__codename="change_sitepage", groups__permissions__content_type__app_label="ui")
    ).distinct()


def do_send_accessibility_feedback(*, message: str, page_url: str = "", name: str = "", email: str = "",
                                   client_address: str | None, acting_user) -> AccessibilityFeedback:
    """Store a barrier report, notify the operators (and mail the contact address), rate limited.

    Raises ``core.ratelimit.RateLimited`` when this address sent too many (counted before
    anything is stored, so a flood writes nothing).
    """
    require_perm(acting_user, "ui.send_accessibility_feedback")
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Bitte beschreiben Sie die Barriere."))
    if len(message) > MAX_MESSAGE:
        raise ValidationError(_("Die Nachricht ist zu lang (höchstens %(n)s Zeichen).") % {"n": MAX_MESSAGE})
    ratelimit.hit("accessibility_feedback", client_address)
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message, page_url=(page_url or "").strip()[:500], name=(name or "").strip()[:200],
            email=(email or "").strip()[:254],
        )
        record(UiEvent.ACCESSIBILITY_FEEDBACK_RECEIVED, acting_user=acting_user, obj=feedback,
               client_address=client_address)
        subject = _("Neue Rückmeldung zur Barrierefreiheit")
        body = _("Über das Formular der Erklärung zur Barrierefreiheit ist eine Rückmeldung eingegangen. "
                 "Bitte antworten Sie in angemessener Frist.") + "\n\n" + _build_mail_text(feedback)
        url = reverse("ui:accessibility_feedback_list")
        notify(site_operators(), subject=subject, body=body, url=url)
        contact = getattr(settings, "KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL", "")
        if contact:
            transaction.on_commit(lambda: send_notification_mails.enqueue(subject, body, [contact]))
    return feedback


def _build_mail_text(feedback: AccessibilityFeedback) -> str:
    lines = [_("Nachricht:"), feedback.message, ""]
    if feedback.page_url:
        lines.append(_("Betroffene Seite: %(url)s") % {"url": feedback.page_url})
    if feedback.name:
        lines.append(_("Name: %(name)s") % {"name": feedback.name})
    if feedback.email:
        lines.append(_("E-Mail-Adresse für die Antwort: %(email)s") % {"email": feedback.email})
    return "\n".join(lines)
