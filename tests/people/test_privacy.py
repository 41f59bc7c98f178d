"""Privacy: functional data only without consent, private channels audited and never shown to
the wrong roles (pages and search), erasure and retention."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.accounts import actions as account_actions
from krisenwissen.core.models import AuditEntry
from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.people import actions
from krisenwissen.people.models import Channel, Person

PRIVATE = "23125999"
SHOWN = "+49 30 23125999"


def test_without_account_and_consent_only_functional_data(world):
    a = world["cities"]["a"]
    with pytest.raises(ValidationError, match="nur funktionale Angaben"):
        actions.do_create_person(a, acting_user=SYSTEM, given_name="Hans", family_name="Ohnezustimmung")
    functional = world["people"]["lagedienst_a"]
    actions.do_set_channels(functional, [{"kind": "buero", "value": "030 23125 112"},
                                         {"kind": "funkrufname", "value": "Florian A 1/10"}], acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="nur funktionale Erreichbarkeiten"):
        actions.do_set_channels(functional, [{"kind": "mobil", "value": "0152 28817386"}], acting_user=SYSTEM)
    with pytest.raises(ValidationError):
        actions.do_set_languages(functional, ["en"], acting_user=SYSTEM)
    actions.do_record_consent(functional, note="Formular vom 1.12.", acting_user=SYSTEM)
    actions.do_set_channels(Person.objects.get(pk=functional.pk), [{"kind": "mobil", "value": "0152 28817386"}], acting_user=SYSTEM)


def test_bad_channel_values_are_refused_with_a_german_message(world):
    person = world["people"]["reader_a"]
    for value, message in [("abc", "keine gültige Telefonnummer"), ("030 123\nEND:VCARD", "Zeilenumbrüche"),
                           ("a" * 300, "höchstens")]:
        with pytest.raises(ValidationError, match=message):
            actions.do_set_channels(person, [{"kind": "buero", "value": value}], acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="keine gültige E-Mail"):
        actions.do_set_channels(person, [{"kind": "email", "value": "kein-at-zeichen"}], acting_user=SYSTEM)
    assert not person.channels.exists()  # nothing half-written


def test_private_kind_is_always_private(world):
    person = world["people"]["reader_a"]
    actions.do_set_channels(person, [{"kind": "privat", "value": "030 23125 777", "audience": "alle_berechtigten"}], acting_user=SYSTEM)
    assert Channel.objects.get(person=person).audience == "privat"


def test_private_view_is_refused_and_audited(world):
    leitung = world["people"]["leitung_a"]
    with pytest.raises(PermissionDenied):
        actions.do_view_private_channels(leitung, acting_user=world["users"]["reader_a"])
    channels = actions.do_view_private_channels(leitung, acting_user=world["users"]["s1_a"])
    assert [c.value for c in channels] == ["+49 30 23125999"]
    row = AuditEntry.objects.get(action="people.private_channels_viewed")
    assert row.actor == world["users"]["s1_a"] and PRIVATE not in str(row.details)


@pytest.mark.parametrize(("who", "sees"), [("reader_a", False), ("admin_a", False), ("reader_b", False), ("s1_b", False),
                                           ("s1_a", True), ("leitung_a_user", True), ("superuser", True)])
def test_detail_page_and_directory_show_private_numbers_only_to_allowed(client, world, who, sees):
    client.force_login(world["users"][who])
    leitung = world["people"]["leitung_a"]
    detail = client.get(f"/koepfe/{leitung.pk}/")
    assert detail.status_code == 200
    assert (SHOWN in detail.content.decode()) is sees
    # The directory and its search never show private numbers, not even to S1/Leitung.
    for url in ["/koepfe/", "/koepfe/?q=Leitwolf", "/koepfe/?q=030+23125+999", "/koepfe/?erreichbar=jetzt"]:
        assert SHOWN not in client.get(url).content.decode(), url
    edit = client.get(f"/koepfe/{leitung.pk}/bearbeiten/")
    if edit.status_code == 200:
        assert (SHOWN in edit.content.decode()) is sees
    assert AuditEntry.objects.filter(action="people.private_channels_viewed").exists() is sees


def test_editing_without_private_access_keeps_private_channels(client, world):
    """The person's maintainer without S1 rights edits the entry: the private mobile stays, unseen."""
    leitung = world["people"]["leitung_a"]
    admin = world["users"]["admin_a"]
    client.force_login(admin)
    body = client.get(f"/koepfe/{leitung.pk}/bearbeiten/").content.decode()
    assert PRIVATE not in body
    data = {"display_name": leitung.display_name, "given_name": "Lena", "family_name": "Leitwolf", "position": "Neu",
            "unit": "", "organisation": "", "visibility": "netzwerk", "languages": "", "consent_note": "",
            "competences": [c.pk for c in world["competences"].values()],
            "kanal-TOTAL_FORMS": "1", "kanal-INITIAL_FORMS": "0", "kanal-MIN_NUM_FORMS": "0", "kanal-MAX_NUM_FORMS": "20",
            "kanal-0-kind": "buero", "kanal-0-value": "030 23125 100", "kanal-0-availability": "buerozeiten",
            "kanal-0-audience": "alle_berechtigten"}
    response = client.post(f"/koepfe/{leitung.pk}/bearbeiten/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Person.objects.get(pk=leitung.pk).position == "Neu"
    assert set(Channel.objects.filter(person=leitung).values_list("value", flat=True)) == {"+49 30 23125100", "+49 30 23125999"}


def test_erasure_deletes_entry_and_forgets_name_in_audit(world):
    leitung = world["people"]["leitung_a"]
    actions.do_confirm_entry(leitung, acting_user=world["users"]["leitung_a_user"])
    assert AuditEntry.objects.filter(object_type="people.person", object_repr="Lena Leitwolf").exists()
    with pytest.raises(PermissionDenied):
        actions.do_erase_person(leitung, acting_user=world["users"]["reader_a"])
    actions.do_erase_person(leitung, acting_user=world["users"]["admin_a"])
    assert not Person.objects.filter(pk=leitung.pk).exists() and not Channel.objects.filter(person_id=leitung.pk).exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Leitwolf").exists()


def test_account_erasure_erases_the_directory_entry(world):
    user = world["users"]["reader_a"]
    entry = world["people"]["reader_a"]
    account_actions.do_erase_person(user, acting_user=world["users"]["superuser"])
    assert not Person.objects.filter(pk=entry.pk).exists()


def test_retention_deletes_entries_of_people_who_left(world):
    from krisenwissen.people.retention import apply

    gone = world["people"]["reader_a"]
    actions.do_set_leaving(gone, leaving_on=timezone.localdate() - dt.timedelta(days=200), reason="wechsel", acting_user=SYSTEM)
    staying = world["people"]["s1_a"]
    actions.do_set_leaving(staying, leaving_on=timezone.localdate() - dt.timedelta(days=10), reason="ruhestand", acting_user=SYSTEM)
    assert apply(now=timezone.now(), periods={"people_left": 183}) == {"verzeichnis_ausgeschieden": 1}
    assert not Person.objects.filter(pk=gone.pk).exists() and Person.objects.filter(pk=staying.pk).exists()
    assert apply(now=timezone.now(), periods={"people_left": 0}) == {}


def test_edit_form_showing_private_numbers_is_audited(client, world):
    leitung = world["people"]["leitung_a"]
    client.force_login(world["users"]["s1_a"])
    body = client.get(f"/koepfe/{leitung.pk}/bearbeiten/").content.decode()
    assert SHOWN in body
    assert AuditEntry.objects.filter(action="people.private_channels_viewed", actor=world["users"]["s1_a"]).count() == 1
