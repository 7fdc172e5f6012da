"""Asset trends 资产趋势: where the money is, where it moves, and who grows it.

Drill down province -> prefecture -> cooperative -> branch -> relationship manager by clicking a
bar; every section below follows the unit the drill stands on. All numbers come from the marts
through ``data_access.trends`` and are computed in ``analytics.trends``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import deposits as deposit_calc
from analytics import festival as festival_calc
from analytics import kpis, review, rules, trend_rules
from analytics import trends as calc
from catalogue import basis, metrics
from data_access import trends as queries
from data_access.filters import Filters
from ui import (
    auth,
    cache,
    charts,
    components,
    deposit_charts,
    drill,
    festival_view,
    page_params,
    review_line,
    tables,
)
from ui import deposits as deposit_view
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import trend_charts as figures
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

viewer = auth.require_page("trends")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
lang = current_lang()
monthly_q = cache.scoped(queries.monthly)
unit_q = cache.scoped(queries.unit_monthly)
staff_q = cache.scoped(queries.staff_monthly)
targets_q = cache.scoped(queries.branch_targets)


def staff_names(branch_id: int) -> dict[int, str]:
    """Managers of a branch, labelled "name (staff id)" (names alone may repeat)."""
    rows = staff_q(viewer, Filters(branch_ids=(branch_id,)))
    rows = rows.drop_duplicates("rm_staff_id")
    return {
        int(r.rm_staff_id): f"{r.full_name or '—'} ({int(r.rm_staff_id)})"
        for r in rows.itertuples()
    }


org = drill.in_filters(cache.org_units(viewer), filters)
position = drill.resolve(drill.current(), org, lang, t("trends.province"), staff_names)
drill.store(position.drill)
view = drill.narrow(filters, position)
month = pd.Timestamp(filters.month) if filters.month else None

components.page_header(t("page.trends"), ui_filters.describe(viewer, view))


def breadcrumb() -> None:
    """The path from the province to the unit in view; ancestors are buttons that go back up."""
    path = position.path
    deeper_explicit = [any(not n.implicit for n in path[i + 1 :]) for i in range(len(path))]
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.markdown(f":material/account_tree: {t('trends.breadcrumb')}")
        for index, node in enumerate(path):
            last = index == len(path) - 1
            if last or not deeper_explicit[index]:
                st.markdown(f"**{node.name}**" if last else node.name)
            else:
                st.button(
                    node.name,
                    key=f"trends_crumb_{node.level}",
                    type="tertiary",
                    on_click=drill.go,
                    args=(position.drill.up_to(node.level),),
                )
            if not last:
                st.markdown(":material/chevron_right:")


breadcrumb()

with st.spinner(t("common.loading")):
    monthly = monthly_q(viewer, view)
if month is None or month not in set(monthly["month_start"]):
    charts.empty_state("empty.body", "empty.title")
    st.stop()

history = monthly[monthly["month_start"] <= month].reset_index(drop=True)
# AUM on the chosen basis under its month-end name, for the growth, drill and ranking analytics;
# the asset classes, the change's parts and the VIP figures stay month-end (labelled so).
on_basis = review.on_basis(history, basis_code)
grown = calc.with_growth(on_basis, ("aum_rmb",))
window = ui_filters.in_window(grown, filters)
first_month = pd.Timestamp(min(cache.available_months(viewer) or [month.date()]))


def export_context(extra: dict[str, object] | None = None) -> dict[str, object]:
    """What this page adds to the Excel header (ui.exports records who, when, filters, version)."""
    context: dict[str, object] = {
        t("trends.ctx_page"): t("page.trends"),
        t("trends.ctx_drill"): " > ".join(node.name for node in position.path),
        t("trends.ctx_window"): t("filter.window_option", n=filters.months_back),
    }
    context.update(extra or {})
    return context


# Every table of this page exports what the viewer sees under the drilled-down filters.


def table(frame, columns, key: str, title: str, extra=None) -> None:
    """A table of this page with its audited downloads (``ui.tables``)."""
    tables.table(frame, columns, key=key, title=title, extra=extra, viewer=viewer, filters=view)


def choice(draw, key: str, options: tuple[str, ...], default: str, **kwargs) -> str:
    """A widget whose value lives in the URL under its key (see ``ui.page_params``)."""
    page_params.seed(key, options, default)
    value = draw(options=options, key=key, **kwargs)
    page_params.sync(key, value, default)
    return value or default


def period_picker(key: str, default: str) -> str:
    return choice(
        st.selectbox,
        key,
        trend_rules.PERIODS,
        default,
        label=t("trends.period"),
        format_func=lambda p: t(figures.PERIOD_KEYS[p]),
        help=t("trends.period_help"),
    )


# AUM columns say their basis: "AUM 金融资产 · Daily average 日均".
AUM_LABEL = f"{t('trends.col_aum')} · {t(f'basis.{basis_code}')}"
AUM_HELP = "kpi.aum_avg_help" if basis_code == basis.DAILY_AVG else "kpi.aum_help"

# ------------------------------------------------------------------ the year so far, then KPIs
review_line.draw_all(history, month, basis_code, *review_line.plans_for(viewer, view, basis_code))
components.kpi_row(components.headline_cards(history, month, window, basis_code=basis_code))

# ------------------------------------------------------------------ drill-down
with st.container(border=True):
    child = position.child_level
    st.subheader(
        t("trends.drill_title", level=t(figures.LEVEL_KEYS[child])),
        help=t("trends.drill_help"),
        anchor=False,
    )
    chart_key = f"trends_drill_{child}"
    if child in drill.ORG_LEVELS:
        units = calc.snapshot(
            review.on_basis(unit_q(viewer, view, child), basis_code), month, "unit_id"
        )
        names = org.drop_duplicates(f"{child}_id").set_index(f"{child}_id")[f"{child}_name_{lang}"]
        units["name"] = units["unit_id"].map(names).fillna(units["unit_id"].astype(str))
    else:
        staff = staff_q(viewer, view).rename(columns={"rm_staff_id": "unit_id"})
        units = calc.snapshot(review.on_basis(staff, basis_code), month, "unit_id")
        labels = staff_names(int(view.branch_ids[0])) if view.branch_ids else {}
        units["name"] = units["unit_id"].map(labels).fillna(units["unit_id"].astype(str))
        if filters.tiers:
            st.caption(t("trends.staff_all_tiers"))
    if units.empty:
        charts.empty_state()
    else:
        st.caption(f"{t('trends.drill_click')} · {fmt.basis_month(month, basis_code, lang)}")
        st.plotly_chart(
            figures.drill_bars(units, lang),
            key=chart_key,
            on_select=drill.on_chart_select(chart_key, child),
            selection_mode=("points",),
            config=charts.PLOTLY_CONFIG,
            theme="streamlit",
        )
    if position.node.level == "staff":
        rows = staff_q(viewer, view)
        rows = ui_filters.in_window(rows[rows["rm_staff_id"] == position.node.unit_id], filters)
        rows = review.on_basis(rows, basis_code)
        st.markdown(f"**{t('trends.manager_book', name=position.node.name)}**")
        charts.show(figures.manager_trend(rows, lang), key="trends_manager")
    drill_columns = [
        Column("name", figures.LEVEL_KEYS[child], "text"),
        Column("aum_rmb", "trends.col_aum", "money", AUM_HELP, label=AUM_LABEL),
        Column("aum_rmb_mom_pct", "trends.col_mom_pct", "signed_pct", "trends.mom_help"),
        Column("aum_rmb_yoy_pct", "trends.col_yoy_pct", "signed_pct", "trends.yoy_help"),
        Column("count_customers", "trends.col_customers", "count", "kpi.customers_help"),
    ]
    if not units.empty:
        with st.expander(t("trends.table")):
            table(
                units.sort_values("aum_rmb", ascending=False),
                drill_columns,
                "trends_drill",
                t("trends.drill_title", level=t(figures.LEVEL_KEYS[child])),
                export_context(),
            )


# ------------------------------------------------------------------ AUM over time
def show_trend() -> None:
    """AUM by class (stacked or shares), growth, customers, and the monthly table."""
    mode = choice(
        st.segmented_control,
        "trends_aum_mode",
        ("stacked", "shares"),
        "stacked",
        label=t("trends.aum_mode"),
        required=True,
        format_func=lambda m: t(figures.MODE_KEYS[m]),
    )
    mix = kpis.asset_class_long(window[["month_start", *rules.ASSET_COLUMNS]])
    st.subheader(t("chart.aum_by_class"), help=t("trends.aum_by_class_help"), anchor=False)
    st.caption(t("review.end_only"))
    if mode == "shares":
        charts.show(figures.aum_shares(mix, lang), key="trends_aum")
    else:
        charts.show(charts.aum_by_asset_class(mix, lang=lang), key="trends_aum")
    st.subheader(t("trends.growth_title"), help=t("trends.growth_help"), anchor=False)
    st.caption(t(f"basis.{basis_code}"))
    charts.show(figures.growth(window, lang), key="trends_growth")
    st.subheader(t("chart.customers"), help=t("chart.customers_help"), anchor=False)
    charts.show(charts.customers_over_time(window, lang=lang), key="trends_customers")
    table(
        window.sort_values("month_start", ascending=False),
        [
            Column("month_start", "trends.col_month", "month"),
            Column("aum_rmb", "trends.col_aum", "money", AUM_HELP, label=AUM_LABEL),
            *[
                Column(a.column, figures.CLASS_KEYS[a.code], "money", "trends.class_help")
                for a in rules.ASSET_CLASSES
            ],
            Column("aum_rmb_mom", "trends.col_mom", "money", "trends.mom_help"),
            Column("aum_rmb_mom_pct", "trends.col_mom_pct", "signed_pct", "trends.mom_help"),
            Column("aum_rmb_yoy", "trends.col_yoy", "money", "trends.yoy_help"),
            Column("aum_rmb_yoy_pct", "trends.col_yoy_pct", "signed_pct", "trends.yoy_help"),
            Column("count_customers", "trends.col_customers", "count", "kpi.customers_help"),
            Column("count_active", "trends.col_active", "count", "trends.active_help"),
            Column("count_new", "trends.col_new", "count", "trends.new_help"),
            Column("count_churned", "trends.col_churned", "count", "trends.churned_help"),
        ],
        "trends_monthly",
        t("trends.tab_trend"),
        export_context(),
    )


# ------------------------------------------------------------------ where the change came from
def show_change() -> None:
    """The period's AUM change split into its parts."""
    period = period_picker("trends_change_period", "mom")
    fall = calc.waterfall(history, month, period)
    st.subheader(t("trends.change_title"), help=t("trends.change_help"), anchor=False)
    st.caption(t("review.end_only"))
    if fall is None:
        st.info(t("trends.no_base"), icon=":material/event_busy:")
    else:
        charts.show(figures.waterfall(fall, lang), key="trends_waterfall")
        if fall.parts_fen["moved"]:
            st.caption(t("trends.moved_note"))
        money = fall.rmb()
        change = fall.change_fen / 100.0
        parts = pd.DataFrame(
            {
                "part": [t(figures.PART_KEYS[p]) for p in figures.PART_KEYS],
                "amount_rmb": [money[p] for p in figures.PART_KEYS],
            }
        )
        parts["share_pct"] = parts["amount_rmb"] / abs(change) * 100.0 if change else float("nan")
        total = pd.DataFrame(
            {"part": [t("trends.part_total")], "amount_rmb": [change], "share_pct": [100.0]}
        )
        table(
            pd.concat([parts, total], ignore_index=True),
            [
                Column("part", "trends.col_part", "text", "trends.change_help"),
                Column("amount_rmb", "trends.col_amount", "money", "trends.change_help"),
                Column("share_pct", "trends.col_share_change", "pct", "trends.share_change_help"),
            ],
            "trends_change",
            t("trends.change_title"),
            export_context({t("trends.period"): t(figures.PERIOD_KEYS[period])}),
        )


