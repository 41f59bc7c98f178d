"""Named permissions of accounts and the municipality directory (shared predicates, ``predicates.py``).

The Administration of a municipality manages its people and roles and reads its part of the
audit log; the platform administration (superusers) imports the municipality directory and
uses Django's technical administration.
"""

import rules

from .predicates import (
    administers_every_municipality_of_person,
    is_active_user,
    is_administrator_for_object,
    is_administrator_somewhere,
    is_same_person,
    is_superuser,
)

# The administration area: the page asks without an object (Administration somewhere), the
# actions with the municipality whose memberships change.
rules.add_perm("accounts.view_administration", is_administrator_somewhere)
rules.add_perm("accounts.manage_memberships", is_administrator_for_object)
rules.add_perm("accounts.change_municipality_settings", is_administrator_for_object)
rules.add_perm("accounts.view_audit_log", is_administrator_somewhere)
rules.add_perm("accounts.import_municipalities", is_superuser)
rules.add_perm("accounts.use_technical_admin", is_superuser)
# Data protection (the object is the person): erasure (Art. 17 GDPR) by the platform
# administration or the Administration of every municipality the person belongs to; the export
# of a person's data (Art. 15) also by the person themselves. The actions refuse erasing
# oneself and the last platform administrator.
rules.add_perm("accounts.erase_person", is_superuser | administers_every_municipality_of_person)
rules.add_perm("accounts.export_person_data", is_same_person | is_superuser | administers_every_municipality_of_person)
# Everyone signed in manages their own password and second factor.
rules.add_perm("accounts.manage_own_credentials", is_active_user)
# Anyone, also an anonymous visitor, may ask for a reset link; the action bounds how often a
# link is mailed, and its answer never tells whether the address is known.
rules.add_perm("accounts.request_password_reset", rules.always_allow)

# Directory sign-in (LDAP, OpenID Connect) creates accounts and aligns directory-managed roles;
# it acts as the system. Only the platform administration could do the same by hand.
rules.add_perm("accounts.sync_directory_memberships", is_superuser)
# Guided set-up of a new municipality (ui:municipality_setup): platform administration only.
rules.add_perm("accounts.set_up_municipality", is_superuser)
