"""Loading the demo content of every app (``krisenwissen load_demo``), without core importing any app.

Each app that has demo content names it on its AppConfig (dotted paths):

- ``demo_loader``: ``load(*, force: bool) -> dict[str, int]`` writes the app's demo objects
  (matched by stable keys, so ``force`` updates instead of duplicating) and returns counts;
  loaders run in ``INSTALLED_APPS`` order, so an app's loader can link to the demo objects
  of the apps below it (the knowledge demo's cities, users, crisis and lessons);
- ``demo_content_exists`` (optional): ``() -> bool``; when any app says so, nothing is loaded
  unless ``force`` is given (a production database is never touched by accident);
- ``demo_logins`` / ``demo_password`` (optional): the demo accounts shown after loading;
- ``demo_traces`` (optional): ``() -> list[str]`` describes the demo data (accounts with the
  published password, guessable join tokens) still in the database, for the deployment
  check ``krisenwissen.W001`` (:mod:`krisenwissen.core.checks`).

Loading is refused unless the setting ``KRISENWISSEN_DEMO_ALLOWED`` is true (development and
test settings only): the demo logins have a published password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .audit import record
from .events import CoreEvent
from .policy import SYSTEM


@dataclass
class DemoLoadResult:
    """What :func:`load_demo` did. ``skipped`` is True when content existed and nothing was written."""

    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[Any] = field(default_factory=list)
    password: str = ""


class DemoNotAllowed(Exception):
    """The settings do not allow demo content (``KRISENWISSEN_DEMO_ALLOWED`` is false)."""


def _declared(attribute: str) -> list[Any]:
    """The objects the AppConfigs name in ``attribute``, in app order."""
    return [import_string(getattr(config, attribute)) for config in apps.get_app_configs()
            if getattr(config, attribute, None)]


def _logins_and_password() -> tuple[list[Any], str]:
    logins = [login for demo_logins in _declared("demo_logins") for login in demo_logins()]
    passwords = _declared("demo_password")
    return logins, passwords[0] if passwords else ""


def load_demo(*, force: bool = False) -> DemoLoadResult:
    """Run every app's demo loader in one transaction; returns counts and logins.

    Raises :class:`DemoNotAllowed` (before touching the database) when the settings forbid it.
    """
    if not getattr(settings, "KRISENWISSEN_DEMO_ALLOWED", False):
        raise DemoNotAllowed
    logins, password = _logins_and_password()
    if not force and any(exists() for exists in _declared("demo_content_exists")):
        return DemoLoadResult(skipped=True, logins=logins, password=password)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for load in _declared("demo_loader"):
            counts.update(load(force=force) or {})
        record(CoreEvent.DEMO_LOADED, acting_user=SYSTEM, forced=force,
               **{f"anzahl_{name}": count for name, count in counts.items()})
    return DemoLoadResult(counts=counts, logins=logins, password=password)


def demo_traces() -> list[str]:
    """What the apps report of demo data in the database (empty: none found)."""
    return [trace for traces in _declared("demo_traces") for trace in traces()]
