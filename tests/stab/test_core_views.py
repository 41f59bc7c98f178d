"""Pages of the staff core: list (real/exercise apart, proposal), activation, staff page, templates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.core.models import Notification
from krisenwissen.stab.models import AssignmentRole, LogEntry, Staff, StaffTemplate

from .helpers import activate, city_with_admin, member, shipped

pytestmark = pytest.mark.django_db


def test_list_separates_real_and_exercise_and_shows_uebung(client):
    city, admin = city_with_admin()
    activate(municipality=city, acting_user=admin, name="Echter Stab")
    activate(shipped("grossveranstaltung"), municipality=city, acting_user=admin, name="Probe", exercise=True)
    client.force_login(admin)
    html = client.get(reverse("stab:staff_list")).content.decode()
    real, exercises = html.split('id="exercise-heading"')
    assert "Echter Stab" in real and "Probe" not in real
    assert "ÜBUNG – Probe" in exercises
    assert 'href="/stab/"' in html  # the navigation entry "Krisenstab"


def test_navigation_entry_only_for_members(client, db):
    from krisenwissen.accounts.models import User

    loner = User.objects.create_user("ohne-kommune", password="x")
    client.force_login(loner)
    assert ">Krisenstab<" not in client.get("/").content.decode()


def test_activation_form_end_to_end(client):
    city, admin = city_with_admin(ags="05998")
    holder = member(city, first_name="Lea", last_name="Lage")
    template = shipped("stromausfall")
    client.force_login(admin)
    url = reverse("stab:activate") + f"?vorlage={template.pk}&kommune=05998"
    page = client.get(url)
    assert page.status_code == 200 and "Inhaber/in: Leitung des Verwaltungsstabes" in page.content.decode()
    when = (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"name": "Stab Blackout", "alert_level": "2", "first_meeting_at": when, "exercise": "on",
                                 "functions": ["leitung", "lage"], "holder_lage": holder.pk, "deputy_lage": ""})
    staff = Staff.objects.get(name="Stab Blackout")
    assert response.status_code == 302 and response["Location"] == reverse("stab:staff_detail", args=[staff.pk])
    assert staff.exercise and staff.alert_level == 2
    assert staff.functions.get(code="lage").assignments.get().user == holder
    assert Notification.objects.get(recipient=holder).subject.startswith("ÜBUNG")
    detail = client.get(response["Location"]).content.decode()
    assert "ÜBUNG" in detail and "Lea Lage" in detail and "Inhaber/in fehlt" in detail


def test_activation_form_bad_input_keeps_nothing(client):
    city, admin = city_with_admin(ags="05997")
    client.force_login(admin)
    url = reverse("stab:activate") + f"?vorlage={shipped().pk}&kommune=05997"
    response = client.post(url, {"name": "", "alert_level": "7", "first_meeting_at": "morgen", "functions": ["nix"]})
    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben." in response.content.decode()
    far = (timezone.localtime() + dt.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"name": "x", "alert_level": "3", "first_meeting_at": far, "functions": ["leitung"]})
    assert "zwischen gestern und den nächsten 30 Tagen" in response.content.decode()
    assert not Staff.objects.exists()


def test_activation_of_another_citys_template_or_municipality_is_not_offered(client):
    city, admin = city_with_admin(ags="05996")
    other, other_admin = city_with_admin(ags="05995")
    from krisenwissen.stab import actions

    theirs = actions.do_copy_template(shipped(), municipality=other, acting_user=other_admin)
    client.force_login(admin)
    page = client.get(reverse("stab:activate") + f"?vorlage={theirs.pk}&kommune=05995").content.decode()
    assert "Weiter" in page and theirs.name not in page  # back to the choice, their template not listed


def test_assignment_page_assigns_and_releases(client):
    city, admin = city_with_admin()
    person = member(city, first_name="Sam", last_name="Stab")
    staff = activate(municipality=city, acting_user=admin)
    client.force_login(admin)
    kgs = staff.functions.get(code="kgs")
    response = client.post(reverse("stab:assignments", args=[staff.pk]), {"function": kgs.pk, "user": person.pk, "role": AssignmentRole.INHABER})
    assert response.status_code == 302
    assignment = kgs.assignments.get(ended_at__isnull=True)
    client.post(reverse("stab:release", args=[staff.pk, assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert LogEntry.objects.filter(staff=staff, text__contains="Sam Stab").count() == 2


def test_alert_level_form_rejects_bad_values(client):
    city, admin = city_with_admin()
    staff = activate(municipality=city, acting_user=admin)
    client.force_login(admin)
    response = client.post(reverse("stab:alert_level", args=[staff.pk]), {"alert_level": "99"}, follow=True)
    assert "Bitte eine gültige Alarmstufe wählen." in response.content.decode()
    staff.refresh_from_db()
    assert staff.alert_level == 3


def test_template_copy_and_edit_pages(client):
    city, admin = city_with_admin()
    client.force_login(admin)
    response = client.post(reverse("stab:template_copy", args=[shipped("gasmangellage").pk]), {"municipality": city.pk, "name": "Unsere Gaslage"})
    copy = StaffTemplate.objects.get(name="Unsere Gaslage")
    assert response["Location"] == reverse("stab:template_edit", args=[copy.pk])
    edit = client.get(response["Location"]).content.decode()
    assert "functions:" in edit and "{" not in edit.split("<textarea", 1)[1].split("</textarea>", 1)[0][:200]
    bad = client.post(response["Location"], {"name": "Unsere Gaslage", "kind": "verwaltungsstab", "content": "functions:\n  - code: A B\n    name: x\n"})
    assert "Funktionen › Nr. 1 › Kürzel" in bad.content.decode()
    good = "hazard: Energie\nfunctions:\n  - code: leitung\n    name: Leitung\n    group: leitung\n"
    client.post(response["Location"], {"name": "Unsere Gaslage", "kind": "verwaltungsstab", "content": good})
    copy.refresh_from_db()
    assert [f["code"] for f in copy.data["functions"]] == ["leitung"]


def test_staff_page_shows_the_onset_briefing_of_the_learning_loop(client):
    from ..factories import LessonFactory

    city, admin = city_with_admin()
    LessonFactory(municipality=city, visibility="oeffentlich", title="Pandemiestab früh mit Gesundheitsamt besetzen",
                  finding="In der Pandemie hat der Krisenstab das Gesundheitsamt, die Impfzentren und den Infektionsschutz früh eingebunden.")
    staff = activate(municipality=city, acting_user=admin)
    client.force_login(admin)
    html = client.get(reverse("stab:staff_detail", args=[staff.pk])).content.decode()
    assert "Zu Krisenbeginn" in html and "Pandemiestab früh mit Gesundheitsamt besetzen" in html


def test_proposal_from_the_situation_rule_status_never_activates(client, settings):
    from krisenwissen.situation import rules_engine as eng
    from krisenwissen.situation.models import Area, Indicator, Observation, RuleSet

    settings.KRISENWISSEN_STAB_PROPOSAL_LEVEL = 3
    city, admin = city_with_admin(ags="05994", name="Schwellenstadt")
    area = Area.objects.create(ags="05994", name="Schwellenstadt", level="kreis", municipality=city, population=100000, state_code="NW")
    ind, _ = Indicator.objects.get_or_create(key="inzidenz_7t_veroeffentlicht", defaults={"name": "Inzidenz"})
    start = dt.date(2021, 4, 1)
    Observation.objects.bulk_create([Observation(area=area, indicator=ind, date=start + dt.timedelta(days=i), value=250.0) for i in range(10)])
    text = ("key: stabtest\nname: Stabsschwelle\nindicator: inzidenz_7t_veroeffentlicht\nrules:\n"
            "  - key: hoch\n    name: Über 200\n    level: 3\n    entry: {op: '>', threshold: 200, days: 3}\n"
            "    exit: {op: '<', threshold: 200, days: 3}\n")
    RuleSet.objects.create(key="stabtest", name="Stabsschwelle", definition=eng.ruleset_to_data(eng.load_ruleset(text)), municipality=city)
    client.force_login(admin)
    html = client.get(reverse("stab:staff_list")).content.decode()
    assert "Vorschlag: Stab aktivieren" in html and "Über 200" in html and "kommune=05994" in html
    assert not Staff.objects.exists()
    settings.KRISENWISSEN_STAB_PROPOSAL_LEVEL = 4
    assert "Vorschlag: Stab aktivieren" not in client.get(reverse("stab:staff_list")).content.decode()
    reader = member(city, Role.LESER)
    client.force_login(reader)
    settings.KRISENWISSEN_STAB_PROPOSAL_LEVEL = 3
    assert "Vorschlag: Stab aktivieren" not in client.get(reverse("stab:staff_list")).content.decode()


def test_a_double_submit_of_the_activation_form_activates_once(client):
    import uuid

    city, admin = city_with_admin(ags="05993")
    holder = member(city)
    client.force_login(admin)
    url = reverse("stab:activate") + f"?vorlage={shipped().pk}&kommune=05993"
    assert 'name="submission"' in client.get(url).content.decode()
    when = (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"name": "Doppelt", "alert_level": "3", "first_meeting_at": when, "functions": ["leitung", "lage"],
            "holder_lage": holder.pk, "submission": str(uuid.uuid4())}
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Staff.objects.filter(name="Doppelt").count() == 1
    assert Notification.objects.filter(recipient=holder).count() == 1
    assert LogEntry.objects.filter(staff__name="Doppelt").count() == 1


def _formset_data(page_context, changes: dict) -> dict:
    formset = page_context["formset"]
    data = {f"fn-{k}": v for k, v in formset.management_form.initial.items()}
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "DELETE" or (isinstance(value, bool) and not value) or value is None:
                continue
            data[f"fn-{i}-{name}"] = value
    data.update(changes)
    return data


def test_template_functions_are_edited_without_structured_text(client):
    from krisenwissen.stab import actions

    city, admin = city_with_admin()
    copy = actions.do_copy_template(shipped("grossveranstaltung"), municipality=city, acting_user=admin)
    client.force_login(admin)
    url = reverse("stab:template_functions", args=[copy.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Leitung des Verwaltungsstabes" in page.content.decode()
    count = len(copy.data["functions"])
    data = _formset_data(page.context, {f"fn-{count}-code": "sanitaetsdienst-2", f"fn-{count}-name": "Zweiter Sanitätsdienst",
                                        f"fn-{count}-group": "verbindung", f"fn-{count}-deputies": "0",
                                        f"fn-{count}-first_tasks": "Behandlungsplatz melden\n\nTransportkapazität melden"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    added = copy.data["functions"][-1]
    assert added["code"] == "sanitaetsdienst-2" and added["first_tasks"] == ["Behandlungsplatz melden", "Transportkapazität melden"]
    # Deleting a function a topic team still names: a German message naming the team, nothing saved.
    index = next(i for i, f in enumerate(copy.data["functions"]) if f["code"] == "veranstalter")
    page = client.get(url)
    bad = client.post(url, _formset_data(page.context, {f"fn-{index}-DELETE": "on"}))
    assert bad.status_code == 200 and "Fachteam „Fachteam Besucherlenkung“ nennt unbekannte Funktionen: veranstalter" in bad.content.decode()
    copy.refresh_from_db()
    assert any(f["code"] == "veranstalter" for f in copy.data["functions"])


def test_staff_page_leads_to_every_area_and_a_closed_staff_shows_no_live_controls(client):
    """A new member finds ETB, Meldungen, Aufträge, meetings, reports, load and Rückführung at the
    top of the staff page; after deactivation no alert-level form and no "gap" warning remain."""
    from krisenwissen.stab import closing_actions

    city, admin = city_with_admin()
    staff = activate(municipality=city, acting_user=admin)
    client.force_login(admin)
    html = client.get(reverse("stab:staff_detail", args=[staff.pk])).content.decode()
    nav = html[html.index('aria-label="Bereiche des Stabes"'):]
    nav = nav[:nav.index("</nav>")]
    for name in ("stab:etb_log", "stab:msg_list", "stab:msg_task_list", "stab:meet_meetings", "stab:meet_reports",
                 "stab:load_overview", "stab:closing"):
        assert f'href="{reverse(name, args=[staff.pk])}"' in nav, name
    closing_actions.do_deactivate_staff(staff, justification="Übung beendet, Übergabe im Vorstand.", acting_user=admin)
    html = client.get(reverse("stab:staff_detail", args=[staff.pk])).content.decode()
    assert "Alarmstufe ändern" not in html and "Besetzungslücke" not in html
    # No "next meeting" is announced for a staff that no longer meets (page and list).
    announced = staff.next_meeting_at and timezone.localtime(staff.next_meeting_at).strftime("%d.%m.%Y %H:%M")
    assert announced and announced not in html
    assert announced not in client.get(reverse("stab:staff_list")).content.decode()
