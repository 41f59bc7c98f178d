"""The RKI workbook of fixed 7-day figures: import, editions, malformed files, rules on the published series,
fallback days and "as known then"."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from krisenwissen.core.policy import SYSTEM
from krisenwissen.situation import parsing, selectors
from krisenwissen.situation.actions import do_import_file
from krisenwissen.situation.models import ImportRun, Observation, ObservationRevision
from tests import factories as f

from .conftest import COVID, FIVE, need

WORKBOOK = COVID / "rki" / "Fallzahlen_Kum_Tab_2021-11-22.xlsx"
INC = parsing.PUBLISHED_INCIDENCE
CASES = parsing.PUBLISHED_CASES
LK_INC, LK_CASES = "LK_7-Tage-Inzidenz (fixiert)", "LK_7-Tage-Fallzahlen (fixiert)"
BL_INC, BL_CASES = "BL_7-Tage-Inzidenz (fixiert)", "BL_7-Tage-Fallzahlen (fixiert)"

# (AGS, indicator, day, value as in the workbook). Essen and Köln as quoted in issue 13; the others
# cover text-date columns (before 16.04.2021), spreadsheet-date columns, the first day of the sheet,
# states, Germany ("Gesamt"), Berlin as a whole and a Bezirk, Hamburg, Göttingen, the Wartburgkreis.
PUBLISHED = [
    ("05113", INC, "2021-04-27", 179.66), ("05315", INC, "2021-05-16", 89.81), ("05913", INC, "2021-05-18", 101.15),
    ("05513", INC, "2021-05-25", 61.24), ("05111", INC, "2021-04-26", 161.13), ("05113", CASES, "2021-04-27", 1047),
    ("05", INC, "2021-04-27", 186.64), ("00", INC, "2021-04-26", 169.28), ("11000", INC, "2021-04-26", 137.87),
    ("11", CASES, "2021-04-26", 5059), ("11001", INC, "2021-03-01", 81.02), ("03159", INC, "2020-12-01", 36.81),
    ("02000", INC, "2021-01-10", 139.40), ("16063", INC, "2021-07-20", 0.84), ("09162", INC, "2020-11-18", 177.33),
    ("05", CASES, "2020-05-06", 1465),
]


def _workbook_cell(title: str, row_label, day: date):
    """One value read straight from the workbook with openpyxl (independent of the importer)."""
    import openpyxl

    wb = openpyxl.load_workbook(need(WORKBOOK), read_only=True, data_only=True)
    try:
        rows = list(wb[title].iter_rows(values_only=True))
    finally:
        wb.close()
    header = next(r for r in rows if sum(1 for c in r if isinstance(c, datetime)) > 10)
    col = next(j for j, c in enumerate(header)
               if (isinstance(c, datetime) and c.date() == day) or c == day.strftime("%d.%m.%Y"))
    row = next(r for r in rows if row_label in (r[0], r[2] if len(r) > 2 else None))
    return row[col]


@pytest.fixture(scope="module")
def workbook_bytes():
    return need(WORKBOOK).read_bytes()


@pytest.fixture
def workbook_imported(ref_imported, workbook_bytes):
    run = do_import_file(workbook_bytes, filename=WORKBOOK.name, acting_user=SYSTEM)
    assert run.status == "ok", run.report
    return run


def test_workbook_imports_every_district_and_state_of_both_fixed_sheets(workbook_imported):
    import openpyxl

    run = workbook_imported
    assert run.fmt == parsing.RKI_WORKBOOK and run.rejected == 0
    assert run.data_as_of.isoformat().startswith("2021-11-22T07:51:26")
    wb = openpyxl.load_workbook(need(WORKBOOK), read_only=True, data_only=True)
    try:
        district_keys = {f"{int(r[2]):05d}" for r in wb[LK_INC].iter_rows(min_row=6, values_only=True)
                         if isinstance(r[2], int)}
        state_names = [r[0] for r in wb[BL_INC].iter_rows(min_row=4, values_only=True) if r[0]]
    finally:
        wb.close()
    assert len(district_keys) == 412 and len(state_names) == 17  # 16 states + "Gesamt"
    stored = {}
    for ags, key in Observation.objects.values_list("area__ags", "indicator__key").distinct():
        stored.setdefault(key, set()).add(ags)
    # Eisenach (16056) is a former district (known with its validity since issue 14): imported up to
    # 13.07.2021, the RKI's last own day, and reported.
    expected_districts = district_keys
    for key in (INC, CASES):
        assert expected_districts <= stored[key]
        assert {f"{i:02d}" for i in range(1, 17)} | {"00", "11000"} <= stored[key]
    assert any("Eisenach" in w and "Zeile 422" in w for w in run.report["warnings"])
    assert max(Observation.objects.filter(area__ags="16056", indicator__key=INC).values_list("date", flat=True)) \
        == date(2021, 7, 13)
    # 370 publication days per district (18.11.2020 .. 22.11.2021), 566 per state (from 06.05.2020)
    assert Observation.objects.filter(area__ags="05113", indicator__key=INC).count() == 370
    assert Observation.objects.filter(area__ags="05", indicator__key=INC).count() == 566


def test_a_dozen_published_values_agree_with_the_workbook(workbook_imported):
    for ags, key, day, value in PUBLISHED:
        stored = Observation.objects.get(area__ags=ags, indicator__key=key, date=date.fromisoformat(day)).value
        assert stored == pytest.approx(value, abs=0.005), (ags, key, day)
    # and, independently of the importer, straight from the workbook cells
    assert _workbook_cell(LK_INC, 5113, date(2021, 4, 27)) == pytest.approx(179.66, abs=0.005)
    assert _workbook_cell(LK_INC, 5315, date(2021, 5, 16)) == pytest.approx(89.81, abs=0.005)
    assert _workbook_cell(LK_INC, 3159, date(2020, 12, 1)) == pytest.approx(36.81, abs=0.005)  # a text-date column
    assert _workbook_cell(BL_INC, "Nordrhein-Westfalen", date(2021, 4, 27)) == pytest.approx(186.64, abs=0.005)
    assert _workbook_cell(BL_CASES, "Gesamt", date(2021, 4, 26)) == Observation.objects.get(
        area__ags="00", indicator__key=CASES, date=date(2021, 4, 26)).value


def test_reimporting_the_same_workbook_changes_nothing(workbook_imported, workbook_bytes):
    before = Observation.objects.count()
    again = do_import_file(workbook_bytes, filename=WORKBOOK.name, acting_user=SYSTEM)
    assert again.status == "ok" and again.created == 0 and again.updated == 0
    assert again.unchanged == workbook_imported.created
    assert Observation.objects.count() == before and not ObservationRevision.objects.exists()


def test_browser_upload_detects_the_workbook_and_refuses_a_redaktion(client, ref_imported, workbook_bytes, city_a,
                                                                     platform_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from krisenwissen.accounts.models import Role

    editor = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION).user
    client.force_login(editor)
    r = client.post(reverse("situation:import"), {"datei": SimpleUploadedFile(WORKBOOK.name, workbook_bytes)})
    assert r.status_code == 200 and "Plattform-Daten" in r.content.decode()
    assert not Observation.objects.filter(indicator__key=INC).exists()
    client.force_login(platform_user)
    r = client.post(reverse("situation:import"), {"datei": SimpleUploadedFile(WORKBOOK.name, workbook_bytes)})
    assert r.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.fmt == parsing.RKI_WORKBOOK and run.status == "ok" and run.created > 300_000


# --- small workbooks in the RKI layout (editions, malformed files, constructed cases) --------------------

DAYS = [date(2021, 4, 14) + timedelta(days=i) for i in range(22)]  # 14.04. .. 05.05.2021


def make_workbook(values: dict[str, dict[date, object]], *, stand: str = "Stand: 22.11.2021 07:51:26",
                  days=DAYS, sheets=(LK_INC, LK_CASES, BL_INC, BL_CASES), header_override=None) -> bytes:
    """A workbook like the RKI's: title and Stand rows, blank rows, header with text dates (before
    16.04.2021) and spreadsheet dates, district keys as numbers without the leading zero, "SK" prefixes."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.create_sheet("Erlaeuterungen").append(["Allgemeine Erläuterungen"])
    for title in sheets:
        ws = wb.create_sheet(title)
        ws.append([f"{title}, wie sie am jeweiligen Tag berechnet wurden"])
        ws.append([stand])
        if title.startswith("LK"):
            ws.append([])
            ws.append([])
            header = ["NR", "LK", "LKNR"] + [d.strftime("%d.%m.%Y") if d < date(2021, 4, 16)
                                              else datetime.combine(d, datetime.min.time()) for d in days]
            if header_override:
                header = header_override(header)
            ws.append(header)
            for n, (ags, series) in enumerate(sorted(values.items()), start=1):
                if len(ags) != 5:
                    continue
                scale = 1 if "Inzidenz" in title else 6
                ws.append([n, f"SK Stadt {ags}", int(ags)] + [
                    (v * scale if isinstance(v, (int, float)) else v) for v in (series.get(d) for d in days)])
        else:
            ws.append([None] + [datetime.combine(d, datetime.min.time()) for d in days])
            for ags, name in (("05", "Nordrhein-Westfalen"), ("00", "Gesamt")):
                series = values.get(ags, {})
                ws.append([name] + [series.get(d) for d in days])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import(data: bytes, name="Fallzahlen_Kum_Tab.xlsx"):
    return do_import_file(data, filename=name, acting_user=SYSTEM)


