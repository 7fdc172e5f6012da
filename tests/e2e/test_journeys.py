"""Journeys through the real app in Chromium, per persona (issue 11)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest

from analytics import contact_rules
from catalogue import metrics as metric_catalogue
from data_access.warehouse import Warehouse
from tests.e2e.conftest import screenshot
from tests.e2e.journey import (
    around,
    download,
    errors,
    first_branch,
    grid_rows,
    metrics,
    nav_links,
    open_page,
    query,
    settle,
    sign_in,
    wait_for_url,
)
from tests.test_app_shell import as_of_month, warehouse_sql
from ui import i18n
from ui.navigation import existing_pages, home_page

pytestmark = pytest.mark.browser


def test_executive_signs_in_and_sees_the_overview(app_server: str, page) -> None:
    sign_in(page, app_server, "executive")
    assert errors(page) == []
    heading = page.locator("h1").first.inner_text()
    assert heading.startswith(i18n.translate("page.overview", "en"))
    assert page.locator('[data-testid="stMetric"]').count() >= 3
    assert page.locator(".js-plotly-plot").count() >= 2
    screenshot(page, "overview")


def test_filters_live_in_the_url_and_a_shared_link_reopens_the_view(
    app_server: str, context
) -> None:
    page = context.new_page()
    sign_in(page, app_server, "executive")
    # Streamlit 1.67 draws a multiselect as a react-aria combobox.
    tier = page.locator('.st-key-pcrm_flt_tier_en input[role="combobox"]')
    tier.scroll_into_view_if_needed()
    tier.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert "tier" in query, page.url
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()

    other = context.browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    sign_in(other, app_server, "executive", path=f"overview?{urlparse(page.url).query}")
    assert parse_qs(urlparse(other.url).query)["tier"] == query["tier"]
    assert other.locator('[data-testid="stMetricValue"]').all_inner_texts() == metrics
    other.context.close()


def test_switching_to_chinese_leaves_no_english_label(app_server: str, page) -> None:
    sign_in(page, app_server, "executive")
    page.locator(".st-key-pcrm_lang_switch").get_by_text("简体中文").click()
    settle(page)
    assert "lang=zh" in page.url
    assert errors(page) == []
    for title in nav_links(page):
        assert re.search(r"[\u4e00-\u9fff]", title), title
        assert not re.search(r"[A-Za-z]{3,}", title), f"untranslated navigation label {title!r}"
    keys = re.findall(r"\b[a-z_]+\.[a-z_]+_help\b|\bpage\.[a-z_]+\b", page.inner_text("body"))
    assert keys == [], f"raw catalogue keys on the page: {keys}"
    screenshot(page, "overview_zh")


@pytest.mark.parametrize("where", ["overview", "trends", "targets", "my_branch"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_basis_switch_changes_the_opening_line_and_lives_in_the_url(
    app_server: str, page, lang: str, where: str
) -> None:
    """The overview, trends, targets and My branch pages open on the daily average (日均); the
    sidebar's switch turns every balance to month-end (月末): the figure, its label and the URL
    follow, in either language."""
    if where == "my_branch":  # a branch head's home page
        sign_in(page, app_server, "branch_head", branch_label=first_branch(page, app_server))
    else:
        sign_in(page, app_server, "executive")
        if where != "overview":
            open_page(page, where)
    assert page.locator("h1").first.inner_text().startswith(_en(f"page.{where}"))
    if lang == "zh":
        page.locator(".st-key-pcrm_lang_switch").get_by_text("简体中文").click()
        settle(page)
    daily, month_end = (i18n.translate(f"basis.{code}", lang) for code in ("avg", "end"))
    balance = i18n.translate("review.balance", lang, label="")  # "余额（）" / "Balance 余额 · "
    prefix = balance.split("（")[0] if lang == "zh" else balance.strip()

    def opening_balance() -> tuple[str, str]:
        return next((k, v) for k, v in metrics(page).items() if k.startswith(prefix))

    label, value = opening_balance()
    assert ("日均" if lang == "zh" else "daily avg") in label, label
    assert "basis" not in query(page)  # the default is left out of the URL
    page.locator(f".st-key-pcrm_flt_basis_{lang}").get_by_text(month_end, exact=True).click()
    settle(page)
    wait_for_url(page, lambda url: "basis=end" in url, "the basis in the URL")
    assert errors(page) == []
    label_end, value_end = opening_balance()
    assert ("月末" if lang == "zh" else "month-end") in label_end, label_end
    assert value_end != value  # month-end spikes lift the month-end over the daily average
    screenshot(page, f"{where}-month-end-{lang}", docs=False)
    page.locator(f".st-key-pcrm_flt_basis_{lang}").get_by_text(daily, exact=True).click()
    settle(page)
    wait_for_url(page, lambda url: "basis=" not in url, "the default basis out of the URL")
    assert opening_balance() == (label, value)


def _existing_pages() -> list[str]:
    return [key for _, key, _, _ in existing_pages()]


@pytest.mark.parametrize("persona", ["executive", "branch_head", "analyst"])
def test_every_page_renders_without_an_error_box(app_server: str, page, persona: str) -> None:
    from ui.auth import page_roles

    branch = first_branch(page, app_server) if persona == "branch_head" else None
    sign_in(page, app_server, persona, branch_label=branch)
    for key in _existing_pages():
        if persona not in page_roles(key):
            continue
        # Through the sidebar: ``page.goto`` would start a new, signed-out session.
        open_page(page, key)
        assert errors(page) == [], f"{persona} on {key}: {errors(page)}"
        screenshot(page, f"{key}-{persona}", docs=False)


def test_glossary_downloads_read_back(
    app_server: str, server_app_store: str, page, tmp_path
) -> None:
    import json

    from data_access import app_store
    from ui.downloads import read_excel_export

    sign_in(page, app_server, "analyst", path="glossary")
    csv_path = tmp_path / "terms.csv"
    download(page, ".st-key-glossary_terms_csv button").save_as(csv_path)
    text = csv_path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # BOM: Excel in a Chinese locale reads it right
    assert "金融资产" in text.decode("utf-8-sig")
    xlsx_path = tmp_path / "terms.xlsx"
    download(page, ".st-key-glossary_terms_xlsx button").save_as(xlsx_path)
    context, table = read_excel_export(xlsx_path.read_bytes())
    assert context["Table"] == "Terms"
    assert "五花大绑" in set(table.iloc[:, 1])
    # Each file was recorded when it was written (the download itself, not a rerun, audits).
    exports = app_store.recent_audit(10, server_app_store, event="export")
    details = [json.loads(d) for d in exports["detail"]]
    formats = [d["format"] for d in details if d["table"] == "glossary-terms"]
    assert sorted(formats) == ["csv", "xlsx"]
    assert set(exports["user_id"]) == {"demo:analyst"}


# ------------------------------------------------------------------ drill-down by clicking a chart


def _en(key: str, **kwargs: object) -> str:
    return i18n.translate(key, "en", **kwargs)


def _drill_chart(page):
    """The drill chart of the Asset trends page (its key names the level it shows)."""
    chart = page.locator('[class*="st-key-trends_drill_"]:has(.js-plotly-plot)')
    chart.wait_for()
    return chart


def _drill_level(page) -> str:
    classes = _drill_chart(page).get_attribute("class").split()
    return next(c for c in classes if c.startswith("st-key-trends_drill_")).rsplit("_", 1)[-1]


def _click_top_bar(page) -> str:
    """Click the top (largest) bar of the drill chart like a person would; its unit's name."""
    chart = _drill_chart(page)
    bars = chart.locator(".plotly .bars path")
    bar = bars.last  # bars run bottom-up in ascending AUM: the last one is drawn on top
    ticks = chart.locator(".yaxislayer-above .ytick text")
    assert ticks.count() == bars.count(), "one y label per bar"
    name = (ticks.last.text_content() or "").strip()
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Plotly picks the clicked point from the hover: hover first, wait for the label, click.
    page.mouse.move(x, y)
    chart.locator(".hoverlayer .hovertext").wait_for()
    page.mouse.click(x, y)
    return name


