"""Extracts: export -> load round trips, one rejected fixture per class of bad input, month mode,
tier computation, and loads that fail or are killed midway (data_access/extracts/).

Every bad fixture is the valid sample (tests/data/extract_sample) copied into tmp_path with one
thing broken; the manifest is re-sealed (rows, sha256) unless the manifest itself is the point,
so each fixture trips exactly the rule it is about. Each must be rejected with a rejection that
names file, line, column and rule, a report on disk, and the live warehouse unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from analytics import rules, tiers
from catalogue import codes
from data_access import schema
from data_access.extracts import (
    ExtractRejected,
    excerpt,
    export_warehouse,
    journal,
    load_extracts,
    writers,
)
from data_access.extracts import cli as extracts_cli
from data_access.extracts.formats import TABLE_FORMATS, is_authentication_column
from data_access.extracts.meta import meta_load
from data_access.extracts.problems import REPORT_NAME
from data_access.warehouse import Warehouse

SAMPLE = Path(__file__).parent / "data" / "extract_sample"
TODAY = dt.date(2026, 11, 28)  # the sample's as-of month is 2026-09
SEP = dt.date(2026, 9, 1)
ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ helpers


def copy_sample(target: Path) -> Path:
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("*.py", REPORT_NAME))
    return target


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def reseal(folder: Path) -> None:
    """Recompute every file's rows and sha256 in the manifest (after a deliberate edit)."""
    manifest = manifest_of(folder)
    for entry in manifest["files"]:
        path = folder / entry["file"]
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        if entry["format"] == "parquet":
            entry["rows"] = pq.ParquetFile(path).metadata.num_rows
        else:
            text = path.read_bytes().decode(_codec(entry["encoding"]))
            entry["rows"] = max(len([line for line in text.splitlines() if line]) - 1, 0)
    write_manifest(folder, manifest)


def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8-sig" else encoding


def encoding_of(folder: Path, file: str) -> str:
    return next(f["encoding"] for f in manifest_of(folder)["files"] if f["file"] == file)


def edit_rows(folder: Path, file: str, change: Callable[[list[list[str]]], None]) -> None:
    """Edit a CSV file as a list of rows (header first), keep its encoding, re-seal."""
    path = folder / file
    codec = _codec(encoding_of(folder, file))
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(codec))))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(codec))
    reseal(folder)


def set_value(file: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """A fixture edit: put ``value`` in ``column`` on file line ``line`` (header is line 1)."""

    def change(rows: list[list[str]]) -> None:
        rows[line - 1][rows[0].index(column)] = value

    return lambda folder: edit_rows(folder, file, change)


def table_rows(warehouse: Warehouse) -> dict[str, list[tuple]]:
    """Every source table's rows as Python values, sorted by key."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(
                    sa.select(*[spec.table.c[c] for c in spec.column_names]).order_by(
                        *[spec.table.c[k] for k in spec.key]
                    )
                ).all()
                for name, spec in TABLE_FORMATS.items()
            }
    finally:
        engine.dispose()


def fingerprint(warehouse: Warehouse) -> tuple[str, int, str]:
    """Version token, customer-month rows and the meta row's version: must not move on reject."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(sa.func.count()).select_from(schema.fact_customer_month)
            ).scalar()
            version = conn.execute(sa.select(schema.meta_warehouse.c.version_id)).scalar()
    finally:
        engine.dispose()
    return warehouse.version(), rows, version


