"""Sign-in with OpenID Connect: the authorization-code flow over HTTP against a real provider.

The provider (django-oidc-provider in its own process) and our live server talk HTTP to each
other; a ``requests`` session plays the browser and follows the redirects.
"""

import re
from urllib.parse import urljoin

import pytest
import requests
from django.test import override_settings

from krisenwissen.accounts.events import AccountsEvent
from krisenwissen.accounts.models import AccountSource, Membership, MembershipSource, Role, User
from krisenwissen.core.models import AuditEntry

from .. import factories as f
from ..directoryservers import OP_PEOPLE, openid_provider  # noqa: F401 (fixture)

BACKENDS = ["rules.permissions.ObjectPermissionBackend", "django.contrib.auth.backends.ModelBackend",
            "krisenwissen.accounts.directory.OIDCBackend"]
MAPPING = '{"/krisenstab/essen": "05113:redaktion", "/krisenstab/dortmund-leser": "05913:leser"}'
CALLBACK = "/konto/dienstkonto/rueckkehr/"


@pytest.fixture
def oidc(openid_provider, live_server, transactional_db):  # noqa: F811
    openid_provider.register_client(live_server.url + CALLBACK)
    with override_settings(AUTHENTICATION_BACKENDS=BACKENDS,
                           **openid_provider.settings(KRISENWISSEN_OIDC_GROUP_ROLES=MAPPING)):
        f.MunicipalityFactory(name="Essen", ags="05113")
        f.MunicipalityFactory(name="Dortmund", ags="05913")
        yield openid_provider


def sign_in_at_provider(session: requests.Session, live_url: str, username: str, password: str) -> requests.Response:
    """Click "Mit Dienstkonto anmelden", fill the provider's login form, follow all redirects."""
    page = session.get(live_url + "/konto/anmelden/", timeout=30)
    assert "Mit Dienstkonto anmelden" in page.text
    start = re.search(r'href="(/konto/dienstkonto/[^"]*)"', page.text).group(1)
    form = session.get(live_url + start, timeout=30)
    assert "Identitätsanbieter der Stadt" in form.text, form.url
    next_value = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    return session.post(urljoin(form.url, "?"), timeout=30, headers={"Referer": form.url}, data={
        "username": username, "password": password, "next": next_value,
        "csrfmiddlewaretoken": session.cookies.get("op_csrftoken")})


def signed_in(session, live_url) -> bool:
    response = session.get(live_url + "/konto/anmelden/", allow_redirects=False, timeout=30)
    return response.status_code == 302  # the login page sends signed-in people on


def test_authorization_code_flow_signs_in_and_maps_groups(oidc, live_server):
    session = requests.Session()
    password = OP_PEOPLE["clara.claasen"][0]
    response = sign_in_at_provider(session, live_server.url, "clara.claasen", password)
    assert response.url == live_server.url + "/", [r.url for r in response.history]
    assert signed_in(session, live_server.url)
    user = User.objects.get(account_source=AccountSource.OIDC)
    assert user.username == "clara.claasen"
    assert user.external_id == f"{oidc.issuer}|{user.external_id.rsplit('|', 1)[1]}"
    assert (user.first_name, user.last_name, user.email) == ("Clara", "Claasen", "clara@essen.example")
    assert not user.has_usable_password()
    memberships = {(m.municipality.ags, m.role, m.source) for m in Membership.objects.filter(user=user)}
    assert memberships == {("05113", Role.REDAKTION, MembershipSource.DIRECTORY)}


def test_second_sign_in_follows_changed_groups_and_keeps_local_roles(oidc, live_server):
    password = OP_PEOPLE["clara.claasen"][0]
    sign_in_at_provider(requests.Session(), live_server.url, "clara.claasen", password)
    clara = User.objects.get(username="clara.claasen")
    f.MembershipFactory(user=clara, municipality=f.MunicipalityFactory(name="Köln", ags="05315"), role=Role.MODERATION)
    oidc.set_groups("clara.claasen", ["/krisenstab/dortmund-leser"])
    try:
        session = requests.Session()
        response = sign_in_at_provider(session, live_server.url, "clara.claasen", password)
        assert response.url == live_server.url + "/"
    finally:
        oidc.set_groups("clara.claasen", OP_PEOPLE["clara.claasen"][4])
    assert User.objects.filter(account_source=AccountSource.OIDC).count() == 1  # the same account again
    memberships = {(m.municipality.ags, m.role, m.source) for m in Membership.objects.filter(user=clara)}
    assert memberships == {("05913", Role.LESER, MembershipSource.DIRECTORY), ("05315", Role.MODERATION, MembershipSource.LOCAL)}
    assert AuditEntry.objects.filter(action=AccountsEvent.DIRECTORY_MEMBERSHIP_REMOVED).count() == 1


def test_wrong_password_at_the_provider_signs_in_nobody(oidc, live_server):
    session = requests.Session()
    response = sign_in_at_provider(session, live_server.url, "clara.claasen", "falsch")
    assert response.url.startswith(oidc.url)
    assert not signed_in(session, live_server.url)
    assert not User.objects.exists() or not User.objects.filter(account_source=AccountSource.OIDC).exists()


def test_local_account_with_the_same_name_is_not_taken_over(oidc, live_server):
    local = f.UserFactory(username="clara.claasen", email="clara@essen.example")
    session = requests.Session()
    sign_in_at_provider(session, live_server.url, "clara.claasen", OP_PEOPLE["clara.claasen"][0])
    assert signed_in(session, live_server.url)
    oidc_user = User.objects.get(account_source=AccountSource.OIDC)
    assert oidc_user.pk != local.pk and oidc_user.username.startswith("dienstkonto-")
    assert not Membership.objects.filter(user=local).exists()


def test_forged_callback_goes_back_to_the_login_page_with_a_message(oidc, live_server):
    session = requests.Session()
    response = session.get(live_server.url + CALLBACK + "?code=erfunden&state=erfunden", timeout=30)
    assert response.status_code == 200 and response.url.startswith(live_server.url + "/konto/anmelden/")
    assert "Die Anmeldung mit dem Dienstkonto ist fehlgeschlagen" in response.text
    assert not signed_in(session, live_server.url)
    # With a flow under way, a state the platform did not issue is refused as well.
    session.get(live_server.url + "/konto/dienstkonto/", allow_redirects=False, timeout=30)
    response = session.get(live_server.url + CALLBACK + "?code=erfunden&state=erfunden", timeout=30)
    assert response.status_code == 200 and response.url.startswith(live_server.url + "/konto/anmelden/")
    assert "Die Anmeldung mit dem Dienstkonto ist abgelaufen" in response.text
    assert not signed_in(session, live_server.url)


def test_without_configuration_no_button_and_no_endpoint(client, db):
    assert "Mit Dienstkonto anmelden" not in client.get("/konto/anmelden/").content.decode()
    assert client.get("/konto/dienstkonto/").status_code == 404
    assert client.get(CALLBACK + "?code=x&state=y").status_code == 404
