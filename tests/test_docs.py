"""The documentation keeps up with the code: the data dictionary and the CLI in the README.

docs/warehouse.md has one ``### table_name`` section per table of the warehouse
(``schema.metadata``) and the app store (``app_store.metadata``), each with a Markdown table
whose rows start with the column name in backticks:
``| `column` | type | null | unit | meaning | 中文 |``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalogue import metrics
from data_access import app_store, marts, schema

ROOT = Path(__file__).resolve().parent.parent
WAREHOUSE_DOC = ROOT / "docs" / "warehouse.md"
README = ROOT / "README.md"

ALL_TABLES = {**schema.metadata.tables, **app_store.metadata.tables}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ROW = re.compile(r"^\|\s*`(?P<name>[a-z0-9_]+)`\s*\|(?P<rest>.*)\|\s*$")


@dataclass
class DocumentedTable:
    name: str
    lines: list[str] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)  # name -> remaining cells

    def bullet(self, label: str) -> str | None:
        prefix = f"- **{label}**:"
        for line in self.lines:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        return None


def parse_dictionary(text: str) -> dict[str, DocumentedTable]:
    """Sections by ``### name`` heading; column rows are those starting with a backticked name."""
    tables: dict[str, DocumentedTable] = {}
    current: DocumentedTable | None = None
    for line in text.splitlines():
        heading = re.match(r"^###\s+(\S+)\s*$", line)
        if heading:
            name = heading.group(1).strip("`")
            assert name not in tables, f"{name} is documented twice"
            current = tables[name] = DocumentedTable(name)
            continue
        if line.startswith("#"):
            current = None  # a higher-level heading ends the table's section
            continue
        if current is None:
            continue
        current.lines.append(line)
        row = _ROW.match(line)
        if row:
            name = row.group("name")
            assert name not in current.columns, f"{current.name}.{name} is documented twice"
            current.columns[name] = [cell.strip() for cell in row.group("rest").split("|")]
    return tables


@pytest.fixture(scope="module")
def documented() -> dict[str, DocumentedTable]:
    return parse_dictionary(WAREHOUSE_DOC.read_text(encoding="utf-8"))


def doc_type(column: sa.Column) -> str:
    """The portable type name used in the dictionary (checked in this order: subclasses first)."""
    kind = column.type
    for sql_type, name in (
        (sa.Float, "DOUBLE"),
        (sa.SmallInteger, "SMALLINT"),
        (sa.BigInteger, "BIGINT"),
        (sa.Integer, "INTEGER"),
        (sa.Text, "TEXT"),
        (sa.DateTime, "TIMESTAMP"),
        (sa.Date, "DATE"),
        (sa.Boolean, "BOOLEAN"),
    ):
        if isinstance(kind, sql_type):
            return name
    if isinstance(kind, sa.String):
        return f"VARCHAR({kind.length})"
    raise AssertionError(f"{column.table.name}.{column.name}: no documented name for {kind!r}")


# ------------------------------------------------------------------ the parser itself


def test_parser_reads_sections_and_rows() -> None:
    text = "\n".join(
        [
            "# Title",
            "### t_one",
            "- **Grain**: one row per thing.",
            "| column | type | null | unit | meaning | 中文 |",
            "| --- | --- | --- | --- | --- | --- |",
            "| `a_id` | BIGINT | no | id | The thing | 东西 |",
            "## Next part",
            "| `stray` | TEXT | no | text | not in any table section | 无 |",
            "### t_two",
            "| `b_rmb` | DOUBLE | yes | RMB | Money | 金额 |",
        ]
    )
    parsed = parse_dictionary(text)
    assert set(parsed) == {"t_one", "t_two"}
    assert parsed["t_one"].columns == {"a_id": ["BIGINT", "no", "id", "The thing", "东西"]}
    assert parsed["t_one"].bullet("Grain") == "one row per thing."
    assert list(parsed["t_two"].columns) == ["b_rmb"]


# ------------------------------------------------------------------ data dictionary


def test_every_table_is_documented(documented) -> None:
    missing = sorted(set(ALL_TABLES) - set(documented))
    assert not missing, f"tables missing from docs/warehouse.md: {missing}"


def test_no_documented_table_is_stale(documented) -> None:
    stale = sorted(set(documented) - set(ALL_TABLES))
    assert not stale, f"docs/warehouse.md documents tables that do not exist: {stale}"


def _mart_modules() -> dict[str, str]:
    """Table name -> the module of data_access/marts/ whose MART writes it."""
    found = {}
    for info in pkgutil.iter_modules(marts.__path__):
        module = importlib.import_module(f"data_access.marts.{info.name}")
        mart = getattr(module, "MART", None)
        if mart is not None:
            for table in mart.tables:
                found[table.name] = f"data_access/marts/{info.name}.py"
    return found


def marts_section(text: str) -> list[str]:
    """The ``### name`` headings of the ``## Marts`` part of the dictionary."""
    names, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.startswith("## Marts")
        elif inside and line.startswith("### "):
            names.append(line[4:].strip().strip("`"))
    return names


