"""Signing in with a service account through OpenID Connect, in a real browser.

The provider is django-oidc-provider running as its own server (tests/directoryservers.py).
"""

import re

import pytest
from django.test import override_settings

from krisenwissen.accounts.models import AccountSource, Membership, Role, User

from .. import factories as f
from ..directoryservers import OP_PEOPLE, openid_provider  # noqa: F401 (fixture)
from .conftest import check_page, url

BACKENDS = ["rules.permissions.ObjectPermissionBackend", "django.contrib.auth.backends.ModelBackend",
            "krisenwissen.accounts.directory.OIDCBackend"]


@pytest.fixture
def oidc(openid_provider, live_server, transactional_db):  # noqa: F811
    openid_provider.register_client(live_server.url + url("accounts:oidc_callback"))
    mapping = '{"/krisenstab/essen": "05113:redaktion"}'
    with override_settings(AUTHENTICATION_BACKENDS=BACKENDS, **openid_provider.settings(KRISENWISSEN_OIDC_GROUP_ROLES=mapping)):
        f.MunicipalityFactory(name="Essen", ags="05113")
        yield openid_provider


def test_sign_in_with_service_account_button(page, oidc, live_server):
    page.goto(url("accounts:login"))
    check_page(page)
    page.get_by_role("link", name="Mit Dienstkonto anmelden").click()
    page.wait_for_url(re.compile(re.escape(oidc.url) + r"/accounts/login/"))
    page.get_by_label("Kennung").fill("clara.claasen")
    page.get_by_label("Kennwort").fill(OP_PEOPLE["clara.claasen"][0])
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url(live_server.url + "/")
    assert not page.url.startswith(oidc.url), page.url
    assert page.get_by_role("banner").get_by_text("Angemeldet als").is_visible()
    check_page(page)
    user = User.objects.get(account_source=AccountSource.OIDC)
    assert Membership.objects.filter(user=user, municipality__ags="05113", role=Role.REDAKTION).exists()
