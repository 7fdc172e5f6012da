"""The watchlist page's parts: controls (kept in the URL), the ranked list, the case panel with
the retention form, and the follow-up. ``pages/watchlist.py`` lays them out.

The list tab and, inside it, the case panel are fragments (``st.fragment``): a refused action
or an assignment redraws the case panel alone; a recorded action redraws the list tab (the
row's status and follow-up date, and the status filter, depend on it), never the app shell.

Every warehouse read goes through ``ui.cache`` (keyed by viewer, arguments and warehouse
version). What comes from the app store (retention statuses, contacts), which changes when
someone records an action, not when the warehouse changes, is read on every rerun and passed to
the cached reads as arguments (the status filter's customer ids, the contacted groups) or joined
after them (each row's case), so a recorded action shows at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import contact_rules, retention_rules, rules
from analytics import retention as followup_rates
from analytics.churn import definition, reasons
from catalogue.roles import Capability
from data_access import app_store, retention
from data_access import watchlist as wl
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import audit_trail, auth, cache, charts, exports, tables
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

ranked_page = cache.scoped(wl.ranked_page)
watchlist_row = cache.scoped(wl.watchlist_row)
followup_plan = cache.scoped(wl.followup_plan)
followup_counts = cache.scoped(wl.followup_counts)

_PARAMS = {
    "rm": "wl_rm",
    "band": "wl_band",
    "reason": "wl_reason",
    "status": "wl_status",
    "order": "wl_order",
    "top": "wl_top",
    "size": "wl_size",
    "page": "wl_page",
}
_FORM_ID_KEY = "wl_contact_ids"
_NOTICE_KEY = "wl_notice"
_ERROR_KEY = "wl_form_error"  # why the last action was refused: (text, icon), shown once
_ASSIGN_ERROR_KEY = "wl_assign_error"  # the same for the last assignment
LIST_FRAGMENT = "wl_list"
CASE_FRAGMENT = "wl_case"
CUSTOMER_PAGE = Path(__file__).resolve().parent.parent / "pages" / "customer.py"
BAND_CODES = definition.SCORE_BAND_CODES
BAND_NAMES = {code: (code, en, zh) for code, _, en, zh in definition.SCORE_BANDS}
BAND_COLOURS = {"high": charts.VERMILLION, "medium": charts.ORANGE, "low": charts.SKY_BLUE}


# ------------------------------------------------------------------ URL-backed controls
def _ints(values: list[str]) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except ValueError:
            continue
    return out


def _seed_from_url() -> None:
    """Copy the URL's watchlist parameters into the widgets' state once per session."""
    if st.session_state.get("wl_seeded"):
        return
    st.session_state["wl_seeded"] = True
    q = st.query_params
    st.session_state["wl_rm"] = _ints(q.get_all("wl_rm"))
    st.session_state["wl_band"] = [b for b in q.get_all("wl_band") if b in BAND_CODES]
    st.session_state["wl_reason"] = [r for r in q.get_all("wl_reason") if r in reasons.REASON_CODES]
    st.session_state["wl_status"] = [
        s for s in q.get_all("wl_status") if s in retention_rules.STATUS_CODES
    ]
    order = q.get("wl_order")
    st.session_state["wl_order"] = (
        order if order in retention_rules.ORDERS else retention_rules.DEFAULT_ORDER
    )
    top = _ints(q.get_all("wl_top"))
    st.session_state["wl_top"] = top[-1] if top and top[-1] in retention_rules.TOP_N_CHOICES else 0
    size = _ints(q.get_all("wl_size"))
    sizes = retention_rules.PAGE_SIZES
    st.session_state["wl_size"] = size[-1] if size and size[-1] in sizes else sizes[0]
    page = _ints(q.get_all("wl_page"))
    st.session_state["wl_page"] = max(0, page[-1] - 1) if page else 0


def _sync_url() -> None:
    state = st.session_state
    wanted: dict[str, list[str]] = {
        "wl_rm": [str(v) for v in state.get("wl_rm", [])],
        "wl_band": list(state.get("wl_band", [])),
        "wl_reason": list(state.get("wl_reason", [])),
        "wl_status": list(state.get("wl_status", [])),
        "wl_order": []
        if state.get("wl_order") == retention_rules.DEFAULT_ORDER
        else [state.get("wl_order")],
        "wl_top": [] if not state.get("wl_top") else [str(state["wl_top"])],
        "wl_size": []
        if state.get("wl_size") == retention_rules.PAGE_SIZES[0]
        else [str(state.get("wl_size"))],
        "wl_page": [] if not state.get("wl_page") else [str(state["wl_page"] + 1)],
    }
    for name, values in wanted.items():
        if st.query_params.get_all(name) != values:
            if values:
                st.query_params[name] = values
            elif name in st.query_params:
                del st.query_params[name]


def _first_page() -> None:
    st.session_state["wl_page"] = 0


def criteria_controls(viewer: Viewer, filters: Filters) -> wl.WatchCriteria:
    """The watchlist's own filters and order, seeded from and written back to the URL."""
    _seed_from_url()
    lang = current_lang()
    managers = cache.scoped(wl.relationship_managers)(viewer, filters)
    names = dict(zip(managers["staff_id"].astype(int), managers["full_name"], strict=True))
    st.session_state["wl_rm"] = [v for v in st.session_state.get("wl_rm", []) if v in names]
    first, second, third, fourth = st.columns(4)
    with first:
        if len(names) > 1:
            st.multiselect(
                t("wl.filter_rm"),
                list(names),
                format_func=lambda v: names.get(v, str(v)),
                key="wl_rm",
                placeholder=t("filter.all"),
                on_change=_first_page,
            )
    with second:
        st.multiselect(
            t("wl.filter_band"),
            list(BAND_CODES),
            format_func=lambda c: name_of(BAND_NAMES[c], lang),
            key="wl_band",
            placeholder=t("filter.all"),
            help=t("wl.band_help"),
            on_change=_first_page,
        )
    with third:
        st.multiselect(
            t("wl.filter_reason"),
            list(reasons.REASON_CODES),
            format_func=lambda c: t(f"wl.reason_{c}"),
            key="wl_reason",
            placeholder=t("filter.all"),
            help=t("wl.reason_filter_help"),
            on_change=_first_page,
        )
    with fourth:
        st.multiselect(
            t("wl.filter_status"),
            list(retention_rules.STATUS_CODES),
            format_func=lambda c: name_of(_status(c), lang),
            key="wl_status",
            placeholder=t("filter.all"),
            on_change=_first_page,
        )
    order_col, top_col, size_col = st.columns([2, 1, 1])
    with order_col:
        st.segmented_control(
            t("wl.order"),
            list(retention_rules.ORDERS),
            format_func=lambda o: t(f"wl.order_{o}"),
            key="wl_order",
            required=True,
            help=t("wl.order_help"),
            on_change=_first_page,
        )
    with top_col:
        st.selectbox(
            t("wl.top_n"),
            list(retention_rules.TOP_N_CHOICES),
            format_func=lambda n: t("wl.top_n_all") if n == 0 else t("wl.top_n_option", n=n),
            key="wl_top",
            help=t("wl.top_n_help"),
            on_change=_first_page,
        )
    with size_col:
        st.selectbox(
            t("wl.page_size"),
            list(retention_rules.PAGE_SIZES),
            key="wl_size",
            on_change=_first_page,
        )
    _sync_url()
    state = st.session_state
    return wl.WatchCriteria(
        staff_ids=tuple(sorted(state.get("wl_rm", []))),
        bands=tuple(c for c in BAND_CODES if c in state.get("wl_band", [])),
        reasons=tuple(c for c in reasons.REASON_CODES if c in state.get("wl_reason", [])),
        statuses=tuple(c for c in retention_rules.STATUS_CODES if c in state.get("wl_status", [])),
        order=state.get("wl_order") or retention_rules.DEFAULT_ORDER,
        top_n=int(state.get("wl_top") or 0),
    )


