"""Framework files: schema, line-precise errors, atomic loading, the shipped framework."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.learning.framework_schema import parse_framework
from krisenwissen.learning.frameworks import SHIPPED_DIR, FrameworkLoadError, load_framework_text
from krisenwissen.learning.models import Framework, Indicator

LEVELS = "\n".join(f"          {n}: Stufe {n}" for n in range(6))
GOOD = f"""schema: krisenwissen-framework/1
key: test-rahmen
title: Testrahmen
areas:
  - key: bereich
    title: Bereich
    indicators:
      - key: eins
        title: Eins
        levels:
{LEVELS}
      - key: zwei
        title: Zwei
        levels: [a, b, c, d, e, f]
        codes: ["themen:personal"]
        action: {{title: Tun, description: Beschreibung}}
"""


def errors(text):
    data, errs = parse_framework(text)
    assert data is None
    return [str(e) for e in errs]


def test_good_file_parses():
    data, errs = parse_framework(GOOD)
    assert errs == [] and data.key == "test-rahmen" and data.target == 3
    assert [i.key for i in data.areas[0].indicators] == ["eins", "zwei"]
    assert data.areas[0].indicators[1].levels == list("abcdef")


def test_score_out_of_range_names_the_line():
    text = GOOD.replace("          5: Stufe 5", "          7: Stufe 7")
    errs = errors(text)
    assert "Zeile 16 (areas[0].indicators[0].levels): Stufe 7 liegt außerhalb von 0 bis 5." in errs
    assert any("Beschreibung fehlt für Stufe 5" in e for e in errs)


def test_duplicate_ids_name_both_lines():
    text = GOOD.replace("key: zwei", "key: eins")
    assert errors(text) == ["Zeile 17 (areas[0].indicators[1].key): Indikator „eins“ ist doppelt (zuerst in Zeile 8)."]


def test_schema_errors():
    errs = errors("schema: x\nkey: Böse Id\n")
    assert "Zeile 1 (schema): Unbekanntes Schema „x“ (erwartet: krisenwissen-framework/1)." in errs
    assert "Zeile 1: Pflichtfeld „areas“ fehlt." in errs
    assert any(e.startswith("Zeile 2 (key)") and "kein gültiger Schlüssel" in e for e in errs)
    assert errors("a: [\n") == ["Zeile 2: Kein gültiges YAML/JSON: expected the node content, but found '<stream end>'"]
    assert errors("") == ["Datei: Die Datei ist leer."]
    assert any("Unbekanntes Feld „farbe“" in e for e in errors(GOOD + "farbe: rot\n"))
    assert any("target" in e for e in errors(GOOD + "target: 9\n"))


def test_json_is_accepted():
    import json

    import yaml

    data, errs = parse_framework(json.dumps(yaml.safe_load(GOOD)))
    assert errs == [] and data.title == "Testrahmen"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_crashes(text):
    data, errs = parse_framework(text)
    assert (data is None) == bool(errs)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD)), st.text(max_size=20))
def test_mutated_file_never_crashes(pos, insert):
    parse_framework(GOOD[:pos] + insert + GOOD[pos:])


@pytest.mark.django_db
class TestLoad:
    def test_shipped_framework(self):
        out = StringIO()
        call_command("framework", "load", str(SHIPPED_DIR / "panreflex-resilienz.yaml"), stdout=out)
        assert "16 Indikatoren" in out.getvalue()
        framework = Framework.objects.get(key="panreflex-resilienz")
        assert framework.areas.count() == 6 and Indicator.objects.filter(area__framework=framework).count() == 16
        assert all(len(i.levels) == 6 and all(i.levels) for i in Indicator.objects.all())

    def test_broken_file_is_refused_with_line_and_nothing_loaded(self, tmp_path: Path):
        path = tmp_path / "kaputt.yaml"
        path.write_text(GOOD.replace("          5: Stufe 5", "          6: Stufe 6"), encoding="utf-8")
        err = StringIO()
        with pytest.raises(CommandError):
            call_command("framework", "load", str(path), stderr=err)
        assert f"{path}: Zeile 16 (areas[0].indicators[0].levels): Stufe 6 liegt außerhalb von 0 bis 5." in err.getvalue()
        assert not Framework.objects.exists()

    def test_reload_updates_in_place_and_keeps_scored_indicators(self, city_a):
        from django.utils import timezone

        from krisenwissen.learning import actions
        from tests import factories as f

        framework = load_framework_text(GOOD)
        user = f.UserFactory(is_superuser=True)
        ids = {i.key: i.pk for i in Indicator.objects.all()}
        actions.do_create_assessment(framework=framework, municipality=city_a, date=timezone.localdate(), acting_user=user,
                                     scores={pk: (2, "", "") for pk in ids.values()})
        load_framework_text(GOOD.replace("title: Eins", "title: Eins (neu)"))
        assert Indicator.objects.get(key="eins").title == "Eins (neu)" and Indicator.objects.get(key="eins").pk == ids["eins"]
        without_two = GOOD.split("      - key: zwei")[0]
        with pytest.raises(FrameworkLoadError, match="haben aber schon Bewertungen"):
            load_framework_text(without_two)
        assert Indicator.objects.filter(key="zwei").exists() and Indicator.objects.get(key="eins").title == "Eins (neu)"

    def test_unreadable_file(self, tmp_path):
        path = tmp_path / "bin.yaml"
        path.write_bytes(b"\xff\xfe\x00")
        with pytest.raises(CommandError):
            call_command("framework", "load", str(path), stderr=StringIO())
        with pytest.raises(CommandError):
            call_command("framework", "load", str(tmp_path / "fehlt.yaml"), stderr=StringIO())
