"""Production settings pass Django's deployment checklist (``check --deploy``).

The checks run in a subprocess because the production settings module must be imported
fresh, with its own environment, not on top of the test settings already loaded here.
"""

import os
import secrets
import subprocess
import sys

import pytest

ALLOWED_HOST = "krisenwissen.example.org"


def run_cli(args, env_overrides, tmp_path):
    """``python -m krisenwissen ARGS`` with the production settings and a scratch data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="krisenwissen.settings.production",
        DJANGO_ALLOWED_HOSTS=ALLOWED_HOST,
        # Settings create the data directory on import; keep it out of the working tree.
        KRISENWISSEN_DATA_DIR=str(tmp_path / "data"),
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "krisenwissen", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues(tmp_path):
    result = run_cli(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)},
        tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


@pytest.mark.parametrize("secret", ["", "zu-kurz"])
def test_production_refuses_missing_or_short_secret_key(tmp_path, secret):
    result = run_cli(["check"], {"DJANGO_SECRET_KEY": secret}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_ignores_debug_switch(tmp_path):
    """DJANGO_DEBUG=1 (meant for development) must not turn on DEBUG in production."""
    result = run_cli(
        ["shell", "-c", "from django.conf import settings; print('DEBUG', settings.DEBUG)"],
        {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_DEBUG": "1"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_gunicorn_loads_the_wsgi_application(tmp_path):
    """The WSGI server the project depends on imports ``krisenwissen.wsgi`` with the
    production settings (``--check-config`` loads the application and exits)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_ALLOWED_HOSTS=ALLOWED_HOST,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        KRISENWISSEN_DATA_DIR=str(tmp_path / "data"),
    )
    command = [sys.executable, "-m", "gunicorn", "--check-config", "--no-control-socket", "krisenwissen.wsgi"]
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # The same command fails loudly when the production settings refuse to load.
    env["DJANGO_SECRET_KEY"] = "zu-kurz"
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
