"""Exports of the directory: vCard (parsed back with vobject), CSV (formula guard, round trip
through the import), the Telefonliste as PDF/UA, and only what the user may see."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
import vobject
from django.core.management import call_command
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import AuditEntry
from krisenwissen.people import exporting
from krisenwissen.people.io_actions import do_export_directory, do_import_people
from krisenwissen.people.models import (
    Channel,
    Doctrine,
    Function,
    FunctionHolder,
    Organisation,
    Person,
)
from tests import factories as f
from tests import pdftools

from .io_helpers import directory_admin

pytestmark = pytest.mark.django_db

HOSTILE = "Müller, Anna; \\Dr.\\\nEND:VCARD\nBEGIN:VCARD\nFN:Eingeschleust"
PRIVATE_NUMBER = "+49 171 9999999"


@pytest.fixture
def directory(city_a, city_b, city_c, network):
    """A: a person with a private number (and an S1 of A); B (network): netzwerk entry; C: public and intern."""
    organisation = Organisation.objects.create(municipality=city_a, name="Stadt A; Ordnungsamt, Gefahrenabwehr")
    weiss = Person.objects.create(municipality=city_a, display_name=HOSTILE, given_name="Anna;\nX", family_name="Müller, Weiß",
                                  organisation=organisation, unit="Abt. 3\\2", position="Leiterin = Gefahrenabwehr",
                                  visibility="intern", consent_recorded_at=timezone.now(), external_key="=1+2",
                                  last_confirmed_at=timezone.now())
    Channel.objects.create(person=weiss, kind="buero", value="+49 201 8812345", order=1)
    Channel.objects.create(person=weiss, kind="privat", value=PRIVATE_NUMBER, audience="privat", order=2)
    Channel.objects.create(person=weiss, kind="email", value="anna.mueller@example.org", order=3)
    leitung = Function.objects.create(municipality=city_a, name="Leitung Krisenstab", doctrine=Doctrine.LEITUNG)
    FunctionHolder.objects.create(function=leitung, person=weiss, role="inhaber")
    s1_user = f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="s1-a").user
    s1_person = Person.objects.create(municipality=city_a, display_name="Sabine Eins", account=s1_user)
    s1 = Function.objects.create(municipality=city_a, name="S1 Personal", doctrine=Doctrine.S1)
    FunctionHolder.objects.create(function=s1, person=s1_person, role="inhaber")
    FunctionHolder.objects.create(function=leitung, person=s1_person, role="vertretung")
    netz = Person.objects.create(municipality=city_b, display_name="Bernd Netzwerk", visibility="netzwerk", position="Lagedienst")
    Channel.objects.create(person=netz, kind="funkrufname", value="Florian B 1/10", order=1)
    Person.objects.create(municipality=city_c, display_name="Clara Öffentlich", visibility="oeffentlich", position="Pressestelle")
    Person.objects.create(municipality=city_c, display_name="Carl Intern", visibility="intern")
    return {"weiss": weiss, "s1_user": s1_user}


def _vcards(data: bytes) -> list:
    return list(vobject.readComponents(data.decode("utf-8")))


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_parses_with_every_entry_intact(directory, admin_user, version):
    data, content_type, name = do_export_directory("vcf", acting_user=admin_user, version=version)
    assert content_type.startswith("text/vcard") and name.endswith(".vcf")
    cards = _vcards(data)
    assert len(cards) == Person.objects.count() == 5
    by_uid = {card.uid.value.removeprefix("urn:uuid:"): card for card in cards}
    weiss = by_uid[str(directory["weiss"].uuid)]
    assert weiss.version.value == version
    assert weiss.fn.value == HOSTILE
    assert weiss.n.value.family == "Müller, Weiß" and weiss.n.value.given == "Anna;\nX"
    assert weiss.title.value == "Leiterin = Gefahrenabwehr"
    assert weiss.org.value == ["Stadt A; Ordnungsamt, Gefahrenabwehr", "Abt. 3\\2"]
    assert sorted(t.value for t in weiss.tel_list) == ["+49 171 9999999", "+49 201 8812345"]
    assert weiss.email.value == "anna.mueller@example.org"
    # The injected END/BEGIN stayed inside the FN value: no extra card, no extra FN.
    assert len(weiss.contents["fn"]) == 1
    for line in data.split(b"\r\n"):
        assert len(line) <= 75


def test_long_values_are_folded_without_splitting_characters():
    entry = exporting.ExportEntry(uid="1", display_name="Ä" * 200, position="ü, " * 60)
    text = exporting.vcard(entry)
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character cut in half
    card = vobject.readOne(text)
    assert card.fn.value == "Ä" * 200 and card.title.value == "ü, " * 60


@pytest.mark.parametrize("fmt", ["vcf", "csv", "pdf"])
@pytest.mark.parametrize("who", ["anonymous", "reader_a", "network_b", "s1_a", "own"])
def test_private_numbers_only_for_the_person_and_s1_leitung(directory, city_a, city_b, fmt, who, reader_a):
    from django.contrib.auth.models import AnonymousUser

    weiss = directory["weiss"]
    own_user = f.MembershipFactory(municipality=city_a, role=Role.LESER, user__username="anna").user
    weiss.account = own_user
    weiss.save()
    users = {"anonymous": AnonymousUser(), "reader_a": reader_a,
             "network_b": f.MembershipFactory(municipality=city_b, role=Role.REDAKTION).user,
             "s1_a": directory["s1_user"], "own": own_user}
    data, _type, _name = do_export_directory(fmt, acting_user=users[who])
    text = pdftools.text(data) if fmt == "pdf" else data.decode("utf-8")
    digits = "".join(ch for ch in text if ch.isdigit())
    has_private = "1719999999" in digits
    assert has_private == (who in ("s1_a", "own"))
    names = {"anonymous": {"Clara"}, "reader_a": {"Sabine", "Clara", "Bernd"}, "network_b": {"Bernd", "Clara"},
             "s1_a": {"Sabine", "Clara", "Bernd"}, "own": {"Sabine", "Clara"}}[who]
    for name in names:
        assert name in text
    assert "Carl Intern" not in text
    if who == "network_b":
        assert "Sabine" not in text and "8812345" not in digits
    if who in ("s1_a", "own"):
        event = AuditEntry.objects.filter(action="people.directory_exported").latest("pk")
        assert event.details["mit_privater_erreichbarkeit"] == 1 and event.details["format"] == fmt
        assert event.details["personen_privat"] == [weiss.pk]


def test_csv_guards_formulas_and_imports_again(directory, admin_user, city_b):
    data, content_type, _name = do_export_directory("csv", acting_user=admin_user)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert ";'=1+2" in text  # external key "=1+2" is not a formula
    assert ";'Leiterin = Gefahrenabwehr" not in text and ";Leiterin = Gefahrenabwehr" in text
    assert ";'+49 201 8812345;" in text
    assert "\nEND:VCARD" not in text  # line breaks do not start new CSV rows either
    # The export (without the hostile line-break entry) imports into another city unchanged.
    Person.objects.filter(pk=directory["weiss"].pk).delete()
    data, _t, _n = do_export_directory("csv", acting_user=admin_user)
    admin = directory_admin(city_b, "admin-b")
    Person.objects.filter(municipality=city_b).delete()
    report = do_import_people(io.BytesIO(data), city_b, acting_user=admin)
    assert report.ok, report.messages()
    assert report.created == 4
    assert Person.objects.get(municipality=city_b, display_name="Bernd Netzwerk").channels.get().value == "Florian B 1/10"


def test_telefonliste_is_pdf_ua_grouped_by_function_with_print_date(directory, admin_user):
    now = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 30))
    data, content_type, name = do_export_directory("pdf", acting_user=admin_user, now=now)
    assert content_type == "application/pdf" and name == "telefonliste-2026-03-04.pdf"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "de"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Telefonliste"
        assert meta["pdfuaid:part"] == "1"
    text = " ".join(pdftools.text(data).split())
    assert "Druckdatum: 04.03.2026, 09:30 Uhr" in text
    assert text.index("Leitung Krisenstab") < text.index("S1 Personal") < text.index("Ohne Funktion")
    assert "Sabine Eins (Vertretung)" in text


def test_command_line_export(directory, reader_a, tmp_path):
    out = tmp_path / "liste.vcf"
    call_command("koepfe", "export", "--format", "vcf", "--output", str(out), stdout=io.StringIO())
    cards = _vcards(out.read_bytes())
    assert [c.fn.value for c in cards] == ["Clara Öffentlich"]
    call_command("koepfe", "export", "--format", "csv", "--user", "leser-a", "--output", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    assert "Sabine Eins" in text and PRIVATE_NUMBER not in text and "Carl Intern" not in text