def _status(code: str) -> tuple[str, str, str]:
    return next(s for s in retention_rules.STATUSES if s[0] == code)


def _named(options: tuple[tuple[str, str, str], ...], code: str | None, lang: str) -> str:
    for item in options:
        if item[0] == code:
            return name_of(item, lang)
    return fmt.DASH if code is None else str(code)


# ------------------------------------------------------------------ header parts
def no_scores() -> None:
    """Why the watchlist is empty: no model has scored this warehouse yet."""
    st.info(f"**{t('wl.no_scores_title')}**  \n{t('wl.no_scores_body')}", icon=":material/info:")


def month_note(month: dt.date, chosen: dt.date | None) -> None:
    lang = current_lang()
    text = t("wl.month_note", month=fmt.month(month, lang))
    if chosen is not None and chosen != month:
        text += " " + t("wl.month_fallback", chosen=fmt.month(chosen, lang))
    st.caption(text)


def kpis(viewer: Viewer, filters: Filters, month: dt.date) -> None:
    """Watchlisted customers, their assets at risk, and the high band."""
    bands = cache.scoped(wl.band_summary)(viewer, filters, month)
    watched = bands[bands["score_band"].isin(retention_rules.WATCHLIST_BANDS)]
    high = bands[bands["score_band"] == "high"]
    cards = (
        (
            t("wl.kpi_watched"),
            fmt.count(watched["count_customers"].sum()),
            t("wl.kpi_watched_help"),
        ),
        (
            t("wl.kpi_at_risk"),
            fmt.money(watched["expected_assets_at_risk_rmb"].sum()),
            t("wl.kpi_at_risk_help"),
        ),
        (t("wl.kpi_high"), fmt.count(high["count_customers"].sum()), t("wl.kpi_high_help")),
        (t("wl.kpi_high_aum"), fmt.money(high["aum_rmb"].sum()), t("wl.kpi_high_aum_help")),
    )
    for column, (label, value, help_text) in zip(st.columns(4), cards, strict=True):
        with column, st.container(border=True):
            st.metric(label, value, help=help_text)


