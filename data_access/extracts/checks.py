"""Row-level checks on staged files: types, blanks, values, dates, keys and references.

Every check is a condition on one staged file. All of a file's column checks are counted in one
scan; only the checks that fail are queried again for their first offending lines, so a valid
file of tens of millions of rows costs one pass plus the key and reference joins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.extracts.formats import (
    DATE_ORDER,
    EVENT_PERIODS,
    PERIOD_COLUMNS,
    TIER_FIELDS,
    ColumnFormat,
    asset_parts,
    required_reason,
)
from data_access.extracts.problems import Rejection, Rejections, shown_value
from data_access.extracts.staging import EXAMPLES, Scratch, StagedFile, ident, literal


@dataclass(frozen=True)
class Check:
    column: str
    rule: str
    condition: str
    value: str
    message: str


@dataclass(frozen=True)
class Dates:
    """The dates the date rules compare against."""

    today: dt.date
    as_of_month: dt.date

    @property
    def as_of_end(self) -> dt.date:
        nxt = dt.date(self.as_of_month.year + self.as_of_month.month // 12,
                      self.as_of_month.month % 12 + 1, 1)  # fmt: skip
        return nxt - dt.timedelta(days=1)


def _date(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'"


def _blank(staged: StagedFile, column: ColumnFormat) -> str:
    raw = ident(column.name)
    if staged.is_csv and column.kind == "text":
        return f"({raw} IS NULL OR {raw} = '')"
    return f"{raw} IS NULL"


def _presence_checks(staged: StagedFile, column: ColumnFormat) -> list[Check]:
    raw, typed = ident(column.name), staged.typed(column)
    checks = []
    if column.kind != "text":
        checks.append(
            Check(
                column.name,
                "type_mismatch",
                f"{raw} IS NOT NULL AND {typed} IS NULL",
                raw,
                f"expected {column.type_label}, e.g. {EXAMPLES[column.kind]}",
            )
        )
    if column.nullable:
        return checks
    spec = staged.spec
    if spec.name == "fact_customer_month" and column.name in TIER_FIELDS:
        present = [c for c in TIER_FIELDS if c in staged.usable]
        all_blank = " AND ".join(_blank(staged, spec.column(c)) for c in present)
        checks.append(
            Check(
                column.name,
                "tier_fields_partial",
                f"{_blank(staged, column)} AND NOT ({all_blank})",
                raw,
                "fill raw_tier_code, tier_code and months_below_floor, or leave all three "
                "blank for the loader to compute",
            )
        )
        return checks
    is_key = column.name in spec.key
    reason = required_reason(spec.name, column.name)
    checks.append(
        Check(
            column.name,
            "null_key" if is_key else "not_null",
            _blank(staged, column),
            raw,
            "a key column must have a value"
            if is_key
            else "a value is required" + (f": {reason}" if reason else ""),
        )
    )
    return checks


def _value_checks(staged: StagedFile, column: ColumnFormat, dates: Dates) -> list[Check]:
    raw, typed = ident(column.name), staged.typed(column)
    name = column.name
    checks = []
    if column.max_length:
        checks.append(
            Check(
                name,
                "too_long",
                f"length({raw}) > {column.max_length}",
                raw,
                f"at most {column.max_length} characters",
            )
        )
    if column.kind == "text" and not staged.is_csv:
        checks.append(
            Check(
                name,
                "replacement_character",
                f"contains({raw}, '\ufffd')",
                raw,
                "U+FFFD replacement character: the text was damaged by a wrong encoding upstream",
            )
        )
    if column.allowed:
        allowed = ", ".join(literal(v) for v in column.allowed)
        checks.append(
            Check(
                name,
                "accepted_values",
                f"{typed} NOT IN ({allowed})",
                raw,
                (f"not a {column.code_list} code; " if column.code_list else "")
                + f"must be one of {', '.join(column.allowed)}",
            )
        )
    if column.pattern:
        checks.append(
            Check(
                name,
                column.pattern.rule,
                f"NOT regexp_full_match({typed}, {literal(column.pattern.regex)})",
                raw,
                f"must be {column.pattern.description}",
            )
        )
    if column.non_negative:
        checks.append(
            Check(
                name, "negative_amount", f"{typed} < 0", raw, f"cannot be negative ({column.unit})"
            )
        )
    if column.kind != "date":
        return checks
    limit = None
    if name in staged.spec.event_dates:
        limit = dates.as_of_end
    elif name in PERIOD_COLUMNS:
        limit = dates.as_of_month
        months = PERIOD_COLUMNS[name]
        first = "month(" + typed + ") % 3 = 1" if months == 3 else "true"
        checks.append(
            Check(
                name,
                "not_period_start",
                f"NOT (day({typed}) = 1 AND {first})",
                raw,
                f"must be the first day of a {'quarter' if months == 3 else 'month'}",
            )
        )
    if limit is not None:
        checks.append(
            Check(
                name,
                "future_date",
                f"{typed} > {_date(dates.today)}",
                raw,
                f"is in the future (the load runs on {dates.today.isoformat()})",
            )
        )
        checks.append(
            Check(
                name,
                "date_after_as_of",
                f"{typed} > {_date(limit)} AND {typed} <= {_date(dates.today)}",
                raw,
                f"is after the extract's as-of month {dates.as_of_month:%Y-%m} "
                f"(latest allowed {limit.isoformat()})",
            )
        )
    return checks


def _row_checks(staged: StagedFile, months: list[dt.date] | None) -> list[Check]:
    """Rules across the columns of one row."""
    spec, usable = staged.spec, staged.usable
    checks = []

    def typed(name: str) -> str:
        return staged.typed(spec.column(name))

    for (table, event), period in EVENT_PERIODS.items():
        if table == spec.name and {event, period} <= usable:
            unit = "quarter" if PERIOD_COLUMNS[period] == 3 else "month"
            checks.append(
                Check(
                    event,
                    "period_mismatch",
                    f"date_trunc('{unit}', {typed(event)}) <> {typed(period)}",
                    ident(event),
                    f"{event} must fall in the {unit} given by {period}",
                )
            )
    for start, end in DATE_ORDER:
        if {start, end} <= usable:
            checks.append(
                Check(
                    end,
                    "date_order",
                    f"{typed(end)} < {typed(start)}",
                    ident(end),
                    f"{end} cannot be before {start}",
                )
            )
    parts = asset_parts()
    if spec.name == "fact_customer_month" and {"aum_rmb", *parts} <= usable:
        total = " + ".join(f"coalesce({typed(p)}, 0)" for p in parts)
        checks.append(
            Check(
                "aum_rmb",
                "aum_mismatch",
                f"abs({typed('aum_rmb')} - ({total})) > 0.011",
                ident("aum_rmb"),
                "aum_rmb must equal the sum of the six asset-class balances (loans excluded)",
            )
        )
    if spec.name == "fact_customer_month":
        checks += _deposit_row_checks(usable, typed)
    if months is not None and spec.month_column in usable:
        listed = ", ".join(_date(m) for m in months)
        checks.append(
            Check(
                spec.month_column,
                "month_outside_extract",
                f"{typed(spec.month_column)} NOT IN ({listed})",
                ident(spec.month_column),
                "a month extract may only hold the months listed in the manifest ("
                + ", ".join(f"{m:%Y-%m}" for m in months)
                + ")",
            )
        )
    return checks


def _deposit_row_checks(usable: set[str], typed) -> list[Check]:
    """Deposits' daily average within financial assets', 大额存单 within time deposits."""
    checks = []
    deposit_avg = ("demand_deposit_avg_rmb", "time_deposit_avg_rmb")
    if {"aum_avg_rmb", *deposit_avg} <= usable:
        total = " + ".join(typed(c) for c in deposit_avg)
        checks.append(
            Check(
                "aum_avg_rmb",
                "deposit_avg_above_aum_avg",
                f"({total}) > {typed('aum_avg_rmb')} + 0.011",
                ident("aum_avg_rmb"),
                "demand_deposit_avg_rmb + time_deposit_avg_rmb cannot be above aum_avg_rmb "
                "(financial assets' daily average includes the deposits')",
            )
        )
    for part, whole in (
        ("large_cd_rmb", "time_deposit_rmb"),
        ("large_cd_avg_rmb", "time_deposit_avg_rmb"),
        ("large_cd_interest_rmb", "time_deposit_interest_rmb"),
    ):
        if {part, whole} <= usable:
            checks.append(
                Check(
                    part,
                    "large_cd_above_time_deposits",
                    f"{typed(part)} > {typed(whole)} + 0.011",
                    ident(part),
                    f"{part} cannot be above {whole} (大额存单 are time deposits)",
                )
            )
    return checks


def column_checks(
    scratch: Scratch,
    staged: StagedFile,
    dates: Dates,
    months: list[dt.date] | None,
    rejections: Rejections,
) -> None:
    """Run every column and row rule on one file in a single counting scan."""
    checks: list[Check] = []
    for column in staged.spec.columns:
        if column.name in staged.usable:
            checks += _presence_checks(staged, column)
            checks += _value_checks(staged, column, dates)
    checks += _row_checks(staged, months)
    if not checks:
        return
    counts = scratch.sql(
        "SELECT " + ", ".join(f"count_if({c.condition})" for c in checks) + f" FROM {staged.raw}"
    )[0]
    for check, total in zip(checks, counts, strict=True):
        if not total:
            continue
        rows = scratch.sql(
            f"SELECT _line, CAST({check.value} AS VARCHAR) FROM {staged.raw} "
            f"WHERE {check.condition} ORDER BY _line LIMIT {rejections.max_per_rule}"
        )
        rejections.add_rows(
            staged.entry.file, check.column, check.rule, rows, int(total), check.message
        )


def key_checks(scratch: Scratch, staged: StagedFile, rejections: Rejections) -> None:
    """Each key (primary and unique) must be unique in the file."""
    for key in (staged.spec.key, *staged.spec.unique):
        if not set(key) <= staged.usable:
            continue
        cols = ", ".join(ident(k) for k in key)
        not_null = " AND ".join(f"{ident(k)} IS NOT NULL" for k in key)
        groups = (
            f"SELECT {cols}, min(_line) AS first_line, count(*) AS n FROM {staged.src} "
            f"WHERE {not_null} GROUP BY {cols} HAVING count(*) > 1"
        )
        total = scratch.sql(f"SELECT coalesce(sum(n - 1), 0) FROM ({groups})")[0][0]
        if not total:
            continue
        shown = " || '|' || ".join(f"CAST(s.{ident(k)} AS VARCHAR)" for k in key)
        rows = scratch.sql(
            f"SELECT s._line, {shown}, d.first_line FROM {staged.src} s "
            f"JOIN ({groups}) d USING ({cols}) WHERE s._line > d.first_line "
            f"ORDER BY s._line LIMIT {rejections.max_per_rule}"
        )
        for line, value, first in rows:
            rejections.add(
                Rejection(
                    staged.entry.file,
                    line,
                    ", ".join(key),
                    "duplicate_key",
                    shown_value(key[0] if len(key) == 1 else "", value),
                    f"({', '.join(key)}) repeats line {first}; each must be unique",
                )
            )
        rejections.add_more(
            staged.entry.file, ", ".join(key), "duplicate_key", int(total) - len(rows), int(total)
        )


def reference_check(
    scratch: Scratch,
    staged: StagedFile,
    column: str,
    parents: list[str],
    parent_label: str,
    rejections: Rejections,
) -> None:
    """Values of ``column`` must exist in the union of the ``parents`` key relations."""
    known = " UNION ALL ".join(parents)
    col = ident(column)
    condition = f"s.{col} IS NOT NULL AND s.{col} NOT IN (SELECT k FROM ({known}))"
    base = f"FROM {staged.src} s WHERE {condition}"
    total = scratch.sql(f"SELECT count(*) {base}")[0][0]
    if not total:
        return
    rows = scratch.sql(
        f"SELECT s._line, CAST(s.{col} AS VARCHAR) {base} "
        f"ORDER BY s._line LIMIT {rejections.max_per_rule}"
    )
    rejections.add_rows(
        staged.entry.file,
        column,
        "broken_reference",
        rows,
        int(total),
        f"no such {parent_label}",
    )
