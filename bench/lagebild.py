"""Lagebild benchmark: import all district files, compare with pandas, overview page, Lagebericht.

    .venv/bin/python bench/lagebild.py [--data ../shared/data] [--requests 40] [--files N]

In a temporary SQLite database (migrated fresh):

1. imports the district reference table and all 412 district time series
   (``covid/districts/de-district_timeseries-*.tsv``, about 512,000 rows) through the real
   importer (``actions.do_import_file``: validation, idempotent write, import report), timed;
2. loads the same files with pandas ``read_csv`` + ``DataFrame.to_sql`` into a separate
   SQLite file in the same run (one table, all columns), timed once before and once after
   step 1 (the machine is shared; ``pandas_s`` is the mean; CPU times of this process are
   reported beside the wall-clock times because they depend less on other load);
3. renders the overview page ``/lagebild/?datum=2021-04-26`` for the five partner cities
   through Django's test client: one cold request, then R requests with the rule evaluation
   cache cleared before each (``overview_p95_ms``, the worst case) and R with a warm cache;
4. renders one Lagebericht (PDF/UA and DOCX) for 26.04.2021.

The last line of output is one JSON object: ``rows``, ``import_s``, ``pandas_s``,
``ratio_vs_pandas``, ``overview_p95_ms`` plus details.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def pandas_load(files, ref, target: Path) -> tuple[float, float]:
    """pandas read_csv + to_sql of the same files into one SQLite table; (wall, CPU) seconds."""
    import sqlite3

    import pandas as pd

    t0, c0 = time.perf_counter(), time.process_time()
    con = sqlite3.connect(target)
    pd.read_csv(ref, sep="\t", dtype={"LK_ID": str}).to_sql("ref", con, if_exists="replace", index=False)
    for path in files:
        frame = pd.read_csv(path, sep="\t")
        frame.insert(0, "ags", path.stem.rsplit("-", 1)[1])
        frame.to_sql("districts", con, if_exists="append", index=False)
    con.commit()
    con.close()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--files", type=int, default=0, help="only the first N district files (0 = all)")
    args = parser.parse_args()
    districts = Path(args.data) / "covid" / "districts"
    if not districts.is_dir():
        sys.exit(f"district files not found: {districts}")
    files = sorted(districts.glob("de-district_timeseries-*.tsv"))
    if args.files:
        files = files[: args.files]
    ref = districts / "ref-de-districts.tsv"

    # The machine may be shared: the load average is part of the result.
    load_start = [round(x, 2) for x in os.getloadavg()]
    tmp = tempfile.mkdtemp(prefix="bench-lagebild-")
    os.environ["KRISENWISSEN_DATA_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "krisenwissen.settings.test"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from krisenwissen.core.policy import SYSTEM
    from krisenwissen.situation import selectors
    from krisenwissen.situation.actions import do_import_file

    # 0. pandas once before the importer, once after: the machine is shared, so the mean of
    # the two brackets the importer's run against drifting load.
    pandas_before, pandas_before_cpu = pandas_load(files, ref, Path(tmp) / "pandas-1.sqlite3")

    # 1. our importer
    t0, c0 = time.perf_counter(), time.process_time()
    do_import_file(ref.read_bytes(), filename=ref.name, fmt="districts-ref", acting_user=SYSTEM)
    rows = created = rejected = 0
    for path in files:
        run = do_import_file(path.read_bytes(), filename=path.name, fmt="districts", acting_user=SYSTEM)
        rows += run.rows_read
        created += run.created
        rejected += run.rejected
    import_s = time.perf_counter() - t0
    import_cpu_s = time.process_time() - c0
    print(f"importer: {len(files)} files, {rows} rows, {created} observations, {rejected} rejected, "
          f"{import_s:.2f} s", flush=True)

    # 1b. idempotent re-import of one file
    t0 = time.perf_counter()
    run = do_import_file(files[0].read_bytes(), filename=files[0].name, fmt="districts", acting_user=SYSTEM)
    reimport_ms = (time.perf_counter() - t0) * 1000
    print(f"re-import of one file: created {run.created}, unchanged {run.unchanged}, {reimport_ms:.0f} ms")

    # 2. pandas read_csv + to_sql (second run after the importer; see pandas_load)
    pandas_after, pandas_after_cpu = pandas_load(files, ref, Path(tmp) / "pandas-2.sqlite3")
    pandas_s = (pandas_before + pandas_after) / 2
    pandas_cpu_s = (pandas_before_cpu + pandas_after_cpu) / 2
    print(f"pandas: {pandas_before:.2f} s before, {pandas_after:.2f} s after the importer; mean {pandas_s:.2f} s",
          flush=True)

    # 3. overview page
    from django.test import Client

    from krisenwissen.accounts.models import Membership, Municipality, Role, User

    city = Municipality.objects.create(name="Dortmund", ags="05913", is_participating=True)
    user = User.objects.create_user("bench-leser", password="x")
    Membership.objects.create(user=user, municipality=city, role=Role.LESER)
    client = Client()
    client.force_login(user)
    url = "/lagebild/?datum=2021-04-26"
    t0 = time.perf_counter()
    response = client.get(url)
    cold_ms = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, response.status_code
    assert b"Gelsenkirchen" in response.content
    uncached, warm, uncached_cpu = [], [], []
    for _ in range(args.requests):
        selectors.clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        uncached.append((time.perf_counter() - t0) * 1000)
        uncached_cpu.append((time.process_time() - c0) * 1000)
    for _ in range(args.requests):
        t0 = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - t0) * 1000)
    print(f"overview: cold {cold_ms:.0f} ms, p95 without cache {percentile(uncached, 0.95):.0f} ms, "
          f"p95 warm {percentile(warm, 0.95):.0f} ms")

    # 4. Lagebericht
    from datetime import date

    from krisenwissen.reports.http import render
    from krisenwissen.situation.report import build_report

    t0 = time.perf_counter()
    document = build_report(user, date(2021, 4, 26))
    pdf = render(document, "pdf")
    report_pdf_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    docx = render(build_report(user, date(2021, 4, 26)), "docx")
    report_docx_s = time.perf_counter() - t0
    print(f"Lagebericht: PDF {len(pdf)} bytes in {report_pdf_s:.2f} s, DOCX {len(docx)} bytes in {report_docx_s:.2f} s")

    result = {
        "rows": rows,
        "files": len(files),
        "observations": created,
        "import_s": round(import_s, 2),
        "pandas_s": round(pandas_s, 2),
        "pandas_before_s": round(pandas_before, 2),
        "pandas_after_s": round(pandas_after, 2),
        "import_cpu_s": round(import_cpu_s, 2),
        "pandas_cpu_s": round(pandas_cpu_s, 2),
        "ratio_vs_pandas_cpu": round(import_cpu_s / pandas_cpu_s, 2),
        "ratio_vs_pandas": round(import_s / pandas_s, 2),
        "overview_p95_ms": round(percentile(uncached, 0.95), 1),
        "overview_p50_ms": round(statistics.median(uncached), 1),
        "overview_p95_cpu_ms": round(percentile(uncached_cpu, 0.95), 1),
        "overview_warm_p95_ms": round(percentile(warm, 0.95), 1),
        "overview_cold_ms": round(cold_ms, 1),
        "reimport_one_file_ms": round(reimport_ms, 1),
        "report_pdf_s": round(report_pdf_s, 2),
        "report_docx_s": round(report_docx_s, 2),
        "loadavg_start": load_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