# ------------------------------------------------------------------ the list
@st.fragment(key=LIST_FRAGMENT)
def list_tab(filters: Filters, month: dt.date) -> None:
    """The list tab: controls, key figures, the ranked list and the open case.

    A fragment: a recorded action (and any control here) redraws this tab, not the app.
    """
    viewer = auth.live_viewer()
    criteria = criteria_controls(viewer, filters)
    kpis(viewer, filters, month)
    ranked_list(viewer, filters, month, criteria)


def _reason_text(reason_json: str | None, lang: str) -> str:
    try:
        return "; ".join(reasons.render_reasons(reason_json, lang)) or fmt.DASH
    except (ValueError, KeyError):
        return fmt.DASH


def display_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The page's rows as shown (and exported): labelled, formatted for ``lang``."""
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("wl.col_rank"): rows["rank"],
            t("wl.col_customer_id"): rows["customer_id"].astype(int),
            t("wl.col_name"): rows["full_name"],
            t("wl.col_branch"): rows[f"branch_name_{lang}"],
            t("wl.col_rm"): rows["rm_name"].fillna(fmt.DASH),
            t("wl.col_tier"): rows["tier_code"].map(
                lambda c: name_of(rules.TIER_BY_CODE[c], lang) if c in rules.TIER_BY_CODE else c
            ),
            t("wl.col_band"): rows["score_band"].map(lambda c: name_of(BAND_NAMES[c], lang)),
            t("wl.col_probability"): (rows["probability"] * 100).round(1),
            t("wl.col_aum"): rows["aum_rmb"].round(0),
            t("wl.col_at_risk"): rows["expected_assets_at_risk_rmb"].round(0),
            t("wl.col_reasons"): rows["reason_codes"].map(lambda j: _reason_text(j, lang)),
            t("wl.col_status"): rows["status"].map(lambda c: name_of(_status(c), lang)),
            t("wl.col_follow_up"): rows["follow_up_on"].map(
                lambda d: fmt.date(d, lang) if d is not None and d == d else fmt.DASH
            ),
        }
    )


