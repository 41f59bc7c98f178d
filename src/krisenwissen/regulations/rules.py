"""Named permissions of the Verordnungs-Synopse (built from ``accounts.predicates``).

Legal texts are public information: everyone, also anonymous visitors, reads texts, versions,
Synopsen and exports. The Redaktion of any municipality (or a superuser) maintains them:
legal texts, versions (upload and their details), imports and keyword rules. Subscribing needs a login.
"""

import rules

from krisenwissen.accounts.predicates import is_active_user, is_editor_somewhere

rules.add_perm("regulations.view_legaltext", rules.always_allow)
rules.add_perm("regulations.add_legaltext", is_editor_somewhere)
rules.add_perm("regulations.change_legaltext", is_editor_somewhere)
rules.add_perm("regulations.add_version", is_editor_somewhere)
# Whoever may upload a version may correct its details later (act, reference, dates, note).
rules.add_perm("regulations.change_version", is_editor_somewhere)
rules.add_perm("regulations.import_versions", is_editor_somewhere)
rules.add_perm("regulations.view_keywordrule", rules.always_allow)
rules.add_perm("regulations.add_keywordrule", is_editor_somewhere)
rules.add_perm("regulations.change_keywordrule", is_editor_somewhere)
rules.add_perm("regulations.delete_keywordrule", is_editor_somewhere)
rules.add_perm("regulations.subscribe_legaltext", is_active_user)
