"""The policy layer holds: permissions, lifecycles and audit events are declared once and used
only through their one door (see docs/architecture.md, "Who may do what").

Static checks read the source with ``ast`` (nothing is executed but imports of the checked
modules, to resolve names); each failure lists every offender as ``path:line``.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import rules
from django.core import checks

from krisenwissen.core import lifecycle
from krisenwissen.core.lifecycle import Lifecycle

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "krisenwissen"

# Names that decide on roles and must not be called from views, template tags or templates.
ROLE_HELPERS = {"has_role", "is_any_administrator"}
PERMISSION_CALLS = {"require_perm", "has_perm", "permission_required"}
PERMISSION_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")


# --------------------------------------------------------------------------------------
# Reading the source
# --------------------------------------------------------------------------------------


def rel(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


def python_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def template_files() -> list[Path]:
    return sorted(PACKAGE.rglob("templates/**/*.html"))


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts)


def called_name(call: ast.Call) -> str | None:
    """``f`` for ``f(...)`` and ``x.y.f(...)``."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def action_modules() -> list[Path]:
    return [*sorted(PACKAGE.glob("*/actions.py")), PACKAGE / "core" / "notifications.py"]


def view_modules() -> list[Path]:
    found = []
    for path in python_files():
        parts = path.relative_to(PACKAGE).parts
        if path.name == "views.py" or "views" in parts[:-1] or "templatetags" in parts[:-1]:
            found.append(path)
    return found


@cache
def predicate_names() -> frozenset[str]:
    """Public functions and predicate objects defined in any rules.py / predicates.py."""
    names: set[str] = set()
    for path in python_files():
        if path.name not in ("rules.py", "predicates.py"):
            continue
        for node in parse(path).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return frozenset(n for n in names if not n.startswith("_") and not n.isupper())


# --------------------------------------------------------------------------------------
# (a) every do_* enforces a declared permission; every permission named in code exists
# --------------------------------------------------------------------------------------


def _resolve(module, node: ast.expr, local_values: dict[str, ast.expr], depth: int = 0):
    """The runtime object an expression names: module globals, attributes, REGISTRY lookups."""
    if depth > 3:
        return None
    if isinstance(node, ast.Name):
        if node.id in local_values:
            return _resolve(module, local_values[node.id], {}, depth + 1)
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute):
        owner = _resolve(module, node.value, local_values, depth + 1)
        return getattr(owner, node.attr, None) if owner is not None else None
    if isinstance(node, ast.Subscript):
        owner = _resolve(module, node.value, local_values, depth + 1)
        if isinstance(owner, dict) and owner and all(isinstance(v, Lifecycle) for v in owner.values()):
            return next(iter(owner.values()))  # any member: they are all lifecycles
        return None
    if isinstance(node, ast.Call) and called_name(node) == "get":
        owner = _resolve(module, node.func.value, local_values, depth + 1) if isinstance(node.func, ast.Attribute) else None
        if isinstance(owner, dict) and owner and all(isinstance(v, Lifecycle) for v in owner.values()):
            return next(iter(owner.values()))
        if owner is lifecycle:
            return next(iter(lifecycle.REGISTRY.values()), None)
    return None


def _enforces(module, function: ast.FunctionDef) -> bool:
    local_values = {
        target.id: node.value
        for node in ast.walk(function) if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)
    }
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = called_name(node)
        if name == "require_perm":
            return True
        if name in ("apply", "check") and isinstance(node.func, ast.Attribute):
            if isinstance(_resolve(module, node.func.value, local_values), Lifecycle):
                return True
    return False


def test_every_public_action_enforces_a_permission():
    offenders = []
    for path in action_modules():
        module = importlib.import_module(module_name(path))
        for node in parse(path).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("do_"):
                if not _enforces(module, node):
                    offenders.append(f"{rel(path)}:{node.lineno}: {node.name} calls neither require_perm(...) "
                                     "nor LIFECYCLE.apply/check(...)")
    assert not offenders, "Actions that do not enforce a declared permission:\n" + "\n".join(offenders)


def _permission_literals() -> Iterator[tuple[str, int, str]]:
    """(file, line, permission name) of every literal permission name handed to the policy API."""
    for path in python_files():
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call) and called_name(node) in PERMISSION_CALLS:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("perm", "permission"))]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and PERMISSION_NAME.match(arg.value):
                        yield rel(path), arg.lineno, arg.value
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "permission_required" for t in node.targets):
                values = node.value.elts if isinstance(node.value, ast.Tuple | ast.List) else [node.value]
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        yield rel(path), value.lineno, value.value
    tag = re.compile(r"""\{%\s*has_perm\s+["']([^"']+)["']""")
    for path in template_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in tag.finditer(line):
                yield rel(path), number, match.group(1)


