"""The Lagebild area page for reading (issue 14): chart first, long tables collapsible with the CSV
link, German number and date formats ("579.432", "seit 24.04.2021")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from krisenwissen.situation import display
from krisenwissen.situation import rules_engine as eng
from krisenwissen.situation.models import Area, Indicator, ObservationRevision


@pytest.fixture
def page(client, five_imported, reader_a):
    client.force_login(reader_a)

    def get(ags="05315", day="2021-04-26"):
        response = client.get(reverse("situation:area_detail", args=[ags]), {"datum": day})
        assert response.status_code == 200
        return response.content.decode()
    return get


def test_a_period_running_on_the_shown_day_reads_seit(page):
    html = page()  # Köln, 26.04.2021: § 28b 100 in force since Saturday 24.04.2021
    assert "seit 24.04.2021" in html
    assert "– heute" not in html and "heute</td>" not in html


def test_a_finished_period_shows_both_days():
    period = eng.Period(start=date(2021, 4, 24), end=date(2021, 5, 30), trigger_day=date(2021, 4, 22))
    assert display.period_text(period) == "24.04.2021 – 30.05.2021"
    assert display.period_text(eng.Period(date(2021, 4, 24), None, date(2021, 4, 22))) == "seit 24.04.2021"


def test_population_has_the_german_thousands_separator(page):
    area = Area.objects.get(ags="05315")
    assert area.population > 999_999
    html = page()
    grouped = f"{area.population:,}".replace(",", ".")
    assert f"Einwohner {grouped}" in html
    assert str(area.population) not in html


def test_chart_comes_first_and_the_value_table_is_collapsed_with_the_csv_link(page):
    html = page()
    assert html.index('id="chart-heading"') < html.index('id="rules-heading"')
    details = re.search(r"<details class=\"situation-table\" data-values-table>(.*?)</details>", html, re.S)
    assert details, "the value table is inside a <details>"
    block = details.group(1)
    assert re.search(r"<summary>Werte als Tabelle \(56 Tage\)</summary>", block)
    assert block.count("<tr>") == 57  # header + 56 days, all inside the collapsed block
    csv_url = reverse("situation:area_csv", args=["05315"]) + "?datum=2021-04-26"
    assert f'href="{csv_url}"' in block and "Daten als CSV herunterladen" in block
    assert " open" not in html.split("data-values-table")[0][-40:]  # closed by default


def test_corrections_are_collapsed_and_use_german_numbers(page):
    area = Area.objects.get(ags="05315")
    indicator = Indicator.objects.get(key="faelle_neu")
    ObservationRevision.objects.create(area=area, indicator=indicator, date=date(2021, 4, 20), value=1234.0,
                                       new_value=1250.0)
    html = page()
    details = re.search(r"<details class=\"situation-table\" data-corrections-table>(.*?)</details>", html, re.S)
    assert details
    block = details.group(1)
    assert "<summary>1 korrigierter Wert als Tabelle</summary>" in block
    assert ">1.234<" in block and ">1.250<" in block
    assert "1234.0" not in html
