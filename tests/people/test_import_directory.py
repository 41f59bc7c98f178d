"""Import of the directory from LDAP against the real slapd the sign-in tests use."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from krisenwissen.people.io_directory import do_import_from_directory
from krisenwissen.people.models import Person
from tests import factories as f
from tests.directoryservers import LDAP_SUFFIX, slapd_server  # noqa: F401 (fixture)

from .io_helpers import directory_admin

pytestmark = pytest.mark.django_db

BASE = f"ou=koepfe,{LDAP_SUFFIX}"
PEOPLE = {
    "carla.cordes": {"givenName": "Carla", "sn": "Cordes", "cn": "Carla Cordes", "mail": "carla.cordes@essen.example",
                     "telephoneNumber": "0201 88-4711", "ou": "Ordnungsamt", "title": "Leiterin Lagedienst"},
    "dieter.dahl": {"givenName": "Dieter", "sn": "Dahl", "cn": "Dieter Dahl", "mail": "dieter.dahl@essen.example",
                    "telephoneNumber": "+49 201 884712", "ou": "Feuerwehr", "title": "Sachgebietsleiter"},
}


@pytest.fixture
def ldap_people(slapd_server):  # noqa: F811
    conn = slapd_server.connect_as_root()
    conn.add(BASE, ["organizationalUnit"], {"ou": "koepfe"})
    for uid, attributes in PEOPLE.items():
        conn.add(f"uid={uid},{BASE}", ["inetOrgPerson"], {"uid": uid, **attributes})
    try:
        with override_settings(**slapd_server.settings(KRISENWISSEN_PEOPLE_LDAP_SEARCH_BASE=BASE)):
            yield conn
    finally:
        for uid in PEOPLE:
            conn.delete(f"uid={uid},{BASE}")
        conn.delete(f"uid=kaputt,{BASE}")
        conn.delete(BASE)
        conn.unbind()


def test_import_from_ldap_links_accounts_and_keeps_others_functional(ldap_people, city_a):
    admin = directory_admin(city_a)
    carla = f.UserFactory(username="carla.cordes")
    report, left_out = do_import_from_directory(city_a, acting_user=admin)
    assert report.ok, report.messages()
    assert (report.created, left_out) == (2, 1)
    linked = Person.objects.get(external_key="ldap:carla.cordes")
    assert linked.account == carla and (linked.given_name, linked.family_name) == ("Carla", "Cordes")
    assert linked.unit == "Ordnungsamt" and linked.position == "Leiterin Lagedienst"
    assert sorted(linked.channels.values_list("kind", "value")) == [("buero", "+49 201 884711"), ("email", "carla.cordes@essen.example")]
    functional = Person.objects.get(external_key="ldap:dieter.dahl")
    assert functional.display_name == "Dieter Dahl" and not functional.given_name and functional.account is None
    assert list(functional.channels.values_list("kind", flat=True)) == ["buero"]
    # Again: updated, not doubled.
    report, _ = do_import_from_directory(city_a, acting_user=admin)
    assert (report.created, report.updated) == (0, 2)
    assert Person.objects.count() == 2


def test_bad_phone_in_the_directory_refuses_everything_and_the_command_says_so(ldap_people, city_a):
    directory_admin(city_a)
    ldap_people.add(f"uid=kaputt,{BASE}", ["inetOrgPerson"], {"uid": "kaputt", "cn": "Kaputt", "sn": "K", "telephoneNumber": "12"})
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nichts importiert"):
        call_command("koepfe", "import", "--aus-verzeichnis", "--user", "verzeichnis-admin", stdout=io.StringIO(), stderr=err)
    assert "Feld „Büro“: „12“ ist keine gültige Telefonnummer." in err.getvalue()
    assert not Person.objects.exists()


def test_dry_run_from_the_command_line(ldap_people, city_a):
    directory_admin(city_a)
    out = io.StringIO()
    call_command("koepfe", "import", "--aus-verzeichnis", "--nur-pruefen", "--user", "verzeichnis-admin", stdout=out)
    assert "2 Einträge würden neu angelegt" in out.getvalue()
    assert "2 Personen ohne Konto" in out.getvalue()
    assert not Person.objects.exists()


def test_without_ldap_the_command_says_so(city_a, settings):
    settings.KRISENWISSEN_LDAP_SERVER_URI = ""
    directory_admin(city_a)
    with pytest.raises(CommandError, match="kein LDAP-Verzeichnis eingerichtet"):
        call_command("koepfe", "import", "--aus-verzeichnis", "--user", "verzeichnis-admin")
