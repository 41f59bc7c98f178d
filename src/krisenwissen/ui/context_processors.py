"""Values every page template needs."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.notifications import unread_count
from krisenwissen.core.policy import has_perm

# Sections of the capability apps in the main navigation: (namespace, URL name, label,
# shown to anonymous visitors[, named permission needed]). Legal texts are public; the
# others need a login; Dokumente and Krisenstab only for holders of the named permission.
APP_NAVIGATION = [
    ("workshops", "workshops:list", _("Reflexionsräume"), False),
    ("learning", "learning:home", _("Lernen"), False),
    ("regulations", "regulations:list", _("Verordnungen"), True),
    ("situation", "situation:overview", _("Lagebild"), False),
    ("people", "people:list", _("Köpfe kennen"), False),
    ("documents", "documents:list", _("Dokumente"), False, "documents.view_document_list"),
    ("stab", "stab:staff_list", _("Krisenstab"), False, "stab.view_staff_list"),
]


def _app_nav(user) -> list[dict]:
    logged_in = bool(user and user.is_authenticated)
    entries = []
    for namespace, name, label, public, *permission in APP_NAVIGATION:
        if not (public or logged_in):
            continue
        if permission and not has_perm(user, permission[0]):
            continue
        try:
            entries.append({"namespace": namespace, "url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return entries


def platform(request):
    """Platform name, navigation entries and unread notifications (computed lazily).

    Whether the review and administration entries show is asked in ``ui/base.html`` with
    ``{% has_perm %}`` (``knowledge.review``, ``accounts.view_administration``).
    """
    user = getattr(request, "user", None)

    def unread_notifications() -> int:
        return unread_count(user)

    return {
        "app_nav": lambda: _app_nav(user),
        "unread_notifications": unread_notifications,
        "PLATFORM_NAME": "krisenwissen",
        "DEBUG": settings.DEBUG,
    }