# ------------------------------------------------------------------ rankings
def show_rankings() -> None:
    """Branches or cooperatives ranked, with targets and the same period last year."""
    left, middle, right = st.columns(3)
    with left:
        level = choice(
            st.segmented_control,
            "trends_rank_level",
            ("branch", "cooperative"),
            "branch",
            label=t("trends.rank_level"),
            required=True,
            format_func=lambda v: t(figures.LEVEL_KEYS[v]),
        )
    with middle:
        rank_period = period_picker("trends_rank_period", trend_rules.DEFAULT_PERIOD)
    with right:
        measure = choice(
            st.selectbox,
            "trends_rank_measure",
            calc.RANKING_MEASURES,
            "aum_rmb",
            label=t("trends.rank_by"),
            format_func=lambda m: t(figures.MEASURE_KEYS[m]),
        )
    st.subheader(
        t("trends.rank_title", level=t(figures.LEVEL_KEYS[level])),
        help=t("trends.rank_help"),
        anchor=False,
    )
    st.caption(fmt.basis_month(month, basis_code, lang))
    units = review.on_basis(unit_q(viewer, view, level), basis_code)
    in_view = drill.in_filters(org, view)
    staff_counts = in_view.groupby(f"{level}_id")["count_staff"].sum()
    unit_of_branch = dict(zip(in_view["branch_id"], in_view[f"{level}_id"], strict=True))
    goals = calc.period_targets(
        targets_q(viewer, view),
        month,
        rank_period,
        unit_of_branch,
        trend_rules.RANKING_TARGET_METRICS[basis_code],
    )
    ranked = calc.rankings(units, month, rank_period, staff_counts, goals, measure)
    names = in_view.drop_duplicates(f"{level}_id").set_index(f"{level}_id")
    ranked["name"] = ranked["unit_id"].map(names[f"{level}_name_{lang}"])
    if ranked.empty:
        charts.empty_state()
    else:
        table(
            ranked,
            [
                Column("rank", "trends.col_rank", "count", "trends.rank_col_help"),
                Column("name", figures.LEVEL_KEYS[level], "text"),
                Column("aum_rmb", "trends.col_aum", "money", AUM_HELP, label=AUM_LABEL),
                Column("growth_rmb", "trends.col_growth", "money", "trends.growth_col_help"),
                Column(
                    "growth_pct", "trends.col_growth_pct", "signed_pct", "trends.growth_pct_help"
                ),
                Column("target_rmb", "trends.col_target", "money", "trends.target_help"),
                Column("attainment_pct", "trends.col_attainment", "pct", "trends.attainment_help"),
                Column("ly_growth_rmb", "trends.col_ly_growth", "money", "trends.ly_help"),
                Column("ly_growth_pct", "trends.col_ly_growth_pct", "signed_pct", "trends.ly_help"),
                Column("ly_aum_rmb", "trends.col_ly_aum", "money", "trends.ly_aum_help"),
                Column(
                    "aum_per_customer_rmb",
                    "trends.col_aum_per_customer",
                    "money",
                    "trends.per_customer_help",
                ),
                Column(
                    "aum_per_staff_rmb",
                    "trends.col_aum_per_staff",
                    "money",
                    "trends.per_staff_help",
                ),
                Column("count_customers", "trends.col_customers", "count", "kpi.customers_help"),
                Column("count_staff", "trends.col_staff", "count", "trends.staff_help"),
            ],
            "trends_rankings",
            t("trends.rank_title", level=t(figures.LEVEL_KEYS[level])),
            export_context({t("trends.period"): t(figures.PERIOD_KEYS[rank_period])}),
        )


