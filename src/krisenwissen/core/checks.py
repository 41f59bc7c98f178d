"""System checks: every lifecycle names real states, a real model field and declared permissions;
with ``--deploy``, no demo data (published password, guessable join links) in the database."""

from __future__ import annotations

import rules
from django.apps import apps
from django.core import checks
from django.db import DatabaseError

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


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_data(app_configs=None, **kwargs):
    """``check --deploy``: demo accounts or demo join tokens in the database (``load_demo``)."""
    from .demo import demo_traces

    try:
        traces = demo_traces()
    except DatabaseError:
        return []  # no database yet (before ``migrate``): nothing to find
    if not traces:
        return []
    return [checks.Warning(
        "Die Datenbank enthält Demo-Daten: " + "; ".join(traces) + ".",
        hint="Demo-Zugänge löschen oder ihnen ein eigenes Passwort geben, Demo-Workshops löschen; "
             "auf einem Produktivsystem nie `load_demo` ausführen.",
        id="krisenwissen.W001",
    )]
