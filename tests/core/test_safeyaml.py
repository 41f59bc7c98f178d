"""YAML that users upload or type never expands aliases ("billion laughs"): refused with a
German message and the position, in every place that reads YAML."""

import pytest

from krisenwissen.core import safeyaml


def alias_bomb(tail: str, depth: int = 8) -> str:
    """A few hundred bytes that describe 9**(depth+1) strings through nested aliases."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi"[:depth]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n" + tail.replace("BOMB", f"*{previous}") + "\n"


def test_an_alias_is_refused_with_its_position():
    with pytest.raises(safeyaml.ComposerError) as caught:
        safeyaml.safe_load("a: &x [1]\nb: *x\n")
    assert caught.value.problem_mark.line == 1
    assert "nicht erlaubt" in caught.value.problem


def test_plain_yaml_and_anchors_without_aliases_load():
    assert safeyaml.safe_load("a: &x [1, 2]\nb: text\n") == {"a": [1, 2], "b": "text"}
    assert safeyaml.compose("- 1\n- 2\n").value[1].value == "2"


def test_framework_files_refuse_the_bomb():
    from krisenwissen.learning.framework_schema import parse_framework

    data, errors = parse_framework(alias_bomb("name: BOMB\nthemes: BOMB"))
    assert data is None and "nicht erlaubt" in errors[0].message and errors[0].line == 2


def test_lagebild_rule_files_refuse_the_bomb():
    from krisenwissen.situation.rules_engine import RuleFileError, load_ruleset

    with pytest.raises(RuleFileError) as caught:
        load_ruleset(alias_bomb("key: x\nname: y\nrules: BOMB"))
    assert "nicht erlaubt" in str(caught.value) and "Zeile 2" in str(caught.value)


def test_krisenstab_template_content_refuses_the_bomb():
    from krisenwissen.stab.forms import TemplateEditForm

    form = TemplateEditForm(data={"name": "Vorlage", "kind": "verwaltungsstab",
                                  "content": alias_bomb("functions: BOMB")})
    assert not form.is_valid()
    assert "Anker-Verweis" in " ".join(form.errors["content"]) and "Zeile 2" in " ".join(form.errors["content"])


DEEP_JSON = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
DEEP_YAML = "a: " + "[" * 50_000 + "]" * 50_000


def test_too_deep_nesting_is_refused_in_german_not_a_crash():
    from krisenwissen.accounts.directorymapping import MappingError, parse_group_mapping
    from krisenwissen.learning.framework_schema import parse_framework
    from krisenwissen.situation.rules_engine import RuleFileError, load_ruleset

    for text, fmt in ((DEEP_JSON, "json"), (DEEP_YAML, "yaml")):
        with pytest.raises(RuleFileError) as caught:
            load_ruleset(text, fmt=fmt)
        assert "zu tief verschachtelt" in str(caught.value)
    data, errors = parse_framework(DEEP_YAML)
    assert data is None and "zu tief verschachtelt" in errors[0].message
    with pytest.raises(MappingError, match="zu tief verschachtelt"):
        parse_group_mapping(DEEP_JSON, roles=["leser"])
