"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os
import tempfile

_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist_worker:
    # pytest-xdist workers inherit the controller's environment, data directory included:
    # each worker gets its own, so uploads and static files of parallel tests do not meet.
    os.environ["KRISENWISSEN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"krisenwissen-test-{_xdist_worker}-")
else:
    os.environ.setdefault("KRISENWISSEN_DATA_DIR", tempfile.mkdtemp(prefix="krisenwissen-test-"))

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
KRISENWISSEN_DEMO_ALLOWED = True
# The demo's RKI workbook import takes seconds; tests that need it turn it on (tests/situation).
KRISENWISSEN_DEMO_RKI_WORKBOOK = os.environ.get("KRISENWISSEN_DEMO_RKI_WORKBOOK", "0") == "1"
# Dense retrieval is off unless a test turns it on (tests/search/test_dense*.py): the
# rest of the suite asserts exact lexical results.
KRISENWISSEN_SEARCH_EMBEDDER = os.environ.get("KRISENWISSEN_SEARCH_EMBEDDER", "")
