"""The monthly branch report: one self-contained HTML file (charts included), either language.

Written by ``python -m cli branch-report`` for mailing on a schedule and offered as a download on
the My branch page. The file embeds plotly.js once, so it opens offline; its print stylesheet
puts each section on A4 without the charts' toolbars.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.io as pio

from analytics import scorecard_rules as sr
from analytics import scorecards as calc
from catalogue import basis, metrics
from ui import formatting as fmt
from ui import scorecard_charts as figures
from ui.branch_summary import BranchSummary
from ui.i18n import headline_label, name_of, translate
from ui.scorecard_marks import LIGHT_MARK, metric_names, metric_value_text, stars_text

CSS = """
body{font-family:"Source Sans Pro","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:24px auto;max-width:1040px;color:#111827}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #E5E7EB}
.meta{color:#6B7280;font-size:13px}.kpis{display:flex;gap:12px;flex-wrap:wrap}
.kpi{border:1px solid #E5E7EB;border-radius:8px;padding:8px 12px;min-width:150px}
.kpi b{display:block;font-size:20px}.kpi span{color:#6B7280;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #E5E7EB;
padding:4px 6px;text-align:right}th:first-child,td:first-child{text-align:left}
.note{color:#6B7280;font-size:12px}
@media print{body{margin:0;max-width:none}section{break-inside:avoid}.modebar{display:none}}
@page{size:A4;margin:14mm}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _report_label(metric: metrics.HeadlineMetric, month: object, lang: str) -> str:
    """A headline metric's label in the report; the report's balances are month-end (月末) and
    say so ("金融资产（AUM） · 9月末")."""
    label = headline_label(metric, lang)
    if metrics.balance_of_column(metric.column) is None:
        return label
    return f"{label} · {fmt.basis_month(month, basis.MONTH_END, lang)}"


def _kpis(s: BranchSummary, lang: str) -> str:
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    totals = s.totals.set_index("month_start")
    now = totals.loc[s.month] if s.month in totals.index else None
    cards = []
    if now is not None:
        cards += [
            *(
                (_report_label(m, s.month, lang), fmt.by_unit(now[m.column], m.unit, lang))
                for m in metrics.HEADLINE_METRICS
            ),
            (tr("sc.col_new"), fmt.count(now["count_new"], lang)),
            (tr("sc.col_churned"), fmt.count(now["count_churned"], lang)),
        ]
    if s.watchlist is None or s.watchlist.empty:
        cards.append((tr("sc.kpi_watchlist"), fmt.DASH))
    else:
        w = s.watchlist.iloc[0]
        cards.append((tr("sc.kpi_watchlist"), fmt.count(w["count_watchlist"], lang)))
        cards.append((tr("sc.kpi_at_risk"), fmt.money(w["assets_at_risk_rmb"], lang)))
    body = "".join(f'<div class="kpi"><span>{_e(k)}</span><b>{_e(v)}</b></div>' for k, v in cards)
    return f'<div class="kpis">{body}</div>'


def _targets(s: BranchSummary, lang: str) -> str:
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    if s.targets.empty:
        return f'<p class="note">{_e(tr("sc.empty_targets"))}</p>'
    names = metric_names(lang)
    parts = []
    for kind in ("year", "quarter"):
        card = s.targets[s.targets["period_kind"] == kind]
        if card.empty:
            continue
        rows = [
            [
                names.get(r.metric, r.metric),
                metric_value_text(r.metric, r.target_value, lang),
                metric_value_text(r.metric, r.actual, lang),
                fmt.pct(r.attainment_pct, lang),
                fmt.pct(r.elapsed_pct, lang),
                metric_value_text(r.metric, r.projection, lang),
                fmt.pct(r.projected_attainment_pct, lang),
                f"{LIGHT_MARK[r.light]} {tr(f'sc.light_{r.light}')}",
            ]
            for r in card.itertuples()
        ]
        headers = [
            tr("sc.col_metric"),
            tr("sc.col_target"),
            tr("sc.col_actual"),
            tr("sc.col_attainment"),
            tr("sc.col_elapsed"),
            tr("sc.col_projection"),
            tr("sc.col_projected_attainment"),
            tr("sc.col_light"),
        ]
        period = tr(
            "sc.period_caption",
            start=fmt.date(card["period_start"].iloc[0], lang),
            end=fmt.date(card["period_end"].iloc[0], lang),
            elapsed=fmt.pct(card["elapsed_pct"].iloc[0], lang),
        )
        parts.append(f"<h3>{_e(tr(f'sc.period_{kind}'))}</h3><p class='note'>{_e(period)}</p>")
        parts.append(_table(headers, rows))
    return "".join(parts)


def _league(s: BranchSummary, lang: str) -> str:
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    if s.league.empty:
        return f'<p class="note">{_e(tr("sc.empty_hongyan"))}</p>'
    levels = {h.level: name_of(h, lang) for h in sr.HONGYAN_LEVELS}
    rows = [
        [
            str(r.rank),
            r.full_name,
            levels.get(int(r.hongyan_level), "") if pd.notna(r.hongyan_level) else "",
            fmt.money(r.aum_rmb, lang),
            fmt.signed_pct(r.aum_growth_pct, lang),
            fmt.money(r.sales_rmb, lang),
            fmt.count(r.count_products_sold, lang),
            fmt.count(r.count_contacted, lang),
            f"{r.count_targets_met}/{r.count_targets_assessed}",
        ]
        for r in s.league.head(15).itertuples()
    ]
    headers = [
        tr("sc.col_rank"),
        tr("sc.col_manager"),
        tr("sc.col_level"),
        tr("sc.col_aum_managed"),
        tr("sc.col_aum_growth"),
        tr("sc.col_sales"),
        tr("sc.col_products"),
        tr("sc.col_contacted"),
        tr("sc.col_targets_met"),
    ]
    return _table(headers, rows)


def _figure(fig, first: bool) -> str:
    return pio.to_html(
        fig,
        include_plotlyjs=bool(first),
        full_html=False,
        config={"displayModeBar": False, "responsive": True},
    )


def render(s: BranchSummary, lang: str, generated_at: dt.datetime | None = None) -> str:
    """The report of ``s`` in ``lang`` as one HTML document."""
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    generated_at = generated_at or dt.datetime.now()
    title = tr("sc.report_title", branch=s.name(lang), month=fmt.month(s.month, lang))
    sections = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(s.cooperative(lang))} · '
        f"{_e(tr('sc.report_generated', when=fmt.date(generated_at, lang)))}</p>",
        f"<section><h2>{_e(tr('sc.report_kpis'))}</h2>{_kpis(s, lang)}</section>",
        f"<section><h2>{_e(translate('page.targets', lang))}</h2>{_targets(s, lang)}</section>",
    ]
    first = True
    if s.six_s_latest is not None:
        latest = s.six_s_latest
        caption = tr(
            "sc.radar_caption",
            stars=stars_text(latest["stars"]),
            score=f"{latest['overall']:.1f}",
            date=fmt.date(latest["inspected_on"], lang),
        )
        series = {s.name(lang): latest}
        if s.six_s_peer_mean is not None:
            series[tr("sc.series_average")] = s.six_s_peer_mean
        radar = _figure(figures.radar(series, lang=lang), first)
        first = False
        profile = calc.area_profile(s.six_s_rows, int(latest["inspection_id"]))
        area = _figure(figures.area_radar(profile, lang=lang), first)
        sections.append(
            f"<section><h2>{_e(tr('sc.tab_6s'))}</h2><p>{_e(caption.replace('**', ''))}</p>"
            f"{radar}{area}</section>"
        )
    else:
        sections.append(f"<section><h2>{_e(tr('sc.tab_6s'))}</h2><p>{_e(tr('sc.empty_6s'))}</p>")
    if s.service_rank is not None:
        r = s.service_rank
        line = tr(
            "sc.report_service",
            index=f"{r['service_index']:.1f}",
            rank=int(r["rank"]),
            peers=s.count_peers,
        )
        trend = _figure(figures.service_trend(s.service, s.branch_id, lang=lang), first)
        first = False
        sections.append(
            f"<section><h2>{_e(tr('sc.tab_service'))}</h2><p>{_e(line)}</p>{trend}</section>"
        )
    sections.append(f"<section><h2>{_e(tr('sc.wm_league_short'))}</h2>{_league(s, lang)}</section>")
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{_e(title)}</title><style>{CSS}</style></head>'
        f"<body>{body}</body></html>"
    )
