"""Guided set-up of a new municipality: pick it from the directory, take it in, invite people
through the existing page, join a network; platform administration only, every step audited."""

import pytest
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_platform_admin_sets_up_a_municipality_from_the_directory(client):
    bochum = f.MunicipalityFactory(name="Bochum", ags="05911000", is_participating=False)
    network = f.NetworkFactory(name="Ruhr", slug="ruhr", members=[])
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("ui:municipality_setup")
    found = client.get(url, {"q": "boch"}).content.decode()
    assert "Bochum" in found and "?ags=05911000" in found
    page = client.get(url, {"ags": "05911000"}).content.decode()
    assert "Kommune in die Plattform aufnehmen" in page

    assert client.post(url, {"ags": "05911000", "step": "join"}).status_code == 302
    bochum.refresh_from_db()
    assert bochum.is_participating
    page = client.get(url, {"ags": "05911000"}).content.decode()
    assert reverse("accounts:members", args=["05911000"]) in page  # invite people on the existing page
    assert client.get(reverse("accounts:members", args=["05911000"])).status_code == 200

    assert client.post(url, {"ags": "05911000", "step": "network", "network": network.pk}).status_code == 302
    assert list(network.members.all()) == [bochum]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.municipality_joined", "accounts.network_joined"} <= actions
    # Idempotent: taking it in again writes no second row.
    client.post(url, {"ags": "05911000", "step": "join"})
    assert AuditEntry.objects.filter(action="accounts.municipality_joined").count() == 1


def test_municipal_administration_cannot_use_the_set_up(client):
    bochum = f.MunicipalityFactory(name="Bochum", ags="05911000", is_participating=False)
    client.force_login(f.MembershipFactory(role=Role.ADMINISTRATION).user)
    url = reverse("ui:municipality_setup")
    assert client.get(url).status_code == 403
    assert client.post(url, {"ags": bochum.ags, "step": "join"}).status_code == 403
    bochum.refresh_from_db()
    assert not bochum.is_participating


def test_network_needs_a_participating_municipality_and_bad_input_does_not_crash(client):
    f.MunicipalityFactory(name="Herne", ags="05916000", is_participating=False)
    network = f.NetworkFactory(name="Ruhr", slug="ruhr", members=[])
    client.force_login(f.UserFactory(is_superuser=True))
    url = reverse("ui:municipality_setup")
    response = client.post(url, {"ags": "05916000", "step": "network", "network": network.pk}, follow=True)
    assert "nimmt noch nicht an der Plattform teil" in response.content.decode()
    assert not network.members.exists()
    assert client.get(url, {"ags": "99999999"}).status_code == 404
    assert client.post(url, {"ags": "05916000", "step": "network", "network": "x"}, follow=True).status_code == 200
    assert client.get(url, {"q": "a" * 5000}).status_code == 200