def _breadcrumb(page) -> tuple[list[str], str]:
    """The breadcrumb's steps as shown and the current (bold) one."""
    crumb = page.locator('[data-testid="stHorizontalBlock"]').filter(
        has_text=_en("trends.breadcrumb")
    )
    crumb = crumb.last
    label = _en("trends.breadcrumb")
    steps = [
        text.strip()
        for text in crumb.locator('[data-testid="stElementContainer"]').all_inner_texts()
    ]
    steps = [s for s in steps if s and "chevron_right" not in s and label not in s]
    return steps, crumb.locator("strong").last.inner_text().strip()


def _has_drill(page, level: str) -> bool:
    return f"drill_{level}" in query(page)


def test_executive_drills_down_by_clicking_the_chart_and_back_up(app_server: str, page) -> None:
    province = _en("trends.province")
    sign_in(page, app_server, "executive", path="trends")
    assert errors(page) == []
    assert _drill_level(page) == "prefecture"
    assert _breadcrumb(page) == ([province], province)
    assert not any(name.startswith("drill_") for name in query(page))

    # Province -> the largest prefecture office (one cooperative there is passed through).
    prefecture = _click_top_bar(page)
    wait_for_url(page, lambda _: _has_drill(page, "prefecture"), "drill_prefecture in the URL")
    settle(page)
    prefecture_id = query(page)["drill_prefecture"]
    assert prefecture_id[0].isdigit(), page.url
    steps, here = _breadcrumb(page)
    # The office's only cooperative, if so, is passed through: it is the step shown in bold.
    assert steps[:2] == [province, prefecture] and here == steps[-1], steps
    assert _drill_level(page) in ("cooperative", "branch")
    assert errors(page) == []
    steps_at_prefecture = steps

    # One more level: a branch (or a cooperative) of that prefecture.
    level = _drill_level(page)
    unit = _click_top_bar(page)
    wait_for_url(page, lambda _: _has_drill(page, level), f"drill_{level} in the URL")
    settle(page)
    assert query(page)["drill_prefecture"] == prefecture_id, "the level above stays"
    steps, here = _breadcrumb(page)
    assert here == unit and prefecture in steps, (unit, here, steps)
    assert _drill_level(page) != level
    screenshot(page, "trends-drilled")

    # Back up one level with the breadcrumb: the prefecture stays, the deeper level goes.
    page.locator(".st-key-trends_crumb_prefecture button").click()
    wait_for_url(page, lambda _: not _has_drill(page, level), f"drill_{level} leaving the URL")
    settle(page)
    assert query(page)["drill_prefecture"] == prefecture_id
    assert _breadcrumb(page) == (steps_at_prefecture, steps_at_prefecture[-1])
    assert _drill_level(page) == level

    # And back to the province.
    page.locator(".st-key-trends_crumb_province button").click()
    wait_for_url(page, lambda _: not _has_drill(page, "prefecture"), "no drill in the URL")
    settle(page)
    assert not any(name.startswith("drill_") for name in query(page)), page.url
    assert _breadcrumb(page) == ([province], province)
    assert _drill_level(page) == "prefecture"
    assert errors(page) == []


