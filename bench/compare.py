"""Benchmark of the Verordnungs-Synopse (``make bench-compare``).

Compares every consecutive pair of IfSG versions in ``../shared/data/laws/IfSG`` (about 350 KB
each): our structure-aware comparison (decode + parse both versions + compare + summary) beside
``git diff --no-index --histogram --word-diff=porcelain`` (as a subprocess, as a user would run
it) and difflib's line diff (``SequenceMatcher(autojunk=False)``) on the same pairs in the same
run. Also in the same run: the JSON contract (whole-unit ops and serialisation) per pair, the
batch mode ``krisenwissen compare --pairs DIR`` (pairs per second, text and JSON lines) and the
start time of ``krisenwissen compare`` on two tiny files: the Django-free fast path against the
Django management command (``--db-rules``, the only path before issue 12). Prints a table, then
one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from krisenwissen.regulations.compare import compare  # noqa: E402
from krisenwissen.regulations.export import render_json  # noqa: E402
from krisenwissen.regulations.legaltext import decode_bytes, parse  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "data" / "laws" / "IfSG"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ours(old: bytes, new: bytes) -> str:
    result = compare(parse(decode_bytes(old)), parse(decode_bytes(new)))
    return result.summary


def contract(old: bytes, new: bytes) -> str:
    return render_json(compare(parse(decode_bytes(old)), parse(decode_bytes(new))), indent=None)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "krisenwissen.cli", "compare", *args], env=env,
                          capture_output=True, check=True)


def cli_start_ms(tmp: pathlib.Path, *extra: str, repeat: int = 5) -> float:
    """Median wall time of ``krisenwissen compare`` on two tiny files (start-up dominates)."""
    a, b = tmp / "a.md", tmp / "b.md"
    a.write_text("% V\n\n# § 1 – A\n\nText eins.\n", encoding="utf-8")
    b.write_text("% V\n\n# § 1 – A\n\nText zwei.\n", encoding="utf-8")
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        cli(str(a), str(b), "--format", "text", *extra)
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs)


def git_diff(a: pathlib.Path, b: pathlib.Path) -> None:
    subprocess.run(["git", "diff", "--no-index", "--histogram", "--word-diff=porcelain", str(a), str(b)],
                   stdout=subprocess.DEVNULL, check=False)


def line_diff(old: bytes, new: bytes) -> None:
    a = decode_bytes(old).splitlines()
    b = decode_bytes(new).splitlines()
    list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=pathlib.Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair; the median counts")
    args = parser.parse_args()
    files = sorted(args.dir.glob("*.md"))
    if len(files) < 2:
        sys.exit(f"Keine Fassungen in {args.dir} gefunden (../shared/data fehlt?).")
    pairs = list(zip(files, files[1:], strict=False))
    data = {f: f.read_bytes() for f in files}
    ours_ms, git_ms, difflib_ms, json_ms = [], [], [], []
    ours(data[files[0]], data[files[1]])  # warm-up (regex compilation)
    for a, b in pairs:
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            summary = ours(data[a], data[b])
            runs.append((time.perf_counter() - t) * 1000)
        ours_ms.append(statistics.median(runs))
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            contract(data[a], data[b])
            runs.append((time.perf_counter() - t) * 1000)
        json_ms.append(statistics.median(runs))
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            git_diff(a, b)
            runs.append((time.perf_counter() - t) * 1000)
        git_ms.append(statistics.median(runs))
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            line_diff(data[a], data[b])
            runs.append((time.perf_counter() - t) * 1000)
        difflib_ms.append(statistics.median(runs))
        print(f"{a.stem} -> {b.stem}: ours {ours_ms[-1]:7.1f} ms  json {json_ms[-1]:7.1f} ms  git {git_ms[-1]:6.1f} ms  "
              f"difflib {difflib_ms[-1]:7.1f} ms  | {summary[:90]}")
    peak = 0
    for a, b in pairs:
        tracemalloc.start()
        ours(data[a], data[b])
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # batch mode: one process for all pairs (parse each file once), as a script would run it
    t = time.perf_counter()
    batch = cli("--pairs", str(args.dir))
    batch_s = time.perf_counter() - t
    assert len(batch.stdout.splitlines()) == len(pairs)
    t = time.perf_counter()
    batch_json = cli("--pairs", str(args.dir), "--format", "json")
    batch_json_s = time.perf_counter() - t
    assert len(batch_json.stdout.splitlines()) == len(pairs)

    with tempfile.TemporaryDirectory() as tmp:
        start_fast = cli_start_ms(pathlib.Path(tmp))
        start_django = cli_start_ms(pathlib.Path(tmp), "--db-rules")
    print(f"batch --pairs: {len(pairs) / batch_s:.1f} pairs/s (text), {len(pairs) / batch_json_s:.1f} pairs/s "
          f"(JSON lines); CLI start: fast path {start_fast:.0f} ms, Django path {start_django:.0f} ms")
    p50, p95 = percentile(ours_ms, 0.5), percentile(ours_ms, 0.95)
    git_p50 = percentile(git_ms, 0.5)
    result = {
        "pairs": len(pairs),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(ours_ms), 1),
        "peak_mb": round(peak / 1e6, 1),
        "git_p50_ms": round(git_p50, 1),
        "git_p95_ms": round(percentile(git_ms, 0.95), 1),
        "difflib_p50_ms": round(percentile(difflib_ms, 0.5), 1),
        "difflib_p95_ms": round(percentile(difflib_ms, 0.95), 1),
        "ratio_vs_git": round(p50 / git_p50, 2) if git_p50 else None,
        "ratio_vs_git_p95": round(p95 / percentile(git_ms, 0.95), 2),
        "json_p50_ms": round(percentile(json_ms, 0.5), 1),
        "json_p95_ms": round(percentile(json_ms, 0.95), 1),
        "batch_pairs_per_s": round(len(pairs) / batch_s, 1),
        "batch_json_pairs_per_s": round(len(pairs) / batch_json_s, 1),
        "cli_start_ms_django": round(start_django),
        "cli_start_ms_fast": round(start_fast),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
