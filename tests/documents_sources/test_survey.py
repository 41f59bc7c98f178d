"""Survey import: LimeSurvey and generic CSV, question detection, municipality join, free texts."""

import pytest
from django.core.exceptions import ValidationError

from krisenwissen.documents import survey
from krisenwissen.documents.models import Document, DocumentKind
from krisenwissen.documents.sources_actions import do_import_survey
from krisenwissen.documents.sources_models import Survey
from krisenwissen.documents.sources_selectors import response_groups

from .samples import GENERIC_CSV, LIMESURVEY_CSV


def test_limesurvey_questions_detected():
    parsed = survey.parse_survey(LIMESURVEY_CSV)
    kinds = {q.code: (q.kind, q.options) for q in parsed.questions}
    assert parsed.delimiter == ";" and parsed.municipality_column == 6
    assert kinds["G01Q01"] == ("einfach", ["gut", "mittel", "schlecht"])
    assert kinds["G01Q02"] == ("mehrfach", ["Website", "Presse"])
    assert parsed.questions[1].text == "Welche Kanäle?"
    assert kinds["G01Q02[other]"][0] == "frei"
    assert kinds["G01Q03"][0] == "frei"
    assert "ipaddr" not in {q.code for q in parsed.questions}


def test_frequencies_and_crosstab():
    parsed = survey.parse_survey(LIMESURVEY_CSV)
    q1, q2 = parsed.questions[0], parsed.questions[1]
    assert survey.frequencies(q1, parsed.rows) == [("gut", 2), ("mittel", 1), ("schlecht", 1)]
    assert [n for _label, n in survey.frequencies(q2, parsed.rows)] == [3, 2]
    columns, table = survey.crosstab(q1, parsed.rows, ["X", "Y", "X", ""])
    assert columns == ["X", "Y"] and table[0] == ("gut", [1, 1])


def test_generic_csv_with_comma():
    parsed = survey.parse_survey(GENERIC_CSV)
    assert parsed.delimiter == "," and parsed.municipality_column == 0
    assert [(q.code, q.kind) for q in parsed.questions] == [("F1", "einfach"), ("F2", "mehrfach"), ("F3", "frei")]


@pytest.mark.parametrize("data, message", [
    (b"", "leer"),
    (b"a;b\n", "keine Antworten"),
    (b"id;Q1\n1;ja;zuviel\n", "Zeile 2: 3 Spalten statt 2"),
    (b"id;Q1\n1;ja\n2;\"offen\n", "Zeile"),
    (b"\x00\x01", "keine Textdatei"),
    (b"id;submitdate\n1;x\n", "keine Frage"),
])
def test_bad_csv_messages(data, message):
    with pytest.raises(survey.SurveyError, match=message):
        survey.parse_survey(data)


def test_bounds_name_line():
    header = "ags;" + ";".join(f"Q{i}" for i in range(10)) + "\n"
    with pytest.raises(survey.SurveyError, match="Zeile 1: zu viele Spalten"):
        survey.parse_survey(header.encode(), survey.Bounds(max_columns=5))
    rows = "ags;Q1\n" + "".join("05111;ja\n" for _ in range(5))
    with pytest.raises(survey.SurveyError, match="Zeile 5: zu viele Antworten"):
        survey.parse_survey(rows.encode(), survey.Bounds(max_rows=3))
    with pytest.raises(survey.SurveyError, match="zu groß"):
        survey.parse_survey(rows.encode(), survey.Bounds(max_bytes=10))


def test_size_classes():
    assert survey.size_class(600_000) == "Großstadt ab 500.000"
    assert survey.size_class(4_000) == "Landgemeinde unter 5.000"
    assert survey.size_class(None) == ""


@pytest.fixture
def cities(city_a, city_b, city_c):
    city_a.population, city_b.population, city_c.population = 580_000, 15_000, 1_500_000
    for c in (city_a, city_b, city_c):
        c.save()
    return city_a, city_b, city_c


def test_import_joins_municipalities_and_makes_free_text_documents(cities, contributor_a, city_a):
    result = do_import_survey(municipality=city_a, data=LIMESURVEY_CSV, filename="umfrage.csv", acting_user=contributor_a)
    a, b, c = cities
    assert result.response_municipalities == [a.pk, b.pk, c.pk, None]
    assert result.unmatched_municipalities == 1
    assert all(len(row) == 5 for row in result.answers)  # only question columns: no IP address kept
    assert "10.0.0.1" not in str(result.answers)
    groups = response_groups(survey_obj=result, by="land")
    assert groups == ["Nordrhein-Westfalen", "Nordrhein-Westfalen", "Bayern", ""]
    assert response_groups(survey_obj=result, by="groesse")[1] == "Kleinstadt 5.000–19.999"
    free = {f.code: f for f in result.free_texts.select_related("document")}
    assert set(free) == {"G01Q02[other]", "G01Q03"}
    doc = free["G01Q03"].document
    assert doc.kind == DocumentKind.UMFRAGE
    text = doc.versions.get().text
    assert [text[o["start"]:o["end"]] for o in free["G01Q03"].answers] == [
        "Mehr Personal im Lagezentrum.", "Frühere Warnung der Bevölkerung.", "Frau Müller war nicht erreichbar."]
    assert [o["row"] for o in free["G01Q03"].answers] == [1, 2, 4]
    assert doc.passages.count() == 3


def test_generic_import_by_name(cities, contributor_a, city_a):
    result = do_import_survey(municipality=city_a, data=GENERIC_CSV, filename="generisch.csv", acting_user=contributor_a)
    a, b, c = cities
    assert result.response_municipalities == [a.pk, b.pk, c.pk]


def test_refused_import_writes_nothing(contributor_a, city_a):
    with pytest.raises(ValidationError, match="Zeile 3"):
        do_import_survey(municipality=city_a, data=b"ags;Q1\n05111;ja\n05111;ja;nein\n", filename="x.csv",
                         acting_user=contributor_a)
    assert not Survey.objects.exists() and not Document.objects.exists()
