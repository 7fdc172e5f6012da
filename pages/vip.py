"""VIP services 贵宾服务: customers with financial assets of 1,000,000 RMB or more, eligible
against using the value-added services, by branch and by service type, and the list to call."""

from __future__ import annotations

import streamlit as st

from analytics import rules, uptake
from data_access import vip
from ui import audit_trail, auth, cache, charts, components, crm_charts, tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

viewer = auth.require_page("vip")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.vip"), ui_filters.describe(viewer, filters))
out = {"viewer": viewer, "filters": filters}

with st.spinner(t("common.loading")):
    by_branch = cache.scoped(vip.vip_by_branch)(viewer, filters)
    by_service = cache.scoped(vip.vip_by_service)(viewer, filters)
if by_branch.empty and by_service.empty:
    charts.empty_state("vipsvc.none", "empty.title")
    st.stop()

totals = uptake.vip_totals(by_branch)
cols = st.columns(3, border=True)
cols[0].metric(
    t("vipsvc.eligible"),
    fmt.count(totals["count_eligible"], lang),
    help=t("vipsvc.eligible_help", threshold=fmt.money(rules.VIP_THRESHOLD_RMB, lang)),
)
cols[1].metric(
    t("vipsvc.using"), fmt.count(totals["count_using"], lang), help=t("vipsvc.using_help")
)
cols[2].metric(
    t("vipsvc.using_pct"), fmt.pct(totals["using_pct"], lang), help=t("vipsvc.using_pct_help")
)

branches = uptake.vip_rates(by_branch).assign(branch=by_branch.get(f"branch_name_{lang}"))
services = {code: name_of((code, en, zh), lang) for code, en, zh in rules.VIP_SERVICES}
left, right = st.columns(2, gap="medium")
with left, st.container(border=True):
    st.subheader(t("vipsvc.by_branch"), help=t("vipsvc.by_branch_help"), anchor=False)
    if branches.empty:
        charts.empty_state()
    else:
        charts.show(
            crm_charts.grouped_bars(
                branches,
                "branch",
                [
                    ("count_eligible", t("vipsvc.eligible"), charts.BLUE),
                    ("count_using", t("vipsvc.using"), charts.GREEN),
                ],
                lang=lang,
            ),
            key="vip_branch_chart",
        )
        tables.table(
            branches,
            [
                Column("branch", "cust.branch", "text"),
                Column("count_eligible", "vipsvc.eligible", "count"),
                Column("count_using", "vipsvc.using", "count"),
                Column("using_pct", "vipsvc.using_pct", "pct"),
                Column("count_not_using", "vipsvc.not_using", "count"),
                Column("count_uses", "vipsvc.count_uses", "count"),
            ],
            key="vip_by_branch",
            name="vip_by_branch",
            **out,
            title=t("vipsvc.by_branch"),
            empty_state=True,
        )
with right, st.container(border=True):
    st.subheader(t("vipsvc.by_service"), help=t("vipsvc.by_service_help"), anchor=False)
    shown = by_service.assign(service=by_service["service_type"].map(lambda c: services.get(c, c)))
    if shown.empty:
        st.caption(t("vipsvc.no_use"))
    else:
        charts.show(
            crm_charts.grouped_bars(
                shown,
                "service",
                [
                    ("count_users", t("vipsvc.users"), charts.BLUE),
                    ("count_eligible_users", t("vipsvc.eligible_users"), charts.GREEN),
                ],
                lang=lang,
            ),
            key="vip_service_chart",
        )
        tables.table(
            shown,
            [
                Column("service", "vipsvc.service", "text"),
                Column("count_users", "vipsvc.users", "count"),
                Column("count_eligible_users", "vipsvc.eligible_users", "count"),
                Column("count_uses", "vipsvc.count_uses", "count"),
            ],
            key="vip_by_service",
            name="vip_by_service",
            **out,
            title=t("vipsvc.by_service"),
            empty_state=True,
        )

with st.container(border=True):
    st.subheader(t("vipsvc.customers"), help=t("vipsvc.customers_help"), anchor=False)
    listed = cache.scoped(vip.vip_customers)(viewer, filters)
    if listed.empty:
        charts.empty_state()
    else:
        audit_trail.list_shown(viewer, filters, listed["customer_id"], page="vip")
        tables.table(
            listed,
            [
                Column("customer_id", "cust.number", "id"),
                Column("full_name", "cust.name", "text"),
                Column("mobile", "cust.mobile", "text"),
                Column("branch_id", "cust.branch", "id"),
                Column("rm_staff_id", "cust.manager", "text"),
                Column("aum_rmb", "cust.aum", "money"),
                Column("count_uses", "vipsvc.count_uses", "count"),
                Column("last_used_on", "vipsvc.last_used", "date"),
            ],
            key="vip_customers",
            name="vip_customers",
            **out,
            title=t("vipsvc.customers"),
            customer_column="customer_id",
            empty_state=True,
        )