def _list_columns() -> list[Column]:
    """The ranked list's columns (named as ``display_frame`` labels them), each in its unit."""
    kinds = {
        "wl.col_rank": "id",
        "wl.col_customer_id": "id",
        "wl.col_probability": "pct",
        "wl.col_aum": "money",
        "wl.col_at_risk": "money",
    }
    helps = {
        "wl.col_probability": "wl.col_probability_help",
        "wl.col_at_risk": "wl.col_at_risk_help",
    }
    keys = ("wl.col_rank", "wl.col_customer_id", "wl.col_name", "wl.col_branch", "wl.col_rm",
            "wl.col_tier", "wl.col_band", "wl.col_probability", "wl.col_aum", "wl.col_at_risk",
            "wl.col_reasons", "wl.col_status", "wl.col_follow_up")  # fmt: skip
    return [
        Column(t(key), key, kinds.get(key, "text"), help_key=helps.get(key)) for key in keys
    ] + [Column(t("wl.col_open"), "wl.col_open", "link", link_text=t("wl.open_customer"))]


def _page_filters(month: dt.date, criteria: wl.WatchCriteria) -> dict[str, object]:
    """The watchlist's own filters, for the audit rows of its list and its export."""
    return {
        "watch_month": month,
        **dataclasses.asdict(criteria),
        "top_n": criteria.top_n or None,
    }


def _export(viewer: Viewer, filters: Filters, month: dt.date, criteria: wl.WatchCriteria) -> None:
    """CSV and Excel of the whole filtered list (masked, capped, audited on download)."""
    lang = current_lang()
    with st.popover(t("wl.export"), icon=":material/download:"):
        st.caption(t("wl.export_help", n=fmt.count(retention_rules.EXPORT_MAX_ROWS, lang)))
        if not st.checkbox(t("wl.export_prepare"), key="wl_export_ready"):
            return
        rows = wl.watchlist_export(viewer, filters, month, criteria)
        frame = display_frame(rows, lang)
        ids = [int(v) for v in rows["customer_id"]] if not rows.empty else []
        context = {
            t("wl.export_table"): t("page.watchlist"),
            t("wl.export_month"): fmt.month(month, lang),
            t("wl.export_by"): viewer.display_name or viewer.user_id,
            t("wl.export_version"): cache.warehouse_version(),
        }
        exports.file_pair(
            frame,
            context,
            file_stem=f"churn_watchlist_{month:%Y%m}",
            sheet_title="watchlist",
            key="wl_export",
            viewer=viewer,
            detail={"table": "churn_watchlist"},
            filters=filters,
            page_filters=_page_filters(month, criteria),
            customer_ids=ids,
            side_by_side=False,
        )


def _pager(total: int, size: int) -> int:
    pages = max(1, math.ceil(total / size))
    page = min(int(st.session_state.get("wl_page", 0)), pages - 1)
    st.session_state["wl_page"] = page
    prev_col, label_col, next_col = st.columns([1, 3, 1])

    def go(step: int) -> None:
        st.session_state["wl_page"] = max(0, min(pages - 1, page + step))

    with prev_col:
        st.button(
            t("wl.prev"),
            key="wl_prev",
            disabled=page == 0,
            on_click=go,
            args=(-1,),
            icon=":material/chevron_left:",
        )
    with label_col:
        st.caption(t("wl.page_of", page=page + 1, pages=pages))
    with next_col:
        st.button(
            t("wl.next"),
            key="wl_next",
            disabled=page >= pages - 1,
            on_click=go,
            args=(1,),
            icon=":material/chevron_right:",
        )
    return page