def load(warehouse: Warehouse, folder: Path, mode: str = "full", **kw) -> dict:
    kw.setdefault("today", TODAY)
    return load_extracts(warehouse, folder, mode, **kw)


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample loaded once into a DuckDB file; tests copy the file."""
    path = tmp_path_factory.mktemp("extract-template") / "warehouse.duckdb"
    load(Warehouse(f"duckdb:///{path}"), SAMPLE)
    return path


@pytest.fixture
def live(sample_template: Path, tmp_path: Path) -> Warehouse:
    """A live DuckDB warehouse holding the sample, private to the test."""
    path = tmp_path / "live" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copyfile(sample_template, path)
    return Warehouse(f"duckdb:///{path}")


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "extract")


# ------------------------------------------------------------------ formats


def test_every_source_table_has_a_format_and_no_mart_does():
    assert set(TABLE_FORMATS) == {t.name for t in schema.SOURCE_TABLES}
    assert not set(TABLE_FORMATS) & {t.name for t in schema.MART_TABLES}


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("password", True),
        ("login_pwd", True),
        ("card_cvv2", True),
        ("CVV", True),
        ("pin", True),
        ("pin_block", True),
        ("security_code", True),
        ("track2_data", True),
        ("交易密码", True),
        ("mobile", False),
        ("opened_on", False),
        ("passport_number", False),
        ("spend_online_rmb", False),
    ],
)
def test_authentication_columns_are_recognised_by_name(name: str, refused: bool):
    assert is_authentication_column(name) is refused


def test_docs_describe_every_table_and_column():
    text = (ROOT / "docs" / "extracts.md").read_text("utf-8")
    for name, spec in TABLE_FORMATS.items():
        assert f"### {name}" in text, name
        for column in spec.column_names:
            assert f"`{column}`" in text, f"{name}.{column}"


def test_sample_is_small_and_has_gbk():
    size = sum(p.stat().st_size for p in SAMPLE.iterdir())
    assert size < 200_000
    encodings = {f["encoding"] for f in manifest_of(SAMPLE)["files"]}
    assert {"gbk", "gb18030", "utf-8-sig", "utf-8"} <= encodings


# ------------------------------------------------------------------ round trips


def test_sample_loads_and_chinese_survives_gbk_and_gb18030(live: Warehouse):
    rows = table_rows(live)
    assert [r.name_zh for r in rows["dim_branch"]] == ["安定营业部", "巉口支行", "泾川城关分社"]
    assert rows["dim_customer"][0].full_name == "王𠮷"  # 𠮷 exists in GB18030, not in GBK
    assert len(rows["fact_customer_month"]) == 88


def test_export_reproduces_the_sample_byte_for_byte(live: Warehouse, tmp_path: Path):
    encodings = {f["table"]: f["encoding"] for f in manifest_of(SAMPLE)["files"]}
    out = tmp_path / "again"
    manifest = export_warehouse(live, out, "csv", encodings=encodings)
    expected = {f["file"]: f["sha256"] for f in manifest_of(SAMPLE)["files"]}
    assert {f.file: f.sha256 for f in manifest.files} == expected


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_duckdb(live: Warehouse, tmp_path: Path, fmt: str):
    out = tmp_path / "export"
    export_warehouse(live, out, fmt)
    copy = Warehouse(f"duckdb:///{tmp_path / 'copy.duckdb'}")
    load(copy, out)
    assert table_rows(copy) == table_rows(live)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_postgres(live: Warehouse, tmp_path: Path, pg_url: str, pg_schema: str, fmt):
    """DuckDB -> extract -> PostgreSQL -> extract -> DuckDB: the same rows at every step."""
    expected = table_rows(live)
    first = tmp_path / "from-duckdb"
    export_warehouse(live, first, fmt)
    pg = Warehouse(pg_url, pg_schema)
    load(pg, first)
    assert table_rows(pg) == expected
    second = tmp_path / "from-postgres"
    export_warehouse(pg, second, fmt)
    if fmt == "csv":
        files = {f.name: f.read_bytes() for f in first.glob("*.csv")}
        assert {f.name: f.read_bytes() for f in second.glob("*.csv")} == files
    back = Warehouse(f"duckdb:///{tmp_path / 'back.duckdb'}")
    load(back, second)
    assert table_rows(back) == expected


def test_demo_round_trip(demo_duckdb: Warehouse, tmp_path: Path):
    """The demo generator's data passes validation and comes back identical."""
    out = tmp_path / "demo-extract"
    export_warehouse(demo_duckdb, out, "parquet")
    copy = Warehouse(f"duckdb:///{tmp_path / 'copy.duckdb'}")
    load(copy, out)
    assert table_rows(copy) == table_rows(demo_duckdb)


def test_demo_tiers_are_reproduced_from_balances(demo_duckdb: Warehouse, tmp_path: Path):
    """Left blank, the demo's tier fields are recomputed exactly by the loader."""
    out = tmp_path / "demo-extract"
    export_warehouse(demo_duckdb, out, "csv")
    blank_tiers()(out)
    copy = Warehouse(f"duckdb:///{tmp_path / 'copy.duckdb'}")
    assert load(copy, out)["tiers_computed"] > 0
    assert table_rows(copy) == table_rows(demo_duckdb)


def test_load_records_meta_rows(live: Warehouse):
    engine = live.reader()
    with engine.connect() as conn:
        meta = conn.execute(sa.select(schema.meta_warehouse)).mappings().one()
        loads = conn.execute(sa.select(meta_load)).mappings().all()
    engine.dispose()
    assert meta["source"] == "load" and meta["is_demo"] is False
    assert meta["as_of_month"] == SEP and meta["first_month"] == dt.date(2026, 7, 1)
    assert meta["count_customers"] == 30 and meta["refreshed_at"] is not None
    assert {r["table_name"] for r in loads} == set(TABLE_FORMATS)
    assert all(r["rejected_rows"] == 0 and r["mode"] == "full" for r in loads)
    assert {r["table_name"]: r["rows"] for r in loads}["fact_customer_month"] == 88


# ------------------------------------------------------------------ bad inputs


def drop_column(file: str, column: str):
    def change(rows):
        index = rows[0].index(column)
        for row in rows:
            del row[index]

    return lambda folder: edit_rows(folder, file, change)


def add_column(file: str, column: str, value: str):
    def change(rows):
        rows[0].append(column)
        for row in rows[1:]:
            row.append(value)

    return lambda folder: edit_rows(folder, file, change)