def test_every_permission_named_in_code_and_templates_is_declared():
    found = list(_permission_literals())
    assert found, "no permission literal found at all: is the scan broken?"
    offenders = [f"{where}:{line}: {name!r}" for where, line, name in found if not rules.perm_exists(name)]
    assert not offenders, "Permissions used but not declared with rules.add_perm in any rules.py:\n" + "\n".join(offenders)


# --------------------------------------------------------------------------------------
# (b) views, template tags and templates ask permissions, not roles or predicates
# --------------------------------------------------------------------------------------


def test_views_and_template_tags_call_no_role_helper_or_predicate():
    forbidden = ROLE_HELPERS | predicate_names()
    offenders = []
    for path in view_modules():
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call) and called_name(node) in forbidden:
                offenders.append(f"{rel(path)}:{node.lineno}: calls {called_name(node)}()")
    assert not offenders, ("Views and template tags must declare a named permission "
                           "(permission_required / require_perm / has_perm) instead of:\n" + "\n".join(offenders))


def test_templates_call_no_role_helper_or_predicate():
    names = sorted(ROLE_HELPERS | predicate_names())
    # As a tag ({% has_role ... %}) or a filter (|is_editor_for_object); attributes such as
    # user.is_superuser are data, not calls, and are not matched.
    pattern = re.compile(r"(\{%\s*(" + "|".join(map(re.escape, names)) + r")\b)|(\|\s*(" + "|".join(map(re.escape, names)) + r")\b)")
    offenders = []
    for path in template_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in pattern.finditer(line):
                offenders.append(f"{rel(path)}:{number}: {match.group(0).strip()}")
    assert not offenders, ("Templates must ask {% has_perm %} or the lifecycle tag instead of:\n"
                           + "\n".join(offenders))


# --------------------------------------------------------------------------------------
# (c) only core/lifecycle.py moves a lifecycle-managed object from state to state
# --------------------------------------------------------------------------------------


def _managed() -> dict[tuple[str, str], set[str]]:
    """(app label, model class name) → the lifecycle state fields managed on it."""
    managed: dict[tuple[str, str], set[str]] = {}
    for cycle in lifecycle.REGISTRY.values():
        app_label, model = cycle.model.split(".")
        managed.setdefault((app_label, model), set()).add(cycle.state_field)
    return managed


def _app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def _models_named(path: Path, tree: ast.Module) -> set[tuple[str, str]]:
    """(app label, class name) of every model class the module imports or defines.

    ``from krisenwissen.knowledge.models import Lesson``, ``from .models import Lesson``,
    ``from krisenwissen.knowledge import models as km`` + ``km.Lesson``; function-body
    imports count as well. Apps are told apart (situation has an Observation of its own).
    """
    own_app = _app_of(path)
    found: set[tuple[str, str]] = set()
    module_aliases: dict[str, str] = {}  # local name of a models module → app label

    def app_of_models_module(module: str, level: int) -> str | None:
        if level == 0:
            parts = module.split(".")
            if len(parts) == 3 and parts[0] == "krisenwissen" and parts[2] == "models":
                return parts[1]
            return None
        if level == 1 and module == "models":
            return own_app
        if level == 2 and module.endswith(".models"):
            return module.split(".")[0]
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            app = app_of_models_module(module, node.level)
            if app:
                found |= {(app, alias.name) for alias in node.names}
            for alias in node.names:
                if alias.name == "models":
                    if node.level == 0 and module.startswith("krisenwissen.") and module.count(".") == 1:
                        module_aliases[alias.asname or "models"] = module.split(".")[1]
                    elif node.level == 1 and not module:
                        module_aliases[alias.asname or "models"] = own_app
        elif isinstance(node, ast.Import):
            for alias in node.names:
                app = app_of_models_module(alias.name, 0)
                if app and alias.asname:
                    module_aliases[alias.asname] = app
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in module_aliases:
            found.add((module_aliases[node.value.id], node.attr))
    if path.name == "models.py":
        found |= {(own_app, n.name) for n in tree.body if isinstance(n, ast.ClassDef)}
    return found


