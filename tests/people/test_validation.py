"""Reachability values (people/validation.py, pure): German messages, no control characters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.people.validation import clean_channel_value, has_control_characters


@pytest.mark.parametrize(("kind", "value", "stored"), [
    ("buero", "0201 123 4567", "+49 201 1234567"),
    ("mobil", "+49 152 28817386", "+49 1522 8817386"),
    ("email", "lagedienst@stadt.example.org", "lagedienst@stadt.example.org"),
    ("funktionspostfach", "krisenstab@stadt.example.org", "krisenstab@stadt.example.org"),
    ("funkrufname", "Florian Essen 1/10-1", "Florian Essen 1/10-1"),
])
def test_valid_values(kind, value, stored):
    assert clean_channel_value(kind, value) == stored


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("buero", "12", "keine gültige Telefonnummer"),
    ("mobil", "nicht erreichbar", "keine gültige Telefonnummer"),
    ("email", "a@b", "keine gültige E-Mail-Adresse"),
    ("email", "x@y..de", "keine gültige E-Mail-Adresse"),
    ("funkrufname", "Florian\r\nBEGIN:VCARD", "Zeilenumbrüche"),
    ("email", "a@b.de\nBCC:x", "Zeilenumbrüche"),
    ("buero", "", "bitte angeben"),
])
def test_invalid_values(kind, value, message):
    with pytest.raises(ValueError, match=message):
        clean_channel_value(kind, value)


@given(st.sampled_from(["buero", "mobil", "privat", "email", "funktionspostfach", "funkrufname"]), st.text(max_size=300))
def test_any_input_is_cleaned_or_refused_never_stored_with_line_breaks(kind, value):
    try:
        cleaned = clean_channel_value(kind, value)
    except ValueError as exc:
        assert str(exc)
    else:
        assert not has_control_characters(cleaned) and "\n" not in cleaned and len(cleaned) <= 254
