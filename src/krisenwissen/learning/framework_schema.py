"""Parse and check self-assessment framework files (pure: PyYAML only, no Django).

A framework file is YAML (or JSON, which is YAML too). Schema, documented in
docs/learning.md::

    schema: krisenwissen-framework/1     # required, exactly this
    key: panreflex-resilienz             # required, slug (a-z, 0-9, -)
    title: "…"                           # required
    version: "1.0"                        # optional
    description: "…"                     # optional
    source: "…"                          # optional
    target: 3                            # optional, 0..5: scores below it propose actions (default 3)
    areas:                               # required, at least one
      - key: krisenstab                  # required, slug, unique in the file
        title: "…"                       # required
        indicators:                      # required, at least one
          - key: lange-lagen             # required, slug, unique in the file
            title: "…"                   # required
            question: "…"                # optional
            levels:                      # required: a description for every score 0..5
              0: "…"
              …
              5: "…"
            codes: ["themen:krisenstab"] # optional, "scheme:key" strings
            action:                      # optional: the action proposed for a low score
              title: "…"
              description: "…"

Every error carries the line number of the offending node, so that a user can fix the file
without guessing; nothing is loaded unless the whole file is correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from krisenwissen.core import safeyaml

SCHEMA_ID = "krisenwissen-framework/1"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
CODE_RE = re.compile(r"^[a-z0-9-]+:[a-z0-9-]+$")
SCORES = range(0, 6)
MAX_FILE_CHARS = 2_000_000


@dataclass(frozen=True)
class FrameworkError:
    line: int  # 1-based; 0 when the file as a whole is meant
    path: str
    message: str

    def __str__(self) -> str:
        where = f"Zeile {self.line}" if self.line else "Datei"
        return f"{where}{f' ({self.path})' if self.path else ''}: {self.message}"


@dataclass
class IndicatorData:
    key: str
    title: str
    question: str
    levels: list[str]
    codes: list[str]
    action_title: str = ""
    action_description: str = ""


@dataclass
class AreaData:
    key: str
    title: str
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class FrameworkData:
    key: str
    title: str
    version: str
    description: str
    source: str
    target: int
    areas: list[AreaData]


class _Node:
    """A parsed value with its line: mappings keep their keys' lines too."""

    def __init__(self, value, line: int, key_lines: dict | None = None):
        self.value = value
        self.line = line
        self.key_lines = key_lines or {}


def _convert(node: yaml.Node) -> _Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        value, key_lines = {}, {}
        for key_node, value_node in node.value:
            key = _convert(key_node).value
            if isinstance(key, list | dict):
                raise _Fail(FrameworkError(key_node.start_mark.line + 1, "", "Schlüssel müssen einfache Werte sein."))
            if key in value:
                raise _Fail(FrameworkError(key_node.start_mark.line + 1, "", f"Schlüssel „{key}“ kommt doppelt vor."))
            value[key] = _convert(value_node)
            key_lines[key] = key_node.start_mark.line + 1
        return _Node(value, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(item) for item in node.value], line)
    try:
        return _Node(_CONSTRUCTOR.construct_object(node, deep=True), line)
    except yaml.YAMLError as exc:
        raise _Fail(FrameworkError(line, "", f"Wert nicht lesbar: {exc}")) from None


_CONSTRUCTOR = yaml.SafeLoader("")


