"""Former and sub-district keys (Hamburg's DIVI Bezirke, Eisenach) and files without data rows (issue 14)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from django.core.management import call_command

from krisenwissen.core.policy import SYSTEM
from krisenwissen.situation.actions import do_import_file
from krisenwissen.situation.models import Area, ImportRun, Observation

from .conftest import COVID, need

HAMBURG_BEZIRKE = ["02100", "02200", "02300", "02400", "02500", "02600", "02700"]


@pytest.fixture
def folders(tmp_path):
    """The README's two folders, reduced to the reference table, the empty Eisenach file, Hamburg
    (city and its seven DIVI Bezirke) and Eisenach's DIVI file: the files that made the import fail."""
    districts, divi = tmp_path / "districts", tmp_path / "divi-districts"
    districts.mkdir()
    divi.mkdir()
    for name in ("ref-de-districts.tsv", "de-district_timeseries-16056.tsv", "de-district_timeseries-02000.tsv"):
        shutil.copy(need(COVID / "districts" / name), districts / name)
    for ags in ["02000", *HAMBURG_BEZIRKE, "16056"]:
        shutil.copy(need(COVID / "divi-districts" / f"{ags}.tsv"), divi / f"{ags}.tsv")
    return districts, divi


@pytest.mark.django_db
def test_import_command_exits_0_and_reports_the_empty_file_and_the_subdistrict_keys(folders, capsys):
    districts, divi = folders
    # the command exits with status 1 (SystemExit) when a file is rejected as a whole
    call_command("lagebild", "import", str(districts), str(divi))
    out = capsys.readouterr().out
    assert "0 Dateien abgelehnt" in out
    assert "1 Datei(en) ohne Datenzeilen (nur Kopfzeile, nichts importiert): de-district_timeseries-16056.tsv" in out
    assert "9 Datei(en) früherer Kreise oder Teilgebiete" in out  # incl. the empty district file 16056
    for ags in [*HAMBURG_BEZIRKE, "16056"]:
        assert f"{ags}.tsv ({ags})" in out
    assert "Bezirk Altona (02200) der Freien und Hansestadt Hamburg (02000)" in out
    assert "gehört seit 01.07.2021 zum Wartburgkreis (16063)" in out
    assert not ImportRun.objects.exclude(status="ok").exists()
    # the keys are known with what they belong to and their validity
    hamburg = Area.objects.get(ags="02000")
    assert sorted(hamburg.parts.values_list("ags", flat=True)) == HAMBURG_BEZIRKE
    assert Area.objects.get(ags="02700").name == "Hamburg, Bezirk Harburg"  # not the Landkreis Harburg
    eisenach = Area.objects.get(ags="16056")
    assert eisenach.parent.ags == "16063" and eisenach.valid_until == date(2021, 6, 30)
    # and their values are stored under their own key
    assert Observation.objects.filter(area__ags="02100", indicator__key="its_betten_gesamt").count() == 733
    assert Observation.objects.filter(area__ags="16056", indicator__key="its_betten_gesamt").exists()
    assert not Observation.objects.filter(area__ags="16056", indicator__key="faelle_neu").exists()


@pytest.mark.django_db
def test_a_header_only_file_is_reported_not_rejected(ref_imported):
    path = need(COVID / "districts" / "de-district_timeseries-16056.tsv")
    run = do_import_file(path.read_bytes(), filename=path.name, fmt="districts", acting_user=SYSTEM)
    assert run.status == "ok" and run.rows_read == 0 and run.created == 0
    assert run.report["no_data_rows"] is True
    assert any("nur die Kopfzeile" in w for w in run.report["warnings"])


@pytest.mark.django_db
def test_an_unknown_key_is_still_refused(ref_imported):
    run = do_import_file(b"Date\tbetten_ges\tbetten_belegt\tfaelle_covid_aktuell\n2021-01-01\t1\t1\t0\n",
                         filename="02999.tsv", fmt="divi-districts", acting_user=SYSTEM)
    assert run.status != "ok" and "02999" in run.report["file_error"]


@pytest.mark.django_db
def test_reimporting_the_reference_table_keeps_the_territorial_areas_unchanged(ref_imported):
    path = need(COVID / "districts" / "ref-de-districts.tsv")
    run = do_import_file(path.read_bytes(), filename=path.name, fmt="districts-ref", acting_user=SYSTEM)
    assert run.status == "ok" and run.report["areas_created"] == 0 and run.report["areas_updated"] == 0
    assert Area.objects.get(ags="02700").parent.ags == "02000"
