"""Where the two stores live: environment first, then .streamlit/secrets.toml, then defaults.

Read without Streamlit so the command line and the app agree on the same URLs.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"

DEFAULT_WAREHOUSE_URL = f"duckdb:///{DATA_DIR / 'warehouse.duckdb'}"
DEFAULT_APP_DB_URL = f"sqlite:///{DATA_DIR / 'app.sqlite'}"
DEFAULT_PG_SCHEMA = "pcrm"


def _secrets() -> dict:
    if not SECRETS_FILE.exists():
        return {}
    with SECRETS_FILE.open("rb") as handle:
        return tomllib.load(handle).get("pcrm", {})


def _setting(env_name: str, secret_name: str, default: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    return str(_secrets().get(secret_name, default))


def warehouse_url() -> str:
    """SQLAlchemy URL of the warehouse (``PCRM_WAREHOUSE_URL`` or secrets ``warehouse_url``)."""
    return _setting("PCRM_WAREHOUSE_URL", "warehouse_url", DEFAULT_WAREHOUSE_URL)


def warehouse_schema() -> str:
    """Schema that holds the live warehouse on PostgreSQL (``PCRM_WAREHOUSE_SCHEMA``)."""
    return _setting("PCRM_WAREHOUSE_SCHEMA", "warehouse_schema", DEFAULT_PG_SCHEMA)


def app_db_url() -> str:
    """SQLAlchemy URL of the read-write app store (``PCRM_APP_DB_URL``)."""
    return _setting("PCRM_APP_DB_URL", "app_db_url", DEFAULT_APP_DB_URL)


def audit_hash_key() -> str:
    """Key of the keyed hashes in the audit log (``PCRM_AUDIT_HASH_KEY`` or secrets
    ``audit_hash_key``); "" when not configured: the app store then generates one on first use
    (``data_access.app_store.audit_hash_key``)."""
    return _setting("PCRM_AUDIT_HASH_KEY", "audit_hash_key", "")


def stale_after_days() -> int:
    """Age of the warehouse after which pages show a staleness banner."""
    return int(_setting("PCRM_STALE_AFTER_DAYS", "stale_after_days", "45"))


def load_journal_dir() -> Path:
    """Folder where every extract load records its outcome and keeps its rejection report.

    ``PCRM_LOAD_JOURNAL_DIR`` or secrets ``load_journal_dir``; default ``data/load_journal``. A
    rejected load must leave the warehouse untouched, so its outcome cannot live there: the
    data-quality page reads it from here.
    """
    default = str(DATA_DIR / "load_journal")
    return Path(_setting("PCRM_LOAD_JOURNAL_DIR", "load_journal_dir", default))
