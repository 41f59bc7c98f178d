"""The demo staffs and the command line (`krisenwissen stab list|activate|templates`)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from krisenwissen.stab.models import LogEntry, Staff

from ..factories import CrisisFactory, MunicipalityFactory
from .helpers import member

ESSEN_STAFF = "Krisenstab der Stadt Essen (Corona)"


def run(*args) -> str:
    out = StringIO()
    call_command("stab", *args, stdout=out)
    return out.getvalue()


def test_demo_has_the_essen_staff_of_spring_2020_and_an_exercise(demo_content):
    essen = Staff.objects.get(name=ESSEN_STAFF)
    assert essen.municipality.name == "Essen" and not essen.exercise
    assert essen.activated_at.year == 2020 and essen.activated_at.month == 3
    assert essen.template.key == "pandemie" and essen.crisis is not None
    holders = {a.user.username for f in essen.functions.all() for a in f.assignments.all()}
    assert {"admin", "mitwirkende.essen", "leser.essen"} <= holders
    assert LogEntry.objects.filter(staff=essen, number=1, text__startswith="Stab aktiviert").exists()
    drill = Staff.objects.get(exercise=True, municipality__name="Gelsenkirchen")
    assert drill.template.key == "hochwasser-starkregen" and str(drill).startswith("ÜBUNG")
    assert not drill.functions.get(code="s4").active


def test_demo_loader_is_idempotent(demo_content):
    from krisenwissen.stab.demo import load

    before = (Staff.objects.count(), LogEntry.objects.count())
    load(force=True)
    assert (Staff.objects.count(), LogEntry.objects.count()) == before


def test_demo_calls_the_parts_loaders_that_exist(db, monkeypatch):
    import importlib
    import importlib.util

    from krisenwissen.stab import demo

    called = []
    fake = type("M", (), {"load": staticmethod(lambda staff, *, acting_user: called.append(staff.pk))})
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if name.endswith(".etb_demo") else None)
    monkeypatch.setattr(importlib, "import_module", lambda name: fake)
    staff = Staff.objects.create(municipality=MunicipalityFactory(), name="x", activated_at="2020-03-13T09:00Z")
    assert demo.load_parts(staff) == ["etb"] and called == [staff.pk]


def test_cli_activate_and_list_json(db):
    city = MunicipalityFactory(ags="05999", name="Beispielstadt")
    person = member(city, username="lage.bsp")
    crisis = CrisisFactory(title="Probealarm")
    out = run("activate", "stromausfall", "--crisis", "Probealarm", "--municipality", "05999", "--exercise",
              "--name", "Übung Blackout", "--assign", "lage=lage.bsp", "--functions", "leitung,lage,bium")
    assert "Stab aktiviert: ÜBUNG – Übung Blackout" in out
    staff = Staff.objects.get(name="Übung Blackout")
    assert staff.crisis == crisis and staff.exercise
    assert set(staff.functions.filter(active=True).values_list("code", flat=True)) == {"leitung", "lage", "bium"}
    assert staff.functions.get(code="lage").assignments.get().user == person
    data = json.loads(run("list", "--json"))
    row = next(s for s in data["staffs"] if s["name"] == "Übung Blackout")
    assert row["exercise"] is True and row["municipality"]["ags"] == "05999"
    assert next(f for f in row["functions"] if f["code"] == "lage")["holders"] == 1
    assert "Übungsstäbe (ÜBUNG):" in run("list")


@pytest.mark.parametrize("args, message", [
    (["activate", "meteor", "--crisis", "Probealarm", "--municipality", "05999"], "Unbekannte Vorlage"),
    (["activate", "pandemie", "--crisis", "Gibtsnicht", "--municipality", "05999"], "Unbekannte Krise"),
    (["activate", "pandemie", "--crisis", "Probealarm", "--municipality", "99999"], "Unbekannte Kommune"),
    (["activate", "pandemie", "--crisis", "Probealarm"], "Bitte die Kommune angeben"),
    (["activate", "pandemie", "--crisis", "Probealarm", "--municipality", "05999", "--assign", "lage"], "CODE=BENUTZER"),
    (["activate", "pandemie", "--crisis", "Probealarm", "--municipality", "05999", "--functions", "x9"], "Unbekannte Funktionen"),
])
def test_cli_bad_input_is_a_german_error_and_writes_nothing(db, args, message):
    MunicipalityFactory(ags="05999")
    CrisisFactory(title="Probealarm")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Staff.objects.exists()


def test_cli_templates(db):
    data = json.loads(run("templates", "--json"))
    assert {t["key"] for t in data["templates"]} >= {"pandemie", "gasmangellage", "grossveranstaltung"}