def rename_column(file: str, old: str, new: str):
    def change(rows):
        rows[0][rows[0].index(old)] = new

    return lambda folder: edit_rows(folder, file, change)


def duplicate_line(file: str, line: int):
    def change(rows):
        rows.append(list(rows[line - 1]))

    return lambda folder: edit_rows(folder, file, change)


def retype_dates(file: str, column: str):
    """Every date of a column written the way some systems do: 2026/07/01."""

    def change(rows):
        index = rows[0].index(column)
        for row in rows[1:]:
            row[index] = row[index].replace("-", "/")

    return lambda folder: edit_rows(folder, file, change)


def keep_months(file: str, months: tuple[str, ...]):
    def change(rows):
        index = rows[0].index("month_start")
        rows[1:] = [r for r in rows[1:] if r[index] in months]

    return lambda folder: edit_rows(folder, file, change)


def replace_text(file: str, old: str, new: str, seal: bool = True):
    def apply(folder: Path) -> None:
        path = folder / file
        codec = _codec(encoding_of(folder, file))
        path.write_bytes(path.read_bytes().decode(codec).replace(old, new, 1).encode(codec))
        if seal:
            reseal(folder)

    return apply


def declare_encoding(file: str, encoding: str):
    def apply(folder: Path) -> None:
        manifest = manifest_of(folder)
        next(f for f in manifest["files"] if f["file"] == file)["encoding"] = encoding
        write_manifest(folder, manifest)

    return apply


def manifest_rows(file: str, delta: int):
    def apply(folder: Path) -> None:
        manifest = manifest_of(folder)
        next(f for f in manifest["files"] if f["file"] == file)["rows"] += delta
        write_manifest(folder, manifest)

    return apply


CUSTOMERS, STAFF, MONTHLY = "dim_customer.csv", "dim_staff.csv", "fact_customer_month.csv"

# (id, corruption, (file, line, column, rule))
BAD_INPUTS = [
    ("missing column", drop_column(CUSTOMERS, "birth_year"),
     (CUSTOMERS, 1, "birth_year", "missing_column")),
    ("extra column", add_column(STAFF, "nickname", "x"), (STAFF, 1, "nickname", "extra_column")),
    ("renamed column", rename_column(CUSTOMERS, "mobile", "mobile_no"),
     (CUSTOMERS, 1, "mobile", "renamed_column")),
    ("retyped column", retype_dates("fact_service_quality_month.csv", "month_start"),
     ("fact_service_quality_month.csv", 2, "month_start", "type_mismatch")),
    ("duplicate key", duplicate_line("dim_product.csv", 4),
     ("dim_product.csv", 10, "product_id", "duplicate_key")),
    ("null key", set_value(MONTHLY, 5, "customer_id", ""), (MONTHLY, 5, "customer_id", "null_key")),
    ("broken reference", set_value("fact_product_sale.csv", 3, "customer_id", "99999"),
     ("fact_product_sale.csv", 3, "customer_id", "broken_reference")),
    ("negative balance", set_value(MONTHLY, 7, "loan_rmb", "-5.5"),
     (MONTHLY, 7, "loan_rmb", "negative_amount")),
    ("future date", set_value(CUSTOMERS, 15, "closed_on", "2027-02-01"),
     (CUSTOMERS, 15, "closed_on", "future_date")),
    ("opened after as-of", set_value(CUSTOMERS, 9, "opened_on", "2026-10-15"),
     (CUSTOMERS, 9, "opened_on", "date_after_as_of")),
    ("bad ID number", set_value(CUSTOMERS, 4, "id_number", "62110219800101123"),
     (CUSTOMERS, 4, "id_number", "id_number_format")),
    ("bad ID check letter", set_value(CUSTOMERS, 5, "id_number", "62110219800101123x"),
     (CUSTOMERS, 5, "id_number", "id_number_format")),
    ("bad mobile", set_value(CUSTOMERS, 6, "mobile", "12345678901"),
     (CUSTOMERS, 6, "mobile", "mobile_format")),
    ("replacement character", replace_text(STAFF, "李", "\ufffd"),
     (STAFF, 2, "full_name", "replacement_character")),
    ("GBK declared as UTF-8", declare_encoding("dim_branch.csv", "utf-8"),
     ("dim_branch.csv", 2, "name_zh", "undecodable_bytes")),
    ("manifest count", manifest_rows("fact_target.csv", 1),
     ("fact_target.csv", None, "", "row_count_mismatch")),
    ("checksum", replace_text("fact_target.csv", "800000", "900000", seal=False),
     ("fact_target.csv", None, "", "checksum_mismatch")),
    ("row-count band", keep_months(MONTHLY, ("2026-09-01",)),
     (MONTHLY, None, "", "row_count_band")),
    ("authentication data", add_column(CUSTOMERS, "card_cvv2", "123"),
     (CUSTOMERS, 1, "card_cvv2", "authentication_data")),
    ("unsplittable row", replace_text("fact_target.csv", "\n50002,", "\n50002,extra,"),
     ("fact_target.csv", 3, "", "csv_structure")),
    ("value not allowed", set_value(STAFF, 3, "role", "janitor"),
     (STAFF, 3, "role", "accepted_values")),
    ("misspelt product category", set_value("dim_product.csv", 3, "category", "time_deposits"),
     ("dim_product.csv", 3, "category", "accepted_values")),
    ("deposits' average above AUM's", set_value(MONTHLY, 8, "demand_deposit_avg_rmb", "9e9"),
     (MONTHLY, 8, "aum_avg_rmb", "deposit_avg_above_aum_avg")),
    ("大额存单 above time deposits", set_value(MONTHLY, 9, "large_cd_rmb", "9e9"),
     (MONTHLY, 9, "large_cd_rmb", "large_cd_above_time_deposits")),
]  # fmt: skip


