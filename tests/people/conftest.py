"""A small directory world: cities A, B and C share a network, D stands outside.

A has a Leitung (with a private mobile), an S1 (own entry with account), a reader and a functional
entry; B has a network entry and an intern entry with the same competence; C has an intern entry
with that competence (the "third city"); D a public one.
"""

from __future__ import annotations

import pytest

from krisenwissen.accounts.models import Role
from krisenwissen.core.policy import SYSTEM
from krisenwissen.people import actions
from krisenwissen.people.models import CompetenceArea, Doctrine, FunctionKind, HolderRole
from tests import factories as f


@pytest.fixture
def world(db):
    a = f.MunicipalityFactory(name="Stadt A", ags="05913")
    b = f.MunicipalityFactory(name="Stadt B", ags="05111")
    c = f.MunicipalityFactory(name="Stadt C", ags="05113")
    d = f.MunicipalityFactory(name="Stadt D", ags="09162")
    f.NetworkFactory(name="Netz", slug="netz", members=[a, b, c])
    users = {
        "s1_a": f.MembershipFactory(municipality=a, role=Role.MITWIRKENDE, user__username="s1-a").user,
        "reader_a": f.MembershipFactory(municipality=a, role=Role.LESER, user__username="leser-a").user,
        "leitung_a_user": f.MembershipFactory(municipality=a, role=Role.LESER, user__username="leitung-a").user,
        "admin_a": f.MembershipFactory(municipality=a, role=Role.ADMINISTRATION, user__username="admin-a").user,
        "reader_b": f.MembershipFactory(municipality=b, role=Role.LESER, user__username="leser-b").user,
        "s1_b": f.MembershipFactory(municipality=b, role=Role.MITWIRKENDE, user__username="s1-b").user,
        "reader_d": f.MembershipFactory(municipality=d, role=Role.LESER, user__username="leser-d").user,
        "superuser": f.UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    comm = CompetenceArea.objects.get(code="krisenkommunikation")
    warn = CompetenceArea.objects.get(code="warnung-bevoelkerung")
    staff = CompetenceArea.objects.get(code="stabsarbeit")

    def person(city, given, family, visibility="intern", account=None, consent=True, competences=(), channels=()):
        p = actions.do_create_person(city, acting_user=SYSTEM, given_name=given, family_name=family, visibility=visibility,
                                     account=account, consent_note="Formular Demo" if consent and account is None else "",
                                     position=f"Position {family}")
        if channels:
            actions.do_set_channels(p, list(channels), acting_user=SYSTEM)
        if competences:
            actions.do_set_competences(p, [(c, "", "") for c in competences], acting_user=SYSTEM)
        return p

    people = {
        "s1_a": person(a, "Sina", "Eins", account=users["s1_a"], competences=[staff]),
        "leitung_a": person(a, "Lena", "Leitwolf", visibility="netzwerk", account=users["leitung_a_user"], competences=[comm, warn, staff],
                            channels=[{"kind": "buero", "value": "030 23125 100"},
                                      {"kind": "mobil", "value": "030 23125 999", "audience": "privat", "availability": "rufbereitschaft"}]),
        "reader_a": person(a, "Rolf", "Leser", account=users["reader_a"]),
        "lagedienst_a": actions.do_create_person(a, acting_user=SYSTEM, display_name="Lagedienst A", position="Lagedienst"),
        "netz_b": person(b, "Nora", "Netzwerkerin", visibility="netzwerk", competences=[comm]),
        "intern_b": person(b, "Ines", "Internbach", visibility="intern", competences=[comm]),
        "intern_c": person(c, "Carla", "Drittstadt", visibility="intern", competences=[comm],
                           channels=[{"kind": "buero", "value": "030 23125 300"}]),
        "public_d": person(d, "Otto", "Offen", visibility="oeffentlich", competences=[comm]),
    }
    functions = {
        "leitung_a": actions.do_create_function(a, name="Leitung Krisenstab", kind=FunctionKind.STAB, doctrine=Doctrine.LEITUNG, acting_user=SYSTEM),
        "s1_a": actions.do_create_function(a, name="S1", kind=FunctionKind.STAB, doctrine=Doctrine.S1, acting_user=SYSTEM),
        "s1_b": actions.do_create_function(b, name="S1", kind=FunctionKind.STAB, doctrine=Doctrine.S1, acting_user=SYSTEM),
    }
    s1_b_person = person(b, "Bert", "Sonnig", account=users["s1_b"])
    actions.do_assign_function(functions["leitung_a"], people["leitung_a"], role=HolderRole.INHABER, acting_user=SYSTEM)
    actions.do_assign_function(functions["s1_a"], people["s1_a"], role=HolderRole.INHABER, acting_user=SYSTEM)
    actions.do_assign_function(functions["s1_a"], people["leitung_a"], role=HolderRole.VERTRETUNG, acting_user=SYSTEM)
    actions.do_assign_function(functions["s1_b"], s1_b_person, role=HolderRole.INHABER, acting_user=SYSTEM)
    people["s1_b"] = s1_b_person
    return {"cities": {"a": a, "b": b, "c": c, "d": d}, "users": users, "people": people, "functions": functions,
            "competences": {"comm": comm, "warn": warn, "staff": staff}}
