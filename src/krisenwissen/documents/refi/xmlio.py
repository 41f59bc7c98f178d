"""Shared XML reading and writing for QDC and QDPX (defusedxml for every parse)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405  (only used to build and serialise, never to parse)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .model import GUID_RE, RefiCode, RefiError

MAX_XML_BYTES = 64 * 1024 * 1024
MAX_CODES = 20_000
MAX_DEPTH = 40
MAX_NAME = 500


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _NOT_XML.sub("", value)


def xml_text(value: str) -> str:
    """Element text as a parser will read it back: XML turns every CR and CRLF into LF."""
    return xml_chars(value).replace("\r\n", "\n").replace("\r", "\n")


def parse_xml(data: bytes, what: str) -> ET.Element:
    if len(data) > MAX_XML_BYTES:
        raise RefiError(f"{what} ist zu groß (höchstens {MAX_XML_BYTES // (1024 * 1024)} MB).")
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise RefiError(f"{what} enthält unzulässige XML-Konstrukte (DTD, Entitäten oder externe Verweise).") from exc
    except (ET.ParseError, ValueError, UnicodeError, LookupError, RecursionError) as exc:
        raise RefiError(f"{what} ist kein gültiges XML.") from exc


def local(tag) -> str:
    """An element's name without its namespace (``{urn:…}Code`` → ``Code``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: ET.Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


def guid(element: ET.Element, attribute: str = "guid", *, what: str, required: bool = True) -> str | None:
    value = element.get(attribute)
    if value is None:
        if required:
            raise RefiError(f"{what}: das Attribut „{attribute}“ fehlt.")
        return None
    value = value.strip().strip("{}")
    if not GUID_RE.match(value):
        raise RefiError(f"{what}: „{value[:60]}“ ist keine gültige GUID.")
    return value.lower()


def name(element: ET.Element, *, what: str, required: bool = True) -> str:
    value = (element.get("name") or "").strip()
    if required and not value:
        raise RefiError(f"{what}: der Name fehlt.")
    if len(value) > MAX_NAME:
        raise RefiError(f"{what}: der Name ist zu lang (höchstens {MAX_NAME} Zeichen).")
    return value


def parse_codes(container: ET.Element, *, with_notes: bool) -> list[RefiCode]:
    """The code tree below a ``Codes`` element (depth and count bounded)."""
    count = 0

    def walk(element: ET.Element, depth: int) -> list[RefiCode]:
        nonlocal count
        if depth > MAX_DEPTH:
            raise RefiError(f"Das Codebuch ist zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen).")
        codes = []
        for item in children(element, "Code"):
            count += 1
            if count > MAX_CODES:
                raise RefiError(f"Das Codebuch enthält zu viele Codes (höchstens {MAX_CODES}).")
            code = RefiCode(guid=guid(item, what="Code"), name=name(item, what="Code"),
                            description=child_text(item, "Description"), color=(item.get("color") or "")[:20])
            if with_notes:
                code.note_refs = [guid(ref, "targetGUID", what="Verweis auf ein Memo") for ref in children(item, "NoteRef")]
            code.children = walk(item, depth + 1)
            codes.append(code)
        return codes

    return walk(container, 0)


def write_codes(parent: ET.Element, codes: list[RefiCode], ns: str, *, with_notes: bool) -> None:
    container = ET.SubElement(parent, "Codes")

    def add(into: ET.Element, code: RefiCode) -> None:
        attrs = {"guid": code.guid, "name": code.name, "isCodable": "true"}
        if code.color:
            attrs["color"] = code.color
        element = ET.SubElement(into, "Code", attrs)
        if code.description:
            ET.SubElement(element, "Description").text = code.description
        if with_notes:
            for ref in code.note_refs:
                ET.SubElement(element, "NoteRef", {"targetGUID": ref})
        for sub in code.children:
            add(element, sub)

    for code in codes:
        add(container, code)


def serialise(root: ET.Element, ns: str) -> bytes:
    """The document as UTF-8 bytes; elements are built without namespace, the root declares ``ns``
    as the default namespace (so every element is in it, attributes are not, as the schemas want)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, xml_chars(value))
    root.set("xmlns", ns)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def check_unique(guids, what: str) -> None:
    seen = set()
    for value in guids:
        if value in seen:
            raise RefiError(f"{what}: die GUID {value} kommt mehrfach vor.")
        seen.add(value)
