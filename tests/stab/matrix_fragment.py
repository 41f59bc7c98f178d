"""Permission-matrix entries of the crisis staff core (merged by tests/test_permission_matrix.py).

City A has an active staff named with A's internal marker: reader_a holds its function "lage"
(a member, not the Leitung), a second member of A is its deputy (released in the matrix). City C
has a staff nobody of the matrix holds. A's own template copy carries A's marker too. The staff
pages are for the staff's members and the municipality's Administration (here: the platform admin);
activating, copying and editing templates, assigning functions for the Administration/Leitung.
"""

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def extend_world(world):
    from krisenwissen.accounts.models import Role
    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.stab import actions
    from krisenwissen.stab.models import AssignmentRole, StaffTemplate
    from tests.factories import MembershipFactory

    actions.ensure_shipped_templates()
    shipped = StaffTemplate.objects.get(municipality__isnull=True, key="pandemie")
    a, c = world["cities"]["a"], world["cities"]["c"]
    deputy = MembershipFactory(municipality=a, role=Role.LESER, user__username="stab-vertretung-a").user
    own = actions.do_copy_template(shipped, municipality=a, name="Vorlage markeraintern", acting_user=SYSTEM)
    staff_a = actions.do_activate_staff(own, municipality=a, name="Stab markeraintern", acting_user=SYSTEM,
                                        assignments={"lage": [(world["users"]["reader_a"], AssignmentRole.INHABER),
                                                              (deputy, AssignmentRole.VERTRETUNG)]})
    staff_c = actions.do_activate_staff(shipped, municipality=c, name="Stab markercintern", exercise=True, acting_user=SYSTEM)
    release = staff_a.functions.get(code="lage").assignments.get(user=deputy)
    world["stab"] = {"shipped": shipped, "own": own, "staff_a": staff_a, "staff_c": staff_c, "release": release}


def _logged_in(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


def _admin_only(status=OK, reader_a=DENIED):
    return {"anonymous": LOGIN, "reader_a": reader_a, "editor_b": DENIED, "network_member": DENIED, "admin": status}


def _s(key):
    return lambda w: {"pk": w["stab"][key].pk}


ENTRIES = [
    ("stab:staff_list", lambda w: {}, "get", _logged_in(OK)),
    ("stab:activate", lambda w: {}, "get", _admin_only()),
    ("stab:template_list", lambda w: {}, "get", _logged_in(OK)),
    ("stab:template_detail", _s("shipped"), "get", _logged_in(OK)),
    ("stab:template_detail", _s("own"), "get", _admin_only(reader_a=OK)),
    ("stab:template_copy", _s("shipped"), "get", _admin_only()),
    ("stab:template_edit", _s("own"), "get", _admin_only()),
    ("stab:template_edit", _s("shipped"), "get", _logged_in(NOT_FOUND)),
    ("stab:template_functions", _s("own"), "get", _admin_only()),
    ("stab:template_functions", _s("shipped"), "get", _logged_in(NOT_FOUND)),
    ("stab:staff_detail", _s("staff_a"), "get", _admin_only(reader_a=OK)),
    ("stab:staff_detail", _s("staff_c"), "get", _admin_only()),
    ("stab:assignments", _s("staff_a"), "get", _admin_only()),
    ("stab:alert_level", _s("staff_a"), "post", _admin_only(302), lambda w: {"alert_level": "2"}),
    ("api:staffs", lambda w: {}, "get", {u: OK for u in USERS}),
    ("api:staff_detail", lambda w: {"uuid": w["stab"]["staff_a"].uuid}, "get",
     {"anonymous": NOT_FOUND, "reader_a": OK, "editor_b": NOT_FOUND, "network_member": NOT_FOUND, "admin": OK}),
    ("stab:release", lambda w: {"pk": w["stab"]["staff_a"].pk, "assignment_pk": w["stab"]["release"].pk}, "post", _admin_only(302)),
]

LEAK_URLS = ["/stab/", "/stab/vorlagen/", "/api/v1/staebe/", "/api/v1/staebe/?uebung=1"]
