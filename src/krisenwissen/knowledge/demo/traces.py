"""Demo accounts left in a database: they have the published demo password."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.db.models import Q

from krisenwissen.accounts.models import User

from . import content

DEMO_USERNAMES = tuple(row[0] for row in content.USERS)


def demo_traces() -> list[str]:
    """Demo accounts (demo username and demo e-mail address) and every account that may sign in
    with the demo password among the demo usernames and the staff and superusers."""
    demo_accounts = {
        user.username for user in User.objects.filter(username__in=DEMO_USERNAMES)
        if user.email == f"{user.username}@example.org"
    }
    candidates = User.objects.filter(Q(username__in=DEMO_USERNAMES) | Q(is_superuser=True) | Q(is_staff=True))
    with_demo_password = {
        user.username for user in candidates.filter(is_active=True)
        # the function, not User.check_password: a check must not rewrite outdated hashes
        if user.has_usable_password() and check_password(content.DEMO_PASSWORD, user.password)
    }
    traces = []
    if with_demo_password:
        traces.append("Zugänge mit dem veröffentlichten Demo-Passwort: " + ", ".join(sorted(with_demo_password)))
    if demo_accounts - with_demo_password:
        traces.append("Demo-Zugänge: " + ", ".join(sorted(demo_accounts - with_demo_password)))
    return traces
