"""The personal-data detector used by the publication review (pure module)."""

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.knowledge.names import find_personal_data


def kinds(text):
    return [(f.kind, f.text) for f in find_personal_data(text)]


def test_title_and_surname_is_flagged():
    assert ("name", "Frau Schneider") in kinds("Laut Frau Schneider war das Lagezentrum überlastet.")


def test_first_and_last_name_is_flagged():
    assert ("name", "Thomas Becker") in kinds("Thomas Becker koordinierte das Impfzentrum.")


def test_email_and_phone_are_flagged():
    found = kinds("Kontakt: krisenstab@stadt.example, Tel. 0201 123456")
    assert ("email", "krisenstab@stadt.example") in found
    assert any(kind == "phone" for kind, _ in found)


def test_ordinary_administrative_text_is_not_flagged():
    text = "Der Krisenstab tagte täglich. Das Gesundheitsamt und die Feuerwehr arbeiteten eng zusammen."
    assert find_personal_data(text) == []


@given(st.text(max_size=500))
def test_never_crashes_and_findings_do_not_overlap(text):
    findings = find_personal_data(text)
    for earlier, later in zip(findings, findings[1:], strict=False):
        assert earlier.end <= later.start
    for finding in findings:
        assert text[finding.start:finding.end].strip() == finding.text or finding.kind == "phone"
