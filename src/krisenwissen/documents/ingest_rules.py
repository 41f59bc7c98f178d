"""Named permissions of documents: ingest part. Imported by ``rules``.

Uploading into a municipality needs the contributor role there (a new version of a document:
contributor of the document's municipality). The original file is downloadable exactly when
the document is readable. Suggestions are reviewed and passages turned into observations by
the Redaktion of the document's municipality.
"""

import rules

from krisenwissen.accounts.predicates import is_active_user, is_contributor_for_object, is_superuser

from .rules import can_read_document, contributes_to_document, edits_document

rules.add_perm("documents.upload_to_municipality", is_superuser | is_contributor_for_object)
rules.add_perm("documents.add_document_version", is_superuser | contributes_to_document)
rules.add_perm("documents.download_original", is_active_user & (is_superuser | can_read_document))
rules.add_perm("documents.review_passage", is_active_user & (is_superuser | edits_document))

# The ingest part's audit events are declared with its permissions (loaded in DocumentsConfig.ready).
from . import ingest_events  # noqa: E402, F401

rules.add_perm("documents.edit_document", is_active_user & (is_superuser | edits_document))
