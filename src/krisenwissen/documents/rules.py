"""Named permissions of documents and qualitative research (django-rules).

Reading a document follows its visibility like every knowledge item (``can_read_object``):
members read every document of their municipality (and the list of what they may read), ``netzwerk`` documents of the network's
cities and ``oeffentlich`` ones. Its passages, codings and the original file are readable
exactly when the document is. Contributors of a municipality upload; the Redaktion reviews
suggestions and turns passages into observations.
"""

from __future__ import annotations

import rules

from krisenwissen.accounts.predicates import (
    can_read_object,
    is_active_user,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_editor_for_object,
    is_member_somewhere,
    is_superuser,
)


def document_of(obj):
    """The document a permission is asked about (a Document, or anything with a ``document``)."""
    from .models import Document

    if isinstance(obj, Document):
        return obj
    return getattr(obj, "document", None)


@rules.predicate
def can_read_document(user, obj) -> bool:
    document = document_of(obj)
    return bool(document is not None and can_read_object(user, document))


@rules.predicate
def contributes_to_document(user, obj) -> bool:
    document = document_of(obj)
    return bool(document is not None and is_contributor_for_object(user, document))


@rules.predicate
def edits_document(user, obj) -> bool:
    document = document_of(obj)
    return bool(document is not None and is_editor_for_object(user, document))


rules.add_perm("documents.view_document_list", is_superuser | is_member_somewhere)
rules.add_perm("documents.upload_document", is_superuser | is_contributor_somewhere)
rules.add_perm("documents.view_document", is_active_user & (is_superuser | can_read_document))

# The parts' permissions (each part declares its own, built from the predicates above).
from . import coding_rules, ingest_rules, sources_rules  # noqa: E402, F401
