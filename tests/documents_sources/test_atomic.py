"""Imports never half-write: fuzzed files through the actions leave either a complete import or
nothing, and a failure in the middle of writing rolls everything back."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.documents.models import Document, DocumentVersion, Passage
from krisenwissen.documents.sources_actions import do_import_literature, do_import_survey
from krisenwissen.documents.sources_models import LiteratureRecord, Survey, SurveyFreeText
from krisenwissen.knowledge.models import Source

from .samples import GENERIC_CSV, LIMESURVEY_CSV, RIS

FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _counts():
    return (Survey.objects.count(), SurveyFreeText.objects.count(), Document.objects.count(),
            DocumentVersion.objects.count(), Passage.objects.count(), LiteratureRecord.objects.count(),
            Source.objects.count())


def _cut(sample: bytes):
    return st.tuples(st.integers(0, len(sample)), st.binary(max_size=20)).map(lambda t: sample[:t[0]] + t[1])


@FUZZ
@given(data=st.one_of(_cut(LIMESURVEY_CSV), _cut(GENERIC_CSV), st.binary(max_size=300)))
def test_fuzzed_survey_import_is_all_or_nothing(contributor_a, city_a, data):
    before = _counts()
    try:
        result = do_import_survey(municipality=city_a, data=data, filename="f.csv", acting_user=contributor_a)
    except ValidationError as exc:
        assert exc.messages[0]
        assert _counts() == before
        return
    assert len(result.answers) == len(result.response_municipalities)
    assert result.free_texts.count() == sum(1 for q in result.questions if q["kind"] == "frei"
                                            and any(row[q["columns"][0]] for row in result.answers))


@FUZZ
@given(data=st.one_of(_cut(RIS.encode()), st.binary(max_size=300)))
def test_fuzzed_literature_import_is_all_or_nothing(contributor_a, city_a, data):
    before = _counts()
    try:
        do_import_literature(municipality=city_a, data=data, filename="f.ris", acting_user=contributor_a)
    except ValidationError as exc:
        assert exc.messages[0]
        assert _counts() == before


def test_failure_while_writing_free_texts_rolls_back_the_survey(contributor_a, city_a):
    with mock.patch.object(SurveyFreeText.objects, "create", side_effect=RuntimeError("disk full")), \
            pytest.raises(RuntimeError):
        do_import_survey(municipality=city_a, data=LIMESURVEY_CSV, filename="u.csv", acting_user=contributor_a)
    assert _counts() == (0, 0, 0, 0, 0, 0, 0)


def test_failure_while_writing_literature_rolls_back_sources(contributor_a, city_a):
    real_create = LiteratureRecord.objects.create
    calls = []

    def create_then_fail(**kwargs):  # the first record is written, the second fails
        calls.append(kwargs)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    with mock.patch.object(LiteratureRecord.objects, "create", side_effect=create_then_fail), \
            pytest.raises(RuntimeError):
        do_import_literature(municipality=city_a, data=RIS.encode(), filename="z.ris", acting_user=contributor_a)
    assert len(calls) == 2
    assert LiteratureRecord.objects.count() == 0 and Source.objects.count() == 0
