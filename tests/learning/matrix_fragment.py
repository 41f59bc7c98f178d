"""Permission-matrix entries for the learning app (merged by tests/test_permission_matrix.py).

The world gets, in city B (editor_b is Redaktion there): an action, a self-assessment with
the shipped framework, an internal training module, an internal scenario exercise and a run
of it, each carrying the marker ``markerbintern``. Action plans, assessments and runs are
readable by members of B only; modules and exercises follow their visibility.
"""

import datetime as dt

OK, DENIED, LOGIN, NOT_FOUND = 200, 403, "login", 404
USERS = ("anonymous", "reader_a", "editor_b", "network_member", "admin")


def _everyone(status):
    return {u: status for u in USERS}


def _logged_in(status):
    return {u: (LOGIN if u == "anonymous" else status) for u in USERS}


def _members_b(status=OK, others=NOT_FOUND):
    return {"anonymous": LOGIN, "reader_a": others, "editor_b": status, "network_member": others, "admin": status}


def _role_b_on_netz_item(status=OK):
    """An item of B at visibility netzwerk: A cannot read it (404), D reads it but has no role (403)."""
    return {"anonymous": LOGIN, "reader_a": NOT_FOUND, "editor_b": status, "network_member": DENIED, "admin": status}


def _contributors(status=OK):
    return {"anonymous": LOGIN, "reader_a": DENIED, "editor_b": status, "network_member": DENIED, "admin": status}


def extend_world(world):
    from django.utils import timezone

    from krisenwissen.learning import actions
    from krisenwissen.learning.frameworks import load_framework_file, shipped_files
    from krisenwissen.learning.models import (
        Inject,
        ScenarioExercise,
        SelfCheckQuestion,
        TrainingModule,
    )

    b = world["cities"]["b"]
    editor = world["users"]["editor_b"]
    action = actions.do_create_action(
        municipality=b, lesson=world["items"]["markerbintern"]["lesson"], acting_user=editor,
        fields={"title": "Maßnahme markerbintern", "description": "Beschreibung markerbintern", "owner": editor,
                "due": timezone.localdate() + dt.timedelta(days=30)},
    )
    framework = load_framework_file(shipped_files()[0])
    indicators = list(actions.framework_indicators(framework))
    assessment = actions.do_create_assessment(
        framework=framework, municipality=b, date=timezone.localdate(), acting_user=editor,
        scores={i.pk: (1, "Begründung markerbintern", "") for i in indicators},
    )
    module = TrainingModule.objects.create(municipality=b, visibility="intern", title="Modul markerbintern", text="Text markerbintern")
    SelfCheckQuestion.objects.create(module=module, text="Frage markerbintern?", options=[{"text": "ja", "correct": True, "feedback": "gut"}])
    exercise = ScenarioExercise.objects.create(municipality=b, visibility="intern", title="Szenario markerbintern",
                                               starting_situation="Lage markerbintern", hazard_type="Energie")
    Inject.objects.create(exercise=exercise, order=1, time_label="Woche 1", text="Einspielung markerbintern")
    run = actions.do_start_exercise(exercise, municipality=b, acting_user=editor)
    from krisenwissen.knowledge.actions import do_submit_observation

    do_submit_observation(world["items"]["markerbintern"]["observation"], acting_user=editor)
    world["learning"] = {"action": action, "framework": framework, "assessment": assessment, "score": assessment.scores.first(),
                         "module": module, "exercise": exercise, "run": run}


def _l(world, key):
    return world["learning"][key]


