"""Who may do what in Köpfe kennen (people/rules.py)."""

import pytest

from krisenwissen.core.policy import has_perm


def test_private_channels_only_for_the_person_and_s1_leitung(world):
    u, p = world["users"], world["people"]
    leitung = p["leitung_a"]
    assert has_perm(u["leitung_a_user"], "people.view_private_channels", leitung)  # the person
    assert has_perm(u["s1_a"], "people.view_private_channels", leitung)  # S1 of the city
    assert has_perm(u["superuser"], "people.view_private_channels", leitung)
    assert not has_perm(u["reader_a"], "people.view_private_channels", leitung)  # same city, no staff role
    assert not has_perm(u["admin_a"], "people.view_private_channels", leitung)  # Administration is not S1/Leitung
    assert not has_perm(u["s1_b"], "people.view_private_channels", leitung)  # S1 of another city
    assert not has_perm(None, "people.view_private_channels", leitung)


def test_directory_management_is_administration_and_s1(world):
    u, p, a = world["users"], world["people"], world["cities"]["a"]
    assert has_perm(u["admin_a"], "people.manage_directory", a)
    assert has_perm(u["s1_a"], "people.manage_directory", a)
    assert not has_perm(u["reader_a"], "people.manage_directory", a)
    assert not has_perm(u["s1_b"], "people.manage_directory", a)
    assert has_perm(u["s1_a"], "people.set_leaving", p["reader_a"])
    assert has_perm(u["leitung_a_user"], "people.set_leaving", p["reader_a"])  # deputy of S1 acts as S1
    assert not has_perm(u["reader_a"], "people.set_leaving", p["s1_a"])
    assert has_perm(u["s1_a"], "people.manage_handover", p["leitung_a"])
    assert not has_perm(u["reader_a"], "people.manage_handover", p["leitung_a"])


def test_confirm_own_entry(world):
    u, p = world["users"], world["people"]
    assert has_perm(u["reader_a"], "people.confirm_own_entry", p["reader_a"])
    assert not has_perm(u["reader_a"], "people.confirm_own_entry", p["leitung_a"])
    # An entry without account: its maintainer or the directory management.
    assert has_perm(u["s1_a"], "people.confirm_own_entry", p["lagedienst_a"])
    assert not has_perm(u["reader_a"], "people.confirm_own_entry", p["lagedienst_a"])


@pytest.mark.parametrize(("who", "target", "allowed"), [
    ("reader_a", "intern_b", False), ("reader_a", "netz_b", True), ("reader_a", "intern_c", False),
    ("reader_b", "leitung_a", True), ("reader_b", "reader_a", False), ("reader_d", "public_d", True),
    ("reader_d", "netz_b", False),
])
def test_reading_follows_visibility(world, who, target, allowed):
    assert has_perm(world["users"][who], "people.view_person", world["people"][target]) is allowed


def test_person_may_not_link_accounts_or_re_key_own_entry(world):
    from krisenwissen.core.policy import PermissionDenied
    from krisenwissen.people import actions

    user = world["users"]["reader_a"]
    entry = world["people"]["reader_a"]
    actions.do_update_person(entry, acting_user=user, position="Sachbearbeitung")
    for fields in ({"external_key": "x-1"}, {"maintained_by": user}, {"account": None}):
        with pytest.raises(PermissionDenied):
            actions.do_update_person(entry, acting_user=user, **fields)
    actions.do_update_person(entry, acting_user=world["users"]["admin_a"], external_key="x-1")
