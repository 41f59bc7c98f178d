"""Named permissions of the ui app: the operator's pages (imprint, privacy, accessibility).

The operator is the platform, not a municipality: superusers and whoever holds the Django
permission ``ui.change_sitepage`` (directly or through a group, e.g. "Betrieb").
"""

import rules

from krisenwissen.accounts.predicates import has_platform_permission, is_superuser

is_site_operator = is_superuser | has_platform_permission("ui.change_sitepage")

rules.add_perm("ui.edit_site_page", is_site_operator)
rules.add_perm("ui.view_accessibility_feedback", is_site_operator)
# Anyone, also without an account, may report a barrier (BITV 2.0 § 7 / BGG NRW § 10b: feedback mechanism).
rules.add_perm("ui.send_accessibility_feedback", rules.always_allow)
