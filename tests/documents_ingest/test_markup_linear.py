"""Hostile text never takes unbounded time: the Markdown and survey patterns backtrack linearly.

Each input below made the earlier patterns backtrack quadratically (a line of 6,000 spaces
before "- x" took one second, a file of 300 such lines five minutes). The extraction runs in
a child process with a generous limit, so a regression fails instead of hanging the suite.
"""

import subprocess
import sys
import textwrap

import pytest

LIMIT_SECONDS = 60

CASES = {
    "spaces.md": 'b" " * 6000 + b"- x\\n"',
    "heading.md": 'b"# a" + b" " * 20000 + b"b\\n"',
    "brackets.md": 'b"[" * 200_000',
    "links.md": 'b"[a](" * 200_000',
    "tags.md": 'b"<" * 200_000',
    "toc.md": 'b"<details>" * 100_000 + b"{:toc}"',
    "attributes.md": 'b"{:" * 200_000',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_markdown_is_read_in_bounded_time(name):
    script = textwrap.dedent(f"""
        from krisenwissen.documents.extract import build_text, extract
        data = ({CASES[name]}) * 300 if {name!r} in ("spaces.md", "heading.md") else {CASES[name]}
        build_text(extract(data, {name!r}))
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=LIMIT_SECONDS)


def test_hostile_survey_headers_are_read_in_bounded_time():
    script = textwrap.dedent("""
        from krisenwissen.documents.survey import parse_survey
        cells = ["Q1 " + "a" + " " * 19_000 + "[SQ1]", "Q2[SQ1]" + " " * 19_000 + "b [Website]"] * 20
        parse_survey(("id;" + ";".join(cells) + "\\n1;" + ";".join(["ja"] * len(cells)) + "\\n").encode())
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=LIMIT_SECONDS)


def test_markdown_structure_is_still_read():
    from krisenwissen.documents.extract import build_text, extract

    data = (b"# Titel ##\n\nText mit [Link](http://x) und {: .klasse} <b>fett</b>.\n\n"
            b"| a | b |\n|---|:--:|\n| 1 | 2 |\n\n## C#\n\nEnde")
    extraction = extract(data, "notiz.md")
    blocks = extraction.pages[0].blocks
    assert [b.text for b in blocks if b.heading] == ["Titel", "C#"]
    text = build_text(extraction).text
    assert "Text mit Link und fett." in text and "---" not in text and "klasse" not in text
