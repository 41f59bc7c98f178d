"""Development settings: ``make run`` on a workstation."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"

# The demo content and its logins (published password) exist for workstations and showcases:
# allowed while DEBUG is on, so the development settings with DJANGO_DEBUG=0 (a server someone
# set up with the wrong settings module) refuse it as the production settings do.
KRISENWISSEN_DEMO_ALLOWED = DEBUG

# On a workstation jobs run at once, so `make run` needs no separate worker process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The demo network is hosted by Essen (the demo administration's city): documents read in with
# `krisenwissen ingest` without --municipality belong to it on a workstation.
KRISENWISSEN_DEFAULT_MUNICIPALITY = os.environ.get("KRISENWISSEN_DEFAULT_MUNICIPALITY", "05113")
