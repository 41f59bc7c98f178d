"""The CSV written from the directory guards formulas like every CSV the platform writes."""

import csv
import io

import pytest

from krisenwissen.people.io_directory import directory_csv


@pytest.mark.django_db
def test_directory_values_cannot_become_spreadsheet_formulas():
    people = [{"uid": "", "name": '=HYPERLINK("http://x","Klick")', "given": "", "family": "", "unit": "@SUMME(A1)",
               "title": "-Leitung", "phone": "+49 201 123", "mail": ""}]
    data, left_out = directory_csv(people)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    name, _given, _family, unit, title, phone = rows[1][:6]
    assert name.startswith("'=") and unit.startswith("'@") and title.startswith("'-") and phone == "'+49 201 123"
    assert left_out == 0
