"""Values every page template needs."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from krisenwissen.core.notifications import unread_count

# Sections of the capability apps in the main navigation: (namespace, URL name, label,
# shown to anonymous visitors). Legal texts are public; the others need a login.
APP_NAVIGATION = [
    ("workshops", "workshops:list", _("Reflexionsräume"), False),
    ("learning", "learning:home", _("Lernen"), False),
    ("regulations", "regulations:list", _("Verordnungen"), True),
    ("situation", "situation:overview", _("Lagebild"), False),
]


def _app_nav(user) -> list[dict]:
    logged_in = bool(user and user.is_authenticated)
    entries = []
    for namespace, name, label, public in APP_NAVIGATION:
        if not (public or logged_in):
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
