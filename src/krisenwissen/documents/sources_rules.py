"""Named permissions of documents: research sources part. Imported by ``rules``.

Contributors (Mitwirkende) of a municipality upload interviews and import surveys and
literature there. An interview is read exactly as its transcript document; consent and
retention are changed by contributors of its municipality. Surveys and literature records are
read by municipality and visibility, as documents and knowledge items are.
"""

import rules

from krisenwissen.accounts.predicates import (
    can_read_object,
    is_active_user,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_member_somewhere,
    is_superuser,
)

from . import sources_events  # noqa: F401  (registers the audit events)
from .rules import can_read_document, contributes_to_document


@rules.predicate
def can_read_source(user, obj) -> bool:
    return bool(obj is not None and can_read_object(user, obj))


rules.add_perm("documents.view_sources", is_active_user & (is_superuser | is_member_somewhere))
rules.add_perm("documents.import_sources", is_active_user & (is_superuser | is_contributor_somewhere))
rules.add_perm("documents.import_sources_into", is_active_user & (is_superuser | is_contributor_for_object))
rules.add_perm("documents.view_interview", is_active_user & (is_superuser | can_read_document))
rules.add_perm("documents.change_interview", is_active_user & (is_superuser | (can_read_document & contributes_to_document)))
rules.add_perm("documents.view_survey", is_active_user & (is_superuser | can_read_source))
rules.add_perm("documents.view_literature", is_active_user & (is_superuser | can_read_source))
