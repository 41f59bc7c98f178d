"""Property-based fuzzing of the RIS, BibTeX and survey CSV importers: no unhandled exception,
only the importer's own error with a German message."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.documents import literature, survey
from krisenwissen.documents.interviews import TranscriptError, pseudonymise

from .samples import BIBTEX, GENERIC_CSV, LIMESURVEY_CSV, RIS, TRANSCRIPT

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GERMAN = ("Zeile", "Datei", "Eintrag", "Feld", "Klammer", "Anführungszeichen", "Die ", "Das ", "Im ")


def _german(exc: Exception) -> None:
    assert str(exc).startswith(GERMAN), str(exc)


def _mutations(sample: str):
    pieces = st.sampled_from(["{", "}", "@", "\"", "=", ",", "#", "\\", "TY  - ", "ER  - ", "\n", ";", "[", "]",
                              "\x00", "\ufeff", "@string{", "@comment{", "TI  - ", "AU  - "])
    return st.tuples(st.integers(0, len(sample)), st.integers(0, 50), st.lists(pieces | st.text(max_size=5), max_size=8)).map(
        lambda t: sample[:t[0]] + "".join(t[2]) + sample[t[0] + t[1]:])


@FUZZ
@given(st.one_of(st.text(max_size=800), _mutations(RIS)))
def test_ris_never_crashes(text):
    try:
        for ref in literature.parse_ris(text):
            assert isinstance(ref.title, str)
    except literature.LiteratureError as exc:
        _german(exc)


@FUZZ
@given(st.one_of(st.text(max_size=800), _mutations(BIBTEX)))
def test_bibtex_never_crashes(text):
    try:
        literature.deduplicate(literature.parse_bibtex(text))
    except literature.LiteratureError as exc:
        _german(exc)


@FUZZ
@given(st.one_of(st.binary(max_size=800), _mutations(LIMESURVEY_CSV.decode()).map(str.encode),
                 _mutations(GENERIC_CSV.decode()).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_survey_csv_never_crashes(data):
    try:
        parsed = survey.parse_survey(data, survey.Bounds(max_rows=50, max_columns=40))
    except survey.SurveyError as exc:
        _german(exc)
        return
    for question in parsed.questions:
        survey.frequencies(question, parsed.rows)
        survey.crosstab(question, parsed.rows, ["x"] * len(parsed.rows))


@FUZZ
@given(st.one_of(st.text(max_size=600), _mutations(TRANSCRIPT)))
def test_transcript_never_crashes(text):
    try:
        result = pseudonymise(text)
    except TranscriptError as exc:
        _german(exc)
        return
    for turn in result.turns:
        assert 0 <= turn.start <= turn.end <= len(result.text)
