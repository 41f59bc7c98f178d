"""Permission predicates of the Lagebild (django-rules). Not the threshold rules: see rules_engine.

* Open data (RKI/DIVI figures, rule status) is read by every logged-in user.
* Own indicators and staff notes belong to a municipality: readable per their visibility
  (``accounts.selectors.VisibilityScope``); a public page per municipality shows only what is
  marked ``oeffentlich``.
* Importing open data needs Redaktion in some municipality, or a superuser.
"""

import rules

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import municipalities_with_role


@rules.predicate
def can_read_open_data(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def can_import_open_data(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or municipalities_with_role(user, minimum=Role.REDAKTION).exists()
