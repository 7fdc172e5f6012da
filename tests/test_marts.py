"""The mart registry (build order, dependencies, cycles) and the one router that tells a reader
whether a mart answers its question (each filter dimension per mart, known answers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import segment_rules
from data_access import (
    cross_sell,
    marts,
    query,
    schema,
    scorecards,
    segments,
    suitability,
    tier_moves,
)
from data_access.filters import Filters
from data_access.marts.base import Mart
from data_access.segments import ALL_SEGMENTS, SegmentFilters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse


def test_registry_builds_every_mart_after_what_it_depends_on() -> None:
    built: set[str] = {t.name for t in schema.SOURCE_TABLES}
    for mart in marts.MARTS:
        missing = [d for d in mart.depends_on if d not in built]
        assert not missing, f"{mart.name} is built before {missing}"
        built.update(t.name for t in mart.tables)


def test_registry_writes_every_derived_table_once() -> None:
    written = [t.name for mart in marts.MARTS for t in mart.tables]
    assert len(written) == len(set(written))
    assert set(written) == {t.name for t in schema.MART_TABLES}


def test_declaration_order_does_not_matter() -> None:
    again = marts.ordered(reversed(marts.MARTS))
    position = {m.name: i for i, m in enumerate(again)}
    for mart in again:
        for dependency in mart.depends_on:
            if dependency in position:
                assert position[dependency] < position[mart.name]


def _toy(name: str, *depends_on: str) -> Mart:
    table = sa.Table(name, sa.MetaData(), sa.Column("k", sa.Integer, primary_key=True))
    return Mart(
        table=table,
        grain=("k",),
        depends_on=depends_on,
        build=lambda conn: None,
        answers=frozenset(),
        questions="toy",
    )


def test_a_cycle_is_refused() -> None:
    with pytest.raises(marts.MartRegistryError, match="cycle"):
        marts.ordered([_toy("a", "src", "b"), _toy("b", "a")], sources=["src"])


def test_a_missing_dependency_is_refused() -> None:
    with pytest.raises(marts.MartRegistryError, match="b depends on nowhere"):
        marts.ordered([_toy("a", "src"), _toy("b", "nowhere")], sources=["src"])


def test_toys_are_ordered_by_their_dependencies() -> None:
    c, b, a = _toy("c", "b"), _toy("b", "a", "src"), _toy("a", "src")
    assert [m.name for m in marts.ordered([c, b, a], sources=["src"])] == ["a", "b", "c"]


_TOY_MART = """
import sqlalchemy as sa
from data_access.marts.base import Mart

MART = Mart(
    table=sa.Table({name!r}, sa.MetaData(), sa.Column("k", sa.Integer, primary_key=True)),
    grain=("k",),
    depends_on={depends_on!r},
    build=lambda conn: None,
    answers=frozenset(),
    questions="toy",
)
"""


def _toy_package(root, name: str, modules: dict[str, str]) -> tuple[list[str], str]:
    """A package ``name`` under ``root`` holding ``modules`` (module name -> source)."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(source)
    return [str(package)], name


def test_the_registry_is_every_module_of_the_package() -> None:
    """A mart is its module: the registry holds one mart per module of data_access/marts (but
    the shared helpers), with no list to add it to."""
    directory = Path(marts.__file__).parent
    modules = {p.stem for p in directory.glob("*.py") if not p.stem.startswith("_")}
    registered = {_module_of(mart) for mart in marts.MARTS}
    assert registered == {f"data_access.marts.{m}" for m in modules - marts.HELPERS}
    assert len(marts.MARTS) == len(registered)


def _module_of(mart: Mart) -> str:
    return next(
        name
        for name, module in sys.modules.items()
        if name.startswith("data_access.marts.") and getattr(module, "MART", None) is mart
    )


