"""The one way to ask and enforce "may this person do that": named ``rules`` permissions.

Every permission of the platform is declared once, as a ``rules`` permission named
``<app>.<verb>_<noun>`` in the app's ``rules.py`` (built from the shared predicates in
``accounts.predicates``). It is then *asked* everywhere and never restated:

* actions enforce it with :func:`require_perm` (raises :class:`PermissionDenied`, a subclass
  of Django's, carrying a German message);
* views declare it (``rules.contrib.views.permission_required`` / ``PermissionRequiredMixin``,
  or :func:`require_perm` on the looked-up object);
* templates ask ``{% load rules %}{% has_perm "app.verb_noun" user obj as allowed %}``;
* lifecycle transitions name the permission they need (``core.lifecycle``).

A refused permission is a 403 page that shows the German message (``ui/templates/403.html``),
or, where a form is involved, a form error (:func:`core.forms.add_errors`).

Commands, background jobs and demo loaders act as :data:`SYSTEM`, the operator of the server:
it passes every permission (whoever can run ``krisenwissen`` on the server owns the data
anyway) and is written to the audit log as "System".
"""

from __future__ import annotations

import rules
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _

DEFAULT_MESSAGE = _("Dafür fehlt Ihnen die Berechtigung.")


class PermissionDenied(DjangoPermissionDenied):
    """A declared permission refused. ``str(exc)`` is a German message fit for the person."""

    def __init__(self, message=None, *, permission: str = ""):
        self.message = message or DEFAULT_MESSAGE
        self.permission = permission
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class SystemActor:
    """The server's operator: command line, background jobs, demo loaders.

    Behaves like an active superuser towards permission checks and read scopes, but is no
    database row: ``record()`` stores no actor for it (the audit row says "System").
    """

    pk = None
    id = None
    username = "system"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = True
    is_staff = False
    is_system = True

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def has_perms(self, perms, obj=None) -> bool:
        return True

    def get_full_name(self) -> str:
        return "System"

    def __str__(self) -> str:
        return "System"

    def __eq__(self, other) -> bool:
        return isinstance(other, SystemActor)

    def __hash__(self) -> int:
        return hash("krisenwissen-system-actor")


SYSTEM = SystemActor()


def is_system(user) -> bool:
    return isinstance(user, SystemActor)


def require_perm(user, permission: str, obj=None, *, message=None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` holds the declared ``permission`` on ``obj``.

    ``permission`` must be declared with ``rules.add_perm`` (a typo is a programming error,
    not a silent refusal, because superusers would otherwise pass an undeclared name).
    ``user=None`` is refused like an anonymous visitor; system jobs pass :data:`SYSTEM`.
    """
    if not rules.perm_exists(permission):
        raise ImproperlyConfigured(f"Permission {permission!r} is not declared in any rules.py")
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDenied(message, permission=permission)


def has_perm(user, permission: str, obj=None) -> bool:
    """The boolean form of :func:`require_perm` (same declaration check)."""
    if not rules.perm_exists(permission):
        raise ImproperlyConfigured(f"Permission {permission!r} is not declared in any rules.py")
    return user is not None and user.has_perm(permission, obj)


def person(user):
    """The stored user behind an acting user, for ``created_by``-style fields (None for SYSTEM)."""
    return user if getattr(user, "pk", None) is not None else None


def permission_required(permission: str, fn=None):
    """Declare a view's permission (``rules.contrib.views.permission_required``, ``fn`` gets the
    object from the view's arguments): visitors without an account go to the login page, signed-in
    people without the permission get the 403 page."""
    from django.contrib.auth.decorators import login_required
    from rules.contrib.views import permission_required as rules_permission_required

    def decorator(view):
        return login_required(rules_permission_required(permission, fn=fn, raise_exception=True)(view))

    return decorator