def ranked_list(
    viewer: Viewer, filters: Filters, month: dt.date, criteria: wl.WatchCriteria
) -> None:
    """The ranked, paged list; choosing a row opens its case below."""
    lang = current_lang()
    size = int(st.session_state.get("wl_size") or retention_rules.PAGE_SIZES[0])
    page = int(st.session_state.get("wl_page", 0))
    cases = wl.case_filter(criteria.statuses, month)  # the app store, fresh on every rerun
    result = ranked_page(viewer, filters, month, criteria, page, size, cases)
    if result["total"] and result["rows"].empty and page:
        st.session_state["wl_page"] = 0
        st.rerun()
    total = result["total"]
    st.markdown(
        t(
            "wl.summary",
            count=fmt.count(total, lang),
            risk=fmt.money(result["total_at_risk_rmb"], lang),
        ),
        help=t("wl.summary_help"),
    )
    if not total:
        charts.empty_state("wl.empty_body", "wl.empty_title")
        return
    rows = retention.attach_cases(result["rows"], month)
    audit_trail.list_shown(
        viewer,
        filters,
        rows["customer_id"],
        page="watchlist",
        page_filters=_page_filters(month, criteria),
        list_page=page + 1,
    )
    frame = display_frame(rows, lang)
    frame[t("wl.col_open")] = [f"customer?customer={int(c)}" for c in rows["customer_id"]]
    shown, config = tables.display(frame, _list_columns(), lang)
    config[t("wl.col_reasons")] = st.column_config.TextColumn(t("wl.col_reasons"), width="large")
    event = st.dataframe(
        shown,
        key="wl_table",
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config=config,
    )
    _pager(total, size)
    _export(viewer, filters, month, criteria)
    selected = event.selection.rows if event is not None else []
    if selected:
        chosen = int(rows.iloc[int(selected[0])]["customer_id"])
        if chosen != _open_customer():
            st.session_state["wl_customer"] = chosen
            st.query_params["wl_customer"] = str(chosen)
    customer_id = _open_customer()
    if customer_id is None:
        st.caption(t("wl.select_hint"))
        return
    case_panel(customer_id, month, filters)


def _open_customer() -> int | None:
    """The customer whose case is open: chosen in the table, or given in the URL."""
    if "wl_customer" not in st.session_state:
        ids = _ints(st.query_params.get_all("wl_customer"))
        st.session_state["wl_customer"] = ids[-1] if ids else None
    return st.session_state["wl_customer"]


# ------------------------------------------------------------------ one case
def _contact_id(customer_id: int, month: dt.date) -> str:
    ids = st.session_state.setdefault(_FORM_ID_KEY, {})
    key = f"{customer_id}:{month:%Y-%m}"
    if key not in ids:
        ids[key] = retention.new_contact_id()
    return ids[key]


def _history(viewer: Viewer, customer_id: int) -> None:
    lang = current_lang()
    history = retention.action_history(viewer, customer_id)
    st.markdown(f"**{t('wl.history')}**")
    if history.empty:
        st.caption(t("wl.history_empty"))
        return
    shown = pd.DataFrame(
        {
            t("wl.hist_when"): history["created_at"].map(lambda d: fmt.date(d, lang)),
            t("wl.hist_type"): history["contact_type"].map(
                lambda c: _named(contact_rules.CONTACT_TYPES, c, lang)
            ),
            t("wl.hist_outcome"): history["outcome"].map(
                lambda c: _named(contact_rules.CONTACT_OUTCOMES, c, lang)
            ),
            t("wl.hist_next"): history["next_step"].fillna(""),
            t("wl.hist_follow_up"): history["next_step_on"].map(
                lambda d: fmt.date(d, lang) if d is not None and d == d else fmt.DASH
            ),
            t("wl.hist_note"): history["note"].fillna(""),
            t("wl.hist_by"): history["user_id"],
        }
    )
    st.dataframe(shown, hide_index=True, key="wl_history")


