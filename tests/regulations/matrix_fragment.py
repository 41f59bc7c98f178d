"""Permission-matrix entries for the regulations app (merged by tests/test_permission_matrix.py).

extend_world(world) may add objects to the shared world dict (it already holds users,
cities a-d, items, theme, phase); ENTRIES has the same shape as MATRIX there:
(url name, kwargs builder, method, {user kind: expected status}).
LEAK_URLS are extra listing/export URLs in which no unreadable marker word may appear.
"""

ENTRIES: list = []
LEAK_URLS: list = []


def extend_world(world):
    return None
