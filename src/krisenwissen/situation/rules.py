"""Named permissions of the Lagebild (built from ``accounts.predicates``). Not the threshold
rules: see rules_engine.

* Open data (RKI/DIVI figures, rule status, comparisons, Lagebericht) is read by every
  logged-in user; the public page of a municipality is open to everyone and shows only what
  is marked ``oeffentlich`` (the selectors decide what is read).
* Importing data needs Redaktion in some municipality or the platform data role.
  Shared area data (the RKI/DIVI open-data formats: districts, states, Germany; values of
  indicators without a municipality) is read by every municipality, so only the platform data
  role ``situation.import_shared_data`` writes it: superusers and the group "Plattform-Daten"
  (see ``platform``). ``import_open_data`` is the same permission under its old name. In the
  generic CSV format each row needs ``record_value`` on its indicator.
* Own indicators, values entered by hand and own rule sets: Redaktion of the municipality.
  Staff notes: Mitwirkende of the municipality; making a note public: Redaktion.

Permissions on a municipality (``manage_indicator``, ``write_note``, ``publish_note``,
``manage_ruleset``) are asked by the actions; their "somewhere" forms (``add_indicator``,
``add_note``, ``add_ruleset``) decide whether a page offers the form at all.
"""

import rules

from krisenwissen.accounts.predicates import (
    has_platform_permission,
    is_active_user,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_editor_for_object,
    is_editor_somewhere,
)

from .platform import SHARED_DATA_PERMISSION


@rules.predicate
def is_shared_indicator(user, indicator) -> bool:
    """Open data: an indicator without a municipality, read by all of them."""
    return indicator is not None and getattr(indicator, "municipality_id", None) is None


is_platform_data_editor = has_platform_permission(SHARED_DATA_PERMISSION)

# reading
rules.add_perm("situation.view_open_data", is_active_user)
rules.add_perm("situation.view_public_page", rules.always_allow)
rules.add_perm("situation.follow_area", is_active_user)

# importing
rules.add_perm("situation.import_data", is_editor_somewhere | is_platform_data_editor)
rules.add_perm(SHARED_DATA_PERMISSION, is_platform_data_editor)
rules.add_perm("situation.import_open_data", is_platform_data_editor)

# own indicators and their values (object: the municipality, or the indicator for values);
# values of shared indicators: the platform data role only
rules.add_perm("situation.add_indicator", is_editor_somewhere)
rules.add_perm("situation.manage_indicator", is_editor_for_object)
rules.add_perm("situation.record_value", (~is_shared_indicator & is_editor_for_object)
               | (is_shared_indicator & is_platform_data_editor))

# staff notes (object: the municipality)
rules.add_perm("situation.add_note", is_contributor_somewhere)
rules.add_perm("situation.write_note", is_contributor_for_object)
rules.add_perm("situation.publish_note", is_editor_for_object)

# own rule sets (object: the municipality)
rules.add_perm("situation.add_ruleset", is_editor_somewhere)
rules.add_perm("situation.manage_ruleset", is_editor_for_object)
