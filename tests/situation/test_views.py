"""Pages, CLI and Lagebericht for 26 April 2021 with the five partner cities."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.situation import selectors
from krisenwissen.situation.actions import do_create_staff_note
from krisenwissen.situation.models import Area, ImportRun, Observation
from tests import factories as f

from .conftest import COVID, need


@pytest.fixture
def reader(five_imported, reader_a):
    return reader_a


def test_overview_26_april_shows_five_cities_with_notbremse(client, reader):
    client.force_login(reader)
    response = client.get(reverse("situation:overview"), {"datum": "2021-04-26"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lage am 26.04.2021" in html
    for name in ("Dortmund", "Düsseldorf", "Essen", "Gelsenkirchen", "Köln"):
        assert name in html
    assert html.count("Notbremse ab 100") == 5
    assert "in Kraft" in html and "●" in html  # text and symbol, not colour alone


def test_status_cli_json(five_imported):
    out = io.StringIO()
    call_command("lagebild", "status", "--date", "2021-04-26", "--json", stdout=out)
    data = json.loads(out.getvalue())
    names = [a["name"] for a in data["areas"]]
    assert names == ["Dortmund", "Düsseldorf", "Essen", "Gelsenkirchen", "Köln"]
    by = {a["ags"]: {r["rule"]: r for r in a["rules"]} for a in data["areas"]}
    for ags in by:
        assert by[ags]["notbremse-100"]["status"] == "in_kraft"
        assert by[ags]["notbremse-100"]["since"] == "2021-04-24"
    assert by["05111"]["schulen-165"]["status"] == "inaktiv"   # Düsseldorf, see test_rules_engine
    assert by["05113"]["schulen-165"]["since"] == "2021-04-26"  # Essen from Monday 26.04.


def test_rule_status_from_computed_incidence_matches_worked_examples(five_imported):
    """The stored data hold only daily counts; the rules run on the computed incidence and
    reach the same lift dates as the worked examples on the source's figures."""
    areas = [Area.objects.get(ags=a) for a in ["05913", "05113", "05513", "05315", "05111"]]
    rulesets = list(selectors.RuleSet.objects.filter(key="bundesnotbremse-2021"))
    sits = selectors.situation(areas, as_of=date(2021, 7, 31), rulesets=rulesets)
    ends = {s.area.ags: [(p.start, p.end) for st in s.statuses if st.rule.key == "notbremse-100"
                         for p in st.evaluation.periods] for s in sits}
    assert ends["05913"] == [(date(2021, 4, 24), date(2021, 5, 22))]
    assert ends["05113"] == [(date(2021, 4, 24), date(2021, 5, 19))]
    assert ends["05513"] == [(date(2021, 4, 24), date(2021, 5, 28))]
    assert ends["05315"] == [(date(2021, 4, 24), date(2021, 5, 29))]
    assert ends["05111"] == [(date(2021, 4, 24), date(2021, 5, 19))]


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("docx", b"PK")])
def test_report_cli(five_imported, tmp_path, fmt, magic):
    target = tmp_path / f"bericht.{fmt}"
    call_command("lagebild", "report", "--date", "2021-04-26", "--format", fmt, "--output", str(target),
                 stdout=io.StringIO())
    data = target.read_bytes()
    assert data.startswith(magic)
    if fmt == "pdf":
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "".join(p.extract_text() for p in reader.pages)
        assert "Lagebericht" in text and "Gelsenkirchen" in text and "CC BY 4.0" in text
        assert reader.metadata.title
    else:
        import docx

        doc = docx.Document(io.BytesIO(data))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "Regelstatus" in text and "DIVI" in text


def test_report_contains_readable_notes_only(client, five_imported, city_a, city_b, contributor_a):
    editor = contributor_a
    other = f.MembershipFactory(municipality=city_b, role=Role.LESER).user
    do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="Geheimnotiz markerlage", acting_user=editor)
    client.force_login(other)
    response = client.get(reverse("situation:report"), {"datum": "2021-04-26", "format": "docx"})
    assert response.status_code == 200
    import docx

    doc = docx.Document(io.BytesIO(response.content))
    assert "markerlage" not in "\n".join(p.text for p in doc.paragraphs)
    client.force_login(editor)
    response = client.get(reverse("situation:report"), {"datum": "2021-04-26", "format": "docx"})
    doc = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    for table in doc.tables:
        text += "\n".join(c.text for row in table.rows for c in row.cells)
    assert "markerlage" in text


