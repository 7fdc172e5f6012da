"""Opening the warehouse read-only, and building new versions beside the live one.

The app only ever reads. ``demo``, ``load`` and ``refresh`` write a complete new version next to
the live one and swap it in atomically (a file rename on DuckDB, schema renames inside one
transaction on PostgreSQL), so a reader never blocks a build and never sees half of one.
Readers compare :func:`Warehouse.version` between reruns and reconnect when it changes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from data_access import schema, settings

_DROP_LOCK_TIMEOUT_MS = 500
# Session settings of the app's PostgreSQL readers (the server's defaults are left alone):
# - JIT compilation of the dashboards' wide expressions (feature and distance CASEs over a month
#   of customers) cost tens of seconds per query, far more than it saved;
# - random_page_cost 1.1 (the usual value for SSDs; the default 4 assumes spinning disks): with
#   the fact stored in month order (_cluster_by_month) the planner then reads one month through
#   the month index instead of scanning all months (tier migration at 1,000,000 customers:
#   3.3 s -> 1.3 s with the next setting);
# - work_mem 64 MB: a month of customers (about 850,000 rows at 1,000,000) hashes and sorts in
#   memory instead of spilling to disk.
_PG_READER_SETTINGS: tuple[str, ...] = (
    "SET jit = off",
    "SET random_page_cost = 1.1",
    "SET work_mem = '64MB'",
)
# Settings of a build's sessions: refresh sorts and hashes whole tables (Pareto slices of a
# province's month, GROUPING SETS over 20 million customer-months, CLUSTER): with the default 4 MB
# of memory per sort PostgreSQL spills them to disk (mart_pareto at 1,000,000 customers: 100 s
# with 4 MB, 26 s with 256 MB). One build runs at a time.
_PG_BUILD_SETTINGS: tuple[str, ...] = (
    "SET work_mem = '256MB'",
    "SET maintenance_work_mem = '512MB'",
)
# DuckDB reader connections kept open per version (each is an in-memory database with the file
# attached, so each keeps its own cache), and how many more may open while that many are busy.
_DUCKDB_POOL_SIZE = 4
_DUCKDB_MAX_OVERFLOW = 16
# |correlation| of fact_customer_month.month_start with the physical row order above which a
# new PostgreSQL version is taken to be in month order already (see _cluster_by_month).
_CLUSTERED_CORRELATION = 0.9
# One small pooled engine per PostgreSQL server URL for Warehouse.version(), which every rerun
# calls: a new connection each time would cost a TCP and authentication round trip per rerun.
_version_engines: dict[str, Engine] = {}
_version_lock = threading.Lock()


def _version_engine(url: str) -> Engine:
    """The pooled engine that reads versions on ``url`` (made on first use, kept after).

    psycopg's automatic server-side prepared statements are switched off: a prepared plan keeps
    the table it was planned on, and a swap renames schemas, so the version query must be
    resolved by name on every execution.
    """
    with _version_lock:
        engine = _version_engines.get(url)
        if engine is None:
            connect_args = (
                {"prepare_threshold": None} if make_url(url).get_driver_name() == "psycopg" else {}
            )
            engine = sa.create_engine(
                url, pool_size=1, max_overflow=4, pool_pre_ping=True, connect_args=connect_args
            )
            _version_engines[url] = engine
        return engine


def _apply_pg_settings(engine: Engine, settings: tuple[str, ...]) -> None:
    """Run ``settings`` on every new connection of ``engine``, skipping any the server lacks."""
    driver_error = engine.dialect.loaded_dbapi.Error

    @sa.event.listens_for(engine, "connect")
    def _apply(dbapi_connection, _record) -> None:
        for setting in settings:
            try:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute(setting)
                dbapi_connection.commit()
            except driver_error:  # a PostgreSQL-compatible engine without the setting
                dbapi_connection.rollback()


def record_table_rows(engine: Engine, schema_name: str | None = None) -> None:
    """Count every table of a new version into ``meta_table_rows`` (``schema_name``: the
    PostgreSQL schema the version is built in, for looking up which tables it has)."""
    counted = schema.meta_table_rows
    with engine.begin() as conn:
        present = set(sa.inspect(conn).get_table_names(schema=schema_name))
        tables = [
            t for t in schema.metadata.sorted_tables if t.name in present and t is not counted
        ]
        counted.drop(conn, checkfirst=True)
        counted.create(conn)
        if not tables:
            return
        counts = conn.execute(
            sa.select(
                *[sa.select(sa.func.count()).select_from(t).scalar_subquery() for t in tables]
            )
        ).one()
        conn.execute(
            counted.insert(),
            [{"table_name": t.name, "rows": int(n)} for t, n in zip(tables, counts, strict=True)],
        )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WarehouseMissing(RuntimeError):
    """Raised when no warehouse has been built at the configured URL yet."""


@dataclass(frozen=True)
class Warehouse:
    """A warehouse location: a DuckDB file, or a schema on a PostgreSQL server."""

    url: str
    pg_schema: str = settings.DEFAULT_PG_SCHEMA

    def __post_init__(self) -> None:
        # The schema name is spliced into DDL (identifiers cannot be bound), so it must be plain.
        if not settings.SCHEMA_NAME.fullmatch(self.pg_schema):
            raise ValueError(f"Invalid warehouse schema name {self.pg_schema!r}")

    @classmethod
    def from_settings(cls, url: str | None = None) -> Warehouse:
        current = settings.current()
        return cls(url or current.warehouse_url, current.warehouse_schema)

    @property
    def dialect(self) -> str:
        return make_url(self.url).get_backend_name()

    @property
    def is_duckdb(self) -> bool:
        return self.dialect == "duckdb"

    @property
    def path(self) -> Path:
        database = make_url(self.url).database
        if not self.is_duckdb or not database or database == ":memory:":
            raise ValueError(f"{self.url} is not a DuckDB file URL")
        return Path(database)

    # ------------------------------------------------------------------ reading
    def exists(self) -> bool:
        if self.is_duckdb:
            return self.path.exists()
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return sa.inspect(conn).has_table("meta_warehouse", schema=self.pg_schema)
        finally:
            engine.dispose()

    def missing_tables(self) -> list[str]:
        """Tables this code declares that the live version lacks (one built by an older release
        of the app: a refresh writes them). Raises WarehouseMissing when there is none."""
        engine = self.reader()
        try:
            with engine.connect() as conn:
                present = set(
                    sa.inspect(conn).get_table_names(
                        schema=None if self.is_duckdb else self.pg_schema
                    )
                )
        finally:
            engine.dispose()
        return sorted(t.name for t in schema.metadata.sorted_tables if t.name not in present)

    def live_meta(self) -> dict:
        """The live version's ``meta_warehouse`` row (``source`` "demo" or "load", ``is_demo``,
        ``built_at``...), empty when it has none. Raises WarehouseMissing when there is no
        warehouse, and the database's error when the row cannot be read (not a warehouse)."""
        engine = self.reader()
        try:
            with engine.connect() as conn:
                row = conn.execute(sa.select(schema.meta_warehouse)).mappings().first()
        finally:
            engine.dispose()
        return dict(row) if row is not None else {}

    def version(self) -> str:
        """A token that changes whenever a new version is swapped in; cheap enough per rerun.

        On PostgreSQL it is read through a pooled engine kept per server URL (no new connection
        per rerun). Raises WarehouseMissing when there is no warehouse.
        """
        if self.is_duckdb:
            try:
                stat = self.path.stat()
            except FileNotFoundError as exc:
                raise WarehouseMissing(f"No warehouse at {self.path}") from exc
            return f"{stat.st_ino}-{stat.st_mtime_ns}"
        try:
            with _version_engine(self.url).connect() as conn:
                row = conn.execute(
                    sa.select(
                        schema.meta_warehouse.c.version_id, schema.meta_warehouse.c.refreshed_at
                    ),
                    execution_options={"schema_translate_map": {None: self.pg_schema}},
                ).first()
        except sa.exc.ProgrammingError as exc:
            raise WarehouseMissing(f"No warehouse in schema {self.pg_schema}") from exc
        if row is None:
            raise WarehouseMissing(f"Warehouse in schema {self.pg_schema} has no metadata row")
        return f"{row[0]}-{row[1]}"

    def reader(self) -> Engine:
        """A read-only engine on the live version (caller disposes it on a version change).

        DuckDB caches database instances by path within a process: while any connection to the
        old file is still open, ``duckdb.connect(path)`` would hand back the OLD instance after a
        swap. Each DuckDB connection therefore starts in memory and ATTACHes the file read-only,
        which always opens the file that the path names now.
        """
        if self.is_duckdb:
            if not self.path.exists():
                raise WarehouseMissing(f"No warehouse at {self.path}")
            # duckdb_engine gives ":memory:" a SingletonThreadPool: one connection per thread,
            # at most five threads; a sixth concurrent session's script thread made it close a
            # connection another thread was running a query on (the load test's errors). A
            # queue pool hands each connection to one thread at a time, however many there are.
            engine = sa.create_engine(
                "duckdb:///:memory:",
                poolclass=sa.pool.QueuePool,
                pool_size=_DUCKDB_POOL_SIZE,
                max_overflow=_DUCKDB_MAX_OVERFLOW,
            )
            attach = "ATTACH '{}' AS warehouse (READ_ONLY)".format(
                str(self.path.resolve()).replace("'", "''")
            )

            @sa.event.listens_for(engine, "connect")
            def _attach_read_only(dbapi_connection, _record) -> None:
                dbapi_connection.execute(attach)
                dbapi_connection.execute("USE warehouse")

            return engine
        engine = sa.create_engine(self.url, pool_pre_ping=True)
        search_path = 'SET search_path TO "{}"'.format(self.pg_schema.replace('"', '""'))

        @sa.event.listens_for(engine, "connect")
        def _use_schema(dbapi_connection, _record) -> None:
            # Raw SQL (the CLI, data tests, ad-hoc checks) names tables unqualified too.
            with dbapi_connection.cursor() as cursor:
                cursor.execute(search_path)
            dbapi_connection.commit()

        _apply_pg_settings(engine, _PG_READER_SETTINGS)
        return engine.execution_options(schema_translate_map={None: self.pg_schema})

    # ------------------------------------------------------------------ building
    @contextlib.contextmanager
    def build(self, copy_current: bool = False) -> Iterator[Engine]:
        """Yield a writable engine on a new version; swap it in when the block succeeds.

        With ``copy_current`` the new version starts as a copy of the live one (refresh, monthly
        load); otherwise it starts empty. On any exception the new version is discarded and the
        live one is untouched.
        """
        if self.is_duckdb:
            with self._build_duckdb(copy_current) as engine:
                yield engine
        else:
            with self._build_postgres(copy_current) as engine:
                yield engine

    @contextlib.contextmanager
    def _build_duckdb(self, copy_current: bool) -> Iterator[Engine]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._sweep_dead_duckdb_builds()
        staging = self.path.with_name(
            f".{self.path.name}.build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        )
        if copy_current:
            if not self.path.exists():
                raise WarehouseMissing(f"No warehouse at {self.path} to refresh")
            shutil.copyfile(self.path, staging)
        engine = sa.create_engine(f"duckdb:///{staging}")
        try:
            yield engine
            record_table_rows(engine)
            with engine.begin() as conn:
                conn.exec_driver_sql("CHECKPOINT")
            engine.dispose()
            os.replace(staging, self.path)
        except BaseException:
            engine.dispose()
            raise
        finally:
            for leftover in (staging, Path(f"{staging}.wal")):
                leftover.unlink(missing_ok=True)

    def _sweep_dead_duckdb_builds(self) -> None:
        """Delete staging files of builds whose process is gone (killed mid-build)."""
        pattern = re.compile(rf"\.{re.escape(self.path.name)}\.build-(\d+)-[0-9a-f]+(\.wal)?")
        for candidate in self.path.parent.iterdir():
            found = pattern.fullmatch(candidate.name)
            if found and not _process_alive(int(found.group(1))):
                candidate.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _build_postgres(self, copy_current: bool) -> Iterator[Engine]:
        live = self.pg_schema
        staging = f"{live}__build_{uuid.uuid4().hex[:8]}"
        base = sa.create_engine(self.url)
        _apply_pg_settings(base, _PG_BUILD_SETTINGS)
        self._sweep_retired_schemas(base)
        with base.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{staging}"'))
            if copy_current:
                if not sa.inspect(conn).has_table("meta_warehouse", schema=live):
                    raise WarehouseMissing(f"No warehouse in schema {live} to refresh")
                live_tables = set(sa.inspect(conn).get_table_names(schema=live))
                for table in schema.metadata.sorted_tables:
                    if table.name in live_tables:
                        # LIKE ... INCLUDING ALL keeps primary keys, unique constraints, indexes.
                        conn.execute(
                            sa.text(
                                f'CREATE TABLE "{staging}"."{table.name}" '
                                f'(LIKE "{live}"."{table.name}" INCLUDING ALL)'
                            )
                        )
                        conn.execute(
                            sa.text(
                                f'INSERT INTO "{staging}"."{table.name}" '
                                f'SELECT * FROM "{live}"."{table.name}"'
                            )
                        )
                self._add_missing_indexes(conn, staging)
        engine = base.execution_options(schema_translate_map={None: staging})
        try:
            yield engine
            record_table_rows(engine, staging)
            self._analyze(base, staging)
            self._cluster_by_month(base, staging)
            retired = f"{live}__old_{uuid.uuid4().hex[:8]}"
            with base.begin() as conn:
                # Transactional DDL: readers see the old schema or the new one, never neither.
                if sa.inspect(conn).has_schema(live):
                    conn.execute(sa.text(f'ALTER SCHEMA "{live}" RENAME TO "{retired}"'))
                conn.execute(sa.text(f'ALTER SCHEMA "{staging}" RENAME TO "{live}"'))
            self._drop_schema_if_free(base, retired)
        except BaseException:
            with base.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{staging}" CASCADE'))
            raise
        finally:
            base.dispose()

    @staticmethod
    def _add_missing_indexes(conn: sa.Connection, staging: str) -> None:
        """Create the indexes of ``schema`` that the copied tables lack (matched by columns:
        LIKE ... INCLUDING ALL names its copies itself), so a refresh brings an older
        warehouse's indexes up to date."""
        inspector = sa.inspect(conn)
        present = set(inspector.get_table_names(schema=staging))
        translated = conn.execution_options(schema_translate_map={None: staging})
        for table in schema.metadata.sorted_tables:
            if table.name not in present or not table.indexes:
                continue
            existing = {
                tuple(found["column_names"])
                for found in inspector.get_indexes(table.name, schema=staging)
            }
            for index in table.indexes:
                if tuple(c.name for c in index.columns) not in existing:
                    index.create(translated)

    @staticmethod
    def _analyze(base: Engine, staging: str) -> None:
        """Gather planner statistics on every table of the new version before it goes live.

        Bulk-loaded tables have none until autovacuum gets round to them, and without them
        PostgreSQL plans joins over a month of customers as nested loops (seconds instead of
        milliseconds on the first reads after a swap).
        """
        preparer = base.dialect.identifier_preparer
        with base.begin() as conn:
            for name in sa.inspect(conn).get_table_names(schema=staging):
                conn.execute(
                    sa.text(f"ANALYZE {preparer.quote_schema(staging)}.{preparer.quote(name)}")
                )

    @staticmethod
    def _cluster_by_month(base: Engine, staging: str) -> bool:
        """Store the customer-month fact in month order unless it already is; True if it did.

        PostgreSQL keeps rows in the order they were written, and the demo and a full load
        write customer by customer: one month's rows then lie on every page of the table, and
        a province-wide read of one month scans all 24 months. In month order the month index
        reads a month's pages only. A refresh copies the live table in its order, so the
        planner's correlation of ``month_start`` (from the ANALYZE just run) is then already
        near 1 and the rewrite is skipped.
        """
        table = schema.fact_customer_month.name
        with base.begin() as conn:
            correlation = conn.execute(
                sa.text(
                    "SELECT correlation FROM pg_stats WHERE schemaname = :s "
                    "AND tablename = :t AND attname = 'month_start'"
                ),
                {"s": staging, "t": table},
            ).scalar()
            if correlation is None or abs(correlation) >= _CLUSTERED_CORRELATION:
                return False  # no such table or no rows yet, or in month order already
            index = next(
                found["name"]
                for found in sa.inspect(conn).get_indexes(table, schema=staging)
                if found["column_names"][:1] == ["month_start"]
            )
            conn.execute(sa.text(f'CLUSTER "{staging}"."{table}" USING "{index}"'))
            conn.execute(sa.text(f'ANALYZE "{staging}"."{table}"'))
        return True

    def _drop_schema_if_free(self, base: Engine, name: str) -> bool:
        """Drop a retired schema unless a reader still holds it (then the next build sweeps it).

        DROP waits for every open transaction that read the old tables; a short lock timeout
        keeps a long report in another session from holding up the build.
        """
        try:
            with base.begin() as conn:
                conn.execute(sa.text(f"SET LOCAL lock_timeout = '{_DROP_LOCK_TIMEOUT_MS}ms'"))
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        except sa.exc.OperationalError:
            return False
        return True

    def _sweep_retired_schemas(self, base: Engine) -> None:
        with base.connect() as conn:
            retired = conn.execute(
                sa.text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
                {"prefix": f"{self.pg_schema}__old_"},
            ).scalars()
            names = list(retired)
        for name in names:
            self._drop_schema_if_free(base, name)

    def drop(self) -> None:
        """Remove the warehouse entirely (tests and ``demo --replace`` on PostgreSQL)."""
        if self.is_duckdb:
            self.path.unlink(missing_ok=True)
            Path(f"{self.path}.wal").unlink(missing_ok=True)
            return
        engine = sa.create_engine(self.url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.pg_schema}" CASCADE'))
        engine.dispose()
