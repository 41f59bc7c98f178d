"""Defect 8: no demo data (published passwords, guessable join tokens) under production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import override_settings

from krisenwissen.accounts.models import User
from krisenwissen.workshops.models import Workshop

from ..factories import MembershipFactory

DEMO_CHECK_ID = "krisenwissen.W001"


def demo_warnings():
    return [m for m in checks.run_checks(include_deployment_checks=True) if m.id == DEMO_CHECK_ID]


@pytest.mark.django_db
class TestLoadDemoRefused:
    @override_settings(KRISENWISSEN_DEMO_ALLOWED=False)
    def test_load_demo_refuses_when_demo_is_not_allowed(self):
        with pytest.raises(CommandError) as excinfo:
            call_command("load_demo")
        assert "Demo-Daten" in str(excinfo.value) and "Produktiv" in str(excinfo.value)
        assert not User.objects.exists()
        assert not Workshop.objects.exists()

    @override_settings(KRISENWISSEN_DEMO_ALLOWED=False)
    def test_force_does_not_override_the_refusal(self):
        with pytest.raises(CommandError):
            call_command("load_demo", "--force")
        assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
class TestDeployCheckFindsDemoData:
    def test_clean_database_gives_no_warning(self, city_a):
        MembershipFactory(municipality=city_a, user__username="leser-a")
        assert demo_warnings() == []

    def test_demo_content_is_reported(self, demo_content):
        warnings = demo_warnings()
        assert len(warnings) == 1
        text = warnings[0].msg + " " + (warnings[0].hint or "")
        assert "admin" in text and "demo-essen-2023" in text
        assert warnings[0].level == checks.WARNING

    def test_any_superuser_with_the_demo_password_is_reported(self):
        User.objects.create_superuser("chefin", password="krisenwissen-demo")
        (warning,) = demo_warnings()
        assert "chefin" in warning.msg

    def test_renamed_demo_tokens_and_changed_passwords_no_longer_warn(self, demo_content):
        for workshop in Workshop.objects.all():
            workshop.join_token = secrets.token_urlsafe(16)
            workshop.save(update_fields=["join_token"])
        for user in User.objects.all():
            user.set_password(secrets.token_urlsafe(16))
            user.username = "x-" + user.username
            user.save()
        assert demo_warnings() == []


def test_production_refuses_load_demo_and_check_deploy_reports_demo_data(tmp_path):
    """As an operator would: production settings refuse ``load_demo``; demo data put there with
    the development settings makes ``check --deploy`` fail."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base_env.pop("DATABASE_URL", None)
    base_env.update(KRISENWISSEN_DATA_DIR=str(tmp_path / "data"), DJANGO_ALLOWED_HOSTS="kw.example.org",
                    DJANGO_SECRET_KEY=secrets.token_urlsafe(64))

    def krisenwissen(settings: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        env = {**base_env, "DJANGO_SETTINGS_MODULE": f"krisenwissen.settings.{settings}", **(env or {})}
        return subprocess.run([sys.executable, "-m", "krisenwissen", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)

    assert krisenwissen("production", "migrate", "--verbosity", "0").returncode == 0
    refused = krisenwissen("production", "load_demo")
    assert refused.returncode != 0
    assert "Demo-Daten" in refused.stderr and "krisenwissen-demo" not in refused.stdout + refused.stderr
    clean = krisenwissen("production", "check", "--deploy", "--fail-level", "WARNING")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # the development settings with DEBUG off refuse as well
    assert krisenwissen("dev", "load_demo", env={"DJANGO_DEBUG": "0"}).returncode != 0
    assert krisenwissen("dev", "load_demo").returncode == 0
    reported = krisenwissen("production", "check", "--deploy", "--fail-level", "WARNING")
    assert reported.returncode != 0
    assert DEMO_CHECK_ID in reported.stderr and "demo-essen-2023" in reported.stderr