def _essen(values_by_day: dict[date, float]):
    return {"05113": values_by_day, "05913": {d: 50.0 for d in DAYS}, "05": {d: 80.0 for d in DAYS},
            "00": {d: 70.0 for d in DAYS}}


def test_a_later_edition_adds_days_and_records_a_changed_value_as_revision(ref_imported):
    first = _import(make_workbook(_essen({d: 90.0 for d in DAYS[:-1]})))
    assert first.status == "ok", first.report
    created = first.created
    changed = {d: 90.0 for d in DAYS}
    changed[DAYS[3]] = 95.5  # one value changed; DAYS[-1] is new
    second = _import(make_workbook(_essen(changed), stand="Stand: 23.11.2021 08:00:00"))
    assert second.status == "ok", second.report
    assert second.created == 2 + 0  # the new day: incidence and case count of Essen
    assert second.updated == 2  # the changed day: incidence and case count
    revs = ObservationRevision.objects.filter(area__ags="05113")
    assert revs.count() == 2
    rev = revs.get(indicator__key=INC)
    assert (rev.date, rev.value, rev.new_value) == (DAYS[3], 90.0, 95.5)
    assert rev.replaced_by == second and rev.import_run == first
    # the edition's Datenstand, German local time (stored as an aware datetime: 07:00 UTC on every database)
    assert timezone.localtime(rev.known_from).isoformat().startswith("2021-11-23T08:00:00")
    assert Observation.objects.count() == created + 2


