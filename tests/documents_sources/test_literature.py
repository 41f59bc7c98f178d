"""Literature import: RIS and BibTeX, de-duplication by DOI and title+year, knowledge sources."""

import pytest
from django.core.exceptions import ValidationError

from krisenwissen.documents import literature
from krisenwissen.documents.sources_actions import do_import_literature
from krisenwissen.documents.sources_models import LiteratureRecord
from krisenwissen.knowledge.models import Source, SourceKind

from .samples import BIBTEX, RIS


def test_ris_and_dedup():
    refs = literature.parse_ris(RIS)
    assert len(refs) == 4
    assert refs[0].doi == "10.1234/zfv.2021.17" and refs[0].authors == ["Müller, Anna", "Schmidt, Bernd"]
    new, dups = literature.deduplicate(refs)
    assert [r.title for r in new] == ["Krisenmanagement in Kommunen während der Pandemie", "Lernen aus Krisen"]
    assert len(dups) == 2  # same DOI; same title (spaces) and year


def test_bibtex_with_strings_and_latex():
    refs = literature.parse_bibtex(BIBTEX)
    assert refs[0].title == "Krisenmanagement in Kommunen während der Pandemie"
    assert refs[0].container == "Zeitschrift für Verwaltung" and refs[0].year == 2021
    assert refs[1].authors == ["Gamma, Dora"] and refs[1].publisher == "Verlag Y"


def test_normalisation():
    assert literature.normalise_doi("https://dx.doi.org/10.1000/ABC.") == "10.1000/abc"
    assert literature.normalise_doi("doi: 10.1000/x") == "10.1000/x"
    assert literature.normalise_doi("keine") == ""
    assert literature.normalise_title("Straße, „Krise“!") == literature.normalise_title("strasse krise")


@pytest.mark.parametrize("text, message", [
    ("TI  - ohne Typ\nER  - \n", "Zeile 1: Ein Eintrag muss"),
    ("TY  - JOUR\nTI  - offen\n", "Zeile 1: Der Eintrag endet nicht"),
    ("TY  - JOUR\nTY  - BOOK\nER  - \n", "Zeile 2"),
    ("irgendwas\n", "Zeile 1"),
])
def test_bad_ris(text, message):
    with pytest.raises(literature.LiteratureError, match=message):
        literature.parse_ris(text)


@pytest.mark.parametrize("text, message", [
    ("@article{x, title={offen}\n", "nicht"),
    ("\n\n@article{, title={x}}", "Zeile 3"),
    ("@article{x, title={a}}}", None),
    ("nur Text", "keinen BibTeX"),
])
def test_bad_bibtex(text, message):
    if message is None:
        assert literature.parse_bibtex(text)[0].title == "a"
        return
    with pytest.raises(literature.LiteratureError, match=message):
        literature.parse_bibtex(text)


def test_import_links_sources_and_skips_known(contributor_a, city_a):
    result = do_import_literature(municipality=city_a, data=RIS.encode(), filename="zotero.ris", acting_user=contributor_a)
    assert len(result.created) == 2 and len(result.duplicates) == 2
    record = LiteratureRecord.objects.get(doi="10.1234/zfv.2021.17")
    assert record.source.kind == SourceKind.LITERATURE and record.source.url == "https://doi.org/10.1234/zfv.2021.17"
    # the BibTeX export of the same paper (same DOI) is a duplicate; the new book is added
    again = do_import_literature(municipality=city_a, data=BIBTEX.encode(), filename="citavi.bib", acting_user=contributor_a)
    assert [r.title for r in again.created] == ["Resilienz im Krisenstab"] and len(again.duplicates) == 1
    assert LiteratureRecord.objects.count() == 3
    assert Source.objects.filter(kind=SourceKind.LITERATURE).count() == 3


def test_observation_can_cite_a_literature_source(contributor_a, city_a):
    from krisenwissen.knowledge.models import Observation

    do_import_literature(municipality=city_a, data=BIBTEX.encode(), filename="z.bib", acting_user=contributor_a)
    source = LiteratureRecord.objects.get(title="Resilienz im Krisenstab").source
    from tests import factories as f

    obs = f.ObservationFactory(municipality=city_a, source=source)
    assert Observation.objects.get(pk=obs.pk).source.literature_records.get().title == "Resilienz im Krisenstab"


def test_refused_import_writes_nothing(contributor_a, city_a):
    with pytest.raises(ValidationError, match="Zeile"):
        do_import_literature(municipality=city_a, data=(RIS + "TY  - JOUR\nTI  - halb\n").encode(), filename="x.ris",
                             acting_user=contributor_a)
    assert not LiteratureRecord.objects.exists() and not Source.objects.exists()
