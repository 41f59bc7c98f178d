"""Values every page template needs."""

from django.conf import settings


def platform(request):
    """Platform name and which navigation entries the current person may use (computed lazily)."""
    user = getattr(request, "user", None)

    def show_review_link() -> bool:
        return bool(user and user.is_authenticated and user.has_perm("knowledge.review"))

    def show_admin_link() -> bool:
        from krisenwissen.accounts.selectors import is_any_administrator

        return bool(user and is_any_administrator(user))

    def unread_notifications() -> int:
        from krisenwissen.core.notifications import unread_count

        return unread_count(user)

    return {
        "unread_notifications": unread_notifications,
        "PLATFORM_NAME": "krisenwissen",
        "DEBUG": settings.DEBUG,
        "show_review_link": show_review_link,
        "show_admin_link": show_admin_link,
    }
