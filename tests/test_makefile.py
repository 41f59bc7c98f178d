"""``make run HOST=… PORT=…``: the address, the base URL and the allowed host names follow.

A stand-in virtualenv records what ``make run`` would run and with which environment, so the
test runs no server and installs nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="GNU make fehlt")


def make_run(tmp_path: Path, *args: str, env: dict | None = None) -> list[str]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "krisenwissen"
    fake.write_text('#!/bin/sh\necho "$* | $KRISENWISSEN_BASE_URL | $DJANGO_ALLOWED_HOSTS | $DJANGO_SETTINGS_MODULE"\n')
    fake.chmod(0o755)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    clean = {k: v for k, v in os.environ.items()
             if k not in {"HOST", "PORT", "KRISENWISSEN_BASE_URL", "DJANGO_ALLOWED_HOSTS", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(["make", "-s", "-C", str(REPO), "run", f"VENV={venv}", *args], env={**clean, **(env or {})},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_make_run_defaults_to_loopback(tmp_path):
    lines = make_run(tmp_path)
    assert lines[-1] == ("runserver 127.0.0.1:8000 | http://127.0.0.1:8000 | 127.0.0.1,localhost,127.0.0.1 | "
                         "krisenwissen.settings.dev")
    assert [line.split(" | ")[0] for line in lines] == ["migrate --no-input", "load_demo", "runserver 127.0.0.1:8000"]


def test_make_run_takes_host_and_port(tmp_path):
    lines = make_run(tmp_path, "HOST=192.0.2.10", "PORT=8080")
    assert lines[-1].startswith("runserver 192.0.2.10:8080 | http://192.0.2.10:8080 | 127.0.0.1,localhost,192.0.2.10 |")
    # Every step sees the same base URL (load_demo writes links, too).
    assert all(" | http://192.0.2.10:8080 | " in line for line in lines)


def test_make_run_on_all_interfaces_and_explicit_base_url(tmp_path):
    lines = make_run(tmp_path, "HOST=0.0.0.0", env={"KRISENWISSEN_BASE_URL": "https://krisenwissen.example"})
    assert lines[-1].startswith("runserver 0.0.0.0:8000 | https://krisenwissen.example | * |")
