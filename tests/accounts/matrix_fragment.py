"""Permission-matrix entries for accounts' directory sign-in (merged by tests/test_permission_matrix.py).

The OpenID Connect start and callback pages exist only when a provider is configured; the test
settings configure none, so they answer 404 for everyone (the flow itself is tested against a
real provider in tests/accounts/test_oidc_signin.py).
"""

NOT_FOUND = 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")

ENTRIES: list = [
    ("accounts:oidc_start", lambda w: {}, "get", {u: NOT_FOUND for u in USERS}),
    ("accounts:oidc_callback", lambda w: {}, "get", {u: NOT_FOUND for u in USERS}),
]

LEAK_URLS: list = []


def extend_world(world):
    pass