def _querysetish_names(tree: ast.Module) -> set[str]:
    """Local names bound to something built from a manager or queryset."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            text = ast.unparse(node.value)
            if ".objects" in text or ".filter(" in text or ".exclude(" in text or "select_for_update" in text:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_queryset(receiver: ast.expr, querysets: set[str]) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in querysets
    text = ast.unparse(receiver)
    return ".objects" in text or "objects." in text or text.endswith(")")


def _state_assignments(tree: ast.Module, fields: set[str], other_models: set[str]) -> Iterator[tuple[int, str]]:
    """Where ``fields`` are set. ``other_models``: lower-case names of models without a lifecycle
    used by the module; ``workshop.status = ...`` is taken to be about the model ``Workshop``."""
    querysets = _querysetish_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in fields:
                    if isinstance(target.value, ast.Name) and target.value.id.replace("_", "").lower() in other_models:
                        continue
                    yield node.lineno, f"{ast.unparse(target)} = ..."
        elif isinstance(node, ast.Call):
            name = called_name(node)
            if (name == "setattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in fields):
                yield node.lineno, f'setattr(..., "{node.args[1].value}", ...)'
            elif name == "update" and isinstance(node.func, ast.Attribute) and any(k.arg in fields for k in node.keywords):
                if _is_queryset(node.func.value, querysets):  # not dict.update(status=...)
                    yield node.lineno, ".update(" + ", ".join(f"{k.arg}=..." for k in node.keywords if k.arg in fields) + ")"
            elif name == "bulk_update":
                for arg in node.args[1:2]:
                    if isinstance(arg, ast.List | ast.Tuple) and any(
                            isinstance(e, ast.Constant) and e.value in fields for e in arg.elts):
                        yield node.lineno, "bulk_update(..., [state field])"


def test_only_the_lifecycle_module_changes_lifecycle_states():
    managed = _managed()
    assert managed, "no lifecycle registered: is core.lifecycle autodiscovery broken?"
    offenders = []
    for path in python_files():
        if path == PACKAGE / "core" / "lifecycle.py" or path.parent == PACKAGE:
            continue
        tree = parse(path)
        named = _models_named(path, tree)
        concerned = named & managed.keys()
        fields = set().union(*(managed[model] for model in concerned)) if concerned else set()
        if not fields:
            continue
        other_models = {name.lower() for _app, name in named - managed.keys()}
        for line, what in _state_assignments(tree, fields, other_models):
            models = ", ".join(sorted(f"{app}.{name}" for app, name in concerned))
            offenders.append(f"{rel(path)}:{line}: {what}  (module uses {models})")
    assert not offenders, ("Lifecycle states change only through LIFECYCLE.apply(...) in core/lifecycle.py "
                           "(creating an object in its initial state is fine); found:\n" + "\n".join(offenders))


# --------------------------------------------------------------------------------------
# (d) every lifecycle names real states and declared permissions
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(lifecycle.REGISTRY) or ["(none)"])
def test_lifecycle_states_are_model_choices_and_permissions_declared(key):
    from django.apps import apps

    cycle = lifecycle.REGISTRY[key]
    model = apps.get_model(cycle.model)
    choices = {str(v) for v, _label in model._meta.get_field(cycle.state_field).choices or []}
    assert choices, f"{key}: {cycle.model}.{cycle.state_field} has no choices"
    assert cycle.states() <= choices, f"{key}: states {sorted(cycle.states() - choices)} are no choices"
    undeclared = sorted({t.permission for t in cycle.transitions if not rules.perm_exists(t.permission)})
    assert not undeclared, f"{key}: undeclared permissions {undeclared}"


def test_system_checks_are_clean():
    problems = [m for m in checks.run_checks() if m.level >= checks.ERROR]
    assert not problems, "\n".join(str(m) for m in problems)


# --------------------------------------------------------------------------------------
# (e) audit rows name an event enum member, never a free string
# --------------------------------------------------------------------------------------


def _record_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names under which core.audit.record is called: functions and modules."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = ("." * node.level) + (node.module or "")
            for alias in node.names:
                if alias.name == "record" and (source.endswith("core.audit") or source in (".audit",)):
                    functions.add(alias.asname or "record")
                if alias.name == "audit" and (source.endswith("core") or source == "."):
                    modules.add(alias.asname or "audit")
    return functions, modules


def _spells_out_a_key(event: ast.expr) -> bool:
    """True if the expression builds the key from text (a literal, f-string, concatenation, format)."""
    if isinstance(event, ast.Constant | ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(event, ast.IfExp):
        return _spells_out_a_key(event.body) or _spells_out_a_key(event.orelse)
    if isinstance(event, ast.Call) and isinstance(event.func, ast.Attribute):
        return isinstance(event.func.value, ast.Constant | ast.JoinedStr)
    return False


def _free_audit_events(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, call) of every record(...) whose event is not an attribute (enum member)."""
    functions, modules = _record_aliases(tree)
    if not functions and not modules:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_record = (isinstance(func, ast.Name) and func.id in functions) or (
            isinstance(func, ast.Attribute) and func.attr == "record"
            and isinstance(func.value, ast.Name) and func.value.id in modules)
        if not is_record:
            continue
        event = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "action"), None)
        if event is not None and not _spells_out_a_key(event):
            # An enum member, a choice between members, an enum helper such as
            # KnowledgeEvent.created(kind), or a variable holding one; record() itself refuses
            # any key that no events.py registered (tests/core/test_audit_events.py).
            continue
        shown = ast.unparse(event) if event is not None else "nothing"
        yield node.lineno, f"record({shown}, ...)"


