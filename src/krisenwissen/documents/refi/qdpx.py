"""The REFI-QDA project exchange file (QDPX): a zip with ``project.qde`` and ``sources/``.

``project.qde`` follows the REFI-QDA project schema (namespace ``urn:QDA-XML:project:1.0``):
``Users``, ``CodeBook``, ``Sources`` (``TextSource`` with ``PlainTextSelection`` →
``Coding`` → ``CodeRef``, and ``NoteRef``), ``Notes``. Each text source's plain text is the
member ``sources/<guid>.txt`` (UTF-8), referenced as ``plainTextPath="internal://<guid>.txt"``;
a source may instead carry its text inline in ``PlainTextContent``.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET  # noqa: S405  (building only; parsing goes through defusedxml)
import zipfile

from krisenwissen.core.safezip import ArchiveError, ArchiveLimits, read_members

from .model import (
    PROJECT_NS,
    RefiCoding,
    RefiError,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
from .xmlio import (
    MAX_NAME,
    check_unique,
    child,
    child_text,
    children,
    guid,
    local,
    name,
    parse_codes,
    parse_xml,
    serialise,
    write_codes,
)

NS = PROJECT_NS
MAX_SOURCES = 5_000
MAX_SELECTIONS = 500_000
MAX_USERS = 5_000
MAX_NOTES = 100_000
NON_TEXT_SOURCES = {"PDFSource", "PictureSource", "AudioSource", "VideoSource"}
LIMITS = ArchiveLimits(max_members=MAX_SOURCES + 100)


def _q(tag: str) -> str:
    return tag


def _stamp(element: ET.Element, user: str | None, created: str | None) -> None:
    if user:
        element.set("creatingUser", user)
    if created:
        element.set("creationDateTime", created)


def write_qde(project: RefiProject) -> bytes:
    """``project.qde`` of ``project`` (sources reference ``internal://<guid>.txt``)."""
    attrs = {"name": project.name or "krisenwissen", "origin": project.origin or "krisenwissen"}
    if project.creating_user:
        attrs["creatingUserGUID"] = project.creating_user
    if project.created:
        attrs["creationDateTime"] = project.created
    root = ET.Element(_q("Project"), attrs)
    if project.users:
        users = ET.SubElement(root, _q("Users"))
        for user in project.users:
            ET.SubElement(users, _q("User"), {"guid": user.guid, "name": user.name})
    codebook = ET.SubElement(root, _q("CodeBook"))
    write_codes(codebook, project.codes, NS, with_notes=True)
    if project.sources:
        sources = ET.SubElement(root, _q("Sources"))
        for source in project.sources:
            element = ET.SubElement(sources, _q("TextSource"), {"guid": source.guid, "name": source.name,
                                                               "plainTextPath": f"internal://{source.guid}.txt"})
            _stamp(element, source.creating_user, source.created)
            if source.description:
                ET.SubElement(element, _q("Description")).text = source.description
            for selection in source.selections:
                sel = ET.SubElement(element, _q("PlainTextSelection"), {
                    "guid": selection.guid, "name": selection.name or "",
                    "startPosition": str(selection.start), "endPosition": str(selection.end)})
                _stamp(sel, selection.creating_user, selection.created)
                for coding in selection.codings:
                    cod = ET.SubElement(sel, _q("Coding"), {"guid": coding.guid})
                    _stamp(cod, coding.creating_user, coding.created)
                    ET.SubElement(cod, _q("CodeRef"), {"targetGUID": coding.code_guid})
                for ref in selection.note_refs:
                    ET.SubElement(sel, _q("NoteRef"), {"targetGUID": ref})
            for ref in source.note_refs:
                ET.SubElement(element, _q("NoteRef"), {"targetGUID": ref})
    if project.notes:
        notes = ET.SubElement(root, _q("Notes"))
        for note in project.notes:
            element = ET.SubElement(notes, _q("Note"), {"guid": note.guid, "name": note.name})
            _stamp(element, note.creating_user, note.created)
            ET.SubElement(element, _q("PlainTextContent")).text = note.text
    return serialise(root, NS)


def write_qdpx(project: RefiProject) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", write_qde(project))
        for source in project.sources:
            archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))
    return buffer.getvalue()


