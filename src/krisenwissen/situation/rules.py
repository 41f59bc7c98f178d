"""Named permissions of the Lagebild (built from ``accounts.predicates``). Not the threshold
rules: see rules_engine.

* Open data (RKI/DIVI figures, rule status, comparisons, Lagebericht) is read by every
  logged-in user; the public page of a municipality is open to everyone and shows only what
  is marked ``oeffentlich`` (the selectors decide what is read).
* Importing data needs Redaktion in some municipality (or a superuser); open-data formats
  likewise. In the generic CSV format each row needs ``record_value`` on its indicator.
* Own indicators, values entered by hand and own rule sets: Redaktion of the municipality.
  Staff notes: Mitwirkende of the municipality; making a note public: Redaktion.

Permissions on a municipality (``manage_indicator``, ``write_note``, ``publish_note``,
``manage_ruleset``) are asked by the actions; their "somewhere" forms (``add_indicator``,
``add_note``, ``add_ruleset``) decide whether a page offers the form at all.
"""

import rules

from krisenwissen.accounts.predicates import (
    is_active_user,
    is_contributor_for_object,
    is_contributor_somewhere,
    is_editor_for_object,
    is_editor_somewhere,
)

# reading
rules.add_perm("situation.view_open_data", is_active_user)
rules.add_perm("situation.view_public_page", rules.always_allow)
rules.add_perm("situation.follow_area", is_active_user)

# importing
rules.add_perm("situation.import_data", is_editor_somewhere)
rules.add_perm("situation.import_open_data", is_editor_somewhere)

# own indicators and their values (object: the municipality, or the indicator for values)
rules.add_perm("situation.add_indicator", is_editor_somewhere)
rules.add_perm("situation.manage_indicator", is_editor_for_object)
rules.add_perm("situation.record_value", is_editor_for_object)

# staff notes (object: the municipality)
rules.add_perm("situation.add_note", is_contributor_somewhere)
rules.add_perm("situation.write_note", is_contributor_for_object)
rules.add_perm("situation.publish_note", is_editor_for_object)

# own rule sets (object: the municipality)
rules.add_perm("situation.add_ruleset", is_editor_somewhere)
rules.add_perm("situation.manage_ruleset", is_editor_for_object)