class _Fail(Exception):
    def __init__(self, error: FrameworkError):
        self.error = error


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Checker:
    def __init__(self):
        self.errors: list[FrameworkError] = []

    def error(self, node_or_line, path: str, message: str) -> None:
        line = node_or_line.line if isinstance(node_or_line, _Node) else node_or_line
        self.errors.append(FrameworkError(line, path, message))

    def mapping(self, node: _Node, path: str) -> dict | None:
        if not isinstance(node.value, dict):
            self.error(node, path, "Erwartet wird eine Zuordnung (Schlüssel: Wert).")
            return None
        return node.value

    def text(self, parent: _Node, key: str, path: str, *, required: bool, max_len: int = 300) -> str:
        child = parent.value.get(key)
        if child is None or child.value is None:
            if required:
                self.error(parent, path, f"Pflichtfeld „{key}“ fehlt.")
            return ""
        value = child.value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(child, _join(path, key), "Erwartet wird ein Text.")
            return ""
        value = str(value).strip()
        if required and not value:
            self.error(child, _join(path, key), f"„{key}“ darf nicht leer sein.")
        if len(value) > max_len:
            self.error(child, _join(path, key), f"Text zu lang ({len(value)} Zeichen, höchstens {max_len}).")
        return value

    def slug(self, parent: _Node, key: str, path: str) -> str:
        value = self.text(parent, key, path, required=True, max_len=50)
        if value and not SLUG_RE.match(value):
            self.error(parent.value[key], _join(path, key), f"„{value}“ ist kein gültiger Schlüssel (nur a–z, 0–9 und Bindestrich).")
        return value

    def unknown_keys(self, node: _Node, allowed: set[str], path: str) -> None:
        for key in node.value:
            if key not in allowed:
                self.error(node.key_lines.get(key, node.line), path, f"Unbekanntes Feld „{key}“ (erlaubt: {', '.join(sorted(allowed))}).")


