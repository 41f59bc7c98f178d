"""Development settings: ``make run`` on a workstation."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"

# The demo content and its logins (published password) exist for workstations and showcases.
KRISENWISSEN_DEMO_ALLOWED = True

# On a workstation jobs run at once, so `make run` needs no separate worker process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