@pytest.mark.parametrize("column", ["demand_deposit_avg_rmb", "time_deposit_avg_rmb"])
def test_a_missing_daily_average_is_refused_with_its_reason_not_read_as_zero(
    live: Warehouse, extract: Path, column: str
):
    drop_column(MONTHLY, column)(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract, row_band_min_rows=0)
    (found,) = [r for r in caught.value.rejections if r.column == column]
    assert (found.file, found.line, found.rule) == (MONTHLY, 1, "missing_column")
    assert "daily-average balance (月日均)" in found.message
    assert "not read as zero" in found.message


def test_a_blank_daily_average_is_refused_with_its_reason(live: Warehouse, extract: Path):
    set_value(MONTHLY, 6, "time_deposit_avg_rmb", "")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract, row_band_min_rows=0)
    (found,) = [r for r in caught.value.rejections if r.column == "time_deposit_avg_rmb"]
    assert (found.line, found.rule) == (6, "not_null")
    assert "not read as zero" in found.message


@pytest.mark.parametrize(
    ("corrupt", "expected"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_is_rejected_and_live_warehouse_unchanged(
    live: Warehouse, extract: Path, corrupt, expected
):
    file, line, column, rule = expected
    corrupt(extract)
    before = fingerprint(live)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract, row_band_min_rows=0)
    assert fingerprint(live) == before
    found = [
        r
        for r in caught.value.rejections
        if (r.file, r.line, r.column, r.rule) == (file, line, column, rule)
    ]
    rules_found = sorted({(r.file, r.line, r.column, r.rule) for r in caught.value.rejections})
    assert found, f"expected {expected}, got {rules_found[:10]}"
    where = f"{file}:{line}" if line is not None else file
    assert where in str(caught.value) and rule in str(caught.value)
    with caught.value.report.open(encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    assert any(
        (r["file"], r["line"], r["column"], r["rule"])
        == (file, "" if line is None else str(line), column, rule)
        for r in report
    )
    if rule == "authentication_data":
        assert all(r["value"] in ("", "<withheld>") for r in report)
        assert "123" not in caught.value.report.read_text("utf-8-sig").split("\n", 1)[1]


def test_a_misspelt_code_is_named_with_its_column_and_the_accepted_codes(
    live: Warehouse, extract: Path
):
    set_value("dim_product.csv", 3, "category", "Precious metal")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    (found,) = [r for r in caught.value.rejections if r.column == "category"]
    accepted = ", ".join(codes.PRODUCT_CATEGORY.codes)
    assert found.message == f"not a product_category code; must be one of {accepted}"
    assert (
        f"dim_product.csv:3 column category [accepted_values] value 'Precious metal': "
        f"{found.message}" in str(caught.value)
    )


def test_every_problem_is_collected_not_just_the_first(live: Warehouse, extract: Path):
    set_value(CUSTOMERS, 6, "mobile", "12345678901")(extract)
    set_value(MONTHLY, 7, "loan_rmb", "-1")(extract)
    drop_column(STAFF, "hongyan_level")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert {"mobile_format", "negative_amount", "missing_column"} <= {
        r.rule for r in caught.value.rejections
    }


def test_personal_data_is_masked_in_the_report(live: Warehouse, extract: Path):
    set_value(CUSTOMERS, 6, "mobile", "12345678901")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    shown = next(r.value for r in caught.value.rejections if r.rule == "mobile_format")
    assert shown == "123****8901"


def test_missing_manifest_and_unlisted_file(live: Warehouse, extract: Path, tmp_path: Path):
    (extract / "notes.csv").write_text("a,b\n")
    report = tmp_path / "out" / "report.csv"
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract, report=report)
    assert ("notes.csv", "file_not_in_manifest") in {
        (r.file, r.rule) for r in caught.value.rejections
    }
    assert report.exists() and not (extract / REPORT_NAME).exists()
    (extract / "manifest.json").unlink()
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert [r.rule for r in caught.value.rejections] == ["manifest_missing"]


# ------------------------------------------------------------------ links and paths

SECRET = "TOPSECRET-payroll-of-the-board"


def outside_file(tmp_path: Path) -> Path:
    """A file outside the extract folder whose content must never reach a report."""
    path = tmp_path / "outside" / "secret.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{SECRET},branch_id\n{SECRET}-620102199001011234,1\n", "utf-8")
    return path