def test_audit_records_name_an_event_member():
    offenders = [f"{rel(path)}:{line}: {call}" for path in python_files() for line, call in _free_audit_events(parse(path))]
    assert not offenders, ("record() takes a member of the app's events enum (events.py), e.g. "
                           "record(KnowledgeEvent.ITEM_CREATED, ...); found:\n" + "\n".join(offenders))


# --------------------------------------------------------------------------------------
# The checkers themselves, on small pieces of code
# --------------------------------------------------------------------------------------


def _functions(source: str) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def test_checker_accepts_require_perm_and_lifecycle_steps_only():
    import types

    cycle = next(iter(lifecycle.REGISTRY.values()))
    module = types.SimpleNamespace(LESSON=cycle, CYCLES={"a": cycle}, lifecycle=lifecycle, helper=object())
    functions = _functions(
        "def do_a(o, *, acting_user):\n    require_perm(acting_user, 'knowledge.endorse_lesson', o)\n"
        "def do_b(o, *, acting_user):\n    LESSON.apply(o, 'endorse', acting_user=acting_user)\n"
        "def do_c(o, *, acting_user):\n    cycle = CYCLES[o.kind]\n    cycle.check(acting_user, o, 'x')\n"
        "def do_d(o, *, acting_user):\n    lifecycle.get('knowledge.lesson').apply(o, 'x', acting_user=acting_user)\n"
        "def do_e(o, *, acting_user):\n    helper.check(acting_user)\n    o.save()\n"
        "def do_f(o, *, acting_user):\n    _require(acting_user, o)\n"
    )
    verdicts = {name: _enforces(module, f) for name, f in functions.items()}
    assert verdicts == {"do_a": True, "do_b": True, "do_c": True, "do_d": True, "do_e": False, "do_f": False}


def test_checker_finds_state_changes_but_not_dict_updates():
    tree = ast.parse(
        "def f(lesson, data, workshop):\n"
        "    lesson.status = 'x'\n"                                  # 2: found
        "    setattr(lesson, 'status', 'x')\n"                       # 3: found
        "    Lesson.objects.filter(pk=1).update(status='x')\n"       # 4: found
        "    qs = Lesson.objects.all()\n"
        "    qs.update(status='x')\n"                                # 6: found
        "    data.update(status='x')\n"                              # 7: a dict
        "    workshop.status = 'x'\n"                                # 8: another model
        "    lesson.title = 'x'\n"                                   # 9: no state field
    )
    lines = [line for line, _what in _state_assignments(tree, {"status"}, {"workshop"})]
    assert sorted(lines) == [2, 3, 4, 6]


def test_checker_finds_free_strings_in_audit_records():
    tree = ast.parse(
        "from krisenwissen.core.audit import record as audit\n"
        "def f(event, *, acting_user):\n"
        "    audit(E.CREATED, acting_user=acting_user)\n"
        "    audit(event, acting_user=acting_user)\n"
        "    audit('angelegt', acting_user=acting_user)\n"
        "    audit(f'{x}_angelegt', acting_user=acting_user)\n"
    )
    assert [line for line, _call in _free_audit_events(tree)] == [5, 6]
    module_form = ast.parse("from krisenwissen.core import audit\ndef f():\n    audit.record('x', acting_user=None)\n")
    assert [line for line, _call in _free_audit_events(module_form)] == [3]