def test_compare_and_area_pages_have_chart_table_and_csv(client, reader):
    client.force_login(reader)
    r = client.get(reverse("situation:compare"), {"datum": "2021-04-26"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'role="img"' in html and "<table" in html and "vergleich.csv" in html
    r = client.get(reverse("situation:compare_csv"), {"datum": "2021-04-26", "indikator": "inzidenz_7t"})
    body = b"".join(r.streaming_content).decode()
    assert body.lstrip("\ufeff").splitlines()[0] == "datum;ags;gebiet;inzidenz_7t"
    assert len(body.splitlines()) == 1 + 28 * 5
    r = client.get(reverse("situation:area_detail", args=["05113"]), {"datum": "2021-04-26"})
    assert r.status_code == 200 and 'role="img"' in r.content.decode()
    r = client.get(reverse("situation:area_csv", args=["05113"]), {"datum": "2021-04-26"})
    assert r.status_code == 200


def test_browser_import_form_reports_rows(client, ref_imported, platform_user):
    editor = platform_user  # district data is shared: the platform data role imports it
    client.force_login(editor)
    path = need(COVID / "divi-districts" / "05913.tsv")
    with path.open("rb") as fh:
        r = client.post(reverse("situation:import"), {"datei": fh, "format": "divi-districts"})
    assert r.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.status == "ok" and run.user == editor
    page = client.get(r["Location"]).content.decode()
    # German number format (issue 14): 1.137, not 1137
    assert "Zeilen gelesen" in page and f"{run.rows_read:,}".replace(",", ".") in page


def test_reader_cannot_import(client, reader):
    client.force_login(reader)
    assert client.get(reverse("situation:import")).status_code == 403


def test_cli_import_directory_is_idempotent(db, tmp_path):
    d = tmp_path / "districts"
    d.mkdir()
    for name in ("ref-de-districts.tsv", "de-district_timeseries-05913.tsv"):
        (d / name).write_bytes(need(COVID / "districts" / name).read_bytes())
    out = io.StringIO()
    call_command("lagebild", "import", str(d), stdout=out, stderr=io.StringIO())
    n = Observation.objects.count()
    assert n == 2 * 1247
    out = io.StringIO()
    call_command("lagebild", "import", str(d), stdout=out, stderr=io.StringIO())
    assert Observation.objects.count() == n
    assert "0 neu" in out.getvalue().splitlines()[-1]


def test_demo_loader_is_fast_and_idempotent(db, city_a):
    import time

    from krisenwissen.situation import demo

    need(COVID / "districts" / "ref-de-districts.tsv")
    t = time.perf_counter()
    counts = demo.load(force=False)
    elapsed = time.perf_counter() - t
    assert counts["observations"] > 10_000
    assert elapsed < 5, elapsed
    again = demo.load(force=False)
    assert again["observations"] == 0


def test_rule_file_with_syntax_error_is_refused_with_position(client, city_b, editor_b):
    editor = editor_b
    client.force_login(editor)
    text = "key: eigene\nname: Eigene\nrules:\n  - key: a\n    entry: {op: '>', threshold: 100\n"
    r = client.post(reverse("situation:rulesets"), {"kommune": city_b.pk, "text": text})
    assert r.status_code == 200
    assert "Zeile" in r.content.decode() and "Spalte" in r.content.decode()
    good = ("key: eigene\nname: Eigene Stufe\nrules:\n  - key: a\n    name: Über 200\n    indicator: inzidenz_rki\n"
            "    entry: {op: '>', threshold: 200, days: 3}\n    exit: {op: '<', threshold: 200, days: 5, count: werktage}\n")
    r = client.post(reverse("situation:rulesets"), {"kommune": city_b.pk, "text": good})
    assert r.status_code == 302
    assert selectors.rulesets_for(user=editor).filter(name="Eigene Stufe").exists()
    other = f.MembershipFactory(role=Role.LESER).user
    assert not selectors.rulesets_for(user=other).filter(name="Eigene Stufe").exists()


def test_public_page_shows_only_public(client, db, city_a):
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="oeffentlichetext", visibility="oeffentlich",
                         acting_user=editor)
    do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="internertext", acting_user=editor)
    body = client.get(reverse("situation:public", args=[city_a.ags])).content.decode()
    assert "oeffentlichetext" in body and "internertext" not in body


def test_contributor_cannot_publish_note(db, city_a):
    from django.core.exceptions import PermissionDenied

    contributor = f.MembershipFactory(municipality=city_a, role=Role.MITWIRKENDE).user
    with pytest.raises(PermissionDenied):
        do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="x", visibility="oeffentlich",
                             acting_user=contributor)
    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    with pytest.raises(PermissionDenied):
        do_create_staff_note(municipality=city_a, day=date(2021, 4, 26), text="x", acting_user=reader)