# ------------------------------------------------------------------ seasonality
def switch(key: str, default: bool, **kwargs) -> bool:
    """A switch whose value lives in the URL under its key (``on`` / ``off``)."""
    page_params.seed_switch(key, default)
    value = st.toggle(key=key, **kwargs)
    page_params.sync_switch(key, value, default)
    return bool(value)


def show_seasonality() -> None:
    """The month-of-year profile against the last 12 months (January to March aligned on the
    Spring Festival unless switched off), the year on year around the festival, and the
    first-quarter campaign (开门红)."""
    measure_names = {
        metrics.balance_measure("aum").column(code): f"{t('trends.col_aum')} · {t(f'basis.{code}')}"
        for code in basis.CODES
    }
    measure_names.update({a.column: name_of(a, lang) for a in rules.ASSET_CLASSES})
    season_measure = choice(
        st.selectbox,
        "trends_season_measure",
        tuple(measure_names),
        metrics.balance_measure("aum").column(basis_code),
        label=t("trends.season_measure"),
        format_func=measure_names.get,
    )
    aligned = switch(
        "trends_season_align", True, label=t("trends.fest_align"), help=t("trends.fest_align_help")
    )
    context = export_context(
        {
            t("trends.season_measure"): measure_names[season_measure],
            t("trends.fest_align"): t("trends.fest_on" if aligned else "trends.fest_off"),
        }
    )
    st.subheader(t("trends.season_title"), help=t("trends.season_help"), anchor=False)
    profile = festival_view.profile(history, season_measure, aligned)
    recent = calc.with_growth(history[["month_start", season_measure]], (season_measure,))
    recent = recent.tail(12).dropna(subset=[f"{season_measure}_mom_pct"])
    recent = pd.DataFrame(
        {
            "month_start": recent["month_start"],
            "period": [festival_view.period_of(m, aligned) for m in recent["month_start"]],
            "mom_pct": recent[f"{season_measure}_mom_pct"],
        }
    )
    recent["label"] = [festival_view.period_label(p) for p in recent["period"]]
    typical = profile.set_index("period")["mean_mom_pct"]
    this = recent[recent["month_start"] == month]
    if len(this):
        st.caption(
            t(
                "trends.season_now",
                month=str(this["label"].iloc[0]),
                actual=fmt.signed_pct(float(this["mom_pct"].iloc[0]), lang),
                typical=fmt.signed_pct(typical.get(str(this["period"].iloc[0])), lang),
            )
        )
    dates = festival_view.festival_dates(history["month_start"], lang)
    if aligned and dates:
        st.caption(t("trends.fest_dates", dates=dates))
    charts.show(figures.seasonality(profile, recent, lang), key="trends_seasonality")
    profile["recent_pct"] = profile["period"].map(recent.set_index("period")["mom_pct"])
    table(
        profile,
        [
            Column(
                "label",
                "trends.col_period" if aligned else "trends.col_calendar_month",
                "text",
            ),
            Column("mean_mom_pct", "trends.col_typical_pct", "signed_pct", "trends.season_help"),
            Column("mean_mom_rmb", "trends.col_typical_rmb", "money", "trends.season_help"),
            Column("count_years", "trends.col_years", "count", "trends.years_help"),
            Column("recent_pct", "trends.col_recent_pct", "signed_pct", "trends.recent_help"),
        ],
        "trends_seasonality",
        t("trends.season_title"),
        context,
    )
    show_festival_year_on_year(season_measure, measure_names[season_measure], context)
    show_kaimenhong(season_measure, context)


