"""The pure core of directory sign-in: parsing the operator's group mapping, planning the sync."""

import pytest

from krisenwissen.accounts.directorymapping import (
    MappingError,
    desired_roles,
    normalize_group,
    parse_group_mapping,
    plan_sync,
)

ROLES = ("leser", "mitwirkende", "moderation", "redaktion", "administration")


def test_text_mapping_with_ldap_dns_splits_at_the_last_equals_sign():
    text = ("cn=ks-essen-redaktion,ou=groups,dc=example,dc=org=05113:redaktion;\n"
            " CN=KS-Essen-Leser, OU=Groups, DC=example, DC=org = 05113:Leser")
    mapping = parse_group_mapping(text, roles=ROLES)
    assert mapping == {
        "cn=ks-essen-redaktion,ou=groups,dc=example,dc=org": [("05113", "redaktion")],
        "cn=ks-essen-leser,ou=groups,dc=example,dc=org": [("05113", "leser")],
    }


def test_json_mapping_allows_several_municipalities_per_group():
    mapping = parse_group_mapping('{"/krisenstab/essen": ["05113:redaktion", "05913:leser"], "Admins": "05113:administration"}',
                                  roles=ROLES)
    assert mapping == {"/krisenstab/essen": [("05113", "redaktion"), ("05913", "leser")], "admins": [("05113", "administration")]}


@pytest.mark.parametrize("text", [
    "gruppe=0511:leser",  # AGS with 4 digits
    "gruppe=05113:chef",  # unknown role
    "gruppe=05113",  # no role
    "05113:leser",  # no group
    '{"gruppe": 5}',
    '{"gruppe": "05113:leser"',
    "[1, 2]",
])
def test_bad_mappings_are_refused_with_a_german_message(text):
    with pytest.raises(MappingError) as exc:
        parse_group_mapping(text, roles=ROLES)
    assert str(exc.value)


def test_empty_mapping_is_empty():
    assert parse_group_mapping("  ", roles=ROLES) == {}


def test_highest_role_per_municipality_wins_and_groups_compare_case_insensitively():
    mapping = parse_group_mapping("a=05113:leser;b=05113:redaktion;c=05913:mitwirkende", roles=ROLES)
    assert desired_roles(["A", "B", "unbekannt"], mapping, roles=ROLES) == {"05113": "redaktion"}
    assert desired_roles([], mapping, roles=ROLES) == {}
    assert normalize_group(" CN=x , DC=y ") == "cn=x,dc=y"


def test_plan_creates_changes_removes_directory_memberships_and_leaves_local_ones():
    plan = plan_sync(desired={"05113": "redaktion", "05913": "leser", "05111": "leser"},
                     directory={"05913": "mitwirkende", "09162": "leser"}, local={"05111", "05315"})
    assert plan.create == {"05113": "redaktion"}
    assert plan.change == {"05913": "leser"}
    assert plan.remove == ["09162"]
    assert plan.kept_local == ["05111"]
