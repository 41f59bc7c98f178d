"""Permission-matrix entries for the situation app (merged by tests/test_permission_matrix.py).

extend_world(world) may add objects to the shared world dict (it already holds users,
cities a-d, items, theme, phase); ENTRIES has the same shape as MATRIX there:
(url name, kwargs builder, method, {user kind: expected status}).
LEAK_URLS are extra listing/export URLs in which no unreadable marker word may appear.
"""

from datetime import date

USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")
OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404


def logged_in(status, anonymous=LOGIN):
    return {u: (anonymous if u == "anonymous" else status) for u in USERS}


def everyone(status):
    return {u: status for u in USERS}


REDAKTION_ONLY = {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}

ENTRIES: list = [
    ("situation:overview", lambda w: {}, "get", logged_in(OK)),
    ("situation:compare", lambda w: {}, "get", logged_in(OK)),
    ("situation:compare_csv", lambda w: {}, "get", logged_in(OK)),
    ("situation:area_detail", lambda w: {"ags": "05913"}, "get", logged_in(OK)),
    ("situation:area_csv", lambda w: {"ags": "05913"}, "get", logged_in(OK)),
    ("situation:follow", lambda w: {}, "get", logged_in(OK)),
    ("situation:import", lambda w: {}, "get", REDAKTION_ONLY),
    ("situation:import_run", lambda w: {"pk": w["situation"]["run"].pk}, "get",
     {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("situation:report", lambda w: {}, "get", logged_in(OK), lambda w: {"datum": "2021-04-26", "format": "docx"}),
    ("situation:note_create", lambda w: {}, "get",
     {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": OK, "network_member": DENIED, "admin": OK}),
    ("situation:rulesets", lambda w: {}, "get", logged_in(OK)),
    ("situation:indicators", lambda w: {}, "get", logged_in(OK)),
    ("situation:public", lambda w: {"ags": w["cities"]["c"].ags}, "get", everyone(OK)),
]
LEAK_URLS: list = [
    "/lagebild/?datum=2021-04-26",
    "/lagebild/indikatoren/",
    "/lagebild/gebiet/05111/?datum=2021-04-26",
    "/lagebild/gebiet/05113/?datum=2021-04-26",
    "/lagebild/oeffentlich/05111/",
    "/lagebild/oeffentlich/05113/",
]


def extend_world(world):
    from krisenwissen.situation import catalog
    from krisenwissen.situation.models import Area, ImportRun, Indicator, RuleSet, StaffNote

    # The built-in catalogue comes from a data migration; a live-server test that ran before
    # (tables flushed afterwards) removes it, so the world installs it again (idempotent).
    catalog.install(Indicator, RuleSet, Area)
    cities = world["cities"]
    for key in "abcd":
        city = cities[key]
        Area.objects.update_or_create(ags=city.ags, defaults={
            "name": city.name, "level": "kreis", "state_code": "NW", "population": 500_000, "municipality": city})
    owners = {"markeraintern": ("a", "intern"), "markerbintern": ("b", "intern"), "markerbnetz": ("b", "netzwerk"),
              "markercpublic": ("c", "oeffentlich"), "markercintern": ("c", "intern")}
    for marker, (key, visibility) in owners.items():
        StaffNote.objects.create(municipality=cities[key], date=date(2021, 4, 26), kind="lage",
                                 text=f"Lage {marker}", visibility=visibility)
        Indicator.objects.create(key=f"ind-{marker}", name=f"Indikator {marker}", municipality=cities[key],
                                 visibility=visibility)
    run = ImportRun.objects.create(fmt="generic", filename="eigene-daten.csv", user=world["users"]["editor_b"])
    world["situation"] = {"run": run}
