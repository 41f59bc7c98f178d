"""Database snapshots of expensive test data (the demo content), built once per test session.

Loading the demo content takes seconds; writing its rows back takes a few hundredths. A
snapshot is built once per session (per pytest-xdist worker): the builder runs committed on
the test database, the rows of every Django table are kept, and the database is put back
exactly as it was, so tests that do not ask for the snapshot never see its rows.

A test that asks for a snapshot gets all Django tables replaced by the snapshot's rows:

- in a ``db`` test inside the test's transaction, so they are rolled back with the test;
- in a ``transactional_db``/live-server test committed; Django's flush after the test removes
  them like any data such a test writes (as before, when each test loaded the demo itself).

The tables are those Django's ``flush`` empties (models' tables, many-to-many tables). Tables
Django does not know, such as SQLite's FTS5 search index, follow through their triggers.
Restoring replaces everything, so ask for a snapshot before any fixture that creates rows.

SQLite keeps the rows in Python (they are plain str/int/float/bytes/None); PostgreSQL keeps
them on the server in a schema of the test database, copies them back with
``INSERT ... SELECT`` and resets the sequences.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

_schema_numbers = itertools.count(1)


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    model: type


def _tables(connection) -> list[_Table]:
    """The existing tables of managed models (as ``flush`` sees them) with their stored columns."""
    existing = set(connection.introspection.table_names(include_views=False))
    tables: dict[str, _Table] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.managed or opts.proxy or opts.swapped or opts.db_table not in existing:
            continue
        columns = tuple(
            f.column for f in opts.local_concrete_fields if not getattr(f, "generated", False)
        )
        tables.setdefault(opts.db_table, _Table(opts.db_table, columns, model))
    return sorted(tables.values(), key=lambda t: t.name)


@dataclass
class Snapshot:
    """The rows of every Django table at one moment; ``restore()`` writes them back."""

    using: str = DEFAULT_DB_ALIAS
    tables: list[_Table] = field(default_factory=list)
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # SQLite
    schema: str | None = None  # PostgreSQL

    @classmethod
    def take(cls, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
        connection = connections[using]
        snapshot = cls(using=using, tables=_tables(connection))
        qn = connection.ops.quote_name
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                snapshot.schema = f"test_snapshot_{next(_schema_numbers)}"
                cursor.execute(f"DROP SCHEMA IF EXISTS {snapshot.schema} CASCADE")
                cursor.execute(f"CREATE SCHEMA {snapshot.schema}")
                for table in snapshot.tables:
                    cursor.execute(
                        f"CREATE TABLE {snapshot.schema}.{qn(table.name)} AS "
                        f"SELECT {', '.join(map(qn, table.columns))} FROM {qn(table.name)}"
                    )
            else:
                for table in snapshot.tables:
                    cursor.execute(f"SELECT {', '.join(map(qn, table.columns))} FROM {qn(table.name)}")
                    snapshot.rows[table.name] = cursor.fetchall()
        return snapshot

    def restore(self) -> None:
        """Replace the rows of every Django table by the snapshot's (in one transaction)."""
        connection = connections[self.using]
        qn = connection.ops.quote_name
        # Foreign keys are deferred (Django creates them DEFERRABLE INITIALLY DEFERRED), so the
        # order of deletes and inserts does not matter inside the transaction.
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DELETE FROM {qn(table.name)}")
            for table in self.tables:
                columns = ", ".join(map(qn, table.columns))
                if self.schema:
                    cursor.execute(
                        f"INSERT INTO {qn(table.name)} ({columns}) "
                        f"SELECT {columns} FROM {self.schema}.{qn(table.name)}"
                    )
                elif self.rows[table.name]:
                    placeholders = ", ".join(["%s"] * len(table.columns))
                    cursor.executemany(
                        f"INSERT INTO {qn(table.name)} ({columns}) VALUES ({placeholders})",
                        [_sqlite_row(row) for row in self.rows[table.name]],
                    )
            if self.schema:
                # Inserting explicit ids does not move PostgreSQL's sequences: set them past
                # the largest id, as loaddata does.
                for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables]):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()

    def drop(self) -> None:
        """Free what the snapshot holds (its schema on PostgreSQL)."""
        if self.schema:
            with connections[self.using].cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            self.schema = None
        self.rows.clear()


def build(builder: Callable[[], object], using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Run ``builder`` committed on the database, snapshot the result, and undo it.

    The database must not be inside a transaction (call it from a session fixture with the
    database unblocked, between tests).
    """
    assert not connections[using].in_atomic_block, "build snapshots outside transactions"
    before = Snapshot.take(using)
    try:
        builder()
        return Snapshot.take(using)
    finally:
        before.restore()
        before.drop()


def _sqlite_row(row: tuple) -> tuple:
    """Django reads SQLite ``time`` columns as ``datetime.time``, which sqlite3 cannot bind:
    write them back as Django stores them (ISO text)."""
    return tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row)
