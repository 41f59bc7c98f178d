"""The pages of Köpfe kennen: create, confirm, coverage, functions, hand-over."""

import datetime as dt

from django.utils import timezone

from krisenwissen.core.policy import SYSTEM
from krisenwissen.people import actions
from krisenwissen.people.models import Channel, FunctionHolder, Handover, HandoverStatus, Person


def _channels(*rows):
    data = {"kanal-TOTAL_FORMS": str(len(rows)), "kanal-INITIAL_FORMS": "0", "kanal-MIN_NUM_FORMS": "0", "kanal-MAX_NUM_FORMS": "20"}
    for i, (kind, value, audience) in enumerate(rows):
        data |= {f"kanal-{i}-kind": kind, f"kanal-{i}-value": value, f"kanal-{i}-availability": "buerozeiten", f"kanal-{i}-audience": audience}
    return data


def test_s1_creates_an_entry_with_consent_and_channels(client, world):
    client.force_login(world["users"]["s1_a"])
    assert client.get("/koepfe/neu/").status_code == 200
    data = {"municipality": str(world["cities"]["a"].pk), "display_name": "", "given_name": "Gerda", "family_name": "Gasnetz",
            "position": "Netzmeisterin", "unit": "", "organisation": "", "visibility": "netzwerk", "languages": "en, tr",
            "consent_note": "Formular vom 2.12.", "competences": [world["competences"]["warn"].pk],
            **_channels(("buero", "030 23125 222", "alle_berechtigten"), ("mobil", "0152 28817386", "privat"))}
    response = client.post("/koepfe/neu/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(family_name="Gasnetz")
    assert person.display_name == "Gerda Gasnetz" and person.consent_recorded_at
    assert set(person.channels.values_list("audience", flat=True)) == {"alle_berechtigten", "privat"}
    assert set(person.languages.values_list("code", flat=True)) == {"en", "tr"}


def test_create_refuses_bad_input_without_writing(client, world):
    client.force_login(world["users"]["s1_a"])
    before = Person.objects.count()
    data = {"municipality": str(world["cities"]["a"].pk), "given_name": "Hans", "family_name": "Ohne", "visibility": "intern",
            "languages": "", "consent_note": "", **_channels(("buero", "keine nummer", "alle_berechtigten"))}
    response = client.post("/koepfe/neu/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "nur funktionale Angaben" in body
    assert Person.objects.count() == before
    data["consent_note"] = "Formular"
    body = client.post("/koepfe/neu/", data).content.decode()
    assert "keine gültige Telefonnummer" in body and Person.objects.count() == before


def test_person_confirms_own_entry(client, world):
    user = world["users"]["reader_a"]
    entry = world["people"]["reader_a"]
    client.force_login(user)
    assert client.get("/koepfe/mein-eintrag/")["Location"] == f"/koepfe/{entry.pk}/"
    page = client.get(f"/koepfe/{entry.pk}/").content.decode()
    assert "Bestätigung überfällig" in page and "Eintrag bestätigen" in page
    client.post(f"/koepfe/{entry.pk}/bestaetigen/")
    entry.refresh_from_db()
    assert entry.last_confirmed_at and "Bestätigung überfällig" not in client.get(f"/koepfe/{entry.pk}/").content.decode()
    # not somebody else's
    assert client.post(f"/koepfe/{world['people']['s1_a'].pk}/bestaetigen/").status_code == 403


def test_coverage_page(client, world):
    client.force_login(world["users"]["s1_a"])
    body = client.get("/koepfe/abdeckung/").content.decode()
    assert "Funktionen ohne Vertretung" in body and "Leitung Krisenstab" in body
    assert "Warnung der Bevölkerung" in body
    client.force_login(world["users"]["reader_a"])
    assert client.get("/koepfe/abdeckung/").status_code == 403


def test_functions_page_assigns_a_deputy(client, world):
    client.force_login(world["users"]["s1_a"])
    fn = world["functions"]["leitung_a"]
    assert client.get("/koepfe/funktionen/").status_code == 200
    response = client.post("/koepfe/funktionen/", {"step": "holder", "kommune": world["cities"]["a"].pk, "function": fn.pk,
                                                   "person": world["people"]["s1_a"].pk, "role": "vertretung"})
    assert response.status_code == 302
    assert FunctionHolder.objects.filter(function=fn, role="vertretung").exists()
    client.post("/koepfe/funktionen/", {"step": "function", "kommune": world["cities"]["a"].pk, "name": "S6 IuK", "kind": "stab", "doctrine": "s6"})
    assert fn.__class__.objects.filter(name="S6 IuK").exists()


def test_handover_pages(client, world):
    leitung = world["people"]["leitung_a"]
    actions.do_set_leaving(leitung, leaving_on=timezone.localdate() + dt.timedelta(days=60), reason="ruhestand", acting_user=SYSTEM)
    client.force_login(world["users"]["s1_a"])
    response = client.post(f"/koepfe/{leitung.pk}/uebergabe/")
    handover = Handover.objects.get(person=leitung)
    assert response["Location"] == f"/koepfe/uebergabe/{handover.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Abschlussgespräch" in page and "Leitung Krisenstab" in page
    client.post(f"/koepfe/uebergabe/{handover.pk}/abschliessen/")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.OFFEN  # items without successor
    data = {f"nachfolge-{item.pk}": world["people"]["s1_a"].pk for item in handover.items.all()}
    data |= {"antwort-0": "Die Lage im März 2020", "summary": "Übergeben an Sina Eins."}
    assert client.post(f"/koepfe/uebergabe/{handover.pk}/", data).status_code == 302
    client.post(f"/koepfe/uebergabe/{handover.pk}/abschliessen/")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ABGESCHLOSSEN
    assert "abgeschlossen" in client.get(f"/koepfe/uebergabe/{handover.pk}/").content.decode()
    # the departing person reads their hand-over, a reader of the city does not
    client.force_login(world["users"]["leitung_a_user"])
    assert client.get(f"/koepfe/uebergabe/{handover.pk}/").status_code == 200
    client.force_login(world["users"]["reader_a"])
    assert client.get(f"/koepfe/uebergabe/{handover.pk}/").status_code == 403


def test_leaving_and_erase_pages(client, world):
    client.force_login(world["users"]["admin_a"])
    person = world["people"]["reader_a"]
    response = client.post(f"/koepfe/{person.pk}/ausscheiden/", {"leaving_on": "2027-03-31", "leaving_reason": ""})
    assert "Grund" in response.content.decode() and response.status_code == 200
    client.post(f"/koepfe/{person.pk}/ausscheiden/", {"leaving_on": "2027-03-31", "leaving_reason": "wechsel"})
    person.refresh_from_db()
    assert person.leaving_on == dt.date(2027, 3, 31)
    client.post(f"/koepfe/{person.pk}/loeschen/")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Channel.objects.filter(person_id=person.pk).exists()


def test_person_takes_over_trainings_and_crises_from_the_platform(client, world):
    from django.utils import timezone as tz

    from krisenwissen.learning.models import ModuleCompletion, TrainingModule
    from krisenwissen.workshops.models import Participant, Workshop
    from tests import factories as f

    a = world["cities"]["a"]
    user = world["users"]["reader_a"]
    entry = world["people"]["reader_a"]
    module = TrainingModule.objects.create(municipality=a, title="Stabsarbeit für Einsteiger", text="x")
    ModuleCompletion.objects.create(module=module, user=user, completed_at=tz.now())
    crisis = f.CrisisFactory(title="Hochwasser 2021")
    workshop = Workshop.objects.create(title="Reflexionsraum Hochwasser", crisis=crisis, host=a, start_date=dt.date(2023, 3, 27))
    Participant.objects.create(workshop=workshop, user=user, municipality=a)
    client.force_login(world["users"]["s1_a"])
    assert client.post(f"/koepfe/{entry.pk}/uebernehmen/").status_code == 403  # only the person themself
    client.force_login(user)
    client.post(f"/koepfe/{entry.pk}/uebernehmen/")
    client.post(f"/koepfe/{entry.pk}/uebernehmen/")  # twice: nothing doubled
    assert list(entry.trainings.values_list("title", flat=True)) == ["Stabsarbeit für Einsteiger"]
    assert list(entry.crises.values_list("crisis__title", "source")) == [("Hochwasser 2021", "workshop")]
    body = client.get(f"/koepfe/{entry.pk}/").content.decode()
    assert "Stabsarbeit für Einsteiger" in body and "Hochwasser 2021" in body


def test_functions_page_creates_an_organisation(client, world):
    from krisenwissen.people.models import Organisation

    client.force_login(world["users"]["s1_a"])
    a = world["cities"]["a"]
    client.post("/koepfe/funktionen/", {"step": "organisation", "kommune": a.pk, "name": "Stadtwerke A", "kind": "versorger"})
    assert Organisation.objects.get(municipality=a, name="Stadtwerke A").kind == "versorger"
    assert "Stadtwerke A" in client.get("/koepfe/funktionen/").content.decode()


def test_too_many_channel_rows_are_refused(client, world):
    client.force_login(world["users"]["reader_a"])
    entry = world["people"]["reader_a"]
    data = {"display_name": entry.display_name, "visibility": "intern", "languages": "",
            "kanal-TOTAL_FORMS": "100000", "kanal-INITIAL_FORMS": "0", "kanal-MIN_NUM_FORMS": "0", "kanal-MAX_NUM_FORMS": "20"}
    response = client.post(f"/koepfe/{entry.pk}/bearbeiten/", data)
    assert response.status_code == 200
    assert "Bitte höchstens 20 Formulare abschicken." in response.content.decode()
    assert not entry.channels.exists()


def test_create_links_a_member_account(client, world):
    from tests import factories as f

    a = world["cities"]["a"]
    member = f.MembershipFactory(municipality=a, user__username="neu-a").user
    outsider = world["users"]["reader_b"]
    client.force_login(world["users"]["s1_a"])
    base = {"municipality": str(a.pk), "given_name": "Nele", "family_name": "Neu", "visibility": "intern", "languages": "",
            "consent_note": "", **_channels()}
    body = client.post("/koepfe/neu/", base | {"account": outsider.pk}).content.decode()
    assert "Auswahl" in body or "gültig" in body  # not a member of A: not offered, refused
    assert client.post("/koepfe/neu/", base | {"account": member.pk}).status_code == 302
    assert Person.objects.get(family_name="Neu").account == member