def parse_framework(text: str) -> tuple[FrameworkData | None, list[FrameworkError]]:
    """Parse a framework file; returns (data, []) or (None, errors) with line numbers."""
    if len(text) > MAX_FILE_CHARS:
        return None, [FrameworkError(0, "", f"Die Datei ist zu groß (höchstens {MAX_FILE_CHARS} Zeichen).")]
    try:
        root_node = safeyaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [FrameworkError(mark.line + 1 if mark else 0, "", f"Kein gültiges YAML/JSON: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [FrameworkError(0, "", f"Kein gültiges YAML/JSON: {exc}")]
    except (ValueError, RecursionError) as exc:
        return None, [FrameworkError(0, "", f"Die Datei ist nicht lesbar: {exc}")]
    if root_node is None:
        return None, [FrameworkError(0, "", "Die Datei ist leer.")]
    try:
        root = _convert(root_node)
    except _Fail as fail:
        return None, [fail.error]
    except RecursionError:
        return None, [FrameworkError(0, "", "Die Datei ist zu tief verschachtelt.")]
    check = _Checker()
    if check.mapping(root, "") is None:
        return None, check.errors
    check.unknown_keys(root, {"schema", "key", "title", "version", "description", "source", "target", "areas"}, "")
    schema = check.text(root, "schema", "", required=True)
    if schema and schema != SCHEMA_ID:
        check.error(root.value["schema"], "schema", f"Unbekanntes Schema „{schema}“ (erwartet: {SCHEMA_ID}).")
    key = check.slug(root, "key", "")
    title = check.text(root, "title", "", required=True)
    version = check.text(root, "version", "", required=False, max_len=50)
    description = check.text(root, "description", "", required=False, max_len=5000)
    source = check.text(root, "source", "", required=False, max_len=500)
    target = 3
    if "target" in root.value:
        node = root.value["target"]
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value not in SCORES:
            check.error(node, "target", f"Zielstufe {node.value!r} liegt außerhalb von 0 bis 5.")
        else:
            target = node.value
    areas: list[AreaData] = []
    areas_node = root.value.get("areas")
    if areas_node is None:
        check.error(root, "", "Pflichtfeld „areas“ fehlt.")
    elif not isinstance(areas_node.value, list) or not areas_node.value:
        check.error(areas_node, "areas", "Erwartet wird eine nicht leere Liste von Bereichen.")
    else:
        seen_areas: dict[str, int] = {}
        seen_indicators: dict[str, int] = {}
        for i, area_node in enumerate(areas_node.value):
            path = f"areas[{i}]"
            if check.mapping(area_node, path) is None:
                continue
            check.unknown_keys(area_node, {"key", "title", "indicators"}, path)
            area = AreaData(check.slug(area_node, "key", path), check.text(area_node, "title", path, required=True))
            if area.key in seen_areas:
                check.error(area_node.value["key"], f"{path}.key", f"Bereich „{area.key}“ ist doppelt (zuerst in Zeile {seen_areas[area.key]}).")
            elif area.key:
                seen_areas[area.key] = area_node.value["key"].line
            indicators_node = area_node.value.get("indicators")
            if indicators_node is None or not isinstance(indicators_node.value, list) or not indicators_node.value:
                check.error(indicators_node or area_node, f"{path}.indicators", "Erwartet wird eine nicht leere Liste von Indikatoren.")
            else:
                for j, ind_node in enumerate(indicators_node.value):
                    ipath = f"{path}.indicators[{j}]"
                    indicator = _indicator(check, ind_node, ipath)
                    if indicator is None:
                        continue
                    if indicator.key in seen_indicators:
                        check.error(ind_node.value["key"], f"{ipath}.key",
                                    f"Indikator „{indicator.key}“ ist doppelt (zuerst in Zeile {seen_indicators[indicator.key]}).")
                    elif indicator.key:
                        seen_indicators[indicator.key] = ind_node.value["key"].line
                    area.indicators.append(indicator)
            areas.append(area)
    if check.errors:
        check.errors.sort(key=lambda e: e.line)
        return None, check.errors
    return FrameworkData(key, title, version, description, source, target, areas), []


def _indicator(check: _Checker, node: _Node, path: str) -> IndicatorData | None:
    if check.mapping(node, path) is None:
        return None
    check.unknown_keys(node, {"key", "title", "question", "levels", "codes", "action"}, path)
    key = check.slug(node, "key", path)
    title = check.text(node, "title", path, required=True)
    question = check.text(node, "question", path, required=False, max_len=2000)
    levels = [""] * 6
    levels_node = node.value.get("levels")
    if levels_node is None:
        check.error(node, path, "Pflichtfeld „levels“ fehlt (Beschreibungen der Stufen 0 bis 5).")
    elif isinstance(levels_node.value, list):
        if len(levels_node.value) != 6:
            check.error(levels_node, f"{path}.levels", f"Es werden genau 6 Stufen (0 bis 5) erwartet, nicht {len(levels_node.value)}.")
        for n, item in enumerate(levels_node.value[:6]):
            levels[n] = _level_text(check, item, f"{path}.levels[{n}]")
    elif isinstance(levels_node.value, dict):
        given = set()
        for raw, item in levels_node.value.items():
            line = levels_node.key_lines.get(raw, levels_node.line)
            if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
                raw = int(raw)  # JSON object keys are strings
            given.add(raw)
            if isinstance(raw, bool) or not isinstance(raw, int):
                check.error(line, f"{path}.levels", f"Stufe „{raw}“ ist keine Zahl von 0 bis 5.")
            elif raw not in SCORES:
                check.error(line, f"{path}.levels", f"Stufe {raw} liegt außerhalb von 0 bis 5.")
            else:
                levels[raw] = _level_text(check, item, f"{path}.levels.{raw}")
        missing = [str(n) for n in SCORES if n not in given]
        if missing:
            check.error(levels_node, f"{path}.levels", f"Beschreibung fehlt für Stufe {', '.join(missing)}.")
    else:
        check.error(levels_node, f"{path}.levels", "Erwartet wird eine Liste oder Zuordnung der Stufen 0 bis 5.")
    codes: list[str] = []
    codes_node = node.value.get("codes")
    if codes_node is not None:
        if not isinstance(codes_node.value, list):
            check.error(codes_node, f"{path}.codes", "Erwartet wird eine Liste von Codes („schema:schlüssel“).")
        else:
            for n, item in enumerate(codes_node.value):
                if not isinstance(item.value, str) or not CODE_RE.match(item.value):
                    check.error(item, f"{path}.codes[{n}]", f"„{item.value}“ ist kein Code der Form „schema:schlüssel“.")
                else:
                    codes.append(item.value)
    action_title = action_description = ""
    action_node = node.value.get("action")
    if action_node is not None and check.mapping(action_node, f"{path}.action") is not None:
        check.unknown_keys(action_node, {"title", "description"}, f"{path}.action")
        action_title = check.text(action_node, "title", f"{path}.action", required=True)
        action_description = check.text(action_node, "description", f"{path}.action", required=False, max_len=5000)
    return IndicatorData(key, title, question, levels, codes, action_title, action_description)


def _level_text(check: _Checker, node: _Node, path: str) -> str:
    if not isinstance(node.value, str) or not node.value.strip():
        check.error(node, path, "Erwartet wird eine Beschreibung der Stufe (Text).")
        return ""
    return node.value.strip()[:1000]
