"""Importers: real files, bad input, idempotent re-import with history."""

from __future__ import annotations

import csv
import io
from datetime import date

from krisenwissen.core.policy import SYSTEM
from krisenwissen.situation import selectors
from krisenwissen.situation.actions import do_import_file
from krisenwissen.situation.models import Area, ImportRun, Observation, ObservationRevision

from .conftest import COVID, FIVE, need


def imp(data: bytes | str, filename="x.csv", fmt=None, **kw):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return do_import_file(data, filename=filename, fmt=fmt, acting_user=SYSTEM, **kw)


def test_reference_table_creates_districts_with_population(ref_imported):
    assert ref_imported.rows_read == 411
    assert Area.objects.get(ags="11000").population > 3_000_000  # Berlin as a whole, sum of the Bezirke
    dortmund = Area.objects.get(ags="05913")
    assert (dortmund.name, dortmund.population, dortmund.state_code, dortmund.level) == (
        "Dortmund", 586852, "NW", "kreis")


def test_district_file_import_and_idempotent_reimport(ref_imported):
    path = need(COVID / "districts" / "de-district_timeseries-05913.tsv")
    first = imp(path.read_bytes(), filename=path.name, fmt="districts")
    assert first.status == "ok" and first.rows_read == 1247 and first.rejected == 0
    assert first.created == 2 * 1247  # new cases and new deaths per day
    second = imp(path.read_bytes(), filename=path.name, fmt="districts")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2 * 1247)
    assert Observation.objects.count() == 2 * 1247


def test_corrected_file_updates_and_keeps_what_was_known(ref_imported):
    path = need(COVID / "districts" / "de-district_timeseries-05913.tsv")
    text = path.read_text(encoding="utf-8")
    first = imp(text, filename=path.name, fmt="districts")
    corrected = text.replace("2021-04-22\t23965\t368\t198\t", "2021-04-22\t23965\t368\t199\t")
    assert corrected != text
    second = imp(corrected, filename=path.name, fmt="districts")
    assert (second.created, second.updated) == (0, 1)
    obs = Observation.objects.get(area__ags="05913", indicator__key="faelle_neu", date=date(2021, 4, 22))
    assert obs.value == 199 and obs.import_run_id == second.pk
    rev = ObservationRevision.objects.get(area=obs.area, indicator=obs.indicator, date=obs.date)
    assert (rev.value, rev.import_run_id, rev.replaced_by_id) == (198, first.pk, second.pk)
    # What was known when: between the two imports the first value, afterwards the correction.
    area = obs.area
    assert selectors.value_known_at(area, indicator_key="faelle_neu", day=date(2021, 4, 22), at=first.finished_at) == 198
    assert selectors.value_known_at(area, indicator_key="faelle_neu", day=date(2021, 4, 22), at=second.finished_at) == 199
    assert selectors.value_known_at(area, indicator_key="faelle_neu", day=date(2021, 4, 22),
                                    at=first.started_at.replace(year=2000)) is None
    assert [v for _, v, _ in selectors.value_history(area, indicator_key="faelle_neu", day=date(2021, 4, 22))] == [198, 199]


def test_divi_and_intensivregister(ref_imported):
    p = need(COVID / "divi-districts" / "05913.tsv")
    run = imp(p.read_bytes(), filename=p.name, fmt="divi-districts")
    assert run.status == "ok" and run.created > 3000
    reg = need(COVID / "rki" / "Intensivregister_Bundeslaender_Kapazitaeten.csv")
    run = imp(reg.read_bytes(), filename=reg.name)  # format detected from the header
    assert run.fmt == "intensivregister" and run.status == "ok", run.report
    nrw = Area.objects.get(ags="05")
    share = selectors.series_for(nrw, key="its_belegung_anteil", start=date(2021, 4, 26), end=date(2021, 4, 26))
    assert 50 < share[date(2021, 4, 26)] < 100


def test_rki_national_file_only_total_age_group(db):
    p = need(COVID / "rki" / "COVID-19-Faelle_7-Tage-Inzidenz_Deutschland.csv")
    run = imp(p.read_bytes(), filename=p.name)
    assert run.fmt == "rki-deutschland" and run.status == "ok"
    assert run.report["skipped"] > 0
    inc = Observation.objects.get(area__ags="00", indicator__key="inzidenz_rki", date=date(2021, 4, 26))
    assert 100 < inc.value < 250


