"""System checks: every lifecycle names real states, a real model field and declared permissions."""

from __future__ import annotations

import rules
from django.apps import apps
from django.core import checks

from . import lifecycle


@checks.register()
def check_lifecycles(app_configs=None, **kwargs):
    errors = []
    for key, cycle in lifecycle.REGISTRY.items():
        try:
            model = apps.get_model(cycle.model)
            field = model._meta.get_field(cycle.state_field)
        except (LookupError, ValueError) as exc:
            errors.append(checks.Error(f"lifecycle {key}: {exc}", id="krisenwissen.E001"))
            continue
        valid = {str(v) for v, _label in (field.choices or [])}
        for state in sorted(cycle.states() - valid) if valid else []:
            errors.append(checks.Error(f"lifecycle {key}: state {state!r} is no choice of {cycle.model}.{cycle.state_field}",
                                       id="krisenwissen.E002"))
        for t in cycle.transitions:
            if not rules.perm_exists(t.permission):
                errors.append(checks.Error(f"lifecycle {key}: transition {t.name} needs undeclared permission {t.permission!r}",
                                           id="krisenwissen.E003"))
    return errors
