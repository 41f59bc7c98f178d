"""``make test`` first runs scripts/ensure-chromium.sh: Debian's Chromium for the browser tests.

The script is run with stand-ins for ``id`` and ``apt-get`` on PATH, so the tests see what it
would do as root or as a normal user on a fresh machine without touching this machine's packages.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "ensure-chromium.sh"


def _stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def run_script(tmp_path: Path, *, uid: int, chromium: Path, apt_fails: bool = False):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "apt-calls"
    _stub(bin_dir, "id", f'[ "$1" = "-u" ] && echo {uid} || /usr/bin/id "$@"')
    outcome = "exit 100" if apt_fails else f'[ "$1" = install ] && touch {chromium} && chmod +x {chromium}; exit 0'
    _stub(bin_dir, "apt-get", f'echo "$@" >> {calls}; {outcome}')
    _stub(bin_dir, "sleep", ":")
    env = dict(os.environ, PATH=f"{bin_dir}:/usr/bin:/bin", KRISENWISSEN_CHROMIUM=str(chromium))
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    return result, (calls.read_text().splitlines() if calls.exists() else [])


def test_present_chromium_is_left_alone(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    chromium.chmod(0o755)
    result, calls = run_script(tmp_path, uid=0, chromium=chromium)
    assert result.returncode == 0 and calls == [] and result.stdout == ""


def test_missing_chromium_as_normal_user_fails_at_once_with_the_command(tmp_path):
    result, calls = run_script(tmp_path, uid=1000, chromium=tmp_path / "chromium")
    assert result.returncode == 1
    assert calls == []
    assert "    sudo apt-get install -y chromium" in result.stderr.splitlines()


def test_missing_chromium_as_root_is_installed_with_apt(tmp_path):
    chromium = tmp_path / "chromium"
    result, calls = run_script(tmp_path, uid=0, chromium=chromium)
    assert result.returncode == 0, result.stderr
    assert calls == ["update -q", "install -y -q --no-install-recommends chromium"]
    assert chromium.exists()


def test_failing_apt_as_root_reports_the_command(tmp_path):
    result, calls = run_script(tmp_path, uid=0, chromium=tmp_path / "chromium", apt_fails=True)
    assert result.returncode == 1
    assert calls == ["update -q"] * 3  # three attempts (mirrors may be briefly away), then stop
    assert "    apt-get update && apt-get install -y chromium" in result.stderr.splitlines()
