"""The read-only API of a staff's tasks and messages: only for its readers, in the OpenAPI document."""

import datetime

import pytest
from django.utils import timezone

from krisenwissen.stab import msg_actions as actions
from tests.factories import UserFactory

from .staffs import make_staff

pytestmark = pytest.mark.django_db


def test_tasks_and_messages_api_for_members_only(client):
    s = make_staff()
    staff, f, u = s["staff"], s["functions"], s["users"]
    task = actions.do_create_task(staff, title="Impfzentrum planen", owner_function=f["gesundheit"],
                                  due_at=timezone.now() + datetime.timedelta(minutes=5), acting_user=u["leitung"])
    actions.do_create_task(staff, title="Pressemitteilung", owner_function=f["ordnung"], due_at=None, acting_user=u["leitung"])
    actions.do_record_message(staff, direction="eingang", channel="email", priority="normal", sender="A", recipient="B", content="normal",
                              acting_user=u["s1"])
    actions.do_record_message(staff, direction="eingang", channel="funk", priority="blitz", sender="A", recipient="B", content="blitz",
                              acting_user=u["s1"])
    url = f"/api/v1/staebe/{staff.uuid}/auftraege/"
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(u["s1"])
    data = client.get(url).json()
    assert data["count"] == 2 and data["results"][0]["title"] == "Impfzentrum planen"
    assert data["results"][0]["owner_function"] == {"code": "gesundheit", "name": "Gesundheitsamt"}
    from krisenwissen.stab.models import Task

    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    overdue = client.get(url + "?ueberfaellig=1").json()
    assert [t["title"] for t in overdue["results"]] == ["Impfzentrum planen"] and overdue["results"][0]["overdue"] is True
    assert client.get(url + "?limit=0").status_code == 400
    assert client.get(url + "?status=kaputt").status_code == 400
    messages = client.get(f"/api/v1/staebe/{staff.uuid}/meldungen/").json()
    assert [m["content"] for m in messages["results"]] == ["blitz", "normal"]
    spec = client.get("/api/openapi.json").json()
    assert "/staebe/{staff}/auftraege/" in spec["paths"] and "StaffTask" in spec["components"]["schemas"]
