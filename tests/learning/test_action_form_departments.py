"""The action form offers only the departments (and people) of the action's municipality (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from tests import factories as f


def _options(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
            if value]


@pytest.fixture
def departments(city_a, city_b):
    f.DepartmentFactory(municipality=city_a, name="Ordnungsamt A")
    f.DepartmentFactory(municipality=city_a, name="Feuerwehr A")
    f.DepartmentFactory(municipality=city_b, name="Gesundheitsamt B")
    f.MunicipalityFactory(name="Stadt C", ags="05315")
    f.DepartmentFactory(municipality__ags="05315", name="Schulamt C")


def test_a_contributor_sees_only_the_departments_of_the_own_municipality(client, contributor_a, departments):
    client.force_login(contributor_a)
    html = client.get(reverse("learning:action_create")).content.decode()
    assert _options(html, "department") == ["Feuerwehr A", "Ordnungsamt A"]


def test_an_administrator_with_a_home_municipality_starts_with_its_departments(client, admin_user, city_b,
                                                                               departments):
    f.MembershipFactory(user=admin_user, municipality=city_b, role=Role.REDAKTION)
    client.force_login(admin_user)
    html = client.get(reverse("learning:action_create")).content.decode()
    assert _options(html, "department") == ["Gesundheitsamt B"]
    assert re.search(rf'<option value="{city_b.pk}" selected>', html)


def test_the_submitted_municipality_decides_the_departments(client, admin_user, city_a, city_b, departments):
    client.force_login(admin_user)
    response = client.post(reverse("learning:action_create"), {"municipality": city_b.pk, "title": ""})
    assert _options(response.content.decode(), "department") == ["Gesundheitsamt B"]