def show_festival_year_on_year(measure: str, measure_name: str, context: dict) -> None:
    """January to March in the window against last year's month at the same distance from the
    festival, with the calendar year on year beside it."""
    st.subheader(t("trends.fest_yoy_title"), help=t("trends.fest_yoy_help"), anchor=False)
    rows = festival_view.year_on_year(history, measure, window["month_start"])
    if rows.empty:
        st.info(t("trends.fest_yoy_none"), icon=":material/event_busy:")
        return
    table(
        rows,
        festival_view.year_on_year_columns(f"{t('trends.col_value')} · {measure_name}"),
        "trends_festival_yoy",
        t("trends.fest_yoy_title"),
        context,
    )


def show_kaimenhong(measure: str, context: dict) -> None:
    """The first-quarter campaign (开门红) of each year: its table and its change by year."""
    st.subheader(t("trends.kmh_title"), help=t("trends.kmh_help"), anchor=False)
    campaigns = festival_calc.kaimenhong(history, measure)
    if campaigns.empty:
        st.info(t("trends.kmh_none"), icon=":material/event_busy:")
        return
    campaigns = campaigns.sort_values("year", ascending=False).reset_index(drop=True)
    table(
        campaigns,
        festival_view.KAIMENHONG_COLUMNS,
        "trends_kaimenhong",
        t("trends.kmh_title"),
        context,
    )
    charts.show(figures.kaimenhong(campaigns.sort_values("year"), lang), key="trends_kaimenhong")