def assert_not_quoted(caught: pytest.ExceptionInfo, *secrets: str) -> None:
    """Neither the error, nor a rejection, nor the report on disk quotes any of ``secrets``."""
    texts = [str(caught.value), caught.value.report.read_text("utf-8-sig")]
    texts += [repr(r) for r in caught.value.rejections]
    for secret in secrets:
        assert not any(secret in text for text in texts), secret


def test_a_linked_file_is_refused_and_its_target_never_read(
    live: Warehouse, extract: Path, tmp_path: Path
):
    secret = outside_file(tmp_path)
    (extract / "dim_branch.csv").unlink()
    (extract / "dim_branch.csv").symlink_to(secret)
    reseal(extract)  # a manifest that matches the target: the link alone must be refused
    before = fingerprint(live)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert fingerprint(live) == before
    assert [(r.file, r.rule) for r in caught.value.rejections] == [
        ("dim_branch.csv", "symbolic_link")
    ]
    assert "dim_branch.csv" in str(caught.value) and "symbolic_link" in str(caught.value)
    assert_not_quoted(caught, SECRET, "620102199001011234", str(secret))


def test_a_linked_folder_and_a_linked_manifest_are_refused(
    live: Warehouse, extract: Path, tmp_path: Path
):
    secret = outside_file(tmp_path)
    (extract / "more").symlink_to(secret.parent, target_is_directory=True)
    manifest = extract / "manifest.json"
    real = tmp_path / "outside" / "manifest.json"
    shutil.move(manifest, real)
    manifest.symlink_to(real)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert [(r.file, r.rule) for r in caught.value.rejections] == [
        ("manifest.json", "symbolic_link"),
        ("more", "symbolic_link"),
    ]
    assert_not_quoted(caught, SECRET, str(secret.parent))


def test_a_pipe_in_the_folder_is_refused_unread(live: Warehouse, extract: Path):
    (extract / "dim_branch.csv").unlink()
    os.mkfifo(extract / "dim_branch.csv")  # reading it would wait for a writer forever
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert [(r.file, r.rule) for r in caught.value.rejections] == [
        ("dim_branch.csv", "not_a_regular_file")
    ]


@pytest.mark.parametrize(
    "name", ["../secret.csv", "..", "outside/secret.csv", "/tmp/secret.csv", "..\\secret.csv"]
)
def test_manifest_names_outside_the_folder_are_refused(
    live: Warehouse, extract: Path, tmp_path: Path, name: str
):
    secret = outside_file(tmp_path)
    shutil.copyfile(secret, tmp_path / "secret.csv")  # what "../secret.csv" would reach
    manifest = manifest_of(extract)
    index = next(i for i, f in enumerate(manifest["files"]) if f["table"] == "dim_branch")
    manifest["files"][index]["file"] = name
    write_manifest(extract, manifest)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    refused = [r for r in caught.value.rejections if r.rule == "path_outside_folder"]
    assert [(r.file, r.column) for r in refused] == [("manifest.json", f"files[{index}].file")]
    assert refused[0].value == name  # the name as written, never the file's content
    assert_not_quoted(caught, SECRET)


def test_a_report_link_is_replaced_never_written_through(
    live: Warehouse, extract: Path, tmp_path: Path
):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    (extract / REPORT_NAME).symlink_to(victim)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert ("rejections.csv", "symbolic_link") in {
        (r.file, r.rule) for r in caught.value.rejections
    }
    assert victim.read_text("utf-8") == "keep me"
    report = extract / REPORT_NAME
    assert not report.is_symlink() and report.read_text("utf-8-sig").startswith("file,line")
    assert not [p.name for p in extract.iterdir() if p.name.startswith(".rejections")]


def test_reports_quote_only_a_short_masked_excerpt(live: Warehouse, extract: Path):
    long_name = "Branch of 620102199001011234 " + "x" * 120  # too long for name_en (96)
    set_value("dim_branch.csv", 2, "name_en", long_name)(extract)
    set_value(STAFF, 3, "hongyan_level", "13812345678 call me back")(extract)
    rename_column(CUSTOMERS, "mobile", "6228480012345678901")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    by_rule = {r.rule: r for r in caught.value.rejections}
    assert by_rule["too_long"].value == "Branch of 620*******..."
    assert by_rule["type_mismatch"].value == "138****5678 call me ..."
    renamed = by_rule["renamed_column"]
    assert renamed.value == "622************8901" and "622************8901" in renamed.message
    assert all(len(r.value) <= 23 for r in caught.value.rejections)
    assert_not_quoted(caught, "620102199001011234", "13812345678", "6228480012345678901", "x" * 21)


