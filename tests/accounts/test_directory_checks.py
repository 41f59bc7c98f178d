"""`krisenwissen check` names broken directory sign-in settings before anyone tries to sign in."""

from django.test import override_settings

from krisenwissen.accounts.checks import check_directory_sign_in


def ids(**settings):
    with override_settings(**settings):
        return {m.id for m in check_directory_sign_in()}


def test_default_settings_are_clean():
    assert ids() == set()


def test_broken_group_mapping_is_an_error():
    assert "krisenwissen.E201" in ids(KRISENWISSEN_OIDC_GROUP_ROLES="gruppe=05113:chef")


def test_ldap_without_tls_warns_and_without_search_base_fails():
    assert ids(KRISENWISSEN_LDAP_SERVER_URI="ldap://dc1", KRISENWISSEN_LDAP_USER_SEARCH_BASE="") == {
        "krisenwissen.E202", "krisenwissen.W201"}
    assert ids(KRISENWISSEN_LDAP_SERVER_URI="ldaps://dc1", KRISENWISSEN_LDAP_USER_SEARCH_BASE="dc=x") == set()


def test_half_configured_openid_connect_is_an_error():
    assert "krisenwissen.E203" in ids(OIDC_RP_CLIENT_ID="krisenwissen")
