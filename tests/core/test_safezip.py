"""The safe-archive guard: limits from the central directory and while reading; fuzzed."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.core.safezip import ArchiveError, ArchiveLimits, read_members


def make_zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


LIMITS = ArchiveLimits(max_members=10, max_member_bytes=1000, max_total_bytes=2000, max_ratio=50, ratio_floor=100)


def test_accepts_a_small_archive():
    members = read_members(make_zip({"a.xml": b"<a/>", "b.txt": b"hallo"}), LIMITS)
    assert members == {"a.xml": b"<a/>", "b.txt": b"hallo"}


@pytest.mark.parametrize(("members", "message"), [
    ({f"f{n}": b"" for n in range(11)}, "zu viele Dateien"),
    ({"a": b"x" * 1001}, "entpackt"),
    ({"a": b"x" * 900, "b": b"y" * 900, "c": b"z" * 900}, "entpackt"),
    ({"a": b"\0" * 999}, "verdichtet"),
])
def test_limits_from_the_central_directory(members, message):
    with pytest.raises(ArchiveError, match=message):
        read_members(make_zip(members), LIMITS)


def test_lying_size_is_caught_while_reading():
    data = bytearray(make_zip({"a": bytes(range(256)) * 4}, zipfile.ZIP_STORED))
    # declare 10 bytes instead of 1024 (local header and central directory)
    raw = bytes(data).replace((1024).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    with pytest.raises(ArchiveError):
        read_members(raw, LIMITS)


def test_not_a_zip():
    with pytest.raises(ArchiveError, match="kein gültiges"):
        read_members(b"kein zip", LIMITS)


VALID = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b"a" * 300 + b"</w:document>"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data):
    try:
        read_members(data, LIMITS)
    except ArchiveError as exc:
        assert str(exc)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, len(VALID)))
def test_mutated_zips_never_crash(mutations, cut):
    data = bytearray(VALID)
    for position, value in mutations:
        data[position] = value
    try:
        read_members(bytes(data[:cut] if cut else data), LIMITS)
    except ArchiveError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 255)), max_size=6))
def test_mutated_docx_never_crash_the_extractor(mutations):
    from krisenwissen.regulations.extract import extract_text
    from krisenwissen.regulations.legaltext import LegalTextError

    data = bytearray(DOCX)
    for position, value in mutations:
        data[position % len(data)] = value
    try:
        extract_text(bytes(data), "fassung.docx")
    except LegalTextError as exc:
        assert str(exc)


def _docx() -> bytes:
    from ..regulations.test_upload_limits import small_docx

    return small_docx()


DOCX = _docx()
