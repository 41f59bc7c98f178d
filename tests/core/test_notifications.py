"""In-app notifications with e-mail: only to the chosen, active recipients, only after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from krisenwissen.core.models import Notification
from krisenwissen.core.notifications import notify, unread_count

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_notify_stores_one_notification_per_person_and_mails_each_separately(django_capture_on_commit_callbacks):
    alice = f.UserFactory(email="alice@example.org")
    bob = f.UserFactory(email="bob@example.org")
    inactive = f.UserFactory(email="weg@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify([alice, bob, alice, inactive], subject="Neue Fassung: IfSG", body="§ 28b neu gefasst.", url="/verordnungen/1/")
    assert len(created) == 2
    assert sorted(n.recipient.username for n in Notification.objects.all()) == sorted([alice.username, bob.username])
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "http://testserver/verordnungen/1/" in mail.outbox[0].body or "/verordnungen/1/" in mail.outbox[0].body


def test_rolled_back_action_mails_nobody(django_capture_on_commit_callbacks):
    alice = f.UserFactory(email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify([alice], subject="x", body="y")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_list_shows_only_own_notifications_and_marks_them_read(client):
    alice, bob = f.UserFactory(), f.UserFactory()
    notify([alice], subject="Für Alice", body="", send_email=False)
    notify([bob], subject="Für Bob", body="", send_email=False)
    client.force_login(alice)
    assert unread_count(alice) == 1
    body = client.get("/benachrichtigungen/").content.decode()
    assert "Für Alice" in body and "Für Bob" not in body
    assert "1 neue" in client.get("/").content.decode()
    client.post("/benachrichtigungen/gelesen/")
    assert unread_count(alice) == 0 and unread_count(bob) == 1


@pytest.mark.parametrize("bad_id", ["²", "١", "99999999999999999999999"])
def test_marking_read_ignores_ids_that_are_no_database_keys(client, bad_id):
    alice = f.UserFactory()
    notify([alice], subject="Für Alice", body="", send_email=False)
    client.force_login(alice)
    assert client.post("/benachrichtigungen/gelesen/", {"id": [bad_id]}).status_code == 302
    assert unread_count(alice) == 1


def test_marking_read_needs_the_declared_permission_and_touches_only_own(client):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from krisenwissen.core.notifications import do_mark_notifications_read
    from krisenwissen.core.policy import has_perm

    alice, bob = f.UserFactory(), f.UserFactory()
    [own] = notify([alice], subject="Für Alice", body="", send_email=False)
    [other] = notify([bob], subject="Für Bob", body="", send_email=False)
    assert has_perm(alice, "core.read_notification", own) and not has_perm(alice, "core.read_notification", other)
    with pytest.raises(PermissionDenied):
        do_mark_notifications_read(acting_user=AnonymousUser())
    assert do_mark_notifications_read([own.pk, other.pk], acting_user=alice) == 1
    assert unread_count(alice) == 0 and unread_count(bob) == 1
