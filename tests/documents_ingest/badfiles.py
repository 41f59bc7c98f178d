"""Generators of the bad binary files (see badfiles/README.md)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .pdfmaker import make_pdf

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>\n")


def encrypted_pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(make_pdf([["Geheim", "Vertraulicher Lagebericht."]])))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="auchgeheim", R=6))
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = make_pdf([["Lagebericht", "Text der ersten Seite."], ["Teil 2", "Text der zweiten Seite."]])
    return data[: len(data) // 2]


def million_pages_pdf() -> bytes:
    return make_pdf([["Kopf", "Eine Seite, die eine Million behauptet."]], declared_pages=1_000_000)


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_zip_bomb() -> bytes:
    body = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            + b" " * (40 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>")
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})


def docx_billion_laughs() -> bytes:
    body = (LAUGHS + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>').encode()
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})


def odt_billion_laughs() -> bytes:
    body = (LAUGHS + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            '<text:p>&lol9;</text:p></office:text></office:body></office:document-content>').encode()
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": body})


def huge_image() -> bytes:
    """A PNG whose header declares 20,000 × 20,000 pixels (the pixel data is tiny and wrong:
    a reader that trusts the header before decoding would allocate 400 million pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
            + chunk(b"IEND", b""))


def oversized_text(limit: int) -> bytes:
    return b"Einsatztagebuch. " * (limit // 17 + 10)
