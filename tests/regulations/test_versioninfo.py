"""What a version's text says about its act, promulgation and date in force (pure helper)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from krisenwissen.regulations.extract import extract_text
from krisenwissen.regulations.versioninfo import describe, read_version_info

D = datetime.date


def test_stand_note_of_a_consolidated_text():
    info = read_version_info("Verordnung über X\nStand: Zuletzt geändert durch Art. 1 V v. 16.12.2021 BAnz AT 17.12.2021 V1\n")
    assert info.amending_act == "Artikel 1 der Verordnung vom 16.12.2021"
    assert info.reference == "BAnz AT 17.12.2021 V1"
    assert info.announced_on == D(2021, 12, 17)
    assert info.in_force_from is None
    assert describe(info) == "Artikel 1 der Verordnung vom 16.12.2021 (BAnz AT 17.12.2021 V1)"


def test_stand_note_with_bgbl_and_neufassung():
    info = read_version_info("Stand: Neugefasst durch Bek. v. 22.6.2021 I 2001")
    assert info.amending_act == "Neufassung durch die Bekanntmachung vom 22.6.2021"
    assert info.reference == "BGBl. I S. 2001"
    info = read_version_info("Stand: Zuletzt geändert durch Art. 4 G v. 18.11.2020 I 2397")
    assert info.amending_act == "Artikel 4 des Gesetzes vom 18.11.2020" and info.reference == "BGBl. I S. 2397"


def test_body_text_that_mentions_an_amendment_is_no_stand_note():
    text = "# § 1 – X\n\ngeändert durch Artikel 2 des Gesetzes vom 28. Mai 2021 (BGBl. I S. 1174)\n"
    assert read_version_info(text).amending_act == ""
    assert read_version_info(text).reference == ""


def test_shared_consolidated_texts_state_only_their_issue_date(shared_data):
    """The consolidated texts of ../shared/data/laws carry no Stand note: only the Ausfertigungsdatum;
    their Inkrafttreten clause belongs to the original ordinance, not to the version."""
    info = read_version_info((shared_data / "laws/CoronaImpfV/2021-12-21.md").read_text(encoding="utf-8"))
    assert info.issued_on == D(2021, 8, 30)
    assert info.amending_act == "" and info.reference == "" and info.in_force_from is None
    assert info.original_in_force == D(2021, 9, 1)
    info = read_version_info((shared_data / "laws/IfSG/2022-09-28.md").read_text(encoding="utf-8"))
    assert info.issued_on == D(2000, 7, 20) and info.in_force_from is None


def test_act_as_promulgated_in_the_bundesanzeiger(shared_data):
    path = shared_data / "documents/pdf/2021-12-17_CoronaImpfV.pdf"
    info = read_version_info(extract_text(path.read_bytes(), path.name))
    assert info.amending_act == "Verordnung zur Änderung der Coronavirus-Impfverordnung und der Coronavirus-Testverordnung"
    assert info.reference == "BAnz AT 17.12.2021 V1"
    assert info.issued_on == D(2021, 12, 16) and info.announced_on == D(2021, 12, 17)
    # "tritt … am Tag nach der Verkündung in Kraft"
    assert info.in_force_from == D(2021, 12, 18)
    assert "Tag nach der Verkündung" in info.in_force_clause


def test_act_in_the_bundesgesetzblatt_with_explicit_date():
    text = """Bundesgesetzblatt Jahrgang 2021 Teil I Nr. 18, ausgegeben zu Bonn am 22. April 2021

Viertes Gesetz zum Schutz der Bevölkerung
bei einer epidemischen Lage von nationaler Tragweite

Vom 22. April 2021

Artikel 3
Inkrafttreten
Dieses Gesetz tritt am 23. April 2021 in Kraft.
"""
    info = read_version_info(text)
    assert info.amending_act == "Viertes Gesetz zum Schutz der Bevölkerung bei einer epidemischen Lage von nationaler Tragweite"
    assert info.reference == "BGBl. 2021 I Nr. 18" and info.announced_on == D(2021, 4, 22)
    assert info.in_force_from == D(2021, 4, 23)
    assert describe(info).endswith("in Kraft ab 23.04.2021")


def test_impossible_dates_are_ignored():
    info = read_version_info("Zweite Verordnung zur Änderung der X\nVom 31. Februar 2021\n\nDiese Verordnung tritt am 40. Mai 2021 in Kraft.")
    assert info.issued_on is None and info.in_force_from is None
    assert info.amending_act == "Zweite Verordnung zur Änderung der X"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Stand: Zuletzt geändert durch Art. 1 V v. 16.12.2021 BAnz AT I 2001 Vom "
                                              "8. Februar 2021 Diese Verordnung tritt am Tag nach der Verkündung in Kraft\n%#"))))
def test_never_crashes(text):
    info = read_version_info(text)
    assert len(info.amending_act) <= 500
