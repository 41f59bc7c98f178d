"""The REFI-QDA project as plain dataclasses (the part of the standard this platform exchanges)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class RefiError(ValueError):
    """A REFI-QDA file we refuse; the message is German and meant for the user."""


@dataclass
class RefiUser:
    guid: str
    name: str


@dataclass
class RefiCode:
    guid: str
    name: str
    description: str = ""
    color: str = ""
    children: list[RefiCode] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    creating_user: str | None = None
    created: str | None = None


@dataclass
class RefiCoding:
    guid: str
    code_guid: str
    creating_user: str | None = None
    created: str | None = None


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    name: str = ""
    creating_user: str | None = None
    created: str | None = None


@dataclass
class RefiSource:
    guid: str
    name: str
    text: str
    selections: list[RefiSelection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    description: str = ""
    creating_user: str | None = None
    created: str | None = None


@dataclass
class RefiProject:
    name: str
    origin: str = ""
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    creating_user: str | None = None
    created: str | None = None
    # Sources of kinds this platform does not import (PDF, picture, audio, …): their names.
    skipped_sources: list[str] = field(default_factory=list)

    def all_codes(self):
        for code in self.codes:
            yield from code.walk()
