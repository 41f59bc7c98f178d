"""The installed package: console command, its subcommands, and the shipped translations."""

import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import krisenwissen

PACKAGE_DIR = Path(krisenwissen.__file__).resolve().parent
# The console script is installed beside the interpreter running the tests (the virtualenv).
CONSOLE_SCRIPT = Path(sys.executable).parent / "krisenwissen"
EN_CATALOGUE = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"


def run_console(args, tmp_path):
    """Run the console command as a user would: no settings chosen, so its default applies."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KRISENWISSEN_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def project_commands():
    """Names of the management commands the project's own apps define."""
    return {
        path.stem
        for path in PACKAGE_DIR.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }


def test_console_script_is_installed():
    assert CONSOLE_SCRIPT.is_file(), f"{CONSOLE_SCRIPT} missing: is the package installed (pip install -e .)?"
    assert os.access(CONSOLE_SCRIPT, os.X_OK)


def test_help_lists_the_project_subcommands(tmp_path):
    result = run_console(["help"], tmp_path)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^\s{4}(\S+)$", result.stdout, re.MULTILINE))
    # `make run` relies on load_demo; the rest are whatever the apps define.
    expected = project_commands() | {"load_demo"}
    assert expected <= listed, f"missing from `krisenwissen help`: {sorted(expected - listed)}"


def test_benchmarks_are_not_shipped():
    """Benchmark drivers and their servers live in bench/ of the repository, not in the
    installed package: no `bench` subcommand, no bench module."""
    assert "bench" not in project_commands()
    shipped = sorted(
        path.relative_to(PACKAGE_DIR).as_posix()
        for path in PACKAGE_DIR.rglob("*.py")
        if "bench" in path.stem
    )
    assert shipped == [], f"benchmark code in the package: {shipped}"


def test_check_passes(tmp_path):
    result = run_console(["check"], tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


# --- translations ------------------------------------------------------------------------------


def parse_po(path):
    """Entries of a .po file as {(msgctxt, msgid): (msgid_plural, msgstrs, fuzzy)}, no header.

    Small on purpose (no polib dependency): handles msgctxt, plurals and continued lines,
    which is all that makemessages writes.
    """
    entries = {}
    current, key, fuzzy = {}, None, False

    def flush():
        nonlocal current, fuzzy
        if current.get("msgid"):
            strs = tuple(v for k, v in sorted(current.items()) if k.startswith("msgstr"))
            entry_key = (current.get("msgctxt"), current["msgid"])
            entries[entry_key] = (current.get("msgid_plural"), strs, fuzzy)
        current, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    flush()
    return entries


def test_english_catalogue_is_complete():
    """Every German string in the English catalogue has a (non-fuzzy) translation."""
    entries = parse_po(EN_CATALOGUE / "django.po")
    assert entries, "the English catalogue is empty"
    untranslated = [
        msgid for (_, msgid), (_plural, strs, fuzzy) in entries.items() if fuzzy or not all(strs)
    ]
    assert not untranslated, f"untranslated or fuzzy in en/django.po: {untranslated[:20]}"


def test_compiled_english_catalogue_matches_the_po_file():
    """The committed .mo (used at run time, so no gettext is needed there) is up to date."""
    entries = parse_po(EN_CATALOGUE / "django.po")
    with open(EN_CATALOGUE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for (context, msgid), (plural, strs, fuzzy) in entries.items():
        if fuzzy:  # compilemessages leaves fuzzy entries out on purpose
            continue
        if plural is None:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        elif context:
            got = compiled.npgettext(context, msgid, plural, 1)
        else:
            got = compiled.ngettext(msgid, plural, 1)
        if got != (strs[0] or msgid):
            stale.append(msgid)
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale[:10]}"


def test_interface_switches_to_english(settings):
    from django.utils import translation

    with translation.override("en"):
        names = {code: str(name) for code, name in settings.LANGUAGES}
    assert names == {"de": "German", "en": "English"}


# --- package data --------------------------------------------------------------------------------


def test_every_data_file_is_declared_as_package_data():
    """A wheel (a non-editable install) contains templates, static files and catalogues.

    The test suite runs against an editable install, which reads files from the source tree,
    so a data file that pyproject.toml's package-data globs miss would only be noticed in
    production. Expands those globs the way setuptools does, without building a wheel
    (building needs the network for the build backend).
    """
    import tomllib

    src_root = PACKAGE_DIR.parent
    pyproject = tomllib.loads((src_root.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    packages = [p.parent for p in PACKAGE_DIR.rglob("__init__.py")]

    declared = set()
    for package in packages:
        for pattern in patterns:
            declared.update(p for p in package.glob(pattern) if p.is_file())

    data_files = {
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }
    missing = sorted(str(p.relative_to(src_root)) for p in data_files - declared)
    assert not missing, f"not in [tool.setuptools.package-data] of pyproject.toml: {missing}"


def test_output_piped_into_head_ends_quietly(tmp_path):
    """Long output piped into `head -1` must not end in a BrokenPipeError traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).with_name("krisenwissen")
    env = {**os.environ, "KRISENWISSEN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "krisenwissen.settings.test"}
    result = subprocess.run(f"'{command}' shell -c 'print(\"zeile\\n\" * 200000)' | head -1", shell=True, capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in result.stderr
