"""State changes of qualitative coding: codings, memos, code-book editing that keeps codings.

Every action checks a named permission (``coding_rules``), runs in one transaction and writes
one audit row. Offsets are code points into ``DocumentVersion.text`` (see ``coding_models``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krisenwissen.core.audit import record
from krisenwissen.core.policy import person, require_perm
from krisenwissen.knowledge import actions as knowledge_actions
from krisenwissen.knowledge.models import Code

from .coding_events import CodingEvent
from .models import Coding, Document, DocumentVersion, Memo, VersionStatus

NOT_CODER = gettext_lazy("Diese Textstelle dürfen Sie nicht codieren: Codieren dürfen Mitwirkende der Kommune des Dokuments.")
CODEBOOK_ONLY_ADMINS = gettext_lazy("Nur die Plattform-Administration pflegt das Codebuch.")
MAX_MEMO = 20_000


def display_name(user) -> str:
    """How a person appears as coder or memo author."""
    if getattr(user, "pk", None) is None:
        return _("System")
    return (user.get_full_name() or user.get_username()).strip()[:200]


def check_range(version: DocumentVersion, start, end) -> tuple[int, int]:
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError(_("Anfang und Ende der Textstelle müssen ganze Zahlen sein.")) from None
    if not 0 <= start < end <= len(version.text):
        raise ValidationError(_("Die Textstelle %(start)s–%(end)s liegt nicht im Text (Länge %(length)s Zeichen).")
                              % {"start": start, "end": end, "length": len(version.text)})
    return start, end


@transaction.atomic
def do_code_segment(version: DocumentVersion, *, start, end, code: Code, acting_user) -> Coding:
    """Assign ``code`` to ``version.text[start:end]`` as the acting user (an existing identical coding is kept)."""
    require_perm(acting_user, "documents.code_document", version.document, message=NOT_CODER)
    if version.status != VersionStatus.FERTIG:
        raise ValidationError(_("Diese Version ist noch nicht verarbeitet und kann nicht codiert werden."))
    start, end = check_range(version, start, end)
    name = display_name(acting_user)
    existing = Coding.objects.filter(version=version, start=start, end=end, code=code, coder_name=name).first()
    if existing is not None:
        return existing
    coding = Coding.objects.create(version=version, document=version.document, start=start, end=end, code=code,
                                   coder=person(acting_user), coder_name=name)
    record(CodingEvent.SEGMENT_CODED, acting_user=acting_user, obj=version.document, code=code.name,
           start=start, end=end, version=version.number)
    return coding


@transaction.atomic
def do_remove_coding(coding: Coding, *, acting_user) -> None:
    require_perm(acting_user, "documents.remove_coding", coding,
                 message=_("Entfernen dürfen die codierende Person und die Redaktion der Kommune."))
    document = coding.document
    record(CodingEvent.CODING_REMOVED, acting_user=acting_user, obj=document, code=coding.code.name,
           start=coding.start, end=coding.end, coder=coding.coder_name)
    coding.delete()


def clean_memo_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError(_("Das Memo ist leer."))
    if len(text) > MAX_MEMO:
        raise ValidationError(_("Das Memo ist zu lang (höchstens %(max)s Zeichen).") % {"max": MAX_MEMO})
    return text


@transaction.atomic
def do_add_memo(*, text: str, acting_user, code: Code | None = None, document: Document | None = None,
                coding: Coding | None = None) -> Memo:
    """A memo on exactly one of a code, a document or a coding."""
    if sum(x is not None for x in (code, document, coding)) != 1:
        raise ValidationError(_("Ein Memo gehört zu genau einem Code, Dokument oder einer Codierung."))
    if code is not None:
        require_perm(acting_user, "documents.view_codings", message=NOT_CODER)
    else:
        require_perm(acting_user, "documents.code_document", document or coding.document, message=NOT_CODER)
    memo = Memo.objects.create(text=clean_memo_text(text), code=code, document=document, coding=coding,
                               author=person(acting_user), author_name=display_name(acting_user))
    target = document or (coding.document if coding else None)
    record(CodingEvent.MEMO_ADDED, acting_user=acting_user, obj=target or code,
           on="code" if code else "document" if document else "coding")
    return memo


# --- code-book editing that keeps the codings ----------------------------------------------

def do_rename_code(code: Code, *, name: str, acting_user) -> Code:
    require_perm(acting_user, "documents.edit_codebook", message=CODEBOOK_ONLY_ADMINS)
    return knowledge_actions.do_rename_code(code, name=name, acting_user=acting_user)


def do_move_code(code: Code, *, parent: Code | None, acting_user) -> Code:
    require_perm(acting_user, "documents.edit_codebook", message=CODEBOOK_ONLY_ADMINS)
    return knowledge_actions.do_move_code(code, parent=parent, acting_user=acting_user)


def do_merge_codes(source: Code, *, into: Code, acting_user) -> Code:
    """Every coding (and every other use) of ``source`` moves to ``into``; ``source`` goes."""
    require_perm(acting_user, "documents.edit_codebook", message=CODEBOOK_ONLY_ADMINS)
    return knowledge_actions.do_merge_codes(source, into=into, acting_user=acting_user)


@transaction.atomic
def do_split_code(code: Code, *, codings, name: str, key: str, acting_user) -> Code:
    """A new code beside ``code`` (same scheme and parent) that takes over the chosen codings."""
    require_perm(acting_user, "documents.edit_codebook", message=CODEBOOK_ONLY_ADMINS)
    ids = {c.pk for c in codings}
    if not ids:
        raise ValidationError(_("Wählen Sie mindestens eine Codierung, die zum neuen Code wechselt."))
    if Coding.objects.filter(pk__in=ids).exclude(code=code).exists():
        raise ValidationError(_("Die gewählten Codierungen gehören nicht alle zu diesem Code."))
    new = knowledge_actions.do_create_code(scheme=code.scheme, key=key, name=name, parent=code.parent,
                                           description="", acting_user=acting_user)
    moved = Coding.objects.filter(pk__in=ids).update(code=new)
    record(CodingEvent.CODE_SPLIT, acting_user=acting_user, obj=new, source=code.name, moved=moved)
    return new