ENTRIES = [
    ("learning:home", lambda w: {}, "get", _logged_in(OK)),
    ("learning:observation_queue", lambda w: {}, "get", _contributors()),
    ("learning:observation_submit", lambda w: {"pk": w["items"]["markerbnetz"]["observation"].pk}, "get", _role_b_on_netz_item()),
    ("learning:observation_review", lambda w: {"pk": w["items"]["markerbnetz"]["observation"].pk}, "get", _role_b_on_netz_item()),
    ("learning:lesson_from_observation", lambda w: {"pk": w["items"]["markerbnetz"]["observation"].pk}, "get", _role_b_on_netz_item()),
    ("learning:lesson_transition", lambda w: {"pk": w["items"]["markerbnetz"]["lesson"].pk, "step": "endorse"}, "get", _role_b_on_netz_item()),
    ("learning:recurring", lambda w: {}, "get", _logged_in(OK)),
    ("learning:action_list", lambda w: {}, "get", _logged_in(OK)),
    ("learning:action_create", lambda w: {}, "get", _contributors()),
    ("learning:action_detail", lambda w: {"pk": _l(w, "action").pk}, "get", _members_b()),
    ("learning:action_edit", lambda w: {"pk": _l(w, "action").pk}, "get", _members_b()),
    ("learning:action_status", lambda w: {"pk": _l(w, "action").pk}, "post", _members_b(302)),
    ("learning:action_note", lambda w: {"pk": _l(w, "action").pk}, "post", _members_b(302), lambda w: {"text": "Stand"}),
    ("learning:overview_index", lambda w: {}, "get",
     {"anonymous": LOGIN, "reader_a": 302, "editor_b": 302, "network_member": 302, "admin": OK}),
    ("learning:overview", lambda w: {"municipality": w["cities"]["b"].pk}, "get", _members_b()),
    ("learning:crisis_create", lambda w: {}, "get", _contributors()),
    ("learning:crisis_briefing", lambda w: {"pk": w["phase"].crisis.pk}, "get", _everyone(OK)),
    ("learning:booklet", lambda w: {}, "get", _everyone(OK)),
    ("learning:assessment_list", lambda w: {}, "get", _logged_in(OK)),
    ("learning:assessment_create", lambda w: {"framework": _l(w, "framework").pk}, "get", _contributors()),
    ("learning:assessment_detail", lambda w: {"pk": _l(w, "assessment").pk}, "get", _members_b()),
    ("learning:assessment_propose", lambda w: {"pk": _l(w, "assessment").pk, "score": _l(w, "score").pk}, "post", _members_b(302)),
    ("learning:module_list", lambda w: {}, "get", _everyone(OK)),
    ("learning:module_detail", lambda w: {"pk": _l(w, "module").pk}, "get",
     {"anonymous": NOT_FOUND, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("learning:module_handout", lambda w: {"pk": _l(w, "module").pk}, "get",
     {"anonymous": NOT_FOUND, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("learning:module_create", lambda w: {}, "get", _contributors()),
    ("learning:module_edit", lambda w: {"pk": _l(w, "module").pk}, "get", _members_b()),
    ("learning:exercise_list", lambda w: {}, "get", _everyone(OK)),
    ("learning:exercise_create", lambda w: {}, "get", _contributors()),
    ("learning:exercise_edit", lambda w: {"pk": _l(w, "exercise").pk}, "get", _members_b()),
    ("learning:exercise_detail", lambda w: {"pk": _l(w, "exercise").pk}, "get",
     {"anonymous": NOT_FOUND, "reader_a": NOT_FOUND, "editor_b": OK, "network_member": NOT_FOUND, "admin": OK}),
    ("learning:exercise_start", lambda w: {"pk": _l(w, "exercise").pk}, "post", _members_b(302),
     lambda w: {"municipality": w["cities"]["b"].pk}),
    ("learning:run_detail", lambda w: {"pk": _l(w, "run").pk}, "get", _members_b()),
    ("learning:run_advance", lambda w: {"pk": _l(w, "run").pk}, "post", _members_b(302)),
    ("learning:run_finding", lambda w: {"pk": _l(w, "run").pk}, "post", _members_b(OK)),
    ("learning:run_finish", lambda w: {"pk": _l(w, "run").pk}, "post", _members_b(302)),
]

LEAK_URLS = [
    "/lernen/wiederkehrend/", "/lernen/wiederkehrend/?format=csv", "/lernen/massnahmen/", "/lernen/massnahmen/?format=csv",
    "/lernen/empfehlungen/heft/", "/lernen/fortbildung/", "/lernen/uebungen/", "/lernen/selbstbewertung/", "/lernen/",
    "/lernen/beobachtungen/eingereicht/",
]
