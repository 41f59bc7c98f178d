"""Reading zip-based uploads (DOCX, ODT, XLSX, QDPX) without being blown up (no Django imports).

A zip archive states the size of every member in its central directory, but those numbers can
lie and a small file can expand to gigabytes. :func:`check_archive` refuses an archive from its
central directory (number of members, size of each member, total size, compression ratio);
:func:`read_members` then reads every member through a bounded stream, so an archive whose
real data is larger than declared is refused while it is read, after at most the limit. A
reader such as python-docx may be given the archive afterwards: its members were proven
to expand to no more than the limits.

Every refusal is an :class:`ArchiveError` with a German message for the person who uploaded.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

CHUNK = 64 * 1024
MB = 1024 * 1024


class ArchiveError(ValueError):
    """An archive we refuse to read; the message is German and meant for the user."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 2000
    max_member_bytes: int = 32 * MB
    max_total_bytes: int = 96 * MB
    # expanded / compressed, checked for members (and the archive) larger than ``ratio_floor``
    # bytes: XML of office files compresses 5–30×, zip bombs 100–1000× and more.
    max_ratio: int = 100
    ratio_floor: int = 1 * MB


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, IndexError,
            OverflowError, UnicodeDecodeError, NotImplementedError, struct.error) as exc:
        raise ArchiveError("Die Datei ist kein gültiges Archiv (ZIP) oder ist beschädigt.") from exc


def check_archive(data: bytes, limits: ArchiveLimits = ArchiveLimits()) -> list[zipfile.ZipInfo]:
    """The members of the archive after checking its central directory against ``limits``."""
    archive = _open(data)
    with archive:
        return _check_infos(archive.infolist(), len(data), limits)


def _check_infos(infos: list[zipfile.ZipInfo], compressed_total: int, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    if len(infos) > limits.max_members:
        raise ArchiveError(f"Das Archiv enthält zu viele Dateien ({len(infos)}; höchstens {limits.max_members}).")
    total = 0
    for info in infos:
        if not info.filename:
            raise ArchiveError("Das Archiv ist beschädigt (ein Teil ohne Namen).")
        if info.file_size > limits.max_member_bytes:
            raise ArchiveError(
                f"Der Archivteil „{info.filename[:80]}“ wäre entpackt {_mb(info.file_size)} groß "
                f"(höchstens {_mb(limits.max_member_bytes)}).")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ArchiveError(
                f"Der Archivteil „{info.filename[:80]}“ ist ungewöhnlich stark verdichtet "
                f"({info.file_size // max(info.compress_size, 1)}:1); solche Dateien werden nicht entpackt.")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise ArchiveError(f"Das Archiv wäre entpackt {_mb(total)} groß (höchstens {_mb(limits.max_total_bytes)}).")
    if total > limits.ratio_floor and total > limits.max_ratio * max(compressed_total, 1):
        raise ArchiveError("Das Archiv ist ungewöhnlich stark verdichtet; solche Dateien werden nicht entpackt.")
    return infos


def read_members(data: bytes, limits: ArchiveLimits = ArchiveLimits()) -> dict[str, bytes]:
    """Every member's content, read through a bounded stream; raises :class:`ArchiveError`.

    The real expanded bytes are counted while reading: a member may not yield more than it
    declared, nor more than the per-member limit, and all together no more than the total limit.
    """
    archive = _open(data)
    members: dict[str, bytes] = {}
    with archive:
        infos = _check_infos(archive.infolist(), len(data), limits)
        total = 0
        for info in infos:
            if info.filename.endswith("/"):
                continue
            allowed = min(info.file_size, limits.max_member_bytes)
            parts: list[bytes] = []
            size = 0
            try:
                with archive.open(info) as stream:
                    while True:
                        chunk = stream.read(min(CHUNK, allowed - size + 1))
                        if not chunk:
                            break
                        size += len(chunk)
                        total += len(chunk)
                        if size > allowed or total > limits.max_total_bytes:
                            raise ArchiveError(
                                f"Der Archivteil „{info.filename[:80]}“ ist entpackt größer als angegeben "
                                "oder erlaubt; die Datei wird nicht gelesen.")
                        parts.append(chunk)
            except ArchiveError:
                raise
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, KeyError,
                    IndexError, OverflowError, UnicodeDecodeError, NotImplementedError, RuntimeError, struct.error) as exc:
                # RuntimeError: encrypted members; NotImplementedError: unknown compression methods
                raise ArchiveError(
                    f"Der Archivteil „{info.filename[:80]}“ ist beschädigt oder kann nicht gelesen werden.") from exc
            if size != info.file_size:
                raise ArchiveError(f"Der Archivteil „{info.filename[:80]}“ ist beschädigt (falsche Größenangabe).")
            members[info.filename] = b"".join(parts)
    return members


def rebuild(members: dict[str, bytes]) -> bytes:
    """A fresh archive of already checked members (stored, not compressed), for readers that
    want a zip: its central directory tells the truth."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()
