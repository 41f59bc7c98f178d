"""Named permissions of documents: coding part. Imported by ``rules``.

Coding a document (and writing memos on it or its codings) is for Mitwirkende of the
document's municipality who may read it. Retrieval, co-occurrence, agreement and the REFI-QDA
export are open to Mitwirkende somewhere, and show only codings of documents the person may
read (``coding_selectors.readable_documents``). Editing the code book (merge, split, move,
rename) and importing a REFI-QDA project, which adds codes to the shared code book, are for the
platform administration, as creating codes is (``knowledge.add_code``).
"""

import rules

from krisenwissen.accounts.predicates import (
    is_active_user,
    is_contributor_somewhere,
    is_same_person,
    is_superuser,
)

from . import coding_events  # noqa: F401  (registers the audit events)
from .rules import can_read_document, contributes_to_document, edits_document


@rules.predicate
def is_own_coding(user, coding) -> bool:
    return bool(coding is not None and getattr(coding, "coder_id", None) is not None and is_same_person(user, coding.coder))


codes_document = is_active_user & (is_superuser | (can_read_document & contributes_to_document))

rules.add_perm("documents.code_document", codes_document)
rules.add_perm("documents.remove_coding", is_active_user & (is_superuser | (codes_document & (is_own_coding | edits_document))))
rules.add_perm("documents.view_codings", is_active_user & (is_superuser | is_contributor_somewhere))
rules.add_perm("documents.export_qda", is_active_user & (is_superuser | is_contributor_somewhere))
rules.add_perm("documents.edit_codebook", is_active_user & is_superuser)
rules.add_perm("documents.import_qda", is_active_user & is_superuser)
