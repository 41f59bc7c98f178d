"""The REFI-QDA code book exchange file (QDC): ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0">``."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405  (building only; parsing goes through defusedxml)

from .model import CODEBOOK_NS, RefiCode, RefiError
from .xmlio import check_unique, child, local, parse_codes, parse_xml, serialise, write_codes


def write_qdc(codes: list[RefiCode], *, origin: str = "krisenwissen") -> bytes:
    root = ET.Element("CodeBook", {"origin": origin})
    write_codes(root, codes, CODEBOOK_NS, with_notes=False)
    return serialise(root, CODEBOOK_NS)


def parse_qdc(data: bytes) -> list[RefiCode]:
    """The code tree of a QDC file; :class:`RefiError` for anything else."""
    if not isinstance(data, bytes | bytearray):
        raise RefiError("Die Codebuch-Datei konnte nicht gelesen werden.")
    root = parse_xml(bytes(data), "Die Codebuch-Datei")
    if local(root.tag) != "CodeBook":
        raise RefiError("Die Datei ist kein REFI-QDA-Codebuch (QDC): das Element „CodeBook“ fehlt.")
    container = child(root, "Codes")
    codes = parse_codes(container, with_notes=False) if container is not None else []
    check_unique((c.guid for code in codes for c in code.walk()), "Codebuch")
    return codes