def test_excerpts() -> None:
    assert excerpt.mask_digits("ID 620102199001011234, tel 13812345678") == (
        "ID 620***********1234, tel 138****5678"
    )
    assert excerpt.mask_digits("1234567 and 123456") == "******* and 123456"
    assert excerpt.excerpt("a\nb\x1b[2J") == "a?b?[2J"
    assert excerpt.excerpt("y" * 25) == "y" * 20 + "..."
    assert excerpt.excerpt(None) == ""
    assert excerpt.name_excerpt("fact_customer_month_20260930.csv", mask=False) == (
        "fact_customer_month_20260930.csv"
    )
    assert excerpt.name_excerpt("col_20260930") == "col_202*0930"


def test_retyped_parquet_column(live: Warehouse, tmp_path: Path):
    out = tmp_path / "pq"
    export_warehouse(live, out, "parquet")
    table = pq.read_table(out / "fact_target.parquet")
    index = table.schema.get_field_index("target_value")
    table = table.set_column(index, "target_value", table["target_value"].cast(pa.string()))
    pq.write_table(table, out / "fact_target.parquet")
    reseal(out)
    with pytest.raises(ExtractRejected) as caught:
        load(live, out)
    assert ("fact_target.parquet", None, "target_value", "type_mismatch") in {
        (r.file, r.line, r.column, r.rule) for r in caught.value.rejections
    }


# ------------------------------------------------------------------ month mode and tiers


def month_extract(live: Warehouse, folder: Path) -> Path:
    export_warehouse(live, folder, "csv", months=[SEP])
    return folder


def test_loading_the_same_month_twice_gives_the_same_result(live: Warehouse, tmp_path: Path):
    original = table_rows(live)
    folder = month_extract(live, tmp_path / "sep")
    # A correction in September: one customer's loan balance changes.
    edit_rows(
        folder, MONTHLY, lambda rows: rows[1].__setitem__(rows[0].index("loan_rmb"), "1234.5")
    )
    first = load(live, folder, "month")
    assert first["months"] == ["2026-09"]
    once = table_rows(live)
    load(live, folder, "month")
    twice = table_rows(live)
    assert twice == once
    assert {k: len(v) for k, v in twice.items()} == {k: len(v) for k, v in original.items()}
    changed = [r for r in twice["fact_customer_month"] if r.loan_rmb == 1234.5]
    assert len(changed) == 1 and changed[0].month_start == SEP
    assert [r for r in twice["fact_customer_month"] if r.month_start != SEP] == [
        r for r in original["fact_customer_month"] if r.month_start != SEP
    ]
    engine = live.reader()
    with engine.connect() as conn:
        modes = conn.execute(sa.select(meta_load.c.load_id, meta_load.c.mode).distinct()).all()
    engine.dispose()
    assert sorted(m for _, m in modes) == ["full", "month", "month"]


def test_month_mode_upserts_dimensions(live: Warehouse, tmp_path: Path):
    folder = month_extract(live, tmp_path / "sep")
    edit_rows(folder, STAFF, lambda rows: rows[2].__setitem__(rows[0].index("hongyan_level"), "4"))
    load(live, folder, "month")
    staff = table_rows(live)["dim_staff"]
    assert len(staff) == 12 and staff[1].hongyan_level == 4


def test_month_rows_outside_the_listed_months_are_rejected(live: Warehouse, tmp_path: Path):
    folder = month_extract(live, tmp_path / "sep")
    set_value("fact_service_quality_month.csv", 2, "month_start", "2026-08-01")(folder)
    with pytest.raises(ExtractRejected) as caught:
        load(live, folder, "month")
    assert ("fact_service_quality_month.csv", 2, "month_start", "month_outside_extract") in {
        (r.file, r.line, r.column, r.rule) for r in caught.value.rejections
    }


def test_month_extract_in_full_mode_is_refused(live: Warehouse, tmp_path: Path):
    folder = month_extract(live, tmp_path / "sep")
    with pytest.raises(ExtractRejected) as caught:
        load(live, folder, "full")
    assert "manifest_mode" in {r.rule for r in caught.value.rejections}


def blank_tiers(months: tuple[str, ...] | None = None):
    def change(rows):
        header = rows[0]
        for row in rows[1:]:
            if months is None or row[header.index("month_start")] in months:
                for name in ("raw_tier_code", "tier_code", "months_below_floor"):
                    row[header.index(name)] = ""

    return lambda folder: edit_rows(folder, MONTHLY, change)


def test_blank_tiers_are_computed_with_the_grace_rule(
    live: Warehouse, extract, tmp_path, monkeypatch
):
    # The sample's tier fields are stamped on the month-end basis (make_sample.py): recomputed on
    # that basis they come back identical. The three-month basis has its own tests below.
    monkeypatch.setenv("PCRM_TIER_BASIS", "end")
    blank_tiers()(extract)
    copy = Warehouse(f"duckdb:///{tmp_path / 'computed.duckdb'}")
    summary = load(copy, extract)
    assert summary["tiers_computed"] == 88
    assert table_rows(copy) == table_rows(live)