# ------------------------------------------------------------ watchlist -> customer -> callback


def test_branch_head_records_a_callback_for_a_watchlisted_customer(app_server: str, page) -> None:
    branch = first_branch(page, app_server)
    sign_in(page, app_server, "branch_head", branch_label=branch, path="watchlist")
    assert page.locator("h1").first.inner_text().startswith(_en("page.watchlist"))

    # Pick the top customer of the ranked list (the row's checkbox, drawn on the grid's canvas).
    table = page.locator(".st-key-wl_table")
    table.scroll_into_view_if_needed()
    header, first = grid_rows(table)[:2]
    customer_id = first[header.index(_en("wl.col_customer_id"))]
    assert customer_id.isdigit(), first
    box = table.locator("canvas").first.bounding_box()
    row_px = 35  # Streamlit's default header and row height
    page.mouse.click(box["x"] + 15, box["y"] + row_px * 1.5)
    wait_for_url(page, lambda _: query(page).get("wl_customer") == [customer_id], "the case")
    settle(page)
    assert errors(page) == []

    # The case links to the customer view.
    link = page.locator(
        f'a[data-testid="stPageLink-NavLink"][href$="customer?customer={customer_id}"]:visible'
    )
    link.first.click()
    wait_for_url(page, lambda _: query(page).get("customer") == [customer_id], "the customer")
    settle(page)
    assert page.locator("h1").first.inner_text().startswith(_en("page.customer"))
    assert page.locator("h3").filter(has_text=f"{_en('cust.number')} {customer_id}").count() == 1
    assert errors(page) == []

    # Record a phone callback in the contact history.
    page.get_by_role("tab", name=_en("cust.tab_churn")).click()
    callback = dict((code, en) for code, en, _ in contact_rules.CONTACT_TYPES)["callback"]
    outcome = dict((code, en) for code, en, _ in contact_rules.CONTACT_OUTCOMES)["accepted"]
    for key, option in (("cust_ct_type", callback), ("cust_ct_outcome", outcome)):
        page.locator(f'.st-key-{key} input[role="combobox"]').click()
        page.get_by_role("option", name=option, exact=True).click()
    note = f"e2e callback {uuid.uuid4().hex[:8]}: wants a term-deposit quote"
    page.locator(".st-key-cust_ct_note textarea").fill(note)
    page.locator(".st-key-cust_ct_save button").click()
    frame = '[data-testid="stDataFrame"]'
    history = around(page, ".st-key-cust_ct_save", frame).locator(frame)
    # The grid draws on a canvas; its accessible table (not "visible") holds the rows in view.
    history.locator('[role="gridcell"]', has_text=note).wait_for(state="attached")
    settle(page)
    assert errors(page) == []
    header, *rows = grid_rows(history)
    entry = next(row for row in rows if note in row)
    assert callback in entry and outcome in entry, entry
    assert rows.index(entry) == 0, "newest first"
    assert page.locator(".st-key-cust_ct_note textarea").input_value() == "", "form cleared"
    screenshot(page, "customer-contact-recorded")

    # The watchlist case (still open in this session) shows the same callback.
    open_page(page, "watchlist")
    case_history = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator('[role="gridcell"]', has_text=note)
    )
    case_history.wait_for(state="attached")
    assert errors(page) == []


