"""YAML without aliases, for every YAML a user uploads or types (pure: no Django).

An alias (``*name``) repeats an anchored node (``&name``). Nested aliases let a few lines
describe billions of nodes ("billion laughs"): PyYAML shares the repeated nodes, so reading is
cheap, but whatever walks the result afterwards — validation, conversion, JSON — visits every
path (a 400-byte framework file took a minute at depth 6, hours at depth 8). None of the
platform's files (Lagebild rules, frameworks, Krisenstab templates) needs them, so an alias
is refused with its position, in German.
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError

ALIAS_PROBLEM = "Anker-Verweise (*name) sind nicht erlaubt; bitte den Inhalt ausschreiben"


class NoAliasSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises :class:`ComposerError` (a ``MarkedYAMLError``, with
    ``problem_mark``) at the first alias."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, ALIAS_PROBLEM, event.start_mark)
        return super().compose_node(parent, index)


DEPTH_PROBLEM = "Der Inhalt ist zu tief verschachtelt"


def safe_load(text: str):
    """Like ``yaml.safe_load``, refusing aliases; too deep nesting raises ``ComposerError`` too."""
    try:
        return yaml.load(text, Loader=NoAliasSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise ComposerError(None, None, DEPTH_PROBLEM, None) from None


def compose(text: str) -> yaml.Node | None:
    """Like ``yaml.compose`` with the safe loader, refusing aliases and too deep nesting."""
    try:
        return yaml.compose(text, Loader=NoAliasSafeLoader)
    except RecursionError:
        raise ComposerError(None, None, DEPTH_PROBLEM, None) from None
