"""The demo content and the ``load_demo`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from krisenwissen.accounts.models import Membership, Municipality, Network, Role, User
from krisenwissen.core.events import CoreEvent
from krisenwissen.core.models import AuditEntry
from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.demo import content
from krisenwissen.knowledge.demo.loader import load_demo

PARTNER_AGS = {"05913": "Dortmund", "05111": "Düsseldorf", "05113": "Essen", "05513": "Gelsenkirchen", "05315": "Köln"}


def run_load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def all_items():
    for model in km.KNOWLEDGE_MODELS:
        yield from model.objects.all()


def item_counts() -> dict[str, int]:
    return {model.kind_key: model.objects.count() for model in km.KNOWLEDGE_MODELS}


class TestContentModule:
    """Consistency of the data module itself, without a database."""

    def test_keys_are_unique(self):
        for keys in (
            [row[0] for row in content.OBSERVATIONS],
            [row["key"] for row in content.LESSONS],
            [row["key"] for row in content.RECOMMENDATIONS],
            [row["key"] for row in content.GOOD_PRACTICES],
            [row[0] for row in content.USERS],
        ):
            assert len(keys) == len(set(keys))

    def test_every_reference_resolves(self):
        code_refs = {f"{s['key']}:{c[0]}" for s in content.SCHEMES for c in s["codes"]}
        code_refs |= {f"{s['key']}:{child[0]}" for s in content.SCHEMES for c in s["codes"] for child in c[3]}
        observation_keys = {row[0] for row in content.OBSERVATIONS}
        lesson_keys = {row["key"] for row in content.LESSONS}
        used_codes = [*content.DEFAULT_CODES]
        for row in content.OBSERVATIONS:
            assert row[1] in content.CITIES and row[6] in content.SOURCES
            used_codes += row[7]
        for row in [*content.LESSONS, *content.RECOMMENDATIONS, *content.GOOD_PRACTICES]:
            assert row["city"] in content.CITIES
            used_codes += row["codes"]
        assert set(used_codes) <= code_refs
        for lesson in content.LESSONS:
            assert set(lesson["evidence"]) <= observation_keys
        for recommendation in content.RECOMMENDATIONS:
            assert set(recommendation["lessons"]) <= lesson_keys

    def test_source_is_cited_as_required(self):
        assert content.SOURCE_CITATION == (
            "PanReflex-Synthesebericht, Reflexionsraum Kommunales Krisenmanagement, Essen, "
            "27./28. März 2023 (Difu/DEFUS)"
        )


@pytest.mark.django_db
class TestLoadDemo:
    # Tests that only read what ``load_demo`` wrote take it from ``demo_content``: the session's
    # snapshot of one ``load_demo`` run on an empty database (tests/conftest.py). The tests of
    # the loader's behaviour (output, skipping, --force, logins) run it themselves.

    def test_loads_cities_network_departments_and_phases(self):
        output = run_load_demo()
        assert "Demo-Daten geladen" in output

        cities = {m.ags: m for m in Municipality.objects.filter(is_participating=True)}
        assert {ags: m.name for ags, m in cities.items()} == PARTNER_AGS
        for municipality in cities.values():
            assert municipality.state == "Nordrhein-Westfalen"
            assert municipality.kind == "kreisfreie_stadt"
            assert municipality.population > 200_000
            functions = set(municipality.departments.values_list("function", flat=True))
            assert {"krisenstab", "gesundheitsamt", "ordnungsamt", "feuerwehr"} <= functions
        network = Network.objects.get(slug="panreflex")
        assert network.name == "PanReflex-Partnerstädte"
        assert set(network.members.values_list("ags", flat=True)) == set(PARTNER_AGS)

        crisis = km.Crisis.objects.get(title="COVID-19-Pandemie")
        assert (crisis.hazard_type, str(crisis.start), str(crisis.end)) == ("Pandemie", "2020-03-01", "2023-02-28")
        phases = list(crisis.phases.order_by("number"))
        assert [p.name for p in phases] == [
            "Eindämmung & Unsicherheit", "Schutz & Weiterbetrieb", "Kontrolle & Legitimation",
            "Impfkampagne", "Multiple Krisen",
        ]
        assert all(p.start and p.end and p.start <= p.end and p.period_label and p.description for p in phases)

    def test_taxonomy_has_three_schemes_with_hierarchy(self, demo_content):
        themes = km.Scheme.objects.get(key="themen")
        assert themes.name == "Themenschwerpunkte"
        top = list(themes.codes.filter(parent=None).values_list("key", flat=True))
        assert top == ["zusammenarbeit", "krisenkommunikation", "besonders-betroffene"]
        for code in themes.codes.filter(parent=None):
            assert code.children.count() >= 3
        assert km.Scheme.objects.get(key="faehigkeiten").name == "Fähigkeitselement"
        assert set(km.Code.objects.filter(scheme__key="faehigkeiten").values_list("name", flat=True)) == {
            "Organisation", "Personal", "Prozesse", "Ausstattung", "Übung/Training", "Kommunikation"}
        assert km.Code.objects.filter(scheme__key="gefahren").count() == 7

    def test_amounts_and_spread_of_knowledge_items(self, demo_content):
        counts = item_counts()
        assert counts["observation"] >= 60
        assert counts["lesson"] >= 15
        assert counts["recommendation"] >= 10
        assert counts["goodpractice"] >= 8

        observations = km.Observation.objects.all()
        assert set(observations.values_list("kind", flat=True)) == set(km.ObservationKind.values)
        pandemic = observations.filter(crisis__title="COVID-19-Pandemie")
        assert set(pandemic.values_list("phase__number", flat=True)) == {1, 2, 3, 4, 5}
        # Knowledge beyond the pandemic (knowledge/demo/hazards.py): every hazard type has items.
        hazards = set(km.Code.objects.filter(scheme__key="gefahren").values_list("key", flat=True)) - {"flucht-migration"}
        for hazard in hazards:
            assert observations.filter(codes__scheme__key="gefahren", codes__key=hazard).exists(), hazard
            assert km.Lesson.objects.filter(codes__scheme__key="gefahren", codes__key=hazard).exists(), hazard
        assert set(observations.values_list("municipality__ags", flat=True)) == set(PARTNER_AGS)
        assert len(set(observations.values_list("department_function", flat=True))) >= 6
        assert all(o.source_id and o.anonymous for o in observations)

        visibility = Counter(item.visibility for item in all_items())
        assert visibility["netzwerk"] > visibility["intern"] + visibility["oeffentlich"]
        assert visibility["intern"] >= 3 and visibility["oeffentlich"] >= 3

        kinds = set(km.Source.objects.values_list("kind", flat=True))
        assert {"workshop", "interview", "survey", "document"} <= kinds
        synthesis = km.Source.objects.get(kind="workshop")
        assert synthesis.citation == content.SOURCE_CITATION

    def test_every_item_passes_model_validation_and_carries_codes(self, demo_content):
        for item in all_items():
            item.full_clean()
            # Pandemic items belong to the COVID-19 crisis; a few items of the power-cut demo come
            # from an exercise and the TAB study, not from a crisis.
            assert item.crisis is not None or not item.codes.filter(key="pandemie").exists()
            assert item.codes.filter(scheme__key="themen").exists() or item.codes.filter(scheme__key="faehigkeiten").exists()

    def test_lessons_rest_on_evidence_from_several_cities(self, demo_content):
        four_of_five = 0
        for lesson in km.Lesson.objects.all():
            cities = set(lesson.observations.values_list("municipality__ags", flat=True))
            assert len(cities) >= 2, lesson.title
            if "in 4 von 5 städten" in lesson.finding.lower():
                assert len(cities) == 4, lesson.title
                four_of_five += 1
        assert four_of_five >= 3

    def test_recommendations_and_good_practices(self, demo_content):
        for recommendation in km.Recommendation.objects.all():
            assert recommendation.lessons.exists(), recommendation.title
        assert set(km.Recommendation.objects.values_list("addressee_level", flat=True)) == {"kommune", "land", "bund"}
        titles = " ".join(km.GoodPractice.objects.values_list("title", flat=True))
        for topic in ("Szenario", "Kompetenzdatenbank", "Personalreserve", "Impfzentrum", "Streifen",
                      "Bürgertelefon", "Landesverordnungen", "Intranet"):
            assert topic in titles
        for practice in km.GoodPractice.objects.all():
            assert practice.city in PARTNER_AGS.values()
            assert practice.problem and practice.solution and practice.results and practice.transferability
            assert practice.sources.exists()

    def test_texts_contain_words_the_acceptance_tests_search_for(self, demo_content):
        texts = [item.body_text + " " + item.display_title for item in all_items()]
        assert sum("Krisenstab" in t for t in texts) >= 10
        assert sum("Krisenstäbe" in t for t in texts) >= 2
        assert sum("Schutzausrüstung" in t for t in texts) >= 3
        assert sum("Maßnahme" in t for t in texts) >= 3

    def test_quotes_are_anonymous_without_personal_names(self, demo_content):
        user_names = {name for u in User.objects.all() for name in (u.first_name, u.last_name) if name}
        for quote in km.Observation.objects.filter(kind="zitat"):
            assert quote.anonymous
            assert quote.text.startswith("„") and quote.text.endswith("“")
            assert not any(name in quote.text for name in user_names)

    def test_demo_users_can_log_in_with_their_roles(self):
        output = run_load_demo()
        assert "krisenwissen-demo" in output
        expected = {
            "admin": Role.ADMINISTRATION, "leser.essen": Role.LESER, "mitwirkende.koeln": Role.MITWIRKENDE,
            "redaktion.dortmund": Role.REDAKTION, "moderation.duesseldorf": Role.MODERATION,
            "admin.gelsenkirchen": Role.ADMINISTRATION, "redaktion.koeln": Role.REDAKTION,
        }
        for username, role in expected.items():
            assert username in output
            assert authenticate(username=username, password="krisenwissen-demo") is not None
            assert Membership.objects.get(user__username=username).role == role
        assert User.objects.get(username="admin").is_superuser
        assert not User.objects.get(username="admin.gelsenkirchen").is_superuser
        assert Membership.objects.get(user__username="leser.essen").municipality.ags == "05113"

    def test_is_idempotent_and_force_updates_instead_of_duplicating(self):
        run_load_demo()
        before = item_counts()
        assert AuditEntry.objects.filter(action=CoreEvent.DEMO_LOADED).count() == 1

        output = run_load_demo()
        assert "bereits Inhalte vorhanden" in output
        assert item_counts() == before
        assert AuditEntry.objects.filter(action=CoreEvent.DEMO_LOADED).count() == 1

        km.Observation.objects.filter(text__startswith="Der Krisenstab verstand").update(text="geändert")
        run_load_demo("--force")
        assert item_counts() == before
        assert Municipality.objects.filter(is_participating=True).count() == 5
        assert km.Observation.objects.filter(text__startswith="Der Krisenstab verstand").count() == 1
        assert AuditEntry.objects.filter(action=CoreEvent.DEMO_LOADED).count() == 2

    def test_does_not_load_over_existing_content(self, city_a):
        km.Observation.objects.create(municipality=city_a, kind="erfahrung", text="Vorhandener Inhalt")
        result = load_demo()
        assert result.skipped
        assert km.Observation.objects.count() == 1
        assert not Network.objects.filter(slug="panreflex").exists()


def test_console_commands_on_a_fresh_database(tmp_path):
    """``krisenwissen migrate`` then ``load_demo`` on a new SQLite file, as an operator would."""
    env = {**os.environ, "KRISENWISSEN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.dev"}
    env.pop("DATABASE_URL", None)  # a private SQLite database in tmp_path

    def krisenwissen(*args: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "krisenwissen", *args], env=env, cwd=tmp_path,
            capture_output=True, text=True, timeout=300,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout

    krisenwissen("migrate", "--verbosity", "0")
    output = krisenwissen("load_demo")
    assert "Demo-Daten geladen" in output
    assert "Passwort für alle: krisenwissen-demo" in output
    assert "leser.essen" in output and "admin.gelsenkirchen" in output
    assert "bereits Inhalte vorhanden" in krisenwissen("load_demo")
    export = tmp_path / "export.json"
    krisenwissen("export", str(export))
    assert "gültig" in krisenwissen("import", str(export), "--nur-pruefen")
    assert (tmp_path / "krisenwissen.sqlite3").exists()