def _record_form(viewer: Viewer, row: pd.Series, month: dt.date) -> None:
    lang = current_lang()
    customer_id = int(row["customer_id"])
    with st.form("wl_action_form", clear_on_submit=False, border=True):
        st.markdown(f"**{t('wl.form_title')}**")
        left, right = st.columns(2)
        with left:
            st.selectbox(
                t("wl.form_type"),
                [c for c, _, _ in contact_rules.CONTACT_TYPES],
                format_func=lambda c: _named(contact_rules.CONTACT_TYPES, c, lang),
                key="wl_form_type",
            )
            st.selectbox(
                t("wl.form_outcome"),
                [c for c, _, _ in contact_rules.CONTACT_OUTCOMES],
                format_func=lambda c: _named(contact_rules.CONTACT_OUTCOMES, c, lang),
                key="wl_form_outcome",
            )
            st.selectbox(
                t("wl.form_status"),
                [c for c in retention_rules.STATUS_CODES if c != "open"],
                format_func=lambda c: name_of(_status(c), lang),
                key="wl_form_status",
                help=t("wl.form_status_help"),
            )
        with right:
            st.text_input(t("wl.form_next"), max_chars=64, key="wl_form_next")
            st.date_input(
                t("wl.form_follow_up"),
                value=None,
                min_value=dt.date.today(),
                key="wl_form_follow_up",
                help=t("wl.form_follow_up_help"),
            )
            st.text_area(
                t("wl.form_note"),
                max_chars=contact_rules.NOTE_MAX_CHARS,
                key="wl_form_note",
                height=80,
            )
        st.form_submit_button(
            t("wl.form_submit"),
            type="primary",
            on_click=_record_action,
            args=(customer_id, month),
        )
    _refusal(_ERROR_KEY)


def _refusal(key: str) -> None:
    """Why the last action (``_ERROR_KEY``) or assignment was refused, once."""
    refused = st.session_state.pop(key, None)
    if refused is not None:
        st.error(refused[0], icon=refused[1])


def _record_action(customer_id: int, month: dt.date) -> None:
    """The retention form's submit callback: store the action, then redraw.

    A refusal redraws the case panel alone, with the reason under the form. A recorded action
    redraws the list tab: the row's status and follow-up date in the list, and which rows the
    status filter keeps, depend on it.
    """
    viewer = auth.live_viewer()
    state = st.session_state
    action = retention.RetentionAction(
        customer_id=customer_id,
        watch_month=month,
        contact_type=state["wl_form_type"],
        outcome=state["wl_form_outcome"],
        status=state["wl_form_status"],
        next_step=state.get("wl_form_next") or "",
        follow_up_on=state.get("wl_form_follow_up"),
        note=state.get("wl_form_note") or "",
        contact_id=_contact_id(customer_id, month),
    )
    try:
        retention.record_action(action, by=viewer, warehouse_version=cache.warehouse_version())
    except retention.RetentionError as exc:
        state[_ERROR_KEY] = (t("wl.form_invalid", reason=str(exc)), ":material/error:")
        st.rerun(CASE_FRAGMENT)
    except PermissionError:
        state[_ERROR_KEY] = (t("wl.form_denied"), ":material/block:")
        st.rerun(CASE_FRAGMENT)
    except app_store.AuditWriteError:
        state[_ERROR_KEY] = (t("wl.audit_failed"), ":material/error:")
        st.rerun(CASE_FRAGMENT)
    # A new form (and a new idempotency key) for the next action on this customer.
    state[_FORM_ID_KEY].pop(f"{customer_id}:{month:%Y-%m}", None)
    state[_NOTICE_KEY] = t("wl.form_saved")
    st.rerun(LIST_FRAGMENT)


def _assign(viewer: Viewer, row: pd.Series, month: dt.date, filters: Filters) -> None:
    if not viewer.can(Capability.MAY_ASSIGN_CASES):
        return
    managers = cache.scoped(wl.relationship_managers)(viewer, filters)
    here = managers[managers["branch_id"] == int(row["branch_id"])]
    options = [None, *here["staff_id"].astype(int).tolist()]
    names = dict(zip(here["staff_id"].astype(int), here["full_name"], strict=True))
    current = row.get("assigned_staff_id")
    current = None if current is None or current != current else int(current)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        st.selectbox(
            t("wl.assign_to"),
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda v: t("wl.unassigned") if v is None else names.get(v, str(v)),
            key=f"wl_assign_{int(row['customer_id'])}",
            help=t("wl.assign_help"),
        )
    with right:
        st.button(
            t("wl.assign_save"),
            key="wl_assign_save",
            on_click=_assign_to,
            args=(int(row["customer_id"]), month),
        )
        _refusal(_ASSIGN_ERROR_KEY)