# ------------------------------------------------------------------ deposits
def show_deposits() -> None:
    """Savings deposits first: their KPI row, the lines with their cost, what moved the cost,
    存款偏离度 over time and per unit against the 4% line, then the structure per branch."""
    components.kpi_row(deposit_view.deposit_cards(history, month, window))
    derived = ui_filters.in_window(deposit_calc.with_deposit_measures(history), filters)
    st.subheader(t("dep.lines_title"), help=t("dep.lines_help"), anchor=False)
    table(
        deposit_view.lines_frame(history, month),
        deposit_view.LINE_COLUMNS,
        "trends_deposit_lines",
        t("dep.lines_title"),
        export_context(),
    )
    st.subheader(t("dep.cost_title"), help=t("dep.cost_help"), anchor=False)
    charts.show(deposit_charts.cost_trend(derived, lang), key="trends_deposit_cost")
    st.subheader(t("dep.mix_title"), help=t("dep.mix_help"), anchor=False)
    cost_period = period_picker("trends_cost_period", "yoy")
    change = deposit_calc.cost_change(history, month, calc.base_month(month, cost_period))
    if change is None:
        st.info(t("dep.mix_none"), icon=":material/event_busy:")
    else:
        st.caption(deposit_view.mix_summary(change))
        table(
            deposit_view.mix_lines(change),
            deposit_view.MIX_COLUMNS,
            "trends_deposit_mix",
            t("dep.mix_title"),
            export_context({t("trends.period"): t(figures.PERIOD_KEYS[cost_period])}),
        )
    show_deviation(derived)
    show_structure()


