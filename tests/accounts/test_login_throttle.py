"""Brute-force protection on every login path (issue 11, defects 1 and 2).

The throttle counts per (account, client address), per client address and per account, with
growing waits instead of hard lock-outs; an attempt is counted before its password is checked,
so parallel guesses cannot slip past the limit.
"""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.test import Client, override_settings
from django.utils import timezone

import krisenwissen
from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import LoginThrottle
from krisenwissen.core.models import AuditEntry

from .. import factories as f

LOGIN = "/konto/anmelden/"
ADMIN_LOGIN = "/verwaltung/django/login/"
RIGHT = "geheim-passwort-123"


def post_login(client, username, password, address="198.51.100.7", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_django_admin_login_is_throttled_and_audited(client, db, caplog):
    """Defect 1: 30 wrong passwords for ``admin`` at the Django admin login, then the right one."""
    f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    with caplog.at_level(logging.INFO, logger="krisenwissen.security"):
        statuses = [post_login(client, "admin", f"falsch-{i}", url=ADMIN_LOGIN).status_code for i in range(30)]
        response = post_login(client, "admin", RIGHT, url=ADMIN_LOGIN)
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    failed = AuditEntry.objects.filter(action=AccountsEvent.LOGIN_FAILED)
    assert failed.count() == 5 and {row.client_address for row in failed} == {"198.51.100.7"}
    assert sum('"accounts.login_throttled"' in r.getMessage() for r in caplog.records) == 26
    # One audit row per wait; further refusals are log lines only (an attacker fills no table).
    assert AuditEntry.objects.filter(action=AccountsEvent.LOGIN_THROTTLED).count() == 1


def test_django_admin_login_success_is_audited(client, db):
    admin = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    response = post_login(client, "admin", RIGHT, url=ADMIN_LOGIN)
    assert response.status_code == 302
    row = AuditEntry.objects.get(action=AccountsEvent.ADMIN_LOGIN)
    assert row.actor == admin and row.client_address == "198.51.100.7"


def test_attacker_cannot_lock_out_the_real_user(client, db):
    """Defect 2: five wrong passwords from elsewhere do not lock the real user out."""
    f.UserFactory(username="erika")
    for i in range(12):
        post_login(client, "erika", f"falsch-{i}", address="203.0.113.66")
    response = post_login(Client(), "erika", RIGHT, address="198.51.100.7")
    assert response.status_code == 302


@override_settings(KRISENWISSEN_TRUSTED_PROXIES=["10.0.0.1"])
def test_failures_behind_the_proxy_count_per_client_not_for_the_whole_city(db):
    """Defect 2: behind the TLS proxy, 35 failures of one client do not shut out the others."""
    f.UserFactory(username="erika")
    attacker = Client()
    for i in range(35):
        attacker.post(LOGIN, {"username": f"person-{i % 7}", "password": "falsch"},
                      REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert attacker.post(LOGIN, {"username": "erika", "password": RIGHT},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 429
    colleague = Client().post(LOGIN, {"username": "erika", "password": RIGHT},
                              REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert colleague.status_code == 302


def test_spraying_from_a_shared_address_spares_people_who_signed_in_there_before(db):
    """A city behind one NAT address: a sprayer there waits, colleagues known there do not."""
    f.UserFactory(username="erika")
    assert post_login(Client(), "erika", RIGHT, address="192.0.2.10").status_code == 302
    sprayer = Client()
    for i in range(35):
        post_login(sprayer, f"person-{i % 7}", "falsch", address="192.0.2.10")
    assert post_login(sprayer, "person-1", "falsch", address="192.0.2.10").status_code == 429
    assert post_login(Client(), "erika", RIGHT, address="192.0.2.10").status_code == 302


def test_throttled_answer_says_how_long_to_wait(client, db):
    f.UserFactory(username="erika")
    for i in range(5):
        post_login(client, "erika", f"falsch-{i}")
    response = post_login(client, "erika", RIGHT)
    assert response.status_code == 429
    assert 25 <= int(response["Retry-After"]) <= 30
    assert "Bitte warten Sie 30 Sekunden" in response.content.decode()


def test_waits_grow_and_end(client, db):
    """Progressive: after the wait one more guess is checked, then the wait doubles."""
    f.UserFactory(username="erika")
    for i in range(5):
        post_login(client, "erika", f"falsch-{i}")
    assert post_login(client, "erika", "falsch").status_code == 429
    LoginThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert post_login(client, "erika", "falsch").status_code == 200  # checked again, wrong
    response = post_login(client, "erika", RIGHT)
    assert response.status_code == 429 and 55 <= int(response["Retry-After"]) <= 60
    assert "1 Minute" in response.content.decode()
    LoginThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert post_login(client, "erika", RIGHT).status_code == 302
    # A successful login forgets this pair's failures.
    assert LoginThrottle.objects.get(scope="pair").failures == 0


def test_counters_are_forgotten_a_day_after_the_last_failure(client, db):
    f.UserFactory(username="erika")
    for i in range(5):
        post_login(client, "erika", f"falsch-{i}")
    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(hours=25),
                                 blocked_until=timezone.now() - timedelta(hours=25))
    post_login(client, "mallory", "falsch", address="203.0.113.9")  # any attempt tidies up
    assert not LoginThrottle.objects.filter(key__startswith="erika").exists()
    assert post_login(client, "erika", RIGHT).status_code == 302


def test_many_addresses_only_delay_the_account_and_spare_its_known_address(db):
    """An attacker with many addresses delays an account briefly; its usual address stays open."""
    f.UserFactory(username="erika")
    assert post_login(Client(), "erika", RIGHT, address="198.51.100.7").status_code == 302  # her workstation
    for i in range(60):
        post_login(Client(), "erika", "falsch", address=f"203.0.113.{i + 1}")
    stranger = post_login(Client(), "erika", RIGHT, address="192.0.2.200")
    assert stranger.status_code == 429 and int(stranger["Retry-After"]) <= 60
    assert post_login(Client(), "erika", RIGHT, address="198.51.100.7").status_code == 302


RACE_SCRIPT = """
import json, threading, django
django.setup()
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from krisenwissen.accounts.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("erika", password="geheim-passwort-123")
checked, statuses, errors = [], [], []
lock = threading.Lock()
original = ModelBackend.authenticate

def counting(self, request, username=None, password=None, **kwargs):
    with lock:
        checked.append(username)
    return original(self, request, username=username, password=password, **kwargs)

ModelBackend.authenticate = counting
barrier = threading.Barrier(30)

def guess(i):
    try:
        barrier.wait()
        response = Client().post("/konto/anmelden/", {"username": "erika", "password": f"falsch-{i}"},
                                 REMOTE_ADDR="198.51.100.7")
        statuses.append(response.status_code)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"checked": len(checked), "statuses": statuses, "errors": errors}))
"""


def test_parallel_guesses_are_not_all_checked(tmp_path):
    """Defect 2: 30 parallel wrong passwords: only the free attempts reach the password check.

    Runs in its own process on a database file with the platform's SQLite settings (WAL,
    IMMEDIATE transactions, busy timeout), as in production: the test suite's in-memory
    database fails concurrent writers at once instead of letting them wait.
    """
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="krisenwissen.settings.test", KRISENWISSEN_DATA_DIR=str(tmp_path / "data"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}",
               PYTHONPATH=os.pathsep.join([str(Path(krisenwissen.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    script = tmp_path / "race.py"
    script.write_text(RACE_SCRIPT)
    result = subprocess.run([sys.executable, str(script)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == [] and len(outcome["statuses"]) == 30
    assert outcome["checked"] <= 5
    assert outcome["statuses"].count(429) >= 25
