"""Tier migration 客户升降级: the matrix between two months, a Sankey, rates, who moved."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import rules
from analytics import segment_rules as sr
from analytics import tier_moves as mig
from catalogue import basis
from data_access import settings, tier_moves
from ui import (
    audit_trail,
    auth,
    cache,
    charts,
    components,
    exports,
    page_params,
    saved_views,
    tables,
)
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import segment_charts as figs
from ui import segment_labels as labels
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

viewer = auth.require_page("migration")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.migration"), ui_filters.describe(viewer, filters))
saved_views.saved_views_panel(viewer, "migration")

tier_matrix = cache.scoped(tier_moves.tier_matrix)
movers = cache.scoped(tier_moves.movers)
count_movers = cache.scoped(tier_moves.count_movers)
branch_rates = cache.scoped(tier_moves.branch_rates)

months = [m for m in ui_filters.available_months(viewer) if m <= (filters.month or dt.date.max)]
if len(months) < 2:
    charts.empty_state("mig.too_few_months")
    st.stop()


def _month_param(name: str, default: dt.date) -> dt.date:
    """A month picked in the URL (``?from=2025-10``) if it is one of the months, else default."""
    raw = st.query_params.get(name)
    try:
        value = dt.date.fromisoformat(f"{raw[:7]}-01") if raw else None
    except ValueError:
        value = None
    return value if value in months else default


to_default = months[-1]
year_before = (pd.Timestamp(to_default) - pd.DateOffset(months=12)).date()
from_default = year_before if year_before in months else months[0]
for name, default in (("mig_from", from_default), ("mig_to", to_default)):
    if name not in st.session_state:
        st.session_state[name] = _month_param(name.removeprefix("mig_"), default)

left, right, measure_column = st.columns([1, 1, 1])
from_month = left.selectbox(
    t("mig.from_month"),
    months[:-1],
    format_func=lambda m: fmt.month(m, lang),
    key="mig_from",
    help=t("mig.from_month_help"),
)
later = [m for m in months if m > from_month]
if st.session_state.get("mig_to") not in later:
    st.session_state["mig_to"] = later[-1]
to_month = right.selectbox(
    t("mig.to_month"),
    later,
    format_func=lambda m: fmt.month(m, lang),
    key="mig_to",
    help=t("mig.to_month_help"),
)
st.query_params["from"] = from_month.strftime("%Y-%m")
st.query_params["to"] = to_month.strftime("%Y-%m")
measure = (
    measure_column.segmented_control(
        t("mig.measure"),
        ["count_customers", "aum_from_rmb"],
        format_func=lambda m: labels.coded("mig", "measure", m),
        default="count_customers",
        key="mig_measure",
        help=t("mig.measure_help"),
    )
    or "count_customers"
)
period = t("mig.period", start=fmt.month(from_month, lang), end=fmt.month(to_month, lang))
export_title = f"{t('page.migration')} · {period}"

cells = tier_matrix(viewer, filters, from_month, to_month)
if cells.empty:
    charts.empty_state("empty.chart")
    st.stop()

totals = mig.summary(cells)
components_row = st.columns(5)
for column, (key, value, kind) in zip(
    components_row,
    (
        ("base", totals["base"], "count"),
        ("up", totals["up_rate_pct"], "pct"),
        ("down", totals["down_rate_pct"], "pct"),
        ("left", totals["left_rate_pct"], "pct"),
        ("new", totals["new"], "count"),
    ),
    strict=True,
):
    column.metric(
        labels.coded("mig", "kpi", key),
        fmt.count(value) if kind == "count" else fmt.pct(value, digits=2),
        help=labels.coded("mig", "kpi", key, "help"),
    )


# ------------------------------------------------------------------ matrix and Sankey
def show_matrix() -> None:
    st.subheader(t("mig.matrix_title", period=period), help=t("mig.matrix_help"), anchor=False)
    table = mig.matrix(cells, measure)
    row_names = [labels.label("tier", c) for c in table.index]
    column_names = [labels.label("tier", c) for c in table.columns]
    formatter = fmt.count if measure == "count_customers" else fmt.money
    text = [
        [formatter(v) if pd.notna(v) else t("seg.small") for v in row] for row in table.to_numpy()
    ]
    shown = table.copy()
    shown.index, shown.columns = row_names, column_names
    charts.show(
        figs.heatmap(
            shown,
            text,
            x_title=t("mig.axis_to", month=fmt.month(to_month, lang)),
            y_title=t("mig.axis_from", month=fmt.month(from_month, lang)),
            height=80 + 48 * len(shown),
        ),
        key="mig_matrix_chart",
    )
    if cells["is_suppressed"].any():
        st.caption(t("seg.suppressed_note", n=int(cells["is_suppressed"].sum())))
    export = cells.assign(
        from_tier=[labels.label("tier", c) for c in cells["from_tier"]],
        to_tier=[labels.label("tier", c) for c in cells["to_tier"]],
    ).rename(
        columns={
            "from_tier": t("mig.col_from"),
            "to_tier": t("mig.col_to"),
            "count_customers": t("seg.col_customers"),
            "aum_from_rmb": t("mig.col_aum_from"),
            "aum_to_rmb": t("mig.col_aum_to"),
            "is_suppressed": t("seg.col_suppressed"),
        }
    )
    exports.download_buttons(
        export,
        "tier_migration",
        viewer=viewer,
        filters=filters,
        title=export_title,
        key="mig_dl_mx",
    )


def show_sankey() -> None:
    st.subheader(t("mig.sankey_title", period=period), help=t("mig.sankey_help"), anchor=False)
    links = mig.sankey_links(cells, measure)
    nodes = links.attrs["nodes"]
    side_month = {"from": fmt.month(from_month, lang), "to": fmt.month(to_month, lang)}
    node_labels = [f"{labels.label('tier', code)} · {side_month[side]}" for side, code in nodes]
    charts.show(
        figs.sankey(links, node_labels, [code for _, code in nodes]), key="mig_sankey_chart"
    )


page_params.lazy_tabs(
    "mig_tab",
    {
        "matrix": (t("mig.tab_matrix"), show_matrix),
        "sankey": (t("mig.tab_sankey"), show_sankey),
    },
)

# ------------------------------------------------------------------ rates per branch over time
with st.container(border=True):
    st.subheader(t("mig.rates_title"), help=t("mig.rates_help"), anchor=False)
    rates = mig.branch_rates(branch_rates(viewer, filters))
    if rates.empty:
        charts.empty_state("empty.chart")
    else:
        kind = (
            st.segmented_control(
                t("mig.rate_kind"),
                ["upgrade_rate_pct", "downgrade_rate_pct", "net_rate_pct"],
                format_func=lambda k: labels.coded("mig", "rate", k),
                default="upgrade_rate_pct",
                key="mig_rate_kind",
            )
            or "upgrade_rate_pct"
        )
        name_column = f"branch_name_{lang}"
        grid = rates.pivot_table(
            index=name_column, columns="month_start", values=kind, sort=False, dropna=False
        )
        total_rows = len(grid)
        means = grid.mean(axis=1).to_frame("mean")  # each branch's average rate over the months
        grid = grid.loc[charts.extremes(means, "mean").index]
        grid.columns = [fmt.month(m, lang) for m in grid.columns]
        text = [[fmt.pct(v, digits=2) for v in row] for row in grid.to_numpy()]
        colours = {"upgrade_rate_pct": "Greens", "downgrade_rate_pct": "Oranges"}
        charts.show(
            figs.heatmap(
                grid,
                text,
                x_title=t("mig.axis_month"),
                y_title=t("seg.col_branch"),
                colorscale=colours.get(kind, "RdBu"),
                height=120 + 30 * len(grid),
            ),
            key="mig_rates_chart",
        )
        charts.extremes_note(len(grid), total_rows, labels.coded("mig", "rate", kind))
        rate_table = pd.DataFrame(
            {
                t("seg.col_branch"): rates[name_column],
                t("mig.axis_month"): [fmt.month(m, lang) for m in rates["month_start"]],
                t("mig.col_base"): rates["base_customers"],
                t("mig.col_upgraded"): rates["count_upgraded"],
                t("mig.col_downgraded"): rates["count_downgraded"],
                t("mig.rate_upgrade_rate_pct"): rates["upgrade_rate_pct"].round(3),
                t("mig.rate_downgrade_rate_pct"): rates["downgrade_rate_pct"].round(3),
            }
        )
        exports.download_buttons(
            rate_table,
            "tier_rates_by_branch",
            viewer=viewer,
            filters=filters,
            title=f"{t('mig.rates_title')} · {t('page.migration')}",
            key="mig_dl_rates",
        )

# ------------------------------------------------------------------ who moved
with st.container(border=True):
    st.subheader(t("mig.movers_title", period=period), help=t("mig.movers_help"), anchor=False)
    a, b, c = st.columns(3)
    direction = a.selectbox(
        t("mig.direction"),
        tier_moves.DIRECTIONS,
        format_func=lambda d: labels.coded("mig", "dir", d),
        key="mig_direction",
    )
    tier_options = [None, *rules.TIER_CODES]
    from_tier = b.selectbox(
        t("mig.col_from"),
        tier_options,
        format_func=lambda c: t("filter.all") if c is None else labels.label("tier", c),
        key="mig_from_tier",
    )
    to_options = [None, *rules.TIER_CODES, sr.LEFT_CODE]
    to_tier = c.selectbox(
        t("mig.col_to"),
        to_options,
        format_func=lambda c: t("filter.all") if c is None else labels.label("tier", c),
        key="mig_to_tier",
    )
    args = (viewer, filters, from_month, to_month, direction, from_tier, to_tier)
    total = count_movers(*args)
    pages = max((total - 1) // sr.LIST_PAGE_SIZE + 1, 1)
    page = st.number_input(t("seg.page_number", pages=pages), 1, pages, 1, key="mig_page")
    rows = movers(*args, sr.LIST_PAGE_SIZE, (int(page) - 1) * sr.LIST_PAGE_SIZE)
    movers_filters = {
        "from_month": from_month,
        "to_month": to_month,
        "direction": direction,
        "from_tier": from_tier,
        "to_tier": to_tier,
    }
    audit_trail.list_shown(
        viewer,
        filters,
        rows["customer_id"],
        page="migration",
        page_filters=movers_filters,
        list_page=int(page),
    )
    st.caption(t("seg.list_count", n=fmt.count(total)))
    listing = pd.DataFrame(
        {
            t("seg.col_customer"): [labels.customer_link(i) for i in rows["customer_id"]],
            t("seg.col_name"): rows["full_name"],
            t("seg.col_branch"): rows.get(name_column := f"branch_name_{lang}", pd.Series()),
            t("mig.col_from"): [labels.label("tier", c) for c in rows["from_tier"]],
            t("mig.col_to"): [labels.label("tier", c) for c in rows["to_tier"]],
            t("mig.col_aum_from"): rows.get("aum_from_rmb", pd.Series()).round(2),
            t("mig.col_aum_to"): rows.get("aum_to_rmb", pd.Series()).round(2),
            t("mig.col_change"): rows.get("aum_change_rmb", pd.Series()).round(2),
        }
    )
    tables.table(
        listing,
        [
            Column(
                t("seg.col_customer"),
                "seg.col_customer",
                "link",
                "seg.customer_link_help",
                link_text=labels.LINK_TEXT,
            ),
            Column(t("seg.col_name"), "seg.col_name", "text"),
            Column(t("seg.col_branch"), "seg.col_branch", "text"),
            Column(t("mig.col_from"), "mig.col_from", "text"),
            Column(t("mig.col_to"), "mig.col_to", "text"),
            Column(t("mig.col_aum_from"), "mig.col_aum_from", "money"),
            Column(t("mig.col_aum_to"), "mig.col_aum_to", "money"),
            Column(t("mig.col_change"), "mig.col_change", "signed_money", "mig.col_change_help"),
        ],
        key="mig_dl_movers",
        name="tier_movers",
        title=f"{t('mig.movers_title', period=period)}",
        viewer=viewer,
        filters=filters,
        customer_ids=[int(c) for c in rows["customer_id"]],
        page_filters=movers_filters,
    )

# ------------------------------------------------------------------ 保级期 (the grace period)
grace_summary = cache.scoped(tier_moves.grace_summary)
grace_customers = cache.scoped(tier_moves.grace_customers)
tier_basis = settings.tier_basis()
basis_name = name_of(basis.TIER_BASIS_BY_CODE[tier_basis], lang)
with st.container(border=True):
    st.subheader(
        t("mig.grace_title"),
        help=t(
            "mig.grace_help",
            basis=basis_name,
            downgrade=rules.DOWNGRADE_AFTER_MONTHS,
            watch=rules.WATCH_AFTER_MONTHS,
        ),
        anchor=False,
    )
    summary = grace_summary(viewer, filters, tier_basis)
    in_grace = int(summary["count_grace"].sum())
    if not in_grace:
        st.caption(t("mig.grace_empty"))
    else:
        st.caption(
            t(
                "mig.grace_summary",
                count=fmt.count(in_grace),
                watch=fmt.count(int(summary["count_watch"].sum())),
                needed=fmt.money(float(summary["needed_rmb"].sum())),
            )
        )
        grace_pages = max((in_grace - 1) // sr.LIST_PAGE_SIZE + 1, 1)
        grace_page = st.number_input(
            t("seg.page_number", pages=grace_pages), 1, grace_pages, 1, key="mig_grace_page"
        )
        grace_rows = grace_customers(
            viewer,
            filters,
            sr.LIST_PAGE_SIZE,
            (int(grace_page) - 1) * sr.LIST_PAGE_SIZE,
            tier_basis,
        )
        audit_trail.list_shown(
            viewer,
            filters,
            grace_rows["customer_id"],
            page="migration",
            page_filters={"list": "grace"},
            list_page=int(grace_page),
        )
        listing = pd.DataFrame(
            {
                "customer": [labels.customer_link(i) for i in grace_rows["customer_id"]],
                "name": grace_rows["full_name"],
                "branch": grace_rows[f"branch_name_{lang}"],
                "kept": [labels.label("tier", c) for c in grace_rows["tier_code"]],
                "reached": [labels.label("tier", c) for c in grace_rows["raw_tier_code"]],
                "below": grace_rows["months_below_floor"],
                "left": grace_rows["months_left"],
                "aum": grace_rows["aum_rmb"],
                "basis": grace_rows["basis_rmb"],
                "floor": grace_rows["floor_rmb"],
                "needed": grace_rows["needed_rmb"],
            }
        )
        tables.table(
            listing,
            [
                Column(
                    "customer",
                    "seg.col_customer",
                    "link",
                    "seg.customer_link_help",
                    link_text=labels.LINK_TEXT,
                ),
                Column("name", "seg.col_name", "text"),
                Column("branch", "seg.col_branch", "text"),
                Column("kept", "mig.col_tier_kept", "text"),
                Column("reached", "mig.col_tier_reached", "text"),
                Column("below", "mig.col_months_below", "count"),
                Column("left", "mig.col_months_left", "count"),
                *([] if tier_basis == basis.TIER_END else [Column("aum", "mig.col_aum", "money")]),
                Column(
                    "basis",
                    "mig.col_basis",
                    "money",
                    label=t("mig.col_basis", basis=basis_name),
                    help=t("mig.col_basis_help", basis=basis_name),
                ),
                Column("floor", "mig.col_floor", "money"),
                Column(
                    "needed",
                    "mig.col_needed",
                    "money",
                    help=t("mig.col_needed_help", basis=basis_name),
                ),
            ],
            key="mig_dl_grace",
            name="tier_grace_period",
            title=t("mig.grace_title"),
            viewer=viewer,
            filters=filters,
            customer_ids=[int(c) for c in grace_rows["customer_id"]],
            page_filters={"list": "grace"},
        )