def test_a_mart_module_dropped_into_the_package_is_found(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    path, package = _toy_package(
        tmp_path,
        "toy_marts_found",
        {
            "later": _TOY_MART.format(name="later", depends_on=("earlier",)),
            "earlier": _TOY_MART.format(name="earlier", depends_on=("src",)),
            "shared": "HELPER = 1\n",
            "_private": "",
        },
    )
    found = marts.discover(path, package, helpers={"shared"})
    assert [m.name for m in found] == ["earlier", "later"]
    assert [m.name for m in marts.ordered(reversed(found), sources=["src"])] == [
        "earlier",
        "later",
    ]


def test_a_module_without_a_mart_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    path, package = _toy_package(
        tmp_path,
        "toy_marts_bare",
        {
            "fine": _TOY_MART.format(name="fine", depends_on=()),
            "forgot": "TABLE = 'mart_forgot'\n",
        },
    )
    with pytest.raises(marts.MartRegistryError, match=r"toy_marts_bare\.forgot declares no MART"):
        marts.discover(path, package)


def test_two_mart_modules_writing_one_table_are_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    path, package = _toy_package(
        tmp_path,
        "toy_marts_twice",
        {
            "one": _TOY_MART.format(name="mart_same", depends_on=("src",)),
            "other": _TOY_MART.format(name="mart_same", depends_on=("src",)),
        },
    )
    found = marts.discover(path, package)
    with pytest.raises(marts.MartRegistryError, match="mart_same is written by two marts"):
        marts.ordered(found, sources=["src"])


def test_a_mart_states_build_or_score_and_real_grain_columns() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("k", sa.Integer))
    with pytest.raises(ValueError, match="grain"):
        Mart(table, ("x",), (), frozenset(), "q", build=lambda conn: None)
    with pytest.raises(ValueError, match="either build or score"):
        Mart(table, ("k",), (), frozenset(), "q")
    with pytest.raises(ValueError, match="unknown dimensions"):
        Mart(table, ("k",), (), frozenset({"colour"}), "q", build=lambda conn: None)


# ------------------------------------------------------------------ router

PROVINCE = Viewer("t-executive", "executive", "Executive")
BRANCHES = Viewer(
    "t-branch", "branch_head", "Branch head", prefecture_id=1, cooperative_id=1, branch_id=1
)
OWN_BOOK = Viewer(
    "t-wealth",
    "wealth_manager",
    "Wealth manager",
    prefecture_id=1,
    cooperative_id=1,
    branch_id=1,
    staff_id=1,
)
QUESTIONS: dict[str, tuple[Viewer, Filters, SegmentFilters]] = {
    "none": (PROVINCE, Filters(), ALL_SEGMENTS),
    "scope": (BRANCHES, Filters(), ALL_SEGMENTS),
    "own_book": (OWN_BOOK, Filters(), ALL_SEGMENTS),
    "org": (PROVINCE, Filters(cooperative_ids=(3,)), ALL_SEGMENTS),
    "tier": (PROVINCE, Filters(tiers=("gold",)), ALL_SEGMENTS),
    "segment": (PROVINCE, Filters(), SegmentFilters(occupations=("farmer",))),
}
# Which one-dimension questions each mart answers (every mart answers the unfiltered province).
KNOWN: dict[str, set[str]] = {
    "dim_month": {"none", "scope", "own_book", "org", "tier", "segment"},
    "mart_branch_month_tier": {"none", "scope", "org", "tier"},
    "mart_staff_month": {"none", "scope", "org"},
    "mart_effective_month": {"none", "scope", "org", "tier"},
    "mart_stickiness": {"none", "scope", "org", "tier"},
    "mart_segment_month": {"none", "scope", "org", "tier"},
    "mart_tier_transition": {"none", "scope", "org", "tier"},
    "mart_tier_mover": {"none", "scope", "org", "tier"},
    "mart_suitability": {"none", "scope", "org", "tier"},
    "mart_pareto": {"none"},
    "mart_group_summary": {"none"},
    "mart_churn_score": {"none", "scope", "own_book", "org", "tier"},
    "mart_next_best": {"none", "scope", "own_book", "org", "tier"},
}


def test_every_mart_has_known_answers() -> None:
    assert set(KNOWN) == {m.name for m in marts.MARTS}


@pytest.mark.parametrize("mart", sorted(KNOWN))
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_router_per_mart_and_dimension(mart: str, question: str) -> None:
    viewer, filters, segment = QUESTIONS[question]
    assert marts.can_answer(mart, viewer, filters, segment) is (question in KNOWN[mart])


def test_router_needs_every_dimension_answered() -> None:
    both = Filters(branch_ids=(1,), tiers=("gold",))
    assert marts.can_answer("mart_segment_month", BRANCHES, both, ALL_SEGMENTS)
    assert not marts.can_answer("mart_pareto", PROVINCE, Filters(tiers=("gold",)))
    assert not marts.can_answer(
        "mart_segment_month", BRANCHES, both, SegmentFilters(genders=("F",))
    )


