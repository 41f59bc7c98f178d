"""Writing parsed Lagebild files into the database (the Django half of the importers).

Parsing and validation happen first and completely in the pure ``parsing`` module; this module
only maps keys to ids and writes, in bulk (``executemany`` on the cursor, no ORM object per
row), inside the caller's transaction. Values that change are kept as ``ObservationRevision``
rows, so the value that was known (and published) on a day can still be shown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from krisenwissen.accounts.models import Municipality

from .models import (
    Area,
    AreaLevel,
    ImportRun,
    ImportStatus,
    Indicator,
    Observation,
    ObservationRevision,
)
from .parsing import Parsed

BATCH = 50_000


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    areas_created: int = 0
    areas_updated: int = 0
    rejected_rows: list = field(default_factory=list)
    # (area_id, indicator_id, day, old value, new value) of every value that changed
    revisions: list = field(default_factory=list)
    # (ags, field, old, new) of every changed attribute of an existing area (population, name, ...)
    area_changes: list = field(default_factory=list)


def _level_for(ags: str) -> str:
    return {2: AreaLevel.LAND, 5: AreaLevel.KREIS, 8: AreaLevel.GEMEINDE}.get(len(ags), AreaLevel.KREIS)


def write_areas(parsed: Parsed, result: WriteResult) -> None:
    municipalities = dict(Municipality.objects.filter(ags__in=[a.ags for a in parsed.areas]).values_list("ags", "id"))
    existing = {a.ags: a for a in Area.objects.filter(ags__in=[a.ags for a in parsed.areas])}
    new, changed = [], []
    for row in parsed.areas:
        state_code = row.state_code[:2]
        area = existing.get(row.ags)
        values = {"name": row.name, "kind": row.kind, "population": row.population, "state_code": state_code,
                  "level": _level_for(row.ags), "municipality_id": municipalities.get(row.ags),
                  "valid_until": row.valid_until}
        if area is None:
            new.append(Area(ags=row.ags, **values))
        elif any(getattr(area, k) != v for k, v in values.items()):
            for k, v in values.items():
                if getattr(area, k) != v:
                    result.area_changes.append((area.ags, k, getattr(area, k), v))
                setattr(area, k, v)
            changed.append(area)
    Area.objects.bulk_create(new, batch_size=1000)
    if changed:
        Area.objects.bulk_update(changed, ["name", "kind", "population", "state_code", "level", "municipality",
                                           "valid_until"])
    # The area a Bezirk or former district belongs to (it may have been created just now).
    parents = {row.ags: row.parent for row in parsed.areas if row.parent}
    if parents:
        ids = dict(Area.objects.filter(ags__in=set(parents.values())).values_list("ags", "id"))
        linked = []
        for area in Area.objects.filter(ags__in=parents):
            parent_id = ids.get(parents[area.ags])
            if area.parent_id != parent_id:
                area.parent_id = parent_id
                linked.append(area)
        Area.objects.bulk_update(linked, ["parent"])
    result.areas_created += len(new)
    result.areas_updated += len(changed)


def ensure_areas(agss: set[str]) -> dict[str, int]:
    """Ids of the areas; states and Germany exist from the migration."""
    return dict(Area.objects.filter(ags__in=agss).values_list("ags", "id"))


def _sqlite_raw(sql: str) -> str:
    return sql.replace("%s", "?")


def write_observations(parsed: Parsed, run: ImportRun, result: WriteResult) -> None:
    """Insert new values, update changed ones (keeping the old value as revision), in bulk.

    On SQLite the inserts go through the sqlite3 cursor itself: Django's cursor wrapper
    wraps the parameter list in an iterator copy (``itertools.tee``), which cost a third of
    the import time. Same connection, same transaction.
    """
    groups: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for ags, key, day, value in parsed.rows:
        groups[(ags, key)].append((day, value))
    for k, items in parsed.series.items():
        if items:
            groups[k].extend(items) if k in groups else groups.__setitem__(k, items)
    if not groups:
        return
    areas = ensure_areas({a for a, _ in groups})
    indicators = dict(Indicator.objects.filter(key__in={k for _, k in groups}).values_list("key", "id"))
    by_area: dict[int, list[tuple[int, list]]] = defaultdict(list)
    for (ags, key), items in groups.items():
        area_id, ind_id = areas.get(ags), indicators.get(key)
        if area_id is None or ind_id is None:  # the parser checked; this is a safety net
            result.rejected_rows.append((ags, key, len(items)))
            continue
        if not all(map(math.isfinite, [v for _, v in items])):
            # Never store NaN or infinity (PostgreSQL would keep NaN and every sum over it would be NaN).
            kept = [(d, v) for d, v in items if v is not None and math.isfinite(v)]
            result.rejected_rows.append((ags, key, len(items) - len(kept)))
            items = kept
            if not items:
                continue
        by_area[area_id].append((ind_id, items))

    obs_table = Observation._meta.db_table
    rev_table = ObservationRevision._meta.db_table
    insert_sql = (f"INSERT INTO {obs_table} (area_id, indicator_id, date, value, import_run_id) "
                  f"VALUES (%s, %s, %s, %s, %s)")
    update_sql = (f"UPDATE {obs_table} SET value = %s, import_run_id = %s "
                  f"WHERE area_id = %s AND indicator_id = %s AND date = %s")
    revision_sql = (f"INSERT INTO {rev_table} (area_id, indicator_id, date, value, new_value, import_run_id, "
                    f"replaced_by_id, replaced_at, known_from) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)")
    now = timezone.now()
    # The new value of a correction is known from the file's Datenstand (an RKI edition), else from now.
    known_from = run.data_as_of or now
    run_id = run.pk
    inserts: list[tuple] = []
    updates: list[tuple] = []
    revisions: list[tuple] = []
    connection.ensure_connection()
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        bulk = connection.connection.cursor() if sqlite else cursor
        ins = _sqlite_raw(insert_sql) if sqlite else insert_sql
        for area_id, per_indicator in by_area.items():
            ind_ids = [i for i, _ in per_indicator]
            days = [d for _, items in per_indicator for d in (items[0][0], items[-1][0])]
            placeholders = ", ".join(["%s"] * len(ind_ids))
            cursor.execute(
                f"SELECT indicator_id, date, value, import_run_id FROM {obs_table} "
                f"WHERE area_id = %s AND indicator_id IN ({placeholders}) AND date BETWEEN %s AND %s",
                [area_id, *ind_ids, min(days), max(days)],
            )
            existing = {(ind, str(d)): (v, r) for ind, d, v, r in cursor.fetchall()}
            for ind, items in per_indicator:
                if not existing:
                    if sqlite:
                        # A whole new series: the ids go into the statement as integer literals
                        # and the parser's (date, value) pairs are bound as they are (no copy).
                        literal = (f"INSERT INTO {obs_table} (area_id, indicator_id, date, value, import_run_id) "
                                   f"VALUES ({int(area_id)}, {int(ind)}, ?, ?, {int(run_id)})")
                        bulk.executemany(literal, items)
                        result.created += len(items)
                    else:
                        inserts.extend([(area_id, ind, d, v, run_id) for d, v in items])
                    continue
                for day, value in items:
                    old = existing.get((ind, day))
                    if old is None:
                        inserts.append((area_id, ind, day, value, run_id))
                    elif old[0] != value:
                        updates.append((value, run_id, area_id, ind, day))
                        revisions.append((area_id, ind, day, old[0], value, old[1], run_id, now, known_from))
                    else:
                        result.unchanged += 1
            if len(inserts) >= BATCH:
                bulk.executemany(ins, inserts)
                result.created += len(inserts)
                inserts = []
        if inserts:
            bulk.executemany(ins, inserts)
            result.created += len(inserts)
        if updates:
            cursor.executemany(revision_sql, revisions)
            cursor.executemany(update_sql, updates)
            result.updated += len(updates)
            result.revisions.extend((a, i, d, old, new) for a, i, d, old, new, *_rest in revisions)
        if sqlite:
            bulk.close()


def finish_run(run: ImportRun, parsed: Parsed, result: WriteResult | None, *, max_errors: int = 200) -> ImportRun:
    run.rows_read = parsed.rows_read
    run.rejected = len(parsed.errors)
    run.finished_at = timezone.now()
    report = {
        "format": parsed.fmt,
        "file_error": parsed.file_error,
        "errors": [{"line": e.line, "reason": e.reason} for e in parsed.errors[:max_errors]],
        "errors_total": len(parsed.errors),
        "warnings": parsed.warnings,
        "skipped": parsed.skipped,
        "data_as_of": parsed.meta.get("data_as_of"),
        "no_data_rows": bool(parsed.meta.get("no_data_rows")),
        "territorial": parsed.meta.get("territorial"),
    }
    if parsed.file_error:
        run.status = ImportStatus.REJECTED
    if result is not None:
        run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
        report["areas_created"] = result.areas_created
        report["areas_updated"] = result.areas_updated
        report["values_refused"] = sum(n for *_rest, n in result.rejected_rows)
    run.report = report
    run.save()
    return run


def known_ags(only: list[str] | None = None) -> set[str]:
    qs = Area.objects.all() if only is None else Area.objects.filter(ags__in=only)
    return set(qs.values_list("ags", flat=True))
