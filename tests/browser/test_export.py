"""CSV export: the download starts, the header is German, filters apply."""

import csv
import io
import re

from .conftest import READER, check_page, login, url


def _read_csv(download) -> list[list[str]]:
    raw = open(download.path(), "rb").read().decode("utf-8")
    assert raw.startswith("\ufeff"), "CSV ohne BOM (Excel erkennt UTF-8 sonst nicht)"
    return list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))


def test_csv_export_respects_filters(page, demo):
    login(page, READER)
    page.goto(url("knowledge:recommendation_list"))
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Als CSV exportieren")).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = _read_csv(download)
    assert rows[0][:3] == ["Titel", "Adressat", "Kommune"]
    all_rows = rows[1:]
    assert all_rows

    # Filter by a municipality that has recommendations, then export again.
    cities = {row[2] for row in all_rows}
    city = sorted(cities)[0]
    group = page.get_by_role("group", name="Kommune")
    with page.expect_navigation():
        group.get_by_role("checkbox", name=city, exact=True).check()
    if "municipality=" not in page.url:  # no auto-submit: use the button
        with page.expect_navigation():
            page.get_by_role("button", name="Filter anwenden").click()
    check_page(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Als CSV exportieren")).click()
    filtered = _read_csv(info.value)
    assert filtered[0] == rows[0]
    assert filtered[1:], "Gefilterter Export ist leer"
    assert {row[2] for row in filtered[1:]} == {city}
    assert len(filtered) - 1 == sum(1 for row in all_rows if row[2] == city)