def test_blank_tiers_in_month_mode_continue_from_the_live_month(
    live: Warehouse, tmp_path, monkeypatch
):
    monkeypatch.setenv("PCRM_TIER_BASIS", "end")  # the sample's basis, as above
    original = table_rows(live)
    folder = month_extract(live, tmp_path / "sep")
    blank_tiers(("2026-09-01",))(folder)
    assert load(live, folder, "month")["tiers_computed"] == 29
    assert table_rows(live) == original


def tier_rows(warehouse: Warehouse) -> pd.DataFrame:
    engine = warehouse.reader()
    f = schema.fact_customer_month
    stmt = sa.select(
        f.c.customer_id,
        f.c.month_start,
        f.c.aum_rmb,
        f.c.aum_avg_rmb,
        f.c.raw_tier_code,
        f.c.tier_code,
        f.c.months_below_floor,
    ).order_by(f.c.customer_id, f.c.month_start)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).mappings().all())
    engine.dispose()
    return frame.astype({"aum_rmb": float, "aum_avg_rmb": float, "months_below_floor": int})


@pytest.mark.parametrize("backend", ["duckdb", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_blank_tiers_on_the_three_month_daily_average(
    backend, extract, tmp_path, monkeypatch, request
):
    """On ``avg3`` the loader judges each month on the day-weighted mean of the customer's last
    three months' daily averages, in full mode and in month mode (which reads the live
    warehouse's daily averages of the two months before the loaded one)."""
    monkeypatch.setenv("PCRM_TIER_BASIS", "avg3")
    if backend == "duckdb":
        target = Warehouse(f"duckdb:///{tmp_path / 'avg3.duckdb'}")
    else:
        target = Warehouse(request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema"))
    blank_tiers()(extract)
    assert load(target, extract)["tiers_computed"] == 88
    loaded = tier_rows(target)
    expected = tiers.assign_tiers(
        loaded[["customer_id", "month_start", "aum_rmb", "aum_avg_rmb"]], "avg3"
    )
    for column in ("raw_tier_code", "tier_code", "months_below_floor"):
        assert loaded[column].tolist() == expected[column].tolist(), column
    # The sample tells the bases apart: some raw tiers differ from the month-end ones, and in
    # September some differ from the September daily average alone (what month mode would get
    # without the live warehouse's July and August).
    month_end = tiers.assign_tiers(loaded[["customer_id", "month_start", "aum_rmb"]], "end")
    assert (loaded.raw_tier_code != month_end.raw_tier_code).any()
    sep = pd.to_datetime(loaded.month_start) == pd.Timestamp(SEP)
    alone = tiers.tier_codes(tiers.raw_tier_rank(loaded.aum_avg_rmb.to_numpy()))
    assert ((loaded.raw_tier_code != alone) & sep).any()

    before = table_rows(target)
    folder = month_extract(target, tmp_path / "sep")
    blank_tiers(("2026-09-01",))(folder)
    assert load(target, folder, "month")["tiers_computed"] == 29
    assert table_rows(target) == before


def test_month_mode_reads_the_two_months_before_from_the_live_warehouse(
    live: Warehouse, tmp_path, monkeypatch
):
    """A September month load on avg3 with a July daily average raised in the live warehouse:
    the raised July counts in September's tier (it is one of the last three months)."""
    monkeypatch.setenv("PCRM_TIER_BASIS", "avg3")
    engine = sa.create_engine(live.url)
    f = schema.fact_customer_month
    with engine.begin() as conn:
        customer = conn.execute(
            sa.select(f.c.customer_id)
            .where(f.c.month_start == SEP, f.c.aum_avg_rmb < 40_000)
            .order_by(f.c.customer_id)
            .limit(1)
        ).scalar_one()
        conn.execute(
            f.update()
            .where(f.c.customer_id == customer, f.c.month_start == dt.date(2026, 7, 1))
            .values(aum_avg_rmb=10_000_000.0)
        )
    engine.dispose()
    folder = month_extract(live, tmp_path / "sep")
    blank_tiers(("2026-09-01",))(folder)
    load(live, folder, "month")
    rows = tier_rows(live)
    september = rows[
        (rows.customer_id == customer) & (pd.to_datetime(rows.month_start) == pd.Timestamp(SEP))
    ]
    # (10,000,000 x 31 + Aug x 31 + Sep x 30) / 92 is above the 100万 floor, below 600万.
    assert september.raw_tier_code.item() == "vip"
    assert rules.TIER_BY_CODE["vip"].floor_rmb == 1_000_000


def test_partly_blank_tier_fields_are_rejected(live: Warehouse, extract: Path):
    set_value(MONTHLY, 4, "tier_code", "")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert (MONTHLY, 4, "tier_code", "tier_fields_partial") in {
        (r.file, r.line, r.column, r.rule) for r in caught.value.rejections
    }


# ------------------------------------------------------------------ failures midway


def test_failed_write_leaves_previous_warehouse(live, extract, monkeypatch, tmp_path):
    before, rows = fingerprint(live), table_rows(live)
    calls = []
    real_append = writers.DuckDBWriter.append

    def failing_append(self, table, relation):
        calls.append(table.name)
        if len(calls) == 5:
            raise OSError("disk full (simulated)")
        return real_append(self, table, relation)

    monkeypatch.setattr(writers.DuckDBWriter, "append", failing_append)
    with pytest.raises(OSError, match="simulated"):
        load(live, extract)
    assert fingerprint(live) == before and table_rows(live) == rows
    assert not list(live.path.parent.glob(".*build*"))


def test_failed_write_leaves_previous_warehouse_postgres(
    live, extract, monkeypatch, pg_url, pg_schema
):
    pg = Warehouse(pg_url, pg_schema)
    load(pg, extract)
    before, rows = fingerprint(pg), table_rows(pg)

    def failing_append(self, table, relation):
        raise OSError("connection lost (simulated)")

    monkeypatch.setattr(writers.StreamWriter, "append", failing_append)
    with pytest.raises(OSError, match="simulated"):
        load(pg, extract, "month")
    assert fingerprint(pg) == before and table_rows(pg) == rows


KILLED_LOAD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import data_access.extracts.load as load_module

    def slow_refresh(engine):
        Path(sys.argv[4]).write_text("in build")
        time.sleep(120)

    load_module.refresh_engine = slow_refresh
    from data_access.warehouse import Warehouse
    load_module.load_extracts(
        Warehouse(sys.argv[1], sys.argv[2]), sys.argv[3], "month", work_dir=sys.argv[5]
    )
    """
)


@pytest.mark.parametrize("backend", ["duckdb", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_killed_load_leaves_previous_warehouse(
    live: Warehouse, tmp_path: Path, request: pytest.FixtureRequest, backend: str
):
    """SIGKILL during the build (after every table is written): the live version survives."""
    out = tmp_path / "export"
    export_warehouse(live, out, "parquet")
    if backend == "postgresql":
        live = Warehouse(request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema"))
        load(live, out)
    before, rows = fingerprint(live), table_rows(live)
    marker = tmp_path / "in-build"
    work = str(tmp_path)  # the killed load's staging folder is left here, not in /tmp
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, live.url, live.pg_schema, str(out), str(marker), work],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the load ended before reaching the build"
            assert time.monotonic() < deadline, "the load never reached the build"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert fingerprint(live) == before and table_rows(live) == rows


# ------------------------------------------------------------------ command line


def run_cli(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m cli")
    commands = parser.add_subparsers(dest="command", required=True)
    extracts_cli.add_subcommands(commands)
    return extracts_cli.run(parser.parse_args(argv))


def test_cli_export_and_load(live: Warehouse, tmp_path: Path, capsys):
    out = tmp_path / "cli-export"
    assert run_cli(["export", str(out), "--url", live.url, "--format", "parquet"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of_month"] == "2026-09"
    target = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    assert run_cli(["load", str(out), "--url", target]) == 0
    assert json.loads(capsys.readouterr().out)["rows"]["dim_customer"] == 30


def test_cli_rejection_exits_non_zero_with_summary(live: Warehouse, extract: Path, capsys):
    set_value(CUSTOMERS, 6, "mobile", "12345678901")(extract)
    report = extract.parent / "report.csv"
    code = run_cli(["load", str(extract), "--url", live.url, "--report", str(report)])
    assert code == 1
    err = capsys.readouterr().err
    assert "dim_customer.csv:6 column mobile [mobile_format]" in err
    assert report.exists()


# ------------------------------------------------------------------ load journal


def test_every_load_attempt_is_journaled(
    live: Warehouse, extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Refused and loaded attempts both reach the journal the data-quality page reads."""
    folder = tmp_path / "journal"
    monkeypatch.setenv("PCRM_LOAD_JOURNAL_DIR", str(folder))
    good = copy_sample(tmp_path / "good")
    set_value(CUSTOMERS, 6, "mobile", "12345678901")(extract)
    with pytest.raises(ExtractRejected) as caught:
        load(live, extract)
    assert caught.value.rejected_rows == 1
    load(live, good)
    loaded, rejected = journal.read(folder=folder)
    assert (loaded["status"], rejected["status"]) == ("loaded", "rejected")
    assert loaded["rows"]["fact_customer_month"] == 88 and loaded["as_of_month"] == "2026-09"
    assert rejected["rules"] == {"mobile_format": 1} and rejected["rejected_rows"] == 1
    copy = folder / rejected["report_copy"]
    assert copy.read_bytes() == caught.value.report.read_bytes()
    assert "12345678901" not in copy.read_text("utf-8-sig")


def test_a_failed_load_is_journaled(live, extract, monkeypatch, tmp_path):
    monkeypatch.setenv("PCRM_LOAD_JOURNAL_DIR", str(tmp_path / "journal"))

    def failing_append(self, table, relation):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(writers.DuckDBWriter, "append", failing_append)
    with pytest.raises(OSError):
        load(live, extract)
    (entry,) = journal.read(folder=tmp_path / "journal")
    assert entry["status"] == "failed" and "disk full" in entry["error"]
