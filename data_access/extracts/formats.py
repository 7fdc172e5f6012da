"""The extract format of every source table, derived from the warehouse contract.

One :class:`TableFormat` per dimension and fact table in :mod:`data_access.schema` (never the
marts, which refresh rebuilds): column names in order, types, nullability, units, the values a
column may take (the code lists of :mod:`catalogue.codes`, via the data tests), the key,
references to other tables, and the value rules the loader enforces. The exporter writes exactly
this, the validator checks exactly this, and ``docs/extracts.md`` documents exactly this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa
import sqlalchemy as sa

from analytics import rules
from catalogue import codes
from data_access import data_tests, schema

FORMATS = ("csv", "parquet")
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")

# Dates that legitimately lie after the as-of month (a deposit's maturity, a target's period).
FORWARD_DATES = frozenset({"maturity_on", "period_start", "period_end"})
# Columns holding the first day of a period, and the period's length in months.
PERIOD_COLUMNS = {"month_start": 1, "quarter_start": 3}
# An event date and the period column it must fall in (same row).
EVENT_PERIODS = {
    ("fact_product_sale", "sold_on"): "month_start",
    ("fact_vip_service_use", "used_on"): "month_start",
    ("fact_6s_inspection", "inspected_on"): "quarter_start",
}
# Pairs (start, end) where the end may not come before the start.
DATE_ORDER = (
    ("opened_on", "closed_on"),
    ("period_start", "period_end"),
    ("hired_on", "role_since"),
)

# Facts replaced month by month in month mode; every other table is upserted by its key.
MONTH_GRAINED = {
    "fact_customer_month": "month_start",
    "fact_product_sale": "month_start",
    "fact_vip_service_use": "month_start",
    "fact_service_quality_month": "month_start",
}

# Tier fields the loader computes with analytics.tiers when an extract leaves them blank.
TIER_FIELDS = ("raw_tier_code", "tier_code", "months_below_floor")
# The month's daily-average balances (月日均) of fact_customer_month: a core system exports them per
# account and month. Deposit cost and 存款偏离度 divide by them, so a file without them, or a row
# with one blank, is refused: a missing daily average is never read as zero.
DAILY_AVERAGE_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in schema.fact_customer_month.columns if c.name.endswith("_avg_rmb")
)


def required_reason(table: str, column: str) -> str:
    """Why a required column of ``table`` cannot be missing or blank, beyond being required
    (empty for most columns)."""
    if table == "fact_customer_month" and column in DAILY_AVERAGE_COLUMNS:
        return (
            "the month's daily-average balance (月日均) as the core system exports it: deposit "
            "cost and 存款偏离度 divide by it, and a missing daily average is not read as zero"
        )
    return ""


@dataclass(frozen=True)
class PatternRule:
    """A text format a column must match (a full match of ``regex``)."""

    rule: str
    regex: str
    description: str


PATTERNS: dict[tuple[str, str], PatternRule] = {
    ("dim_customer", "id_number"): PatternRule(
        "id_number_format",
        r"[0-9]{17}[0-9X]",
        "18 characters: 17 digits, then a digit or an upper-case X (居民身份证号码)",
    ),
    ("dim_customer", "mobile"): PatternRule(
        "mobile_format", r"1[3-9][0-9]{9}", "11 digits starting 13-19 (mainland mobile)"
    ),
    ("dim_customer", "card_number"): PatternRule(
        "card_number_format", r"[0-9]{12,19}", "12 to 19 digits (bank card number, PAN)"
    ),
}

# Authentication data must never leave the core system (PCI DSS 3.2, JR/T 0171-2020 个人金融信息
# 保护技术规范 C3): a column whose name looks like one is refused before its values are read.
_AUTH_TOKENS = frozenset(
    {
        "password", "passwd", "passwords", "pwd", "pass", "passcode", "pin", "pins", "pinblock",
        "cvv", "cvv2", "cvc", "cvc2", "cvn", "cvn2", "cav2", "cid", "csc", "otp", "secret",
    }
)  # fmt: skip
_AUTH_PHRASES = (
    "security_code", "securitycode", "pin_block", "pin_code", "track1", "track2", "track_1",
    "track_2", "track_data", "magnetic_stripe", "mag_stripe",
    "密码", "安全码", "验证码", "磁道", "口令",
)  # fmt: skip


def is_authentication_column(name: str) -> bool:
    """True when a column name looks like passwords, PINs, card security codes or track data."""
    text = name.strip().lower()
    normalized = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "_", text).strip("_")
    tokens = set(normalized.split("_"))
    return bool(tokens & _AUTH_TOKENS) or any(p in normalized for p in _AUTH_PHRASES)


@dataclass(frozen=True)
class ColumnFormat:
    """One column of an extract file."""

    name: str
    kind: str  # bigint | integer | smallint | double | date | boolean | text
    nullable: bool
    max_length: int | None = None
    unit: str = ""
    allowed: tuple[str, ...] | None = None
    code_list: str | None = None  # the catalogue.codes list ``allowed`` comes from, if any
    pattern: PatternRule | None = None
    non_negative: bool = False

    @property
    def type_label(self) -> str:
        return f"text({self.max_length})" if self.kind == "text" else self.kind

    @property
    def duck_type(self) -> str:
        """The DuckDB type the validator casts to."""
        return {"text": "VARCHAR", "double": "DOUBLE"}.get(self.kind, self.kind.upper())

    @property
    def arrow_type(self) -> pa.DataType:
        return {
            "bigint": pa.int64(),
            "integer": pa.int32(),
            "smallint": pa.int16(),
            "double": pa.float64(),
            "date": pa.date32(),
            "boolean": pa.bool_(),
            "text": pa.string(),
        }[self.kind]


@dataclass(frozen=True)
class Reference:
    """``column`` of this table must exist in ``parent_table.parent_column``."""

    column: str
    parent_table: str
    parent_column: str


@dataclass(frozen=True)
class TableFormat:
    """The extract of one source table: one file, its columns and the rules on them."""

    table: sa.Table
    columns: tuple[ColumnFormat, ...]
    key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    references: tuple[Reference, ...] = ()
    month_column: str | None = None
    event_dates: tuple[str, ...] = field(default=())
    period_columns: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnFormat:
        return next(c for c in self.columns if c.name == name)

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type, c.nullable) for c in self.columns])

    @property
    def is_dimension(self) -> bool:
        return self.name.startswith("dim_")


def _kind(column: sa.Column) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.DateTime):
        raise TypeError(f"{column.table.name}.{column.name}: timestamps are not in extracts")
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.BigInteger):
        return "bigint"
    if isinstance(kind, sa.SmallInteger):
        return "smallint"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Float):
        return "double"
    if isinstance(kind, sa.String):
        return "text"
    raise TypeError(f"{column.table.name}.{column.name}: no extract type for {kind!r}")


def unit_of(name: str, kind: str) -> str:
    """The unit a column is in, from the naming convention of the warehouse."""
    if name.endswith("_rmb"):
        return "RMB (yuan, 2 decimals)"
    if name.startswith("count_") or name.startswith("months_"):
        return "count"
    if name.endswith("_pct"):
        return "percent (0-100)"
    if name.endswith("_minutes"):
        return "minutes"
    if name.endswith("_10k"):
        return "10,000 people"
    if name in PERIOD_COLUMNS:
        return "first day of the " + ("month" if PERIOD_COLUMNS[name] == 1 else "quarter")
    if name.endswith("_id"):
        return "identifier"
    if name == "birth_year":
        return "year"
    if name == "term_months":
        return "months"
    if name.startswith("score_") or name.endswith("_score"):
        return "points"
    if kind == "date":
        return "date (YYYY-MM-DD)"
    return ""


def _allowed() -> dict[tuple[str, str], tuple[str, ...]]:
    return {(c.table.name, c.name): tuple(values) for c, values in data_tests.ACCEPTED_VALUES}


def _code_list(table: sa.Table, column: sa.Column) -> str | None:
    found = codes.list_of_column(f"{table.name}.{column.name}")
    return found.name if found else None


def _non_negative(table: sa.Table, name: str, kind: str) -> bool:
    if (table.name, name) in {(c.table.name, c.name) for c in data_tests.NON_NEGATIVE}:
        return True
    # Balances, flows and counts cannot be negative anywhere in the source tables.
    return kind in ("double", "integer", "bigint", "smallint") and (
        name.endswith("_rmb")
        or name.startswith("count_")
        or name.startswith("months_")
        or name.endswith("_minutes")
    )


def _column_format(table: sa.Table, column: sa.Column, allowed: dict) -> ColumnFormat:
    kind = _kind(column)
    is_key = column.primary_key
    return ColumnFormat(
        name=column.name,
        kind=kind,
        nullable=bool(column.nullable) and not is_key,
        max_length=getattr(column.type, "length", None) if kind == "text" else None,
        unit=unit_of(column.name, kind),
        allowed=allowed.get((table.name, column.name)),
        code_list=_code_list(table, column),
        pattern=PATTERNS.get((table.name, column.name)),
        non_negative=_non_negative(table, column.name, kind),
    )


def _unique_sets(table: sa.Table) -> tuple[tuple[str, ...], ...]:
    found = []
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and not isinstance(
            constraint, sa.PrimaryKeyConstraint
        ):
            found.append(tuple(c.name for c in constraint.columns))
    for column in table.columns:
        if column.unique:
            found.append((column.name,))
    return tuple(dict.fromkeys(found))


def _table_format(table: sa.Table) -> TableFormat:
    allowed = _allowed()
    columns = tuple(_column_format(table, c, allowed) for c in table.columns)
    references = tuple(
        Reference(child.name, parent.table.name, parent.name)
        for child, parent in data_tests.RELATIONSHIPS
        if child.table.name == table.name
    )
    event_dates = tuple(
        c.name
        for c in columns
        if c.kind == "date" and c.name not in FORWARD_DATES and c.name not in PERIOD_COLUMNS
    )
    periods = tuple(c.name for c in columns if c.name in PERIOD_COLUMNS)
    return TableFormat(
        table=table,
        columns=columns,
        key=tuple(c.name for c in table.primary_key.columns),
        unique=_unique_sets(table),
        references=references,
        month_column=MONTH_GRAINED.get(table.name),
        event_dates=event_dates,
        period_columns=periods,
    )


TABLE_FORMATS: dict[str, TableFormat] = {t.name: _table_format(t) for t in schema.SOURCE_TABLES}


def table_format(name: str) -> TableFormat:
    """The format of one source table; ``KeyError`` for a table that is not extracted."""
    return TABLE_FORMATS[name]


def asset_parts() -> tuple[str, ...]:
    """The asset-class columns whose sum is ``aum_rmb`` (financial assets; loans excluded)."""
    return rules.ASSET_COLUMNS


__all__ = [
    "DAILY_AVERAGE_COLUMNS",
    "ENCODINGS",
    "FORMATS",
    "MONTH_GRAINED",
    "TABLE_FORMATS",
    "TIER_FIELDS",
    "ColumnFormat",
    "PatternRule",
    "Reference",
    "TableFormat",
    "is_authentication_column",
    "required_reason",
    "table_format",
]
