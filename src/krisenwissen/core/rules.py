"""Named permissions of the core layer (notifications).

``core`` is the bottom layer and must not import ``accounts``; its predicates are its own.
"""

import rules


@rules.predicate
def is_own_notification(user, notification) -> bool:
    """An active person's own notification; without an object: their notifications as a whole."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return notification is None or notification.recipient_id == user.pk


rules.add_perm("core.read_notification", is_own_notification)