@pytest.mark.parametrize("case,expected", [
    ("missing_sheet", ["Blatt „LK_7-Tage-Inzidenz (fixiert)“ fehlt"]),
    ("garbage_header", ["Blatt „LK_7-Tage-Inzidenz (fixiert)“, Zeile 5, Spalte F", "„32.13.2021“ ist kein Datum"]),
    ("no_header", ["Blatt „LK_7-Tage-Inzidenz (fixiert)“, Zeilen 1 bis 30", "keine Kopfzeile"]),
    ("text_in_number", ["Blatt „LK_7-Tage-Inzidenz (fixiert)“, Zeile 6, Spalte E", "„k. A.“ ist keine nicht negative Zahl"]),
    ("negative", ["Zeile 6, Spalte D", "„-3“ ist keine nicht negative Zahl"]),
    ("huge_dimension", ["Blatt „LK_7-Tage-Inzidenz (fixiert)“, Zeile 1048576, Spalte XFD", "höchstens 1000 Zeilen"]),
    ("not_a_workbook", ["keine lesbare Excel-Arbeitsmappe"]),
    ("zip_bomb", ["ungewöhnlich stark verdichtet"]),
])
def test_malformed_workbooks_are_refused_with_sheet_row_column_and_write_nothing(ref_imported, case, expected):
    essen = _essen({d: 90.0 for d in DAYS})
    if case == "missing_sheet":
        data = make_workbook(essen, sheets=(LK_CASES, BL_INC, BL_CASES))
    elif case == "garbage_header":
        data = make_workbook(essen, header_override=lambda h: h[:5] + ["32.13.2021"] + h[6:])
    elif case == "no_header":
        data = make_workbook(essen, header_override=lambda h: ["NR", "LK", "LKNR"] + ["Tag"] * (len(h) - 3))
    elif case == "text_in_number":
        essen["05113"][DAYS[1]] = "k. A."
        data = make_workbook(essen)
    elif case == "negative":
        essen["05113"][DAYS[0]] = -3
        data = make_workbook(essen)
    elif case == "huge_dimension":
        data = _with_dimension(make_workbook(essen), LK_INC, "A1:XFD1048576")
    elif case == "not_a_workbook":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hallo.txt", "kein Excel")
        data = buf.getvalue()
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (30 * 1024 * 1024) + b">")
        data = buf.getvalue()
    before = Observation.objects.count()
    run = _import(data, name="kaputt.xlsx")
    assert run.status == "abgelehnt"
    message = run.report["file_error"] + " " + " ".join(e["reason"] for e in run.report["errors"])
    for text in expected:
        assert text in message, message
    assert Observation.objects.count() == before  # nothing written