def _assign_to(customer_id: int, month: dt.date) -> None:
    """The assign button's callback: give the case to the chosen manager, then redraw the case
    panel alone (the list does not show who follows a case up)."""
    viewer = auth.live_viewer()
    try:
        retention.assign_case(
            customer_id,
            month,
            st.session_state.get(f"wl_assign_{customer_id}"),
            by=viewer,
            warehouse_version=cache.warehouse_version(),
        )
    except PermissionError:
        st.session_state[_ASSIGN_ERROR_KEY] = (t("wl.form_denied"), ":material/block:")
    else:
        st.session_state[_NOTICE_KEY] = t("wl.assign_saved")
    st.rerun(CASE_FRAGMENT)


@st.fragment(key=CASE_FRAGMENT)
def case_panel(customer_id: int, month: dt.date, filters: Filters) -> None:
    """One customer's case: reasons, status, assignment, history and the retention form.

    A fragment, so it reads the case itself (its status and assignee come from the app store
    and change when someone acts on it).
    """
    viewer = auth.live_viewer()
    case = retention.attach_cases(watchlist_row(viewer, customer_id, month), month)
    if case.empty:
        st.caption(t("wl.select_hint"))
        return
    row = case.iloc[0]
    lang = current_lang()
    with st.container(border=True):
        st.subheader(t("wl.case_title", name=row["full_name"], id=customer_id), anchor=False)
        notice = st.session_state.pop(_NOTICE_KEY, None)
        if notice:
            st.success(notice, icon=":material/check_circle:")
        st.markdown(
            t(
                "wl.case_line",
                probability=fmt.pct(float(row["probability"]) * 100, lang),
                aum=fmt.money(row["aum_rmb"], lang),
                risk=fmt.money(row["expected_assets_at_risk_rmb"], lang),
                status=name_of(_status(row["status"]), lang),
            )
        )
        for sentence in reasons.render_reasons(row["reason_codes"], lang):
            st.markdown(f"- {sentence}")
        if CUSTOMER_PAGE.exists():
            # The page named as app.py registers it: a fragment's own rerun (AppTest's, at
            # least) has no navigation to look a file path up in.
            st.page_link(
                st.Page("pages/customer.py", url_path="customer"),
                label=t("wl.open_customer"),
                icon=":material/person_search:",
                help=t("page.customer_help"),
                query_params={"customer": str(customer_id)},
            )
        _assign(viewer, row, month, filters)
        _history(viewer, customer_id)
        if viewer.can(Capability.MAY_RECORD_CONTACTS):
            _record_form(viewer, row, month)
        else:
            st.caption(t("wl.read_only"))


