"""The coverage report: where a municipality depends on single people."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from krisenwissen.core.policy import SYSTEM, PermissionDenied
from krisenwissen.people import actions
from krisenwissen.people.selectors import coverage
from tests import factories as f


def test_function_without_deputy_and_competence_held_once(world):
    a = world["cities"]["a"]
    report = coverage(a, user=world["users"]["s1_a"])
    assert [fn.name for fn in report.functions_without_deputy] == ["Leitung Krisenstab"]  # S1 has a deputy
    single = {(c.code, p.display_name) for c, p in report.single_holder_competences}
    assert ("warnung-bevoelkerung", "Lena Leitwolf") in single
    assert ("krisenkommunikation", "Lena Leitwolf") in single
    assert not any(code == "stabsarbeit" for code, _ in single)  # held by two people of A
    assert len(report.stale_people) == report.people_total  # nobody confirmed yet


def test_leaving_people_with_holdings(world):
    a = world["cities"]["a"]
    leitung = world["people"]["leitung_a"]
    lesson = f.LessonFactory(municipality=a, created_by=world["users"]["leitung_a_user"])
    assert lesson.pk
    actions.do_set_leaving(leitung, leaving_on=timezone.localdate() + dt.timedelta(days=200), reason="ruhestand", acting_user=SYSTEM)
    actions.do_set_leaving(world["people"]["reader_a"], leaving_on=timezone.localdate() + dt.timedelta(days=500), reason="wechsel",
                           acting_user=SYSTEM)
    report = coverage(a, user=world["users"]["s1_a"])
    assert [row.person.pk for row in report.leaving] == [leitung.pk]  # 500 days is beyond 12 months
    row = report.leaving[0]
    assert row.lessons == 1 and any("Leitung Krisenstab" in x for x in row.functions)
    assert any("einzige Person" in x for x in row.competences)


def test_coverage_needs_permission(world):
    with pytest.raises(PermissionDenied):
        coverage(world["cities"]["a"], user=world["users"]["reader_a"])
    with pytest.raises(PermissionDenied):
        coverage(world["cities"]["a"], user=world["users"]["s1_b"])


def test_coverage_command_json(world):
    out = StringIO()
    call_command("koepfe", "coverage", "--json", "--kommune", world["cities"]["a"].ags, stdout=out)
    data = json.loads(out.getvalue())
    [city] = data["kommunen"]
    assert city["kommune"]["ags"] == world["cities"]["a"].ags
    assert [fn["name"] for fn in city["funktionen_ohne_vertretung"]] == ["Leitung Krisenstab"]
    assert {c["kompetenz"] for c in city["kompetenzen_einfach_besetzt"]} >= {"warnung-bevoelkerung"}
    assert "23125" not in out.getvalue()  # no reachability data in the report


def test_coverage_command_unknown_municipality(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unbekannte Kommune"):
        call_command("koepfe", "coverage", "--kommune", "00000", stdout=StringIO())


def test_confirm_reminders(world, mailoutbox):
    from krisenwissen.core.models import Notification
    from krisenwissen.people.tasks import send_confirm_reminders_now

    counts = send_confirm_reminders_now()
    # Entries with an account remind the person; without account whoever maintains them (none here: SYSTEM created them).
    assert counts["erinnert"] == 4  # s1-a, leitung-a, leser-a, s1-b
    assert Notification.objects.filter(recipient=world["users"]["reader_a"]).exists()
    assert send_confirm_reminders_now()["erinnert"] == 0  # once per interval
    actions.do_confirm_entry(world["people"]["reader_a"], acting_user=world["users"]["reader_a"])
    assert send_confirm_reminders_now()["erinnert"] == 0