def _with_dimension(data: bytes, title: str, ref: str) -> bytes:
    """The same workbook whose sheet ``title`` claims the dimension ``ref``."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    workbook_xml = src.read("xl/workbook.xml").decode()
    rels = src.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook_xml).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = "xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == path:
                text = content.decode()
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', text)
                else:
                    text = text.replace("<sheetData", f'<dimension ref="{ref}"/><sheetData', 1)
                content = text.encode()
            dst.writestr(item, content)
    return out.getvalue()


def test_unknown_district_is_rejected_by_row_with_sheet_and_row(ref_imported):
    values = _essen({d: 90.0 for d in DAYS})
    values["09999"] = {d: 10.0 for d in DAYS}
    run = _import(make_workbook(values))
    assert run.status == "ok" and run.rejected == 2  # its row in each of the two district sheets
    reasons = [e["reason"] for e in run.report["errors"]]
    assert any("Blatt „LK_7-Tage-Inzidenz (fixiert)“, Zeile" in r and "09999" in r for r in reasons), reasons


# --- rules on the published series --------------------------------------------------------------------

def _status_json(*args) -> dict:
    out = io.StringIO()
    call_command("lagebild", "status", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_status_json_of_the_five_cities_names_the_published_series_and_has_no_fallback_day(workbook_imported):
    areas = [a for ags in FIVE for a in ("--area", ags)]
    for day in ("2021-04-20", "2021-05-15", "2021-06-30"):
        data = _status_json("--date", day, *areas)
        assert data["knowledge"] == "damals" and "bekannt" in data["knowledge_text"]
        assert [a["ags"] for a in data["areas"]] == FIVE
        for area in data["areas"]:
            notbremse = [r for r in area["rules"] if r["ruleset"] == "bundesnotbremse-2021"]
            assert len(notbremse) == 3
            for rule in area["rules"]:
                assert rule["series"]["indicator"] == INC
                assert rule["series"]["name"] == "7-Tage-Inzidenz (am Tag veröffentlicht, RKI)"
                assert rule["series"]["fallback"] == "inzidenz_7t"
                assert rule["fallback_days"] == [] and not rule["last_value_fallback"]
            for rule in notbremse:
                assert all(p["fallback_days"] == [] for p in rule["periods"])
            assert area["fallback_days"] == []
    # Essen 27.04.2021: the published 179.66 (not the 163.1 of the later series), schools closed from 26.04.
    data = _status_json("--date", "2021-07-01", "--area", "05113")
    rules = {r["rule"]: r for r in data["areas"][0]["rules"]}
    assert rules["notbremse-100"]["periods"][0]["in_force_from"] == "2021-04-24"
    schools = rules["schulen-165"]["periods"]
    assert schools and schools[0]["in_force_from"] <= "2021-04-28"
    assert all(p["in_force_until"] <= "2021-06-30" for p in rules["notbremse-100"]["periods"])
    # the product after the import gives exactly the dates documented in docs/situation.md
    # ("Check against reality"), which scripts/lagebild_reality_check.py computes from the workbook
    # read on its own (openpyxl) with the pure engine
    documented = {(r["ags"], r["rule"], r["change"], r["published"]) for r in _reality_rows() if r["published"]}
    data = _status_json("--date", "2021-07-01", *areas)
    platform = set()
    for area in data["areas"]:
        for rule in area["rules"]:
            if rule["ruleset"] != "bundesnotbremse-2021":
                continue
            for period in rule["periods"]:
                if period["in_force_from"] > "2021-06-30" or (period["in_force_until"] or "9999") < "2021-04-20":
                    continue
                platform.add((area["ags"], rule["rule"], "in Kraft ab", period["in_force_from"]))
                if period["out_of_force_from"] and period["out_of_force_from"] <= "2021-06-30":
                    platform.add((area["ags"], rule["rule"], "außer Kraft ab", period["out_of_force_from"]))
    assert platform == documented
    assert len(documented) == 28


def _reality_rows() -> list[dict]:
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "lagebild_reality_check.py"
    spec = importlib.util.spec_from_file_location("lagebild_reality_check", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compare(COVID.parents[1])


def test_without_published_values_the_computed_fallback_is_flagged_everywhere(client, five_imported, city_a):
    """No workbook: the rule set allows the computed incidence and every answer says so."""
    from krisenwissen.accounts.models import Role

    data = _status_json("--date", "2021-04-26", "--area", "05113")
    rule = next(r for r in data["areas"][0]["rules"] if r["rule"] == "notbremse-100")
    assert rule["status"] == "in_kraft" and rule["fallback_days"]  # computed values decided it
    assert rule["last_value_fallback"] is True
    assert data["areas"][0]["fallback_days"]
    out = io.StringIO()
    call_command("lagebild", "status", "--date", "2021-04-26", "--area", "05113", stdout=out)
    assert "berechnet, nicht veröffentlicht" in out.getvalue()
    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    client.force_login(reader)
    html = client.get(reverse("situation:area_detail", args=["05113"]), {"datum": "2021-04-26"}).content.decode()
    assert "berechnet, nicht veröffentlicht" in html and "data-fallback" in html
    html = client.get(reverse("situation:overview"), {"datum": "2021-04-26"}).content.decode()
    assert "berechnet, nicht veröffentlicht" in html
    from krisenwissen.situation.report import build_report

    doc = build_report(reader, date(2021, 4, 26))
    assert "berechnet, nicht veröffentlicht" in repr(doc.blocks)


def test_a_rule_set_without_fallback_treats_a_missing_published_day_as_gap(five_imported, city_a):
    from krisenwissen.situation import rules_engine as eng

    text = ("key: ohne\nname: Ohne Ersatz\nindicator: inzidenz_7t_veroeffentlicht\nrules:\n"
            "  - key: a\n    name: Über 100\n    entry: {op: '>', threshold: 100, days: 1}\n"
            "    exit: {op: '<', threshold: 100, days: 1}\n")
    ruleset = eng.load_ruleset(text)
    assert ruleset.rules[0].fallback is None
    from krisenwissen.situation.models import Area, RuleSet

    rs = RuleSet.objects.create(key="ohne", name="Ohne Ersatz", definition=eng.ruleset_to_data(ruleset))
    sit = selectors.situation([Area.objects.get(ags="05113")], as_of=date(2021, 4, 26), rulesets=[rs])[0]
    ev = sit.statuses[0].evaluation
    assert ev.status == eng.NO_DATA and ev.fallback_days == ()


def test_as_known_then_and_todays_values_differ_and_the_area_page_shows_both(client, ref_imported, city_a):
    """Edition 1 (Stand 05.05.2021): Essen at 90 throughout. Edition 2 (Stand 20.05.2021) corrects
    28.–30.04. to 120: on today's values the Notbremse applies from 02.05.; as known on 05.05. it did not."""
    from krisenwissen.accounts.models import Role

    first = _import(make_workbook(_essen({d: 90.0 for d in DAYS}), stand="Stand: 05.05.2021 06:00:00"))
    corrected = {d: (120.0 if date(2021, 4, 28) <= d <= date(2021, 4, 30) else 90.0) for d in DAYS}
    second = _import(make_workbook(_essen(corrected), stand="Stand: 20.05.2021 06:00:00"))
    assert first.status == second.status == "ok" and second.updated == 6
    as_of = ["--date", "2021-05-05", "--area", "05113"]
    then = {r["rule"]: r for r in _status_json(*as_of)["areas"][0]["rules"]}
    today = _status_json(*as_of, "--current-values")
    assert today["knowledge"] == "heute"
    today = {r["rule"]: r for r in today["areas"][0]["rules"]}
    assert then["notbremse-100"]["status"] == "inaktiv" and then["notbremse-100"]["periods"] == []
    assert today["notbremse-100"]["status"] == "in_kraft"
    assert today["notbremse-100"]["periods"][0]["in_force_from"] == "2021-05-02"
    # Once the correction is known (after 20.05.), "as known then" equals today's values.
    later = {r["rule"]: r for r in _status_json("--date", "2021-05-21", "--area", "05113")["areas"][0]["rules"]}
    assert later["notbremse-100"]["periods"][0]["in_force_from"] == "2021-05-02"

    reader = f.MembershipFactory(municipality=city_a, role=Role.LESER).user
    client.force_login(reader)
    html = client.get(reverse("situation:area_detail", args=["05113"]), {"datum": "2021-05-05"}).content.decode()
    assert 'data-knowledge="damals"' in html and "data-knowledge-differences" in html
    assert "Stand damals (Werte, wie am Tag bekannt)" in html
    assert "Heutige Werte (mit späteren Korrekturen)" in html
    assert "02.05.2021" in html  # the period on today's values
    assert "20.05.2021 06:00" in html  # the correction, known from the second edition's Datenstand
    html = client.get(reverse("situation:area_detail", args=["05113"]),
                      {"datum": "2021-05-05", "werte": "heute"}).content.decode()
    assert 'data-knowledge="heute"' in html and "data-knowledge-differences" in html
    # a day on which both agree shows no comparison
    html = client.get(reverse("situation:area_detail", args=["05113"]), {"datum": "2021-04-20"}).content.decode()
    assert "data-knowledge-differences" not in html