def _decode_text(data: bytes, source_name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefiError(f"Der Text der Quelle „{source_name[:80]}“ ist nicht in UTF-8 kodiert.") from exc
    return text.removeprefix("\ufeff")


def _source_text(element: ET.Element, source_name: str, members: dict[str, bytes]) -> str:
    path = element.get("plainTextPath")
    if path:
        if not path.startswith("internal://"):
            raise RefiError(f"Die Quelle „{source_name[:80]}“ verweist auf eine Datei außerhalb des Projekts ({path[:80]}).")
        member = "sources/" + path[len("internal://"):]
        if member not in members:
            raise RefiError(f"Der Text der Quelle „{source_name[:80]}“ fehlt im Archiv ({member[:80]}).")
        return _decode_text(members[member], source_name)
    content = child(element, "PlainTextContent")
    if content is not None:
        return content.text or ""
    raise RefiError(f"Die Quelle „{source_name[:80]}“ hat keinen Text.")


def _position(element: ET.Element, attribute: str, what: str) -> int:
    raw = (element.get(attribute) or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise RefiError(f"{what}: „{attribute}“ ist keine gültige Zeichenposition.")
    return int(raw)


def parse_qde(data: bytes, members: dict[str, bytes] | None = None) -> RefiProject:
    """The project in ``project.qde``; ``members`` are the archive's files (for the source texts)."""
    members = members or {}
    root = parse_xml(data, "Die Projektdatei (project.qde)")
    if local(root.tag) != "Project":
        raise RefiError("Die Datei ist kein REFI-QDA-Projekt: das Element „Project“ fehlt.")
    project = RefiProject(name=name(root, what="Projekt", required=False), origin=(root.get("origin") or "")[:MAX_NAME],
                          creating_user=guid(root, "creatingUserGUID", what="Projekt", required=False),
                          created=root.get("creationDateTime"))
    users_element = child(root, "Users")
    for item in children(users_element, "User") if users_element is not None else []:
        project.users.append(RefiUser(guid=guid(item, what="Benutzer"), name=name(item, what="Benutzer")))
        if len(project.users) > MAX_USERS:
            raise RefiError(f"Das Projekt enthält zu viele Benutzer (höchstens {MAX_USERS}).")
    codebook = child(root, "CodeBook")
    codes_element = child(codebook, "Codes") if codebook is not None else None
    project.codes = parse_codes(codes_element, with_notes=True) if codes_element is not None else []
    notes_element = child(root, "Notes")
    for item in children(notes_element, "Note") if notes_element is not None else []:
        note_name = name(item, what="Memo", required=False)
        text = child_text(item, "PlainTextContent")
        if not text and item.get("plainTextPath"):
            text = _source_text(item, note_name or "Memo", members)
        project.notes.append(RefiNote(guid=guid(item, what="Memo"), name=note_name, text=text,
                                      creating_user=guid(item, "creatingUser", what="Memo", required=False),
                                      created=item.get("creationDateTime")))
        if len(project.notes) > MAX_NOTES:
            raise RefiError(f"Das Projekt enthält zu viele Memos (höchstens {MAX_NOTES}).")
    sources_element = child(root, "Sources")
    selections = 0
    for item in list(sources_element) if sources_element is not None else []:
        kind = local(item.tag)
        if kind in NON_TEXT_SOURCES:
            project.skipped_sources.append(name(item, what="Quelle", required=False) or kind)
            continue
        if kind != "TextSource":
            continue
        source_name = name(item, what="Quelle")
        source = RefiSource(guid=guid(item, what=f"Quelle „{source_name[:80]}“"), name=source_name,
                            text=_source_text(item, source_name, members), description=child_text(item, "Description"),
                            creating_user=guid(item, "creatingUser", what="Quelle", required=False),
                            created=item.get("creationDateTime"))
        length = len(source.text)
        for sel in children(item, "PlainTextSelection"):
            selections += 1
            if selections > MAX_SELECTIONS:
                raise RefiError(f"Das Projekt enthält zu viele Textstellen (höchstens {MAX_SELECTIONS}).")
            what = f"Textstelle in „{source_name[:80]}“"
            start, end = _position(sel, "startPosition", what), _position(sel, "endPosition", what)
            if not start < end <= length:
                raise RefiError(f"{what}: die Position {start}–{end} liegt nicht im Text (Länge {length} Zeichen).")
            selection = RefiSelection(guid=guid(sel, what=what), start=start, end=end,
                                      name=(sel.get("name") or "")[:MAX_NAME],
                                      creating_user=guid(sel, "creatingUser", what=what, required=False),
                                      created=sel.get("creationDateTime"))
            for cod in children(sel, "Coding"):
                ref = child(cod, "CodeRef")
                if ref is None:
                    raise RefiError(f"{what}: einer Codierung fehlt der Verweis auf den Code (CodeRef).")
                selection.codings.append(RefiCoding(guid=guid(cod, what=what), code_guid=guid(ref, "targetGUID", what=what),
                                                    creating_user=guid(cod, "creatingUser", what=what, required=False),
                                                    created=cod.get("creationDateTime")))
            selection.note_refs = [guid(ref, "targetGUID", what=what) for ref in children(sel, "NoteRef")]
            source.selections.append(selection)
        source.note_refs = [guid(ref, "targetGUID", what=f"Quelle „{source_name[:80]}“") for ref in children(item, "NoteRef")]
        project.sources.append(source)
        if len(project.sources) > MAX_SOURCES:
            raise RefiError(f"Das Projekt enthält zu viele Quellen (höchstens {MAX_SOURCES}).")
    _check_references(project)
    return project


def _check_references(project: RefiProject) -> None:
    codes = [code.guid for code in project.all_codes()]
    check_unique(codes, "Codebuch")
    check_unique((u.guid for u in project.users), "Benutzer")
    check_unique((n.guid for n in project.notes), "Memos")
    check_unique((s.guid for s in project.sources), "Quellen")
    check_unique((sel.guid for s in project.sources for sel in s.selections), "Textstellen")
    check_unique((c.guid for s in project.sources for sel in s.selections for c in sel.codings), "Codierungen")
    code_set, note_set, user_set = set(codes), {n.guid for n in project.notes}, {u.guid for u in project.users}
    for source in project.sources:
        for selection in source.selections:
            for coding in selection.codings:
                if coding.code_guid not in code_set:
                    raise RefiError(f"Eine Codierung in „{source.name[:80]}“ verweist auf einen Code, "
                                    "der im Codebuch fehlt.")
    refs = [r for code in project.all_codes() for r in code.note_refs]
    refs += [r for s in project.sources for r in s.note_refs]
    refs += [r for s in project.sources for sel in s.selections for r in sel.note_refs]
    if any(ref not in note_set for ref in refs):
        raise RefiError("Ein Verweis auf ein Memo (NoteRef) zeigt auf kein vorhandenes Memo.")
    # Unknown creating users are not an error (some programs omit the Users list): they count as no user.
    for item in [*project.notes, *project.sources,
                 *(sel for s in project.sources for sel in s.selections),
                 *(c for s in project.sources for sel in s.selections for c in sel.codings)]:
        if item.creating_user and item.creating_user not in user_set:
            item.creating_user = None


def parse_qdpx(data: bytes) -> RefiProject:
    """The project in a QDPX archive; :class:`RefiError` (German) for anything we refuse."""
    if not isinstance(data, bytes | bytearray):
        raise RefiError("Die Projektdatei konnte nicht gelesen werden.")
    try:
        members = read_members(bytes(data), LIMITS)
    except ArchiveError as exc:
        raise RefiError(str(exc)) from exc
    if "project.qde" not in members:
        raise RefiError("Das Archiv ist kein REFI-QDA-Projekt (QDPX): die Datei „project.qde“ fehlt.")
    return parse_qde(members["project.qde"], members)
