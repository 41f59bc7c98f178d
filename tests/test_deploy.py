"""Production settings pass Django's deployment checklist (``check --deploy``).

The checks run in a subprocess because the production settings module must be imported
fresh, with its own environment, not on top of the test settings already loaded here.
"""

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

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


# --- krisenwissen serve ------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


def test_serve_refuses_debug(tmp_path):
    result = run_cli(["serve"], {"DJANGO_SETTINGS_MODULE": "krisenwissen.settings.dev",
                                 "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG ist eingeschaltet" in result.stderr
    assert "Booting worker" not in result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "zu-kurz"])
def test_serve_refuses_missing_secret_key_without_traceback(tmp_path, secret):
    env = {"DJANGO_SECRET_KEY": secret}
    result = run_cli(["serve"], env, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_development_secret_key_under_other_settings(tmp_path):
    """Settings that fall back to the development key (no DJANGO_SECRET_KEY) with DEBUG off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="krisenwissen.settings.test", KRISENWISSEN_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "krisenwissen", "serve"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY ist nicht gesetzt" in result.stderr


def test_serve_defaults_to_production_settings_and_sane_gunicorn_options(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS=ALLOWED_HOST,
               KRISENWISSEN_DATA_DIR=str(tmp_path / "data"), KRISENWISSEN_TRUSTED_PROXIES="10.0.0.0/8")
    result = subprocess.run([sys.executable, "-m", "krisenwissen", "serve", "--print-command"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr  # production settings: DEBUG off, key set
    args = shlex.split(result.stdout)
    option = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}
    assert args[1:4] == ["-m", "gunicorn", "krisenwissen.wsgi:application"]
    cores = len(os.sched_getaffinity(0))
    assert option["--workers"] == str(min(2 * cores + 1, 9))
    assert option["--bind"] == "127.0.0.1:8000"
    assert option["--timeout"] == "60"
    assert int(option["--graceful-timeout"]) > 0
    assert int(option["--max-requests"]) > 0 and int(option["--max-requests-jitter"]) > 0
    assert option["--access-logfile"] == "-"
    assert option["--forwarded-allow-ips"] == "10.0.0.0/8"


def test_serve_takes_options_from_environment_and_command_line(tmp_path):
    env = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "KRISENWISSEN_WORKERS": "3", "KRISENWISSEN_TIMEOUT": "90",
           "KRISENWISSEN_BIND": "unix:/run/krisenwissen/web.sock", "KRISENWISSEN_MAX_REQUESTS": "0"}
    result = run_cli(["serve", "--print-command", "--threads", "8"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    args = shlex.split(result.stdout)
    option = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}
    assert (option["--workers"], option["--timeout"], option["--threads"]) == ("3", "90", "8")
    assert option["--bind"] == "unix:/run/krisenwissen/web.sock"
    assert (option["--max-requests"], option["--max-requests-jitter"]) == ("0", "0")
    result = run_cli(["serve", "--print-command"], {**env, "KRISENWISSEN_WORKERS": "viele"}, tmp_path)
    assert result.returncode != 0 and "KRISENWISSEN_WORKERS muss eine ganze Zahl sein" in result.stderr
    result = run_cli(["serve", "--print-command", "--workers", "0"], env, tmp_path)
    assert result.returncode != 0 and "mindestens 1" in result.stderr


# --- deploy/ -----------------------------------------------------------------------------------


def example_environment() -> dict[str, str]:
    """deploy/krisenwissen.env.example as systemd reads it (KEY=value lines)."""
    values = {}
    for line in (DEPLOY / "krisenwissen.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_check_deploy_is_clean_with_the_example_environment(tmp_path):
    env = example_environment()
    assert env["DJANGO_SETTINGS_MODULE"] == "krisenwissen.settings.production"
    assert env["DJANGO_SECRET_KEY"] == ""  # the operator must fill it in
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), KRISENWISSEN_DATA_DIR=str(tmp_path / "data"))
    result = run_cli(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    result = run_cli(["shell", "-c", "from django.conf import settings as s; "
                      "print(s.KRISENWISSEN_TRUSTED_PROXIES, s.SECURE_SSL_REDIRECT, s.DATABASES['default']['ENGINE'])"],
                     env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["['127.0.0.1',", "'::1']", "True", "django.db.backends.postgresql"]


def test_static_root_can_live_outside_the_data_directory(tmp_path):
    """The container image collects static files at build time into KRISENWISSEN_STATIC_ROOT,
    which the data volume mounted over KRISENWISSEN_DATA_DIR must not hide."""
    static = tmp_path / "static"
    result = run_cli(["collectstatic", "--no-input", "-v", "0"],
                     {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "KRISENWISSEN_STATIC_ROOT": str(static)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (static / "staticfiles.json").exists()
    assert not (tmp_path / "data" / "static" / "staticfiles.json").exists()


SYSTEMD_UNITS = ["krisenwissen-web.service", "krisenwissen-worker.service",
                 "krisenwissen-reminders.service", "krisenwissen-reminders.timer",
                 "krisenwissen-retention.service", "krisenwissen-retention.timer"]


def unit_settings(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


@pytest.mark.parametrize("name", [u for u in SYSTEMD_UNITS if u.endswith(".service")])
def test_systemd_services_are_hardened(name):
    unit = unit_settings(name)
    assert unit["User"] == ["krisenwissen"]
    assert unit["EnvironmentFile"] == ["/etc/krisenwissen/env"]
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
                       "ProtectHome": "yes", "ReadWritePaths": "/var/lib/krisenwissen"}.items():
        assert unit[key] == [value], key
    assert unit["CapabilityBoundingSet"] == [""]
    assert all(cmd.startswith("/opt/krisenwissen/venv/bin/krisenwissen ") for cmd in unit["ExecStart"])


def test_systemd_units_run_serve_the_worker_and_the_daily_reminders():
    assert unit_settings("krisenwissen-web.service")["ExecStart"] == ["/opt/krisenwissen/venv/bin/krisenwissen serve"]
    assert unit_settings("krisenwissen-worker.service")["ExecStart"][0].split()[1] == "db_worker"
    reminders = unit_settings("krisenwissen-reminders.service")
    assert reminders["Type"] == ["oneshot"]
    assert reminders["ExecStart"][0].split()[1:] == ["send_reminders", "--now"]
    assert reminders["ExecStart"][1].split()[1:] == ["koepfe", "erinnern", "--now"]
    timer = unit_settings("krisenwissen-reminders.timer")
    assert timer["OnCalendar"] == ["*-*-* 06:30:00"] and timer["Persistent"] == ["true"]
    retention = unit_settings("krisenwissen-retention.service")
    assert retention["Type"] == ["oneshot"]
    assert retention["ExecStart"][0].split()[1:] == ["apply_retention"]
    assert unit_settings("krisenwissen-retention.timer")["Persistent"] == ["true"]
    # The commands the units run exist.
    from django.core.management import get_commands

    assert {"serve", "db_worker", "send_reminders", "koepfe", "apply_retention", "migrate", "collectstatic"} <= set(get_commands())


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze fehlt (Paket systemd)")
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """systemd's own parser: unknown keys, bad values and broken references are reported.
    ExecStart paths point at an installed program, so the copies use /bin/true."""
    for name in SYSTEMD_UNITS:
        text = (DEPLOY / "systemd" / name).read_text().replace("/opt/krisenwissen/venv/bin/krisenwissen", "/bin/true")
        (tmp_path / name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / n) for n in SYSTEMD_UNITS]],
                            capture_output=True, text=True, timeout=120)
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             # Outside a booted systemd (containers, CI) it cannot look up the user or talk to the manager.
             if "krisenwissen" in line]
    assert result.returncode == 0 and not lines, result.stdout + result.stderr


def test_nginx_example_matches_the_application():
    conf = (DEPLOY / "nginx" / "krisenwissen.conf").read_text()
    directives = re.findall(r"^\s*([a-z_0-9]+)\s+([^;{]*)[;{]", conf, flags=re.M)
    values: dict[str, list[str]] = {}
    for key, value in directives:
        values.setdefault(key, []).append(value.strip())
    assert values["ssl_protocols"] == ["TLSv1.2 TLSv1.3"]
    assert all("GCM" in c or "CHACHA20" in c for c in values["ssl_ciphers"][0].split(":"))
    assert any(v.startswith("Strict-Transport-Security") and "max-age=31536000" in v for v in values["add_header"])
    # The body limit lets the largest accepted upload through, and not much more.
    size = values["client_max_body_size"][0]
    assert size.endswith("m")
    from krisenwissen.regulations.extract import MAX_BYTES

    limit = int(example_environment()["KRISENWISSEN_IMPORT_MAX_BYTES"])
    assert max(limit, MAX_BYTES) < int(size[:-1]) * 1024 * 1024 <= max(limit, MAX_BYTES) * 1.2
    proxy_headers = dict(v.split(None, 1) for v in values["proxy_set_header"])
    # X-Forwarded-For is replaced by the peer address (not appended to what the client sent).
    assert proxy_headers["X-Forwarded-For"] == "$remote_addr"
    assert proxy_headers["X-Forwarded-Proto"] == "$scheme"
    assert proxy_headers["Host"] == "$host"
    # The upstream is where serve listens by default, and the proxy is a trusted proxy.
    assert values["server"][0].split()[0] == "127.0.0.1:8000"
    assert "127.0.0.1" in example_environment()["KRISENWISSEN_TRUSTED_PROXIES"].split(",")


def test_container_recipe():
    import yaml

    containerfile = (DEPLOY / "container" / "Containerfile").read_text()
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\}$", containerfile, flags=re.M)
    assert "slim-bookworm" in containerfile
    users = re.findall(r"^USER (\S+)", containerfile, flags=re.M)
    assert users and not users[-1].startswith(("root", "0"))
    assert "collectstatic" in containerfile
    assert re.search(r'^CMD \["krisenwissen", "serve"\]', containerfile, flags=re.M)
    compose = yaml.safe_load((DEPLOY / "container" / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "web", "worker"} <= set(services)
    assert services["db"]["image"].split(":")[0].endswith("postgres")
    assert services["web"]["command"][:2] == ["krisenwissen", "serve"]
    assert services["worker"]["command"][:2] == ["krisenwissen", "db_worker"]
    for name in ("web", "worker"):
        assert services[name]["build"]["dockerfile"] == "deploy/container/Containerfile"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    # Only the host's loopback reaches gunicorn; TLS is nginx's job.
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
