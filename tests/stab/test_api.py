"""Staffs in the read-only API: only staffs the person may read, and in the OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from krisenwissen.stab.models import AssignmentRole

from .helpers import activate, city_with_admin, member

pytestmark = pytest.mark.django_db


def test_staff_endpoints_are_permission_aware(client):
    city, admin = city_with_admin()
    holder, outsider = member(city), member(city)
    staff = activate(municipality=city, acting_user=admin, name="Stab API", assignments={"lage": [(holder, AssignmentRole.INHABER)]})
    activate(municipality=city, acting_user=admin, name="Übungsstab API", exercise=True)
    assert client.get("/api/v1/staebe/").json() == {"results": []}
    assert client.get(f"/api/v1/staebe/{staff.uuid}/").status_code == 404
    client.force_login(outsider)
    assert client.get("/api/v1/staebe/").json() == {"results": []}
    assert client.get(f"/api/v1/staebe/{staff.uuid}/").status_code == 404
    client.force_login(holder)
    assert [s["name"] for s in client.get("/api/v1/staebe/").json()["results"]] == ["Stab API"]
    data = client.get(f"/api/v1/staebe/{staff.uuid}/").json()
    assert next(f for f in data["functions"] if f["code"] == "lage")["holders"] == 1
    assert "username" not in str(data) and holder.username not in str(data)
    client.force_login(admin)
    assert {s["name"] for s in client.get("/api/v1/staebe/?uebung=1").json()["results"]} == {"Übungsstab API"}
    assert {s["name"] for s in client.get("/api/v1/staebe/?uebung=0").json()["results"]} == {"Stab API"}


def test_openapi_document_names_the_staff_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    validate(spec)
    assert "/staebe/" in spec["paths"] and "/staebe/{id}/" in spec["paths"] and "Staff" in spec["components"]["schemas"]
