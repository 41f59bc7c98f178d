"""The one sync of directory memberships shared by LDAP and OpenID Connect (no server needed)."""

from krisenwissen.accounts import actions
from krisenwissen.accounts.directorymapping import parse_group_mapping
from krisenwissen.accounts.models import Membership, MembershipSource, Role
from krisenwissen.core.policy import SYSTEM

from .. import factories as f

MAPPING = parse_group_mapping("essen=05113:redaktion;nirgendwo=01001:leser", roles=Role.values)


def test_unknown_municipality_is_skipped_and_reported(db):
    f.MunicipalityFactory(name="Essen", ags="05113")
    person = f.UserFactory(username="person")
    result = actions.do_sync_directory_memberships(user=person, groups=["essen", "nirgendwo"], mapping=MAPPING,
                                                   source="ldap", acting_user=SYSTEM)
    assert result["created"] == ["05113"] and result["unknown"] == ["01001"]
    assert list(Membership.objects.values_list("municipality__ags", "source")) == [("05113", MembershipSource.DIRECTORY)]


def test_administrator_setting_a_role_makes_the_membership_local(db):
    essen = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=essen, role=Role.ADMINISTRATION).user
    person = f.UserFactory(username="person")
    actions.do_sync_directory_memberships(user=person, groups=["essen"], mapping=MAPPING, source="oidc", acting_user=SYSTEM)
    actions.do_set_membership(user=person, municipality=essen, role=Role.LESER, acting_user=admin)
    # The next sign-in finds no directory group any more: the local role stays.
    actions.do_sync_directory_memberships(user=person, groups=[], mapping=MAPPING, source="oidc", acting_user=SYSTEM)
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.source) == (Role.LESER, MembershipSource.LOCAL)


def test_administration_page_marks_directory_memberships(client, db):
    essen = f.MunicipalityFactory(name="Essen", ags="05113")
    admin = f.MembershipFactory(municipality=essen, role=Role.ADMINISTRATION).user
    person = f.UserFactory(username="aus-dem-ad")
    actions.do_sync_directory_memberships(user=person, groups=["essen"], mapping=MAPPING, source="ldap", acting_user=SYSTEM)
    client.force_login(admin)
    page = client.get("/konto/verwaltung/kommune/05113/").content.decode()
    assert page.count("(aus dem Verzeichnis)") == 1
