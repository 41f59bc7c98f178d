"""Permission-matrix entries for the password lifecycle, second factor and directory sign-in (merged by tests/test_permission_matrix.py).

Reset and invitation pages are open to everyone (a forged link shows "ungültig"); the own-account
pages need a login; resending an invitation and resetting a second factor are for the
Administration of the member's municipality (here: the platform administration), and so are a
member's data export and erasure; everyone signed in downloads their own data.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def _everyone(status):
    return {u: status for u in USERS}


def _logged_in(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


def _administration(status):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": status}


def extend_world(world):
    """An invited person in city A (e-mail, no password yet), whose invitation can be resent."""
    from krisenwissen.accounts.models import Role

    from .. import factories as f

    membership = f.MembershipFactory(municipality=world["cities"]["a"], role=Role.LESER, user__username="eingeladen-a",
                                     user__email="eingeladen-a@example.de")
    membership.user.set_unusable_password()
    membership.user.save()
    world["invited_membership"] = membership
    # A member of city A whom the administration erases (Art. 17 GDPR).
    world["erasable_membership"] = f.MembershipFactory(municipality=world["cities"]["a"], role=Role.LESER,
                                                       user__username="zu-loeschen-a")


def _invited_membership(w):
    return {"pk": w["invited_membership"].pk}


def _erasable_membership(w):
    return {"pk": w["erasable_membership"].pk}


FORGED = {"uidb64": "MQ", "token": "abc-def"}

ENTRIES = [
    ("accounts:security", lambda w: {}, "get", _logged_in(OK)),
    ("accounts:password_change", lambda w: {}, "get", _logged_in(OK)),
    ("accounts:password_reset", lambda w: {}, "get", _everyone(OK)),
    ("accounts:password_reset_done", lambda w: {}, "get", _everyone(OK)),
    ("accounts:password_reset_confirm", lambda w: FORGED, "get", _everyone(OK)),
    ("accounts:password_reset_complete", lambda w: {}, "get", _everyone(OK)),
    ("accounts:invitation_confirm", lambda w: FORGED, "get", _everyone(OK)),
    ("accounts:otp_setup", lambda w: {}, "get", _logged_in(OK)),
    # without an authenticator there is nothing to verify: on to the start page
    ("accounts:otp_verify", lambda w: {}, "get", _logged_in(302)),
    ("accounts:invitation_resend", _invited_membership, "post", _administration(302)),
    ("accounts:otp_reset", _invited_membership, "post", _administration(302)),
    # Data protection: everyone downloads their own data (Art. 15); the Administration of the
    # member's municipality downloads a member's data and erases a member (Art. 17).
    ("accounts:own_data_export", lambda w: {}, "get", _logged_in(OK)),
    ("accounts:person_data_export", _invited_membership, "get", _administration(OK)),
    ("accounts:person_erase", _erasable_membership, "get", _administration(OK)),
    ("accounts:person_erase", _erasable_membership, "post", _administration(302)),
    # Directory sign-in (OpenID Connect) exists only when a provider is configured; the test
    # settings configure none, so both pages answer 404 for everyone (the flow itself is tested
    # against a real provider in tests/accounts/test_oidc_signin.py).
    ("accounts:oidc_start", lambda w: {}, "get", _everyone(NOT_FOUND)),
    ("accounts:oidc_callback", lambda w: {}, "get", _everyone(NOT_FOUND)),
]

LEAK_URLS = ["/konto/sicherheit/", "/konto/zwei-faktor/"]