def show_deviation(derived: pd.DataFrame) -> None:
    """存款偏离度 of the unit in view month by month, and per branch or cooperative this month,
    with the units above the 4% line."""
    st.subheader(t("dep.deviation_title"), help=t("dep.deviation_help"), anchor=False)
    charts.show(deposit_charts.deviation_trend(derived, lang), key="trends_deviation")
    level = choice(
        st.segmented_control,
        "trends_deviation_level",
        ("branch", "cooperative"),
        "branch",
        label=t("trends.rank_level"),
        required=True,
        format_func=lambda v: t(figures.LEVEL_KEYS[v]),
    )
    level_label = t(figures.LEVEL_KEYS[level])
    units = unit_q(viewer, view, level)
    names = org.drop_duplicates(f"{level}_id").set_index(f"{level}_id")[f"{level}_name_{lang}"]
    now = deposit_calc.with_deposit_measures(units[units["month_start"] == month], ("unit_id",))
    now["name"] = now["unit_id"].map(names).fillna(now["unit_id"].astype(str))
    if now.empty:
        charts.empty_state()
        return
    st.caption(t("dep.deviation_units", level=level_label, month=fmt.month(month, lang)))
    shown = charts.extremes(now, "deviation_pct")
    charts.show(deposit_charts.deviation_bars(shown, lang), key="trends_deviation_units")
    charts.extremes_note(len(shown), len(now), t("dep.series_deviation"))
    above = deposit_view.above_cap_units(units, names, month, set(window["month_start"]))
    st.markdown(f"**{t('dep.above_title', level=level_label)}**", help=t("dep.above_help"))
    deposit_view.above_cap_table(
        above,
        level_label,
        "trends_deviation_above",
        viewer,
        view,
        export_context(),
    )


