"""Municipal administrators manage people and roles of their own municipality only."""

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import Membership, Role, User
from krisenwissen.core.models import AuditEntry

from .. import factories as f


def test_admin_creates_person_and_sets_role(client, city_a, city_b):
    admin_a = f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION, user__username="admin-a").user
    client.force_login(admin_a)
    response = client.post(f"/konto/verwaltung/kommune/{city_a.ags}/", {
        "neu-username": "neu.person", "neu-first_name": "Max", "neu-last_name": "Muster", "neu-email": "", "neu-role": "mitwirkende"})
    assert response.status_code == 302
    person = User.objects.get(username="neu.person")
    assert not person.has_usable_password()
    assert Membership.objects.get(user=person).role == "mitwirkende"
    assert AuditEntry.objects.filter(action=AccountsEvent.PERSON_CREATED, actor=admin_a).exists()
    # Another municipality's administration page is not reachable.
    assert client.get(f"/konto/verwaltung/kommune/{city_b.ags}/").status_code == 404


def test_admin_sees_audit_log_of_own_municipality_only(client, city_a, city_b):
    admin_a = f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION, user__username="admin-a").user
    AuditEntry.objects.create(action="geheim_b", municipality=city_b, object_repr="B-Eintrag")
    AuditEntry.objects.create(action="sichtbar_a", municipality=city_a, object_repr="A-Eintrag")
    client.force_login(admin_a)
    page = client.get("/konto/verwaltung/protokoll/").content.decode()
    assert "sichtbar_a" in page and "geheim_b" not in page


def test_audit_log_filter_survives_paging_and_csv_link(client, city_a):
    admin_a = f.MembershipFactory(municipality=city_a, role=Role.ADMINISTRATION).user
    for _ in range(51):
        AuditEntry.objects.create(action="a&b", municipality=city_a)
    client.force_login(admin_a)
    page = client.get("/konto/verwaltung/protokoll/", {"aktion": "a&b"}).content.decode()
    assert "?aktion=a%26b&amp;seite=2" in page and "?aktion=a%26b&amp;format=csv" in page


def test_platform_admin_pages_open_and_audit_log_is_read_only(client, admin_user, city_a):
    client.force_login(admin_user)
    for url in ["/verwaltung/django/accounts/user/", f"/verwaltung/django/accounts/user/{admin_user.pk}/change/",
                "/verwaltung/django/accounts/municipality/", "/verwaltung/django/core/auditentry/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/verwaltung/django/core/auditentry/add/").status_code == 403