def generated_landkreise_file(agss, *, extra_rows=()) -> bytes:
    """The official district file format (schema tableschema_..._Landkreise.json), generated
    from the district time series because the real file is too large to ship."""
    populations = {}
    with open(need(COVID / "districts" / "ref-de-districts.tsv"), encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            populations[r["LK_ID"]] = int(r["Population"])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Meldedatum", "Landkreis_id", "Bevoelkerung", "Faelle_gesamt", "Faelle_neu", "Faelle_7-Tage",
                "Inzidenz_7-Tage"])
    for ags in agss:
        with open(need(COVID / "districts" / f"de-district_timeseries-{ags}.tsv"), encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                if "2021-03-01" <= r["Date"] <= "2021-06-30":
                    inc = int(r["Cases_Last_Week"]) * 100000 / populations[ags]
                    w.writerow([r["Date"], ags, populations[ags], r["Cases"], r["Cases_New"], r["Cases_Last_Week"],
                                f"{inc:.1f}"])
    for row in extra_rows:
        w.writerow(row)
    return out.getvalue().encode("utf-8")


def test_rki_landkreise_generated_file_with_bad_rows(ref_imported):
    import json

    schema = json.loads(need(COVID / "rki" / "schemas" /
                             "tableschema_COVID-19-Faelle_7-Tage-Inzidenz_Landkreise.json").read_text())
    assert [f["name"] for f in schema["fields"]] == ["Meldedatum", "Landkreis_id", "Bevoelkerung", "Faelle_gesamt",
                                                    "Faelle_neu", "Faelle_7-Tage", "Inzidenz_7-Tage"]
    data = generated_landkreise_file(["05913", "05111"], extra_rows=[
        ["2021-04-01", "99999", 1, 1, 1, 1, "1.0"],      # unknown AGS
        ["2021-04-01", "u", 1, 1, 1, 1, "1.0"],          # unknown district "u"
        ["2021-04-01", "05913", 1, 1, 1, 1, "1.0"],      # duplicate day
        ["2021-04-32", "05315", 1, 1, 1, 1, "1.0"],      # malformed date
        ["2019-04-01", "05315", 1, 1, 1, 1, "1.0"],      # out of range
        ["2021-04-01", "05315", 1, 1, -5, 1, "1.0"],     # negative count
    ])
    run = imp(data, filename="COVID-19-Faelle_7-Tage-Inzidenz_Landkreise.csv")
    assert run.fmt == "rki-landkreise" and run.status == "ok"
    reasons = {e["line"]: e["reason"] for e in run.report["errors"]}
    assert run.rejected == 6
    lines = sorted(reasons)
    assert "Unbekannter Kreisschlüssel" in reasons[lines[0]]
    assert "unbekannt" in reasons[lines[1]]
    assert "doppelt" in reasons[lines[2]]
    assert "JJJJ-MM-TT" in reasons[lines[3]]
    assert "außerhalb" in reasons[lines[4]]
    assert "negativ" in reasons[lines[5]]
    assert run.created == 2 * 2 * 122


def test_whole_file_failure_imports_nothing(ref_imported):
    p = need(COVID / "divi-districts" / "05913.tsv")
    run = imp(p.read_bytes(), filename="de-district_timeseries-05913.tsv", fmt="districts")  # DIVI given as district
    assert run.status == "abgelehnt"
    assert "Falsches Format" in run.report["file_error"] and "DIVI" in run.report["file_error"]
    assert Observation.objects.count() == 0
    run = imp(b"\x89PNG\r\n\x1a\n\x00\x00binary", filename="bild.png")
    assert run.status == "abgelehnt" and Observation.objects.count() == 0
    run = imp("Date\tCases\n", filename="de-district_timeseries-05913.tsv", fmt="districts")
    assert run.status == "abgelehnt"


def test_unknown_ags_in_file_name_rejects_file(ref_imported):
    p = need(COVID / "districts" / "de-district_timeseries-05913.tsv")
    run = imp(p.read_bytes(), filename="de-district_timeseries-99999.tsv", fmt="districts")
    assert run.status == "abgelehnt" and "99999" in run.report["file_error"]


def test_generic_csv_bom_decimal_comma_and_errors(ref_imported):
    text = ("\ufeffags;indikator;datum;wert\n"
            "05913;inzidenz_rki;2021-04-26;207,7\n"
            "05913;faelle_neu;2021-04-26;12.0\n"
            "05913;faelle_neu;2021-04-26;13\n"
            "05913;gibtsnicht;2021-04-26;1\n"
            "05913;faelle_neu;2021-04-27;-3\n"
            "05913;faelle_neu;2021-04-28;1.234,5\n")
    run = imp(text, filename="eigene.csv")
    assert run.fmt == "generic" and run.created == 2 and run.rejected == 4
    assert {e["line"] for e in run.report["errors"]} == {4, 5, 6, 7}
    assert Observation.objects.get(indicator__key="inzidenz_rki").value == 207.7


def test_cp1252_file_is_read_with_warning(ref_imported):
    text = "ags;indikator;datum;wert\n05913;faelle_neu;2021-04-26;1\n"
    run = imp(text.encode("cp1252") + "# Größe\n".encode("cp1252"), filename="x.csv")
    assert run.report["warnings"]


def test_five_cities_import(five_imported):
    assert len(five_imported) == 10
    assert Observation.objects.filter(area__ags__in=FIVE, indicator__key="faelle_neu").count() == 5 * 1247
    assert ImportRun.objects.count() == 11


# --- fuzzing the pure parsers ----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from krisenwissen.situation import parsing  # noqa: E402

DISTRICT_HEADER = "\t".join(parsing.HEADERS["districts"]) + "\n"


@given(st.binary(max_size=400), st.sampled_from([None, *parsing.FORMATS]))
@settings(max_examples=300, deadline=None)
def test_parser_never_crashes_on_bytes(data, fmt):
    result = parsing.parse(data, fmt=fmt, filename="de-district_timeseries-05913.tsv", known_ags={"05913", "00"},
                           known_indicators={"faelle_neu"})
    assert result.ok or (result.rows == [] and result.series == {})


cells = st.one_of(st.sampled_from(["", "NA", "0", "12", "-3", "1,5", "1.5", "1_000", "x", "2021-04-26",
                                   "2021-02-30", "2019-01-01"]), st.text(max_size=6))


@given(st.lists(st.lists(cells, min_size=14, max_size=17), max_size=12))
@settings(max_examples=300, deadline=None)
def test_district_rows_are_accepted_or_rejected_with_line(rows):
    text = DISTRICT_HEADER + "".join("\t".join(r).replace("\n", " ") + "\n" for r in rows)
    result = parsing.parse(text.encode(), fmt="districts", filename="de-district_timeseries-05913.tsv")
    if result.ok:
        accepted_days = {d for items in result.series.values() for d, _ in items}
        assert len(accepted_days) + len(result.errors) <= result.rows_read
        assert all(e.line >= 2 for e in result.errors)
        assert all(v >= 0 for items in result.series.values() for _, v in items)
