"""Time ``make test`` of an older commit against HEAD, side by side on this machine.

Clones each commit into a temporary directory (with ``../shared`` linked beside it, as the
tests expect), installs its virtualenv (``make venv``, not timed) and times ``make test``
(lint + whole suite) there. Committed state only: uncommitted changes are not measured.

Usage: python3 bench/suite_time.py [--baseline de2875f] [--head HEAD] [--target test]
                                   [--rounds 1] [--keep]

With ``--rounds N`` the two commits are timed alternately N times each and the fastest run of
each counts (the machine's load varies; the minimum is the least disturbed figure). Each run's
output goes to ``<tmp>/<label>-<round>.log``. Prints one JSON object on its last line:
``{"baseline_s": .., "head_s": .., "ratio": ..}`` (ratio = head / baseline) plus details.
Exits non-zero if a run failed (the JSON line is printed anyway).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def checkout(sha: str, target: Path) -> None:
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO), str(target)], check=True)
    git("checkout", "--quiet", sha, cwd=target)


def run_make(tree: Path, target: str, log: Path) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")}
    start = time.monotonic()
    with log.open("w") as out:
        rc = subprocess.run(["make", "--no-print-directory", target], cwd=tree, env=env,
                            stdout=out, stderr=subprocess.STDOUT).returncode
    return time.monotonic() - start, rc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="de2875f", help="older commit (default: de2875f)")
    parser.add_argument("--head", default="HEAD", help="newer commit (default: HEAD)")
    parser.add_argument("--target", default="test", help="make target to time (default: test)")
    parser.add_argument("--rounds", type=int, default=1, help="timed runs per commit (default: 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clones and logs")
    args = parser.parse_args()

    shared = (REPO.parent / "shared").resolve()
    if not shared.is_dir():
        sys.exit(f"suite_time: {shared} is missing (the tests read ../shared/data)")
    commits = {
        "baseline": git("rev-parse", "--verify", f"{args.baseline}^{{commit}}"),
        "head": git("rev-parse", "--verify", f"{args.head}^{{commit}}"),
    }
    work = Path(tempfile.mkdtemp(prefix="krisenwissen-suite-time-"))
    (work / "shared").symlink_to(shared)
    times: dict[str, list[float]] = {"baseline": [], "head": []}
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    failed: list[str] = []
    try:
        for label, sha in commits.items():
            tree = work / label
            checkout(sha, tree)
            print(f"suite_time: {label} = {sha[:10]} in {tree}; make venv ...", flush=True)
            subprocess.run(["make", "--no-print-directory", "venv"], cwd=tree, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for round_ in range(1, args.rounds + 1):
            for label in commits:
                log = work / f"{label}-{round_}.log"
                seconds, rc = run_make(work / label, args.target, log)
                times[label].append(round(seconds, 1))
                status = "ok" if rc == 0 else f"FAILED (exit {rc}, see {log})"
                if rc:
                    failed.append(f"{label}-{round_}")
                tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
                print(f"suite_time: round {round_} {label}: {seconds:.1f} s, {status}; {tail[0]}", flush=True)
    finally:
        if args.keep or failed:
            print(f"suite_time: clones and logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    baseline_s, head_s = min(times["baseline"], default=None), min(times["head"], default=None)
    result = {
        "baseline_s": baseline_s,
        "head_s": head_s,
        "ratio": round(head_s / baseline_s, 3) if baseline_s and head_s else None,
        "baseline": commits["baseline"][:10],
        "head": commits["head"][:10],
        "target": args.target,
        "runs": times,
        "failed": failed,
        "load_average_start": load_at_start,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
