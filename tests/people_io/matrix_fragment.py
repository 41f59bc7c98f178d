"""Permission-matrix entries for the directory's import and export (people.io_urls, k17-io).

The world gets one directory entry per marker (same visibility and city as the marker's
knowledge items); the exports are leak-checked like every other list.
"""

OK, DENIED, LOGIN = 200, 403, "login"
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from krisenwissen.people.models import Channel, Person

    owners = {"markeraintern": ("a", "intern"), "markerbintern": ("b", "intern"), "markerbnetz": ("b", "netzwerk"),
              "markercpublic": ("c", "oeffentlich"), "markercintern": ("c", "intern")}
    for marker, (city, visibility) in owners.items():
        person = Person.objects.create(municipality=world["cities"][city], display_name=f"Kopf {marker}",
                                       position=f"Funktion {marker}", visibility=visibility)
        Channel.objects.create(person=person, kind="funkrufname", value=f"Funk {marker}")


def _members(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


ENTRIES = [
    ("people_io:import", lambda w: {}, "get", {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": DENIED, "network_member": DENIED, "admin": OK}),
    ("people_io:export", lambda w: {"fmt": "vcf"}, "get", _members(OK)),
    ("people_io:export", lambda w: {"fmt": "csv"}, "get", _members(OK)),
    ("people_io:export", lambda w: {"fmt": "pdf"}, "get", _members(OK)),
]

LEAK_URLS = ["/koepfe/export/vcf/", "/koepfe/export/csv/"]