def test_marts_section_is_the_registry() -> None:
    """docs/warehouse.md's Marts part describes every registered mart and nothing else, each
    table with a Mart line naming the module that registers it."""
    text = WAREHOUSE_DOC.read_text(encoding="utf-8")
    registered = {t.name for mart in marts.MARTS for t in mart.tables}
    described = set(marts_section(text))
    assert not registered - described, f"marts not described: {sorted(registered - described)}"
    assert not described - registered, f"stale: {sorted(described - registered)}"
    modules = _mart_modules()
    assert set(modules) == registered, "a module of data_access/marts/ is not registered"
    documented = parse_dictionary(text)
    for name in sorted(registered):
        line = documented[name].bullet("Mart") or ""
        assert line.startswith(f"`{modules[name]}`"), f"{name}: Mart line must name {modules[name]}"


def test_marts_section_reads_only_the_marts_part() -> None:
    text = "\n".join(["## Marts", "### mart_a", "### mart_b", "## Build metadata", "### meta_x"])
    assert marts_section(text) == ["mart_a", "mart_b"]


@pytest.mark.parametrize("table_name", sorted(ALL_TABLES))
def test_columns_match_the_code(documented, table_name: str) -> None:
    if table_name not in documented:
        pytest.fail(f"{table_name} is not documented")
    table = ALL_TABLES[table_name]
    doc = documented[table_name]
    code_columns = [c.name for c in table.columns]
    assert not (missing := [c for c in code_columns if c not in doc.columns]), (
        f"{table_name}: undocumented columns {missing}"
    )
    assert not (stale := [c for c in doc.columns if c not in code_columns]), (
        f"{table_name}: documented columns that do not exist {stale}"
    )
    for column in table.columns:
        cells = doc.columns[column.name]
        assert len(cells) == 5, f"{table_name}.{column.name}: expected 5 cells, got {cells}"
        type_, null, unit, meaning, chinese = cells
        where = f"{table_name}.{column.name}"
        assert type_ == doc_type(column), f"{where}: documented {type_}, code {doc_type(column)}"
        assert null == ("yes" if column.nullable else "no"), f"{where}: nullability"
        assert unit, f"{where}: no unit"
        assert len(meaning) >= 3, f"{where}: no meaning"
        assert _CJK.search(chinese), f"{where}: no Chinese term"


@pytest.mark.parametrize("table_name", sorted(ALL_TABLES))
def test_grain_keys_and_source_are_stated(documented, table_name: str) -> None:
    if table_name not in documented:
        pytest.fail(f"{table_name} is not documented")
    doc = documented[table_name]
    grain = doc.bullet("Grain")
    assert grain and grain.startswith("one row per"), f"{table_name}: grain 'one row per ...'"
    assert doc.bullet("Source"), f"{table_name}: no source"
    keys = doc.bullet("Keys") or ""
    documented_keys = re.findall(r"`([a-z0-9_]+)`", keys.split("(")[0])
    code_keys = [c.name for c in ALL_TABLES[table_name].primary_key.columns]
    assert documented_keys == code_keys, f"{table_name}: keys {documented_keys} != {code_keys}"


def test_swap_and_read_only_reader_are_explained() -> None:
    text = WAREHOUSE_DOC.read_text(encoding="utf-8")
    for phrase in ("os.replace", "one transaction", "read-only", "check_version"):
        assert phrase in text, f"docs/warehouse.md should explain {phrase!r}"


# ------------------------------------------------------------------ README


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse offers no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_cli_command_is_in_the_readme() -> None:
    from cli import build_parser

    commands = _subcommands(build_parser())
    assert commands, "the CLI should have subcommands"
    readme = README.read_text(encoding="utf-8")
    missing = [name for name in commands if not re.search(rf"python -m cli {name}\b", readme)]
    assert not missing, f"README.md does not mention: python -m cli {missing}"


def test_readme_states_the_two_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for name in ("PCRM_WAREHOUSE_URL", "PCRM_WAREHOUSE_SCHEMA", "PCRM_APP_DB_URL"):
        assert name in readme, f"README.md should document {name}"


def test_the_target_metrics_of_docs_rules_match_the_catalogue() -> None:
    """docs/rules.md ("Targets") lists every target metric of ``catalogue.metrics`` in its
    order, with its names, unit, kind, actual rule and series."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    section = text[text.index("### Targets") :]
    section = section[: section.index("\n### ", 1)]
    rows = [_ROW.match(line) for line in section.splitlines()]
    documented = {
        row.group("name"): [cell.strip() for cell in row.group("rest").split("|")][:4]
        for row in rows
        if row
    }
    assert list(documented) == list(metrics.target_codes())
    for m in metrics.TARGET_METRICS:
        assert documented[m.code] == [
            f"{m.name_en} {m.name_zh}",
            m.unit,
            m.kind,
            f"{m.actual}: {m.series}",
        ], m.code