# ------------------------------------------------------------------ branch head's home page


def test_branch_head_lands_on_my_branch(app_server: str, page, demo_duckdb: Warehouse) -> None:
    branch = first_branch(page, app_server)
    sign_in(page, app_server, "branch_head", branch_label=branch)
    assert home_page("branch_head") == "my_branch"
    assert urlparse(page.url).path in ("", "/"), page.url
    assert page.locator("h1").first.inner_text().startswith(_en("page.my_branch"))
    assert errors(page) == []
    branch_name = branch.split(" · ")[0]
    assert page.locator("h3").filter(has_text=branch_name).count() >= 1

    # Headline KPIs and the watchlist summary.
    shown = metrics(page)
    # The AUM card says its month and basis ("… · Sep daily avg"): match on the label's start.
    aum = next((v for k, v in shown.items() if k.startswith(_en("kpi.aum") + " · ")), "—")
    assert aum != "—", shown
    for key in ("kpi.customers", "kpi.vip", "sc.kpi_watchlist", "sc.kpi_at_risk"):
        assert shown.get(_en(key), "—") != "—", f"{key}: {shown}"
    assert shown[_en("sc.kpi_watchlist")].replace(",", "").isdigit()
    assert shown[_en("sc.kpi_at_risk")].startswith("¥")

    # KPIs against target: one bar and one row per target metric.
    heading = page.get_by_role("heading", name=_en("sc.kpis_vs_target"))
    targets = around(page, heading, ".st-key-mb_targets_csv")
    header, *rows = grid_rows(targets.locator('[data-testid="stDataFrame"]'))
    assert header[0] == _en("sc.col_metric") and _en("sc.col_attainment") in header, header
    # Every metric the demo sets for the year (the daily-average growth targets replace the
    # month-end ones; woken dormant accounts need a year of history the test demo lacks).
    year = as_of_month(demo_duckdb).year
    codes = warehouse_sql(
        demo_duckdb,
        "SELECT DISTINCT metric FROM fact_target WHERE target_level = 'branch' "
        "AND period_start = :s AND period_end = :e",
        s=dt.date(year, 1, 1),
        e=dt.date(year, 12, 31),
    )
    names = {metric_catalogue.target_metric(code).name_en for (code,) in codes}
    assert "AUM daily-average growth" in names and "AUM month-end growth" not in names
    assert {row[0] for row in rows} == names
    assert page.locator(".st-key-mb_targets_chart .bars path").count() == len(names)

    # The wealth-manager league: at least one manager, ranked from 1.
    heading = page.get_by_role("heading", name=_en("sc.wm_league_short"))
    league = around(page, heading, ".st-key-mb_league_csv")
    header, *rows = grid_rows(league.locator('[data-testid="stDataFrame"]'))
    assert rows and rows[0][0] == "1", rows
    screenshot(page, "my_branch-home")

    # The watchlist summary agrees with the watchlist itself.
    open_page(page, "watchlist")
    listed = metrics(page)
    assert listed[_en("wl.kpi_watched")] == shown[_en("sc.kpi_watchlist")]
    assert listed[_en("wl.kpi_at_risk")] == shown[_en("sc.kpi_at_risk")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deposits_come_first_and_the_deposits_tab_draws(app_server: str, page, lang: str) -> None:
    sign_in(page, app_server, "executive", path=f"overview?lang={lang}")
    assert errors(page) == []
    labels = list(metrics(page))
    # The opening lines (deposits, then AUM) lead; then the deposits row before the AUM card,
    # which says its month and basis ("… · Sep daily avg").
    assert labels[0].startswith(i18n.translate("review.balance", lang, label="")[:2]), labels
    first = labels.index(i18n.translate("dep.kpi_month_end", lang))
    aum = next(
        i for i, label in enumerate(labels) if label.startswith(i18n.translate("kpi.aum", lang))
    )
    assert first < labels.index(i18n.translate("dep.kpi_deviation", lang)) < aum, labels
    assert i18n.translate("dep.title", lang) in page.inner_text("body")
    sign_in(page, app_server, "executive", path=f"trends?lang={lang}&trends_tab=deposits")
    assert errors(page) == []
    body = page.inner_text("body")
    for key in ("dep.lines_title", "dep.mix_title", "dep.deviation_title"):
        assert i18n.translate(key, lang) in body, key
    assert page.locator(".js-plotly-plot").count() >= 3
    screenshot(page, f"trends_deposits_{lang}", docs=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_seasonality_tab_aligns_on_the_spring_festival(
    app_server: str, page, lang: str
) -> None:
    """The seasonality tab opens with January to March aligned on the Spring Festival, the year
    on year around it and the 开门红 campaign; the switch turns the profile back to calendar
    months and the URL keeps it."""
    sign_in(page, app_server, "executive", path=f"trends?lang={lang}&trends_tab=seasonality")
    assert errors(page) == []
    body = page.inner_text("body")
    for key in ("trends.season_title", "trends.fest_yoy_title", "trends.kmh_title"):
        assert i18n.translate(key, lang) in body, key
    dates = i18n.translate("trends.fest_dates", lang, dates="")

    def festival_captions() -> list[str]:
        captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
        return [c for c in captions if c.startswith(dates)]

    assert len(festival_captions()) == 1
    assert page.locator(".st-key-trends_kaimenhong .js-plotly-plot").count() == 1
    screenshot(page, f"trends_festival_{lang}", docs=False)
    page.locator(".st-key-trends_season_align label").first.click()
    settle(page)
    wait_for_url(page, lambda url: "trends_season_align=off" in url, "the switch in the URL")
    assert errors(page) == []
    assert festival_captions() == []