def test_own_indicator_by_hand_and_generic_csv(client, ref_imported, city_a):
    from krisenwissen.situation.actions import (
        do_create_indicator,
        do_import_file,
        do_record_observation,
    )
    from krisenwissen.situation.models import ObservationRevision

    Area.objects.filter(ags="05913").update(municipality=city_a)
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    ind = do_create_indicator(municipality=city_a, name="Anrufe Bürgertelefon", unit="Anrufe", acting_user=editor)
    area = Area.objects.get(ags="05913")
    do_record_observation(indicator=ind, area=area, day=date(2021, 4, 26), value=800, acting_user=editor)
    do_record_observation(indicator=ind, area=area, day=date(2021, 4, 26), value=810, acting_user=editor)
    assert ObservationRevision.objects.get(indicator=ind).value == 800
    csv_text = f"ags;indikator;datum;wert\n05913;{ind.key};2021-04-27;900\n05913;faelle_neu;2021-04-27;5\n"
    run = do_import_file(csv_text.encode(), filename="anrufe.csv", acting_user=editor)
    assert run.created == 1 and run.rejected == 1  # no right to write open data by CSV
    assert run.report["errors"][0]["line"] == 3 and "Berechtigung" in run.report["errors"][0]["reason"]
    stranger = f.MembershipFactory(role=Role.REDAKTION).user
    run = do_import_file(csv_text.encode(), filename="anrufe.csv", acting_user=stranger)
    assert run.created == 0 and run.rejected == 2


def test_overview_without_date_shows_last_day_of_followed_areas(client, reader):
    client.force_login(reader)
    html = client.get(reverse("situation:overview")).content.decode()
    assert "Lage am 04.06.2023" in html  # last day with values (the DIVI files end on 2023-06-04)
    r = client.get(reverse("situation:overview"), {"datum": "kein-datum"})
    assert r.status_code == 200  # invalid date: falls back, no crash


def test_browser_import_of_wrong_format_imports_nothing(client, ref_imported, platform_user):
    editor = platform_user
    client.force_login(editor)
    path = need(COVID / "rki" / "Aktuell_Deutschland_adjustierte-COVID-19-Hospitalisierungen.csv")
    before = Observation.objects.count()
    with path.open("rb") as fh:
        r = client.post(reverse("situation:import"), {"datei": fh, "format": "rki-deutschland"}, follow=True)
    html = r.content.decode()
    assert "Nichts importiert" in html and "Falsches Format" in html
    assert Observation.objects.count() == before


def test_check_rules_cli(tmp_path):
    from django.core.management.base import CommandError

    good = tmp_path / "ok.yaml"
    good.write_text((need(Path(__file__).resolve().parents[2] / "src" / "krisenwissen" / "situation" / "data"
                          / "rulesets" / "bundesnotbremse-2021.yaml")).read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    call_command("lagebild", "check-rules", str(good), stdout=out)
    assert "3 Regeln" in out.getvalue() and "unter 100 an 5 aufeinander folgenden Werktagen" in out.getvalue()
    bad = tmp_path / "kaputt.yaml"
    bad.write_text("key: x\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Zeile \d+, Spalte \d+"):
        call_command("lagebild", "check-rules", str(bad), stdout=io.StringIO())


@pytest.mark.parametrize("datum", ["0001-01-01", "9999-12-31"])
def test_out_of_range_date_falls_back_with_german_message(client, reader_a, datum):
    """Days far outside the data used to overflow (date arithmetic around the day): 500."""
    from krisenwissen.situation.models import Area

    Area.objects.create(ags="05913", name="Dortmund", level="kreis", population=500_000)
    client.force_login(reader_a)
    for name, args, extra in [("situation:overview", [], {}), ("situation:compare", [], {}),
                              ("situation:compare_csv", [], {}), ("situation:area_detail", ["05913"], {}),
                              ("situation:area_csv", ["05913"], {}), ("situation:report", [], {"format": "docx"})]:
        r = client.get(reverse(name, args=args), {"datum": datum, **extra})
        assert r.status_code == 200, name
    html = client.get(reverse("situation:overview"), {"datum": datum}).content.decode()
    assert "Bitte ein Datum zwischen dem 01.01.2000 und dem 31.12.2099 angeben." in html
    html = client.get(reverse("situation:overview"), {"datum": "xyz"}).content.decode()
    assert "Bitte ein Datum im Format TT.MM.JJJJ angeben." in html


def test_cli_refuses_out_of_range_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="außerhalb"):
        call_command("lagebild", "status", "--date", "0001-01-01", stdout=io.StringIO())


def test_corrections_of_an_intern_own_indicator_stay_in_the_municipality(client, city_a, city_b):
    """The corrections table of an area listed revisions of every indicator, also the intern
    own indicators of other municipalities (name and earlier value)."""
    from krisenwissen.situation.actions import do_create_indicator, do_record_observation

    area = Area.objects.create(ags="05913", name="Dortmund", level="kreis", population=500_000, municipality=city_a)
    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    ind = do_create_indicator(municipality=city_a, name="Geheimindikator markerkorr", acting_user=editor)
    do_record_observation(indicator=ind, area=area, day=date(2021, 4, 26), value=800, acting_user=editor)
    do_record_observation(indicator=ind, area=area, day=date(2021, 4, 26), value=810, acting_user=editor)
    page = reverse("situation:area_detail", args=["05913"])
    client.force_login(editor)
    assert "markerkorr" in client.get(page, {"datum": "2021-04-26"}).content.decode()
    client.force_login(f.MembershipFactory(municipality=city_b, role=Role.LESER).user)
    assert "markerkorr" not in client.get(page, {"datum": "2021-04-26"}).content.decode()