def test_the_cli_imports_the_workbook_by_extension(ref_imported, tmp_path):
    path = tmp_path / "Fallzahlen_Kum_Tab_2021-05-05.xlsx"
    path.write_bytes(make_workbook(_essen({d: 90.0 for d in DAYS})))
    out = io.StringIO()
    call_command("lagebild", "import", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result[0]["format"] == parsing.RKI_WORKBOOK and result[0]["status"] == "ok" and result[0]["created"] > 0


def test_eisenach_is_imported_only_up_to_its_merger_when_the_platform_knows_it(ref_imported):
    from krisenwissen.situation.models import Area

    # the reference import knows Eisenach as a former district (issue 14)
    assert Area.objects.get(ags="16056").valid_until == date(2021, 6, 30)
    july = [date(2021, 7, 10) + timedelta(days=i) for i in range(7)]  # 10.07. .. 16.07.2021
    values = {"16056": {d: (12.0 if d < date(2021, 7, 14) else 0) for d in july},
              "16063": {d: 20.0 for d in july}}
    run = _import(make_workbook(values, days=july))
    assert run.status == "ok", run.report
    stored = sorted(Observation.objects.filter(area__ags="16056", indicator__key=INC).values_list("date", flat=True))
    assert stored == july[:4]  # the zeros from 14.07.2021 are no published values of Eisenach
    assert Observation.objects.filter(area__ags="16063", indicator__key=INC).count() == 7


def test_rule_set_page_names_the_series_and_its_fallback(client, db, city_a):
    from krisenwissen.accounts.models import Role

    client.force_login(f.MembershipFactory(municipality=city_a, role=Role.LESER).user)
    html = client.get(reverse("situation:rulesets")).content.decode()
    assert "7-Tage-Inzidenz (am Tag veröffentlicht, RKI)" in html
    assert "fehlt ein Wert: 7-Tage-Inzidenz (berechnet)" in html
