"""Fixtures shared by the whole suite."""

import pytest

from krisenwissen.accounts.models import Role

from . import factories as f


@pytest.fixture
def city_a(db):
    return f.MunicipalityFactory(name="Stadt A", ags="05913")


@pytest.fixture
def city_b(db):
    return f.MunicipalityFactory(name="Stadt B", ags="05111")


@pytest.fixture
def city_c(db):
    """A participating city outside the network of A and B."""
    return f.MunicipalityFactory(name="Stadt C", ags="09162")


@pytest.fixture
def network(city_a, city_b):
    return f.NetworkFactory(name="Partnerstädte", slug="partner", members=[city_a, city_b])


@pytest.fixture
def reader_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="leser-a").user


@pytest.fixture
def editor_b(city_b):
    return f.MembershipFactory(municipality=city_b, role=Role.REDAKTION, user__username="redaktion-b").user


@pytest.fixture
def contributor_a(city_a):
    return f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE, user__username="mitwirkende-a").user


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="admin", is_superuser=True, is_staff=True)
