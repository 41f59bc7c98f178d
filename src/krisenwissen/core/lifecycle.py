"""Lifecycles declared once: one transition table per lifecycle drives enforcement and buttons.

An app declares each of its lifecycles in its ``lifecycles.py`` as a :class:`Lifecycle`, a
table of :class:`Transition` rows (source states, target state, the named permission, the
audit event, side effects). Nothing else restates it:

* the action performs a step with ``LIFECYCLE.apply(obj, "step", acting_user=...)``, which
  checks the source state and the permission, sets the state, saves, writes the audit row
  and runs the side effects, all inside the caller's transaction;
* pages get their buttons from ``LIFECYCLE.available(user, obj)`` (or the template tag
  ``{% load lifecycle %}{% available_transitions "app.name" obj as steps %}``);
* ``tests/test_policy_layer.py`` checks that no other module assigns a lifecycle's
  state field and that every declared permission and state exists.

Why our own module and not django-fsm-2: its transitions are decorated model methods, which
puts permissions and side effects on the models (our models stay thin) and gives no single
table to render buttons from; this module is ~150 lines and declarative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .audit import record
from .policy import require_perm

# key ("app.name") → Lifecycle; filled when the apps' lifecycles modules are imported.
REGISTRY: dict[str, Lifecycle] = {}


@dataclass(frozen=True)
class Transition:
    """One row of a transition table.

    ``effects`` are callables ``effect(obj, transition, *, acting_user, **details)`` run after
    the new state is saved and audited, in the same transaction (notifications, follow-up
    steps). ``permission_message`` replaces the generic German refusal where a specific one
    helps the person ("Über Maßnahmen entscheidet die Redaktion der Kommune.").
    """

    name: str
    sources: frozenset[str]
    target: str
    permission: str
    event: str
    label: Any = ""
    permission_message: Any = None
    effects: tuple[Callable[..., None], ...] = ()

    def __init__(self, name, *, sources: Iterable[str], target: str, permission: str, event: str,
                 label: Any = "", permission_message: Any = None, effects: Sequence[Callable[..., None]] = ()):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "event", str(event))
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "permission_message", permission_message)
        object.__setattr__(self, "effects", tuple(effects))


@dataclass
class Lifecycle:
    """A named transition table over one state field of one model."""

    key: str
    model: str  # "app_label.ModelName", checked by the system check
    transitions: Sequence[Transition]
    state_field: str = "status"
    initial: str | None = None
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {}
        for t in self.transitions:
            if t.name in self._by_name:
                raise ValueError(f"{self.key}: transition {t.name!r} declared twice")
            self._by_name[t.name] = t
        if self.key in REGISTRY:
            raise ValueError(f"lifecycle {self.key!r} declared twice")
        REGISTRY[self.key] = self

    # --- reading the table ---------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.state_field))

    def states(self) -> set[str]:
        states = {t.target for t in self.transitions}
        for t in self.transitions:
            states |= t.sources
        if self.initial:
            states.add(self.initial)
        return states

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if str(state) in t.sources]

    def targets_from(self, state: str) -> set[str]:
        return {t.target for t in self.from_state(state)}

    def available(self, user, obj) -> list[Transition]:
        """The transitions ``user`` may take from ``obj``'s current state (the page's buttons)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return []
        return [t for t in self.from_state(self.state_of(obj)) if user.has_perm(t.permission, obj)]

    def find(self, obj, *, target: str) -> Transition | None:
        """The transition from ``obj``'s state to ``target`` (tables map state pairs to one row)."""
        for t in self.from_state(self.state_of(obj)):
            if t.target == str(target):
                return t
        return None

    # --- enforcing it --------------------------------------------------------------------

    def check(self, user, obj, name: str) -> Transition:
        """The transition ``name`` if allowed now; :class:`PermissionDenied` or a German
        :class:`ValidationError` naming the current state and the states it is allowed from."""
        if name not in self._by_name:
            raise ValidationError(_("Unbekannter Schritt."))
        transition = self._by_name[name]
        require_perm(user, transition.permission, obj, message=transition.permission_message)
        state = self.state_of(obj)
        if state not in transition.sources:
            raise ValidationError(self._state_error(obj, transition))
        return transition

    def apply(self, obj, name: str, *, acting_user, update_fields: Sequence[str] = (), audit: dict | None = None,
              **details) -> Any:
        """Take transition ``name`` on ``obj``: check, set the state, save, audit, run effects.

        Call inside the action's ``transaction.atomic`` with a row locked by
        ``select_for_update``. ``update_fields`` are other fields the action set on ``obj``;
        ``audit`` adds details to the audit row only; ``details`` go to the audit row and to
        the effects.
        """
        transition = self.check(acting_user, obj, name)
        old = self.state_of(obj)
        setattr(obj, self.state_field, transition.target)
        fields = [self.state_field, *update_fields]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj.save(update_fields=list(dict.fromkeys(fields)))
        record(transition.event, acting_user=acting_user, obj=obj, old=old, new=transition.target,
               **(audit or {}), **details)
        for effect in transition.effects:
            effect(obj, transition, acting_user=acting_user, **details)
        return obj

    def _state_error(self, obj, transition: Transition) -> str:
        choices = dict(obj._meta.get_field(self.state_field).choices or [])
        current = choices.get(self.state_of(obj), self.state_of(obj))
        allowed = ", ".join(f"„{choices.get(s, s)}“" for s in sorted(transition.sources))
        return _("Dieser Schritt ist im Status „%(status)s“ nicht möglich (nur aus: %(allowed)s).") % {
            "status": current, "allowed": allowed}


def get(key: str) -> Lifecycle:
    return REGISTRY[key]
