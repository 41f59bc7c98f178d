"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os
import tempfile

os.environ.setdefault("KRISENWISSEN_DATA_DIR", tempfile.mkdtemp(prefix="krisenwissen-test-"))

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