# ------------------------------------------------------------------ did it work?
def followup(viewer: Viewer, filters: Filters) -> None:
    """Retention of contacted vs not-contacted watchlisted customers in later months."""
    lang = current_lang()
    st.caption(t("wl.fu_intro"))
    # The contact groups come from the app store on every rerun; the counts are cached by them.
    frame = wl.combine_followup(
        [
            followup_counts(viewer, filters, month, check, wl.contacted_groups(month))
            for month, check in followup_plan(viewer)
        ]
    )
    if frame.empty:
        charts.empty_state("wl.fu_empty_body", "wl.fu_empty_title")
        return
    head = followup_rates.headline(frame)
    cards = (
        (t("wl.fu_contacted"), fmt.count(head["contacted"], lang), t("wl.fu_contacted_help")),
        (
            t("wl.fu_rate_contacted"),
            fmt.pct(None if head["rate_contacted"] is None else head["rate_contacted"] * 100),
            t("wl.fu_rate_help"),
        ),
        (
            t("wl.fu_rate_not"),
            fmt.pct(None if head["rate_not"] is None else head["rate_not"] * 100),
            t("wl.fu_rate_help"),
        ),
        (
            t("wl.fu_gap"),
            fmt.DASH
            if head["gap_pts"] is None
            else t("wl.fu_pts", value=f"{head['gap_pts']:+.1f}"),
            t("wl.fu_gap_help"),
        ),
    )
    for column, (label, value, help_text) in zip(st.columns(4), cards, strict=True):
        with column, st.container(border=True):
            st.metric(label, value, help=help_text)
    st.warning(t("wl.fu_not_causal"), icon=":material/science:")
    by_month = followup_rates.contacted_vs_not(frame)
    fig = go.Figure()
    for group, colour in (("contacted", charts.GREEN), ("not_contacted", charts.GREY)):
        part = by_month[by_month["group"] == group]
        fig.add_trace(
            go.Bar(
                x=part["watch_month"],
                y=part["retention_rate"] * 100,
                name=t(f"wl.fu_group_{group}"),
                marker_color=colour,
                customdata=part["count_customers"],
                hovertemplate="%{y:.1f}% · n=%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=320, lang=lang)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("wl.fu_axis_rate"), range=[0, 100])
    st.subheader(t("wl.fu_chart"), help=t("wl.fu_chart_help"), anchor=False)
    charts.show(fig, key="wl_followup_chart")
    types = followup_rates.by_action_type(frame)
    st.subheader(t("wl.fu_by_type"), anchor=False)
    shown = pd.DataFrame(
        {
            t("wl.fu_col_type"): types["action_type"].map(
                lambda c: (
                    t("wl.fu_none") if c == "none" else _named(contact_rules.CONTACT_TYPES, c, lang)
                )
            ),
            t("wl.fu_col_customers"): types["count_customers"].astype(int),
            t("wl.fu_col_retained"): types["count_retained"].astype(int),
            t("wl.fu_col_rate"): (types["retention_rate"] * 100).round(1),
        }
    )
    tables.show(
        shown,
        _labelled(
            ("wl.fu_col_type", "text"),
            ("wl.fu_col_customers", "count"),
            ("wl.fu_col_retained", "count"),
            ("wl.fu_col_rate", "pct"),
        ),
        key="wl_fu_types",
    )
    _download(shown, "watchlist_followup_by_type")
    managers = followup_rates.by_manager(frame)
    staff = cache.scoped(wl.relationship_managers)(viewer, filters)
    names = dict(zip(staff["staff_id"].astype(int), staff["full_name"], strict=True))
    st.subheader(t("wl.fu_by_rm"), anchor=False)
    shown = pd.DataFrame(
        {
            t("wl.col_rm"): managers["rm_staff_id"].map(
                lambda v: names.get(int(v), str(int(v))) if v == v else fmt.DASH
            ),
            t("wl.fu_col_customers"): managers["count_customers"],
            t("wl.fu_col_contacted"): managers["count_contacted"],
            t("wl.fu_col_contact_rate"): (managers["contact_rate"] * 100).round(1),
            t("wl.fu_col_rate_contacted"): (managers["retention_rate_contacted"] * 100).round(1),
            t("wl.fu_col_rate_not"): (managers["retention_rate_not_contacted"] * 100).round(1),
        }
    )
    tables.show(
        shown,
        _labelled(
            ("wl.col_rm", "text"),
            ("wl.fu_col_customers", "count"),
            ("wl.fu_col_contacted", "count"),
            ("wl.fu_col_contact_rate", "pct"),
            ("wl.fu_col_rate_contacted", "pct"),
            ("wl.fu_col_rate_not", "pct"),
        ),
        key="wl_fu_rm",
    )
    _download(shown, "watchlist_followup_by_manager")


def _labelled(*columns: tuple[str, str]) -> list[Column]:
    """Columns of a frame labelled by their keys' text, each (key, kind)."""
    return [Column(t(key), key, kind) for key, kind in columns]


def _download(frame: pd.DataFrame, name: str) -> None:
    """Aggregates only (no customer rows): CSV and Excel without an audit entry."""
    exports.file_pair(
        frame,
        {t("wl.export_table"): name},
        file_stem=name,
        sheet_title=name,
        key=name,
        viewer=None,
        detail=None,
        filters=None,
    )
