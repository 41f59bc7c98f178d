"""Checks of reachability data (pure: no Django), shared by the forms, actions and the CSV import.

``clean_channel_value(kind, value)`` returns the value to store or raises ``ValueError`` with a
German message. Line breaks and other control characters are refused in every field (they would
break a vCard line or a CSV cell); phone numbers are parsed with ``phonenumbers`` (German
default region) and stored in international format; e-mail addresses need one "@" and a
domain with a dot.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

PHONE_KINDS = frozenset({"buero", "mobil", "privat"})
MAIL_KINDS = frozenset({"email", "funktionspostfach"})
MAX_VALUE = 254
_EMAIL_RE = re.compile(r"^[^@\s<>\"(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def has_control_characters(text: str) -> bool:
    """True for line breaks, tabs and every other control or separator character except space."""
    return any(ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def clean_text(value: str, *, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if has_control_characters(value):
        raise ValueError(f"{field}: Zeilenumbrüche und Steuerzeichen sind nicht erlaubt.")
    if len(value) > max_length:
        raise ValueError(f"{field}: höchstens {max_length} Zeichen.")
    return value


def clean_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        raise ValueError(f"„{value}“ ist keine gültige Telefonnummer.") from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValueError(f"„{value}“ ist keine gültige Telefonnummer.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_email(value: str) -> str:
    if not _EMAIL_RE.match(value) or ".." in value:
        raise ValueError(f"„{value}“ ist keine gültige E-Mail-Adresse.")
    return value


def clean_channel_value(kind: str, value: str) -> str:
    value = clean_text(value, field="Nummer/Adresse", max_length=MAX_VALUE)
    if not value:
        raise ValueError("Nummer/Adresse: bitte angeben.")
    if kind in PHONE_KINDS:
        return clean_phone(value)
    if kind in MAIL_KINDS:
        # A functional mailbox may also be given as a phone number of a duty desk.
        if kind == "funktionspostfach" and "@" not in value:
            return clean_phone(value)
        return clean_email(value)
    return value
