"""The staff's load part in the browser (issue 16): a member signs in on the presence board,
sees the warning about too many hours on duty, creates the handover brief at shift change and
acknowledges it (an ETB entry Schichtwechsel); axe at 1280 and 375 px on every page."""

import datetime as dt

import pytest

from .conftest import PASSWORD, check_page, login, url


@pytest.fixture
def staff_world(transactional_db, live_server):
    from django.utils import timezone

    from krisenwissen.accounts.models import Role
    from krisenwissen.stab.journal import record_in_log
    from krisenwissen.stab.models import AssignmentRole, FunctionGroup, LogCategory, Presence, Task
    from tests import factories as f
    from tests.stab_load.helpers import add_function, assign, make_staff

    city = f.MunicipalityFactory(name="Essen", ags="05113")
    person = f.MembershipFactory(municipality=city, role=Role.LESER, user__username="lage.essen", user__first_name="Petra",
                                 user__last_name="Lage", user__password=PASSWORD).user
    chef = f.MembershipFactory(municipality=city, role=Role.ADMINISTRATION, user__username="chef.essen", user__password=PASSWORD).user
    staff = make_staff(municipality=city, name="Krisenstab der Stadt Essen (Corona)")
    lage = add_function(staff, "lage", "Lage", FunctionGroup.S2, 1)
    leitung = add_function(staff, "leitung", "Leitung", FunctionGroup.LEITUNG, 0)
    assign(lage, person), assign(leitung, chef), assign(lage, chef, AssignmentRole.VERTRETUNG)
    now = timezone.now()
    # 13 hours on duty until 20 minutes ago: signing in again continues the same stretch.
    Presence.objects.create(staff=staff, user=person, function=lage, started_at=now - dt.timedelta(hours=13, minutes=20),
                            ended_at=now - dt.timedelta(minutes=20))
    record_in_log(staff, category=LogCategory.ENTSCHEIDUNG, text="Schulen und Kitas schließen ab Montag", acting_user=chef)
    Task.objects.create(staff=staff, number=1, title="Lagebild für die Bezirksregierung aufbereiten", owner_function=lage)
    return {"staff": staff, "person": person}


def test_sign_in_warning_and_handover(page, staff_world):
    from krisenwissen.stab.models import LogCategory, LogEntry

    staff = staff_world["staff"]
    login(page, "lage.essen")
    page.goto(url("stab:load_overview", staff.pk))
    check_page(page)
    page.get_by_role("combobox", name="Funktion").select_option(label="Lage")
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden (Dienstbeginn)").click()
    assert page.get_by_text("Sie sind im Stab angemeldet.").is_visible()
    assert page.get_by_role("alert").filter(has_text="Stunden ohne Unterbrechung im Dienst").is_visible()
    board = page.get_by_role("table", name="Angemeldete Personen je Funktion")
    assert board.get_by_text("Petra Lage").is_visible()
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Übergabebrief erstellen").click()
    assert page.get_by_role("heading", name="Übergabebrief zum Schichtwechsel").is_visible()
    assert page.get_by_text("Schulen und Kitas schließen ab Montag").is_visible()
    assert page.get_by_text("Lagebild für die Bezirksregierung aufbereiten").is_visible()
    assert page.get_by_text("keine Lagebild-Daten für die Kommune").is_visible()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Übergabe gelesen und übernommen").click()
    assert page.get_by_text("Übergabe bestätigt am").is_visible()
    entry = LogEntry.objects.get(staff=staff, category=LogCategory.SCHICHTWECHSEL)
    assert "Petra Lage" in entry.text
    check_page(page)

    for name in ("stab:load_roster", "stab:load_strain", "stab:load_configuration"):
        page.goto(url(name, staff.pk))
        check_page(page)
    page.goto(url("stab:load_person", staff.pk, staff_world["person"].pk))
    check_page(page)
