"""Permissions of the core app (see docs/architecture.md, "Who may do what").

Core is the bottom layer and cannot use the role predicates of ``accounts.predicates``;
its permissions need only the built-in predicates of ``rules``.
"""

import rules

# Everyone signed in reads (and marks as read) their own notifications; the selector limits
# the rows to the acting user's.
rules.add_perm("core.mark_notifications_read", rules.is_authenticated & rules.is_active)
