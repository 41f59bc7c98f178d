"""Every load URL walked by the person, S1, the Leitung, another member, the municipality's
Administration and a non-member: individual figures only for the person and S1.

The shared permission matrix has no staff roles (its users are city roles); this test is the
matrix for the staff roles (tests/stab_load/matrix_fragment.py covers the shared users).
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from krisenwissen.stab import load_actions as actions
from krisenwissen.stab.models import Presence

from .helpers import world

pytestmark = pytest.mark.django_db

OK, DENIED, REDIRECT = 200, 403, 302
WHO = ("person", "s1", "leitung", "deputy", "administration", "outsider")


def _expect(**kw):
    out = dict.fromkeys(WHO, DENIED)
    out.update(kw)
    return out


@pytest.fixture
def w():
    w = world()
    staff, person = w["staff"], w["users"]["person"]
    Presence.objects.create(staff=staff, user=person, function=w["functions"]["s2"], started_at=timezone.now() - dt.timedelta(hours=15))
    now = timezone.now()
    w["shift"] = actions.do_plan_shift(staff, function=w["functions"]["s2"], user=person, starts_at=now, ends_at=now + dt.timedelta(hours=8), acting_user=w["users"]["s1"])
    w["brief"] = actions.do_create_handover_brief(staff, acting_user=person)
    return w


MEMBERS = ("person", "s1", "leitung", "deputy")
READERS = (*MEMBERS, "administration")

URLS = [
    # (name, kwargs builder, method, expectations, data)
    ("stab:load_overview", lambda w: {"pk": w["staff"].pk}, "get", _expect(**dict.fromkeys(READERS, OK)), None),
    ("stab:load_roster", lambda w: {"pk": w["staff"].pk}, "get", _expect(**dict.fromkeys(READERS, OK)), None),
    ("stab:load_strain", lambda w: {"pk": w["staff"].pk}, "get", _expect(**dict.fromkeys(READERS, OK)), None),
    ("stab:load_configuration", lambda w: {"pk": w["staff"].pk}, "get", _expect(**dict.fromkeys(READERS, OK)), None),
    ("stab:load_individuals", lambda w: {"pk": w["staff"].pk}, "get", _expect(s1=OK), None),
    ("stab:load_person", lambda w: {"pk": w["staff"].pk, "user_pk": w["users"]["person"].pk}, "get", _expect(person=OK, s1=OK), None),
    ("stab:load_person", lambda w: {"pk": w["staff"].pk, "user_pk": w["users"]["leitung"].pk}, "get", _expect(leitung=OK, s1=OK), None),
    ("stab:load_limits", lambda w: {"pk": w["staff"].pk}, "get", _expect(s1=OK, leitung=OK), None),
    ("stab:load_handover", lambda w: {"brief_pk": w["brief"].pk}, "get", _expect(person=OK, s1=OK), None),
    ("stab:load_sign_in", lambda w: {"pk": w["staff"].pk}, "post", _expect(**dict.fromkeys(MEMBERS, REDIRECT)), lambda w: {}),
    ("stab:load_sign_out", lambda w: {"pk": w["staff"].pk}, "post", _expect(**dict.fromkeys(MEMBERS, REDIRECT)), None),
    ("stab:load_create_handover", lambda w: {"pk": w["staff"].pk}, "post", _expect(**dict.fromkeys(MEMBERS, REDIRECT)), None),
    ("stab:load_remove_shift", lambda w: {"pk": w["staff"].pk, "shift_pk": 999999}, "post", _expect(s1=404, leitung=404, administration=404), None),
    ("stab:load_acknowledge_handover", lambda w: {"brief_pk": w["brief"].pk}, "post", _expect(person=REDIRECT), None),
]


@pytest.mark.parametrize("who", WHO)
def test_every_load_url_for_every_staff_role(client, w, who):
    client.force_login(w["users"][who])
    failures = []
    for name, kwargs, method, expected, data in URLS:
        url = reverse(name, kwargs=kwargs(w))
        response = getattr(client, method)(url, data(w) if data else {})
        if response.status_code != expected[who]:
            failures.append(f"{method.upper()} {url} as {who}: {response.status_code}, expected {expected[who]}")
    assert not failures, "\n".join(failures)


def test_anonymous_goes_to_login(client, w):
    for name, kwargs, method, _expected, _data in URLS:
        response = getattr(client, method)(reverse(name, kwargs=kwargs(w)))
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], name


@pytest.mark.parametrize("who", WHO)
def test_individual_figures_never_leak_to_leitung_or_administration(client, w, who):
    """The overview and the aggregates show no one's hours except the viewer's own."""
    client.force_login(w["users"][who])
    body = client.get(reverse("stab:load_overview", kwargs={"pk": w["staff"].pk})).content.decode()
    warning = "Stunden ohne Unterbrechung im Dienst"
    assert (warning in body) == (who == "person"), who
    assert ("Belastung je Person (S1)" in body) == (who == "s1")
    # the aggregate (one person over the limit) is there for Leitung, S1 and Administration
    assert ("Belastung im Überblick" in body) == (who in ("leitung", "s1", "administration"))


def test_s1_sees_the_warning_and_the_rotation_suggestion(client, w):
    client.force_login(w["users"]["s1"])
    body = client.get(reverse("stab:load_individuals", kwargs={"pk": w["staff"].pk})).content.decode()
    assert "Petra Lage" in body and "zu lange im Dienst" in body and "Vera Vertretung" in body


def test_staff_page_panel_links_the_board_for_members_only(client, w):
    client.force_login(w["users"]["deputy"])
    body = client.get(reverse("stab:staff_detail", kwargs={"pk": w["staff"].pk})).content.decode()
    assert reverse("stab:load_overview", kwargs={"pk": w["staff"].pk}) in body


def test_configuration_page_shows_the_active_limits_and_retention(client, w, settings):
    from krisenwissen.stab import load_actions as actions

    settings.KRISENWISSEN_RETENTION = {**settings.KRISENWISSEN_RETENTION, "stab_presence": 90}
    actions.do_set_limits(w["staff"], max_shift_hours=10, max_days_without_break=None, acting_user=w["users"]["s1"])
    client.force_login(w["users"]["leitung"])
    body = client.get(reverse("stab:load_configuration", kwargs={"pk": w["staff"].pk})).content.decode()
    assert "10 Stunden (Voreinstellung der Plattform: 12)" in body and "90 Tage nach der Deaktivierung" in body
    assert "nur die Person selbst und die Funktion S1" in body


def test_limits_form_rejects_bad_values_with_a_message(client, w):
    client.force_login(w["users"]["s1"])
    url = reverse("stab:load_limits", kwargs={"pk": w["staff"].pk})
    response = client.post(url, {"max_shift_hours": "99", "max_days_without_break": "abc"})
    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben." in response.content.decode()
    from krisenwissen.stab.models import LoadSettings

    assert not LoadSettings.objects.exists()


def test_roster_form_plans_a_shift_and_rejects_a_reversed_one(client, w):
    from krisenwissen.stab.models import Shift

    client.force_login(w["users"]["s1"])
    url = reverse("stab:load_roster", kwargs={"pk": w["staff"].pk})
    before = Shift.objects.count()
    data = {"function": w["functions"]["s2"].pk, "user": w["users"]["deputy"].pk, "starts_at": "2030-01-01T19:00", "ends_at": "2030-01-01T07:00"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Das Ende der Schicht muss nach ihrem Beginn liegen." in response.content.decode()
    data["ends_at"] = "2030-01-02T07:00"
    assert client.post(url, data).status_code == 302 and Shift.objects.count() == before + 1


def test_strain_form_stores_once_per_day_and_session(client, w):
    from krisenwissen.stab.models import StrainAnswer

    client.force_login(w["users"]["deputy"])
    url = reverse("stab:load_strain", kwargs={"pk": w["staff"].pk})
    assert "PSNV" in client.get(url).content.decode()
    assert client.post(url, {"value": "9"}).status_code == 200 and not StrainAnswer.objects.exists()
    assert client.post(url, {"value": "4"}).status_code == 302
    assert client.post(url, {"value": "5"}).status_code == 302
    assert list(StrainAnswer.objects.values_list("value", flat=True)) == [4]


def test_hostile_input_never_crashes_or_half_writes(client, w):
    from krisenwissen.stab.models import LoadSettings, Shift, StrainAnswer
    from tests.stab_load.helpers import add_function, make_staff

    other = add_function(make_staff(), "s2", "Fremde Funktion")
    staff = w["staff"]
    client.force_login(w["users"]["deputy"])
    for data in ({"function": str(other.pk)}, {"function": "x" * 5000}, {"function": "-1"}):
        response = client.post(reverse("stab:load_sign_in", kwargs={"pk": staff.pk}), data)
        assert response.status_code == 302
    from krisenwissen.stab.models import Presence

    assert not Presence.objects.filter(user=w["users"]["deputy"]).exists()
    client.force_login(w["users"]["s1"])
    shifts = Shift.objects.count()
    for data in ({"function": str(other.pk), "starts_at": "2030-01-01T07:00", "ends_at": "2030-01-01T19:00"},
                 {"function": w["functions"]["s2"].pk, "starts_at": "morgen", "ends_at": "\x00"},
                 {"function": w["functions"]["s2"].pk, "user": w["users"]["outsider"].pk, "starts_at": "2030-01-01T07:00", "ends_at": "2030-01-01T19:00"}):
        assert client.post(reverse("stab:load_roster", kwargs={"pk": staff.pk}), data).status_code == 200
    assert Shift.objects.count() == shifts
    assert client.post(reverse("stab:load_limits", kwargs={"pk": staff.pk}), {"max_shift_hours": "1e9"}).status_code == 200
    assert not LoadSettings.objects.exists()
    assert client.post(reverse("stab:load_strain", kwargs={"pk": staff.pk}), {"value": "<script>"}).status_code == 200
    assert not StrainAnswer.objects.exists()
