"""Fixtures shared by every test: PostgreSQL, the demo warehouses, viewers per role, isolation.

PostgreSQL tests skip with a clear reason when no server answers at 127.0.0.1:5432, unless
``PCRM_REQUIRE_PG=1`` (set by ``.ci/run``), which turns the skip into a failure. The same holds
for the browser (``PCRM_REQUIRE_BROWSER=1``).
"""

from __future__ import annotations

import os

# One thread for the native maths libraries (OpenMP in scikit-learn's gradient boosting and
# k-means, OpenBLAS in numpy and scipy), set before any of them loads; subprocesses (the e2e
# Streamlit server) inherit it. The demo warehouses train a churn model on 24,000 rows: with two
# threads the OpenMP workers spin waiting for each other whenever a core is busy elsewhere (the
# PostgreSQL server, another test process), and building the test demo took 754 s instead of
# 80 s on a loaded machine (CPU 166 s instead of 17 s). The product keeps the libraries'
# defaults (one thread per core).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_access import query, schema
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

PG_URL = os.environ.get("PCRM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHROMIUM = Path(os.environ.get("PCRM_CHROMIUM", "/usr/bin/chromium"))

# Branches of the small test demos: 900 customers on average instead of the real outlet's 8,400
# (data_access.demo.organisation.CUSTOMERS_PER_BRANCH), so that 3,000 customers still make
# four branches in two cooperatives, and every per-branch page and test has several to compare.
TEST_CUSTOMERS_PER_BRANCH = 900

# The small demo every data-layer test shares (built once per session and backend).
DEMO_SIZE = {
    "customers": 3000,
    "customers_per_branch": TEST_CUSTOMERS_PER_BRANCH,
    "months": 15,
    "seed": 11,
    "as_of": dt.date(2026, 9, 1),
    "progress": False,
    "train_churn": True,  # a churn model trained on the demo (into the scratch models folder)
}


def _required(env_name: str) -> bool:
    return os.environ.get(env_name, "") == "1"


def skip_or_fail(reason: str, env_name: str) -> None:
    """Skip the test with ``reason``, or fail it when ``env_name=1`` (CI) makes it mandatory."""
    if _required(env_name):
        pytest.fail(f"{reason} ({env_name}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


def new_pg_schema_name() -> str:
    """A fresh schema name that the Warehouse accepts (``pcrm_t_`` and 8 hex digits)."""
    return f"pcrm_t_{uuid.uuid4().hex[:8]}"


def drop_pg_schemas(url: str, name: str) -> None:
    """Drop schema ``name`` and any staging / retired schemas a build left beside it."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            names = conn.execute(
                sa.text(
                    "SELECT nspname FROM pg_namespace "
                    "WHERE nspname = :name OR starts_with(nspname, :prefix)"
                ),
                {"name": name, "prefix": f"{name}__"},
            ).scalars()
            for found in list(names):
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{found}" CASCADE'))
    finally:
        engine.dispose()


# ------------------------------------------------------------------ isolation


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point both stores at scratch locations so no test touches data/ or a configured server.

    Tests that need a warehouse pass one explicitly (``use_warehouse`` or a fixture below).
    """
    scratch = tmp_path_factory.mktemp("settings")
    names = ("PCRM_WAREHOUSE_URL", "PCRM_APP_DB_URL", "PCRM_LOAD_JOURNAL_DIR", "PCRM_MODEL_DIR")
    saved = {k: os.environ.get(k) for k in names}
    os.environ["PCRM_WAREHOUSE_URL"] = f"duckdb:///{scratch / 'no-warehouse.duckdb'}"
    os.environ["PCRM_APP_DB_URL"] = f"sqlite:///{scratch / 'app.sqlite'}"
    os.environ["PCRM_LOAD_JOURNAL_DIR"] = str(scratch / "load_journal")
    os.environ["PCRM_MODEL_DIR"] = str(scratch / "models")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def _reset_data_layer() -> Iterator[None]:
    """Forget any warehouse a test pointed the data layer at (and dispose its engines)."""
    yield
    query.use_warehouse(None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use PostgreSQL fixtures with ``pg`` so ``-m "not pg"`` works."""
    for item in items:
        if {"pg_url", "pg_schema", "demo_pg"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pg)


# ------------------------------------------------------------------ PostgreSQL


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL test server's SQLAlchemy URL; skip (or fail under CI) when it is down."""
    import psycopg

    conninfo = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure to connect means "no server for these tests"
        where = f"{make_url(PG_URL).host}:{make_url(PG_URL).port or 5432}"
        skip_or_fail(f"PostgreSQL not reachable at {where}: {exc}", "PCRM_REQUIRE_PG")
    return PG_URL


@pytest.fixture
def pg_schema(pg_url: str) -> Iterator[str]:
    """A fresh schema name for one test; the schema and its build leftovers are dropped after."""
    name = new_pg_schema_name()
    yield name
    drop_pg_schemas(pg_url, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty app store: a SQLite file in a folder that does not exist yet, or a
    fresh PostgreSQL schema selected through the connection's search_path."""
    from data_access import app_store

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'folder' / 'app.sqlite'}"
        app_store.dispose_engines()
        return
    pg_url = request.getfixturevalue("pg_url")
    name = request.getfixturevalue("pg_schema")
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    yield f"{pg_url}?options={quote(f'-csearch_path={name}')}"
    app_store.dispose_engines()  # before pg_schema drops the schema


@pytest.fixture
def settings_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite app store that the settings point at (``PCRM_APP_DB_URL``); its URL."""
    from data_access import app_store

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("PCRM_APP_DB_URL", url)
    yield url
    app_store.dispose_engines()


# ------------------------------------------------------------------ demo warehouses


def _build_demo(warehouse: Warehouse) -> Warehouse:
    from data_access.demo import build_demo

    build_demo(warehouse, **DEMO_SIZE)
    return warehouse


@pytest.fixture(scope="session")
def demo_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A small demo warehouse in a DuckDB file, built once per session."""
    path = tmp_path_factory.mktemp("demo-duckdb") / "warehouse.duckdb"
    return _build_demo(Warehouse(f"duckdb:///{path}"))


@pytest.fixture(scope="session")
def demo_pg(pg_url: str) -> Iterator[Warehouse]:
    """The same demo warehouse in its own PostgreSQL schema, dropped at the end of the session."""
    name = new_pg_schema_name()
    try:
        yield _build_demo(Warehouse(pg_url, pg_schema=name))
    finally:
        drop_pg_schemas(pg_url, name)


@pytest.fixture
def app_store_url(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """The app (AppTest) pointed at the DuckDB demo and a fresh SQLite app store; its URL."""
    from data_access import app_store
    from tests.test_app_shell import use_stores

    yield use_stores(monkeypatch, demo_duckdb.url, tmp_path)
    app_store.dispose_engines()


# ------------------------------------------------------------------ viewers


def viewers_for(warehouse: Warehouse) -> dict[str, Viewer]:
    """One Viewer per role, placed in the warehouse's organisation.

    The branch head, cooperative and prefecture managers sit on the first branch (lowest id);
    the wealth manager is the staff member with role ``wealth_manager`` who has the most
    customers (lowest id on ties), so their scope is never trivially empty.
    """
    b, s, c = schema.dim_branch.c, schema.dim_staff.c, schema.dim_customer.c
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            branch = conn.execute(
                sa.select(b.branch_id, b.cooperative_id, b.prefecture_id)
                .order_by(b.branch_id)
                .limit(1)
            ).one()
            head_staff = conn.execute(
                sa.select(sa.func.min(s.staff_id)).where(
                    s.branch_id == branch.branch_id, s.role == "branch_head"
                )
            ).scalar()
            customers = sa.func.count(c.customer_id)
            wealth = conn.execute(
                sa.select(s.staff_id, s.branch_id)
                .select_from(
                    schema.dim_staff.outerjoin(schema.dim_customer, c.rm_staff_id == s.staff_id)
                )
                .where(s.role == "wealth_manager")
                .group_by(s.staff_id, s.branch_id)
                .order_by(customers.desc(), s.staff_id)
                .limit(1)
            ).one()
            wealth_branch = conn.execute(
                sa.select(b.cooperative_id, b.prefecture_id).where(b.branch_id == wealth.branch_id)
            ).one()
    finally:
        engine.dispose()
    org = {
        "prefecture_id": branch.prefecture_id,
        "cooperative_id": branch.cooperative_id,
        "branch_id": branch.branch_id,
    }
    return {
        "executive": Viewer("t-executive", "executive", "Executive"),
        "prefecture_manager": Viewer(
            "t-prefecture",
            "prefecture_manager",
            "Prefecture manager",
            prefecture_id=branch.prefecture_id,
        ),
        "cooperative_manager": Viewer(
            "t-cooperative",
            "cooperative_manager",
            "Cooperative manager",
            prefecture_id=branch.prefecture_id,
            cooperative_id=branch.cooperative_id,
        ),
        "branch_head": Viewer(
            "t-branch-head", "branch_head", "Branch head", staff_id=head_staff, **org
        ),
        "wealth_manager": Viewer(
            "t-wealth-manager",
            "wealth_manager",
            "Wealth manager",
            prefecture_id=wealth_branch.prefecture_id,
            cooperative_id=wealth_branch.cooperative_id,
            branch_id=wealth.branch_id,
            staff_id=wealth.staff_id,
        ),
        "analyst": Viewer("t-analyst", "analyst", "Analyst"),
        "admin": Viewer("t-admin", "admin", "Administrator"),
    }


@pytest.fixture
def viewers(request: pytest.FixtureRequest) -> Callable[[Warehouse | None], dict[str, Viewer]]:
    """``viewers(warehouse=None)`` -> {role: Viewer}; without an argument, on ``demo_duckdb``."""
    cache: dict[tuple[str, str], dict[str, Viewer]] = {}

    def build(warehouse: Warehouse | None = None) -> dict[str, Viewer]:
        warehouse = warehouse or request.getfixturevalue("demo_duckdb")
        key = (warehouse.url, warehouse.pg_schema)
        if key not in cache:
            cache[key] = viewers_for(warehouse)
        return cache[key]

    return build


# ------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium for Playwright; skip (or fail under CI) when it is not installed."""
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM}", "PCRM_REQUIRE_BROWSER")
    return CHROMIUM
