"""REFI-QDA exchange (pure: no Django): the code book (QDC) and whole projects (QDPX).

``model`` holds plain dataclasses of a project; ``qdc`` and ``qdpx`` write and parse them.
Parsing refuses hostile or broken input with :class:`RefiError` (a German message): XML goes
through defusedxml (no DTDs, entities or external references), archives through
``core.safezip`` (bounded member count and sizes), and every reference (code, user, note),
GUID and text position is checked before anything is returned, so a caller that imports the
result in one transaction never half-writes.

Text positions follow the standard's ``PlainTextSelection``: ``startPosition`` and
``endPosition`` count Unicode code points from 0 with the end exclusive, i.e. the selection is
``text[start:end]`` of the plain-text source decoded from UTF-8 (a leading byte-order mark is
not part of the text). The REFI-QDA XSDs are not shipped with the platform (no network at
runtime), so structure is checked by this module's own rules instead of schema validation.
"""

from .model import (  # noqa: F401
    RefiCode,
    RefiCoding,
    RefiError,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