def show_structure() -> None:
    """Demand vs time deposits and wealth-management penetration per branch."""
    st.subheader(t("trends.deposit_title"), help=t("trends.deposit_help"), anchor=False)
    branches = unit_q(viewer, view, "branch")
    structure = calc.deposit_structure(branches[branches["month_start"] == month])
    names = org.drop_duplicates("branch_id").set_index("branch_id")[f"branch_name_{lang}"]
    structure["name"] = structure["unit_id"].map(names)
    if structure.empty:
        charts.empty_state()
    else:
        # The chart compares the units one level down (branches once the drill is that deep);
        # the table lists every branch in view.
        level = position.child_level if position.child_level in drill.ORG_LEVELS else "branch"
        units = unit_q(viewer, view, level)
        charted = calc.deposit_structure(units[units["month_start"] == month])
        unit_names = org.drop_duplicates(f"{level}_id").set_index(f"{level}_id")
        charted["name"] = charted["unit_id"].map(unit_names[f"{level}_name_{lang}"])
        st.caption(t("trends.deposit_chart_level", level=t(figures.LEVEL_KEYS[level])))
        charts.show(figures.deposit_structure(charted, lang), key="trends_deposits")
        table(
            structure.sort_values("demand_share_pct", ascending=False),
            [
                Column("name", "trends.level_branch", "text"),
                Column(
                    "demand_deposit_rmb", "trends.col_demand_deposit", "money", "trends.class_help"
                ),
                Column("time_deposit_rmb", "trends.col_time_deposit", "money", "trends.class_help"),
                Column(
                    "demand_share_pct", "trends.col_demand_share", "pct", "trends.demand_share_help"
                ),
                Column(
                    "time_share_pct", "trends.col_time_share", "pct", "trends.demand_share_help"
                ),
                Column(
                    "wealth_share_pct", "trends.col_wealth_share", "pct", "trends.wealth_share_help"
                ),
                Column(
                    "wealth_penetration_pct",
                    "trends.col_penetration",
                    "pct",
                    "trends.penetration_help",
                ),
                Column("count_customers", "trends.col_customers", "count", "kpi.customers_help"),
            ],
            "trends_deposits",
            t("trends.deposit_title"),
            export_context(),
        )


# ------------------------------------------------------------------ VIP customers
def show_vip() -> None:
    """VIP customers and their assets over time; VIPs entered and left."""
    st.subheader(t("trends.vip_title"), help=t("trends.vip_help"), anchor=False)
    flows = ui_filters.in_window(calc.vip_flows(history, first_month), filters)
    charts.show(figures.vip(flows, lang), key="trends_vip")
    table(
        flows.sort_values("month_start", ascending=False),
        [
            Column("month_start", "trends.col_month", "month"),
            Column("count_vip", "trends.col_vip", "count", "kpi.vip_help"),
            Column("vip_aum_rmb", "trends.col_vip_aum", "money", "trends.vip_aum_help"),
            Column(
                "count_vip_entered", "trends.col_vip_entered", "count", "trends.vip_entered_help"
            ),
            Column("count_vip_left", "trends.col_vip_left", "count", "trends.vip_left_help"),
            Column("net_vip", "trends.col_vip_net", "count", "trends.vip_net_help"),
        ],
        "trends_vip",
        t("trends.vip_title"),
        export_context(),
    )


# ------------------------------------------------------------------ tabs (only the open one runs)
page_params.lazy_tabs(
    "trends_tab",
    {
        "trend": (t("trends.tab_trend"), show_trend),
        "change": (t("trends.tab_change"), show_change),
        "rankings": (t("trends.tab_rankings"), show_rankings),
        "seasonality": (t("trends.tab_seasonality"), show_seasonality),
        "deposits": (t("trends.tab_deposits"), show_deposits),
        "vip": (t("trends.tab_vip"), show_vip),
    },
)