def test_a_table_a_mart_also_writes_routes_to_that_mart() -> None:
    assert marts.mart_of("mart_mismatched_holding").name == "mart_suitability"
    assert marts.mart_of("mart_group_centre").name == "mart_group_summary"
    with pytest.raises(KeyError, match="fact_customer_month"):
        marts.mart_of("fact_customer_month")


# ------------------------------------------------------------------ readers through the router


@pytest.fixture(params=["demo_duckdb", "demo_pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    found = request.getfixturevalue(request.param)
    query.use_warehouse(found)
    return found


def _reading(monkeypatch: pytest.MonkeyPatch, module, read, *args, **kwargs):
    """``read(*args, **kwargs)`` and the SQL of every statement ``module`` read with."""
    texts: list[str] = []
    for name in ("read_frame", "read_scalar"):
        real = getattr(module, name)

        def spy(viewer, stmt, *rest, real=real, **more):
            texts.append(str(stmt))
            return real(viewer, stmt, *rest, **more)

        monkeypatch.setattr(module, name, spy)
    try:
        return read(*args, **kwargs), " ".join(texts)
    finally:
        monkeypatch.undo()


def _same(mart: pd.DataFrame, facts: pd.DataFrame, keys: list[str]) -> None:
    assert len(mart) > 0
    left = mart.sort_values(keys).reset_index(drop=True)
    right = facts.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right[left.columns], check_dtype=False, rtol=1e-9)


def test_a_segment_filter_reads_the_facts_and_agrees_with_the_mart(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every gender is a segment filter the cube cannot answer but that keeps everyone: the
    facts must then count what the mart counts."""
    executive = viewers(warehouse)["executive"]
    everyone = SegmentFilters(genders=segment_rules.GENDERS)
    for dimension in ("tier", "occupation", "age_band"):
        from_mart, mart_sql = _reading(
            monkeypatch, segments, segments.breakdown, executive, Filters(), dimension
        )
        from_facts, facts_sql = _reading(
            monkeypatch, segments, segments.breakdown, executive, Filters(), dimension, everyone
        )
        assert "mart_segment_month" in mart_sql and "fact_customer_month" not in mart_sql
        assert "fact_customer_month" in facts_sql and "mart_segment_month" not in facts_sql
        _same(from_mart, from_facts, ["segment"])


@pytest.mark.parametrize("role", ["wealth_manager"])
def test_an_own_book_reads_the_facts(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    manager = viewers(warehouse)[role]
    _, sql = _reading(monkeypatch, cross_sell, cross_sell.stickiness, manager, Filters())
    assert "mart_stickiness" not in sql and "fact_customer_month" in sql
    _, sql = _reading(monkeypatch, suitability, suitability.suitability_summary, manager, Filters())
    assert "mart_suitability" not in sql
    _, sql = _reading(monkeypatch, tier_moves, tier_moves.tier_matrix, manager, Filters())
    assert "mart_tier_transition" not in sql


@pytest.mark.parametrize("role", ["executive", "branch_head"])
def test_readers_answer_from_the_facts_as_from_the_marts(
    warehouse: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    """With the router saying "facts" for everything, each reader gives the mart's answer."""
    viewer = viewers(warehouse)[role]
    filters = Filters(tiers=("mass", "affluent"))
    reads = (
        (lambda: cross_sell.stickiness(viewer, filters), ["count_core_products"]),
        (
            lambda: suitability.suitability_grid(viewer, filters),
            ["customer_grade", "product_grade"],
        ),
        (lambda: tier_moves.tier_matrix(viewer, filters), ["from_tier", "to_tier"]),
        (
            lambda: scorecards.core_coverage(viewer, filters, _latest(viewer)),
            ["branch_id", "month_start"],
        ),
    )
    stored = [read() for read, _ in reads]
    with monkeypatch.context() as patched:
        patched.setattr(marts, "can_answer", lambda *args, **kwargs: False)
        live = [read() for read, _ in reads]
    for (_, keys), mart, facts in zip(reads, stored, live, strict=True):
        _same(mart, facts, keys)


def _latest(viewer: Viewer) -> tuple:
    return (segments.latest_month(viewer),)
