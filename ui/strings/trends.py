"""Labels of the Asset trends page (资产趋势): sections, columns, and one definition per metric."""

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ drill-down
    "trends.province": ("Province 全省", "全省"),
    "trends.breadcrumb": ("You are here:", "当前位置："),
    "trends.level_prefecture": ("{@Prefecture} {@prefecture:zh}", "{@prefecture}"),
    "trends.level_cooperative": ("{@Cooperative} {@cooperative:zh}", "{@cooperative}"),
    "trends.level_branch": ("{@Branch} {@branch:zh}", "{@branch}"),
    "trends.level_staff": ("Relationship manager 客户经理", "管户客户经理"),
    "trends.drill_title": ("AUM by {level}", "各{level}金融资产"),
    "trends.drill_help": (
        "Month-end financial assets (AUM) of each unit one level below the one in view. Click a "
        "bar to drill into it; every section of the page then follows that unit. The breadcrumb "
        "above goes back up. The drill is kept in the page address, so a link opens the same "
        "view.",
        "当前机构下一级各单位的月末金融资产。点击柱条可下钻到该单位，页面各部分随之切换；"
        "通过上方的导航路径可逐级返回。下钻位置保存在页面地址中，分享链接即可打开同一视图。",
    ),
    "trends.drill_click": (
        "Click a bar to drill down; hover for growth and customers.",
        "点击柱条下钻；悬停查看增速和客户数。",
    ),
    "trends.drill_hover": (
        "{aum} · MoM {mom} · YoY {yoy} · {customers} customers",
        "{aum} · 环比 {mom} · 同比 {yoy} · 客户 {customers}",
    ),
    "trends.staff_all_tiers": (
        "Managers' books count customers of every tier: the tier filter does not apply at this "
        "level.",
        "客户经理管户数据包含所有层级客户，客户分层筛选在此层级不适用。",
    ),
    "trends.manager_book": ("Book of {name} over time", "{name}管户资产变化"),
    "trends.table": ("Table and downloads", "明细表与下载"),
    # ------------------------------------------------------------ tabs
    "trends.tab_trend": ("AUM over time 资产趋势", "资产趋势"),
    "trends.tab_change": ("Where the change came from 变动来源", "变动来源"),
    "trends.tab_rankings": ("Rankings 排名", "排名"),
    "trends.tab_seasonality": ("Seasonality 季节性", "季节性"),
    "trends.tab_deposits": ("Deposits 储蓄存款", "储蓄存款"),
    "trends.tab_vip": ("VIP customers 贵宾客户", "贵宾客户"),
    # ------------------------------------------------------------ AUM over time
    "trends.aum_mode": ("Show", "展示方式"),
    "trends.aum_mode_stacked": ("Amounts (stacked)", "金额（堆叠）"),
    "trends.aum_mode_shares": ("Shares of AUM", "结构占比"),
    "trends.aum_by_class_help": (
        "Month-end financial assets by asset class: demand and time deposits, wealth management, "
        "funds, agency insurance and bonds (loans are not assets). Amounts are stacked so the "
        "top edge is total AUM; shares show each class as a percentage of AUM.",
        "按资产类别展示的月末金融资产：活期、定期存款、理财、基金、代理保险和债券（不含贷款）。"
        "金额模式为堆叠图，顶部即金融资产总额；占比模式显示各类别占金融资产的百分比。",
    ),
    "trends.axis_share": ("Share of AUM", "占金融资产比例"),
    "trends.growth_title": ("AUM growth 金融资产增速", "金融资产增速"),
    "trends.growth_help": (
        "Month-on-month growth (环比, bars): change of month-end AUM against the month before. "
        "Year-on-year growth (同比, line): against the same month a year earlier.",
        "环比（柱）：月末金融资产较上月的变化；同比（线）：较去年同月的变化。",
    ),
    "trends.axis_growth": ("Growth (%)", "增速（%）"),
    "trends.series_mom": ("Month on month 环比", "环比"),
    "trends.series_yoy": ("Year on year 同比", "同比"),
    "trends.series_aum": ("AUM 金融资产", "金融资产"),
    # ------------------------------------------------------------ waterfall
    "trends.change_title": ("Where the AUM change came from 资产变动归因", "资产变动归因"),
    "trends.change_help": (
        "The change in month-end AUM over the period, split into new customers (their whole "
        "balance), growth and decline of existing customers, and churned customers' outflow "
        "(assets taken away by customers who closed every account). The parts add up exactly "
        "to the change.",
        "期间金融资产变动拆分为：新增客户（其全部资产）、存量客户增长、存量客户下降、"
        "流失客户（销户客户带走的资产）。各部分之和等于期间变动。",
    ),
    "trends.period": ("Period 期间", "期间"),
    "trends.period_help": (
        "Month on month: from last month's end. Quarter to date: from the end of the previous "
        "quarter. Year to date: from December of last year (年初数). Year on year: from the same "
        "month last year.",
        "环比：自上月末起；季初以来：自上季度末起；年初以来：自上年12月末（年初数）起；"
        "同比：自去年同月末起。",
    ),
    "trends.period_mom": ("Month on month 环比", "环比（较上月）"),
    "trends.period_qtd": ("Quarter to date 季初以来", "季初以来"),
    "trends.period_ytd": ("Year to date 年初以来", "年初以来"),
    "trends.period_yoy": ("Year on year 同比", "同比（较去年同月）"),
    "trends.no_base": (
        "The month this period starts from is not in the data, so its change cannot be split. "
        "Choose a shorter period.",
        "该期间的起始月份不在数据范围内，无法拆分变动。请选择较短的期间。",
    ),
    "trends.wf_aum": ("AUM {month}", "{month}金融资产"),
    "trends.part_new": ("New customers 新增客户", "新增客户"),
    "trends.part_growth": ("Growth of existing 存量增长", "存量增长"),
    "trends.part_decline": ("Decline of existing 存量下降", "存量下降"),
    "trends.part_churned": ("Churned customers 流失客户", "流失客户"),
    "trends.part_moved": ("Moved between tiers or {@branches} 迁移", "层级或{@branch}间迁移"),
    "trends.part_total": ("Change in AUM 变动合计", "变动合计"),
    "trends.moved_note": (
        "With some {@branches} or tiers selected, customers who moved tier or {@branch} between "
        "the two month ends carry their assets in or out: that residual is shown as its own bar.",
        "选择部分{@branch}或层级时，两个月末之间改变层级或{@branch}的客户会带入或带出资产，该差额单独列示。",
    ),
    "trends.col_part": ("Part", "构成"),
    "trends.col_amount": ("Amount", "金额"),
    "trends.col_share_change": ("Share of change", "占变动比例"),
    "trends.share_change_help": (
        "The part as a percentage of the absolute change in AUM over the period.",
        "该部分占期间金融资产变动绝对值的百分比。",
    ),
    # ------------------------------------------------------------ rankings
    "trends.rank_level": ("Rank", "排名对象"),
    "trends.rank_by": ("Rank by", "排序依据"),
    "trends.rank_title": ("Ranking: {level}", "排名：{level}"),
    "trends.rank_help": (
        "Each unit's AUM at month end, its growth over the period and growth rate, AUM per "
        "customer and per staff member, the AUM-growth target for the period (quarter or year) "
        "with its attainment, and the same period last year (上年同期).",
        "各单位月末金融资产、期间增量和增速、户均和人均金融资产、期间（季度或年度）金融资产增量"
        "目标及完成率，以及上年同期数据。",
    ),
    "trends.col_rank": ("Rank", "名次"),
    "trends.rank_col_help": (
        "Position by the chosen measure, largest first; ties share the better position.",
        "按所选指标从高到低的名次；数值相同者名次并列。",
    ),
    "trends.col_aum": ("AUM 金融资产", "金融资产"),
    "trends.col_growth": ("Growth 增量", "增量"),
    "trends.growth_col_help": (
        "Month-end AUM minus AUM at the end of the period's base month.",
        "月末金融资产减去期间起始月末金融资产。",
    ),
    "trends.col_growth_pct": ("Growth rate 增速", "增速"),
    "trends.growth_pct_help": (
        "Growth as a percentage of AUM at the start of the period.",
        "增量占期初金融资产的百分比。",
    ),
    "trends.col_aum_per_customer": ("AUM per customer 户均资产", "户均资产"),
    "trends.per_customer_help": (
        "Month-end AUM divided by customers open at month end.",
        "月末金融资产除以月末客户数。",
    ),
    "trends.col_aum_per_staff": ("AUM per staff member 人均资产", "人均资产"),
    "trends.per_staff_help": (
        "Month-end AUM divided by the staff positions of the {@branch} (or of the {@cooperative}'s "
        "{@branches}).",
        "月末金融资产除以{@branch}（或{@cooperative}所辖{@branch}）员工人数。",
    ),
    "trends.col_staff": ("Staff 员工数", "员工数"),
    "trends.staff_help": ("Staff positions at the {@branches}.", "{@branch}员工人数。"),
    "trends.col_target": ("Target 目标", "目标"),
    "trends.target_help": (
        "AUM-growth target (金融资产增量目标) for the quarter (quarter to date) or the year (year "
        "to date), summed over {@branches}; none for month-on-month or year-on-year.",
        "季度（季初以来）或年度（年初以来）金融资产增量目标，按{@branch}汇总；环比和同比无目标。",
    ),
    "trends.col_attainment": ("Attainment 完成率", "完成率"),
    "trends.attainment_help": (
        "Growth so far as a percentage of the period's target.",
        "期间已实现增量占目标的百分比。",
    ),
    "trends.col_ly_growth": ("Growth, same period last year 上年同期增量", "上年同期增量"),
    "trends.col_ly_growth_pct": ("Growth rate, same period last year 上年同期增速", "上年同期增速"),
    "trends.ly_help": (
        "The same period a year earlier: e.g. year to date September 2025 for September 2026.",
        "上一年的同一期间，例如2026年9月对应2025年年初至9月。",
    ),
    "trends.col_ly_aum": ("AUM same month last year 去年同月资产", "去年同月金融资产"),
    "trends.ly_aum_help": (
        "Month-end AUM in the same month a year earlier.",
        "去年同月的月末金融资产。",
    ),
    # ------------------------------------------------------------ seasonality
    "trends.season_title": ("Seasonality: month-of-year profile 季节性", "季节性：月度规律"),
    "trends.season_help": (
        "The average month-on-month change for each calendar month over every year in the data "
        "(bars), with the last 12 months as dots: a Spring Festival inflow that happens every "
        "year is the season, not growth.",
        "数据中每个自然月的平均环比变化（柱），点为近12个月实际值：每年都有的春节资金回流属于"
        "季节性，而非增长。",
    ),
    "trends.season_measure": ("Measure 指标", "指标"),
    "trends.season_hover": ("{amount} on average · {years} year(s)", "平均{amount} · {years}年"),
    "trends.season_now": (
        "{month}: {actual} this year against a typical {typical}.",
        "{month}：今年{actual}，往年平均{typical}。",
    ),
    "trends.series_typical": ("Typical month 往年平均", "往年平均"),
    "trends.series_recent": ("Last 12 months 近12个月", "近12个月"),
    "trends.col_calendar_month": ("Month of year 月份", "月份"),
    "trends.col_typical_pct": ("Typical MoM growth 平均环比", "平均环比"),
    "trends.col_typical_rmb": ("Typical MoM change 平均环比变动", "平均环比变动"),
    "trends.col_years": ("Years 年数", "年数"),
    "trends.years_help": (
        "How many years of data the average for that month rests on.",
        "该月平均值所依据的年数。",
    ),
    "trends.col_recent_pct": ("Last 12 months 近12个月", "近12个月环比"),
    "trends.recent_help": (
        "Month-on-month growth of that calendar month within the last 12 months.",
        "近12个月中该月的环比增速。",
    ),
    "trends.moy_1": ("Jan", "1月"),
    "trends.moy_2": ("Feb", "2月"),
    "trends.moy_3": ("Mar", "3月"),
    "trends.moy_4": ("Apr", "4月"),
    "trends.moy_5": ("May", "5月"),
    "trends.moy_6": ("Jun", "6月"),
    "trends.moy_7": ("Jul", "7月"),
    "trends.moy_8": ("Aug", "8月"),
    "trends.moy_9": ("Sep", "9月"),
    "trends.moy_10": ("Oct", "10月"),
    "trends.moy_11": ("Nov", "11月"),
    "trends.moy_12": ("Dec", "12月"),
    # ------------------------------------------------------------ Spring Festival, 开门红
    "trends.fest_align": (
        "Align January to March on the Spring Festival 1-3月按春节对齐",
        "1-3月按春节对齐",
    ),
    "trends.fest_align_help": (
        "The Spring Festival moves between late January and mid February, and the deposits that "
        "follow it (wages of workers coming home, year-end bonuses) move with it. On, January to "
        "March are grouped by their distance from the festival's month (the month before it, the "
        "festival's month, the first and second months after it) instead of the calendar month.",
        "春节在1月下旬至2月中旬之间浮动，返乡务工收入、年终奖等节前节后资金随之移动。打开后，"
        "1-3月按距春节所在月的月数归组（节前月、春节当月、节后第1月、节后第2月），而不按自然月。",
    ),
    "trends.fest_on": ("On the Spring Festival 按春节对齐", "按春节对齐"),
    "trends.fest_off": ("By calendar month 按自然月", "按自然月"),
    "trends.fest_dates": ("Spring Festival: {dates}", "春节：{dates}"),
    "trends.slot_before": ("Month before the festival 节前月", "节前月"),
    "trends.slot_festival": ("Festival month 春节当月", "春节当月"),
    "trends.slot_after_1": ("1st month after 节后第1月", "节后第1月"),
    "trends.slot_after_2": ("2nd month after 节后第2月", "节后第2月"),
    "trends.col_period": ("Month or festival month 月份/节期", "月份/节期"),
    "trends.days_before": ("{n} days before 节前{n}天", "节前{n}天"),
    "trends.days_after": ("{n} days after 节后{n}天", "节后{n}天"),
    "trends.days_on": ("On the festival 春节当天", "春节当天"),
    "trends.fest_yoy_title": (
        "January to March, year on year around the Spring Festival 春节前后同比（1-3月）",
        "春节前后同比（1-3月）",
    ),
    "trends.fest_yoy_help": (
        "Each month of January to March in view (报告期) against last year's month at the same "
        "distance from last year's Spring Festival (基期), so that the festival's inflow is "
        "compared with the festival's inflow. The calendar year-on-year change (against the same "
        "calendar month) is beside it.",
        "统计区间内1-3月各月（报告期）与上年距春节相同位置的月份（基期）比较，使节日资金回流与"
        "节日资金回流相比；旁列按自然月计算的同比。",
    ),
    "trends.fest_yoy_none": (
        "No month of January to March in the trend window.",
        "趋势区间内没有1-3月的数据。",
    ),
    "trends.col_month_end_days": ("Month end from the festival 月末距春节", "月末距春节"),
    "trends.month_end_days_help": (
        "Days from the year's Spring Festival to the month's last day.",
        "当年春节至该月最后一天的天数。",
    ),
    "trends.col_slot": ("Festival month 节期", "节期"),
    "trends.col_base_month": ("Compared with 基期月份", "基期月份"),
    "trends.base_month_help": (
        "Last year's month at the same distance from last year's Spring Festival.",
        "上年距春节相同位置的月份。",
    ),
    "trends.col_value": ("Balance 报告期余额", "报告期余额"),
    "trends.col_base_value": ("Balance then 基期余额", "基期余额"),
    "trends.value_help": (
        "The measure chosen above, on the basis it names, in that month.",
        "上方所选指标在该月的数值（按所注口径）。",
    ),
    "trends.col_fest_change": ("Change 增减额", "增减额"),
    "trends.col_fest_change_pct": ("Change % 增幅", "增幅"),
    "trends.fest_change_help": (
        "The month's balance less the compared month's (基期), and that change over the compared "
        "month's balance.",
        "报告期余额减基期余额，及其占基期余额的比例。",
    ),
    "trends.col_calendar_yoy": ("Calendar YoY 按自然月同比", "按自然月同比"),
    "trends.calendar_yoy_help": (
        "Year-on-year change against the same calendar month, not aligned on the festival.",
        "与上年同一自然月比较的同比，未按春节对齐。",
    ),
    "trends.kmh_title": ("First-quarter campaign 开门红", "开门红"),
    "trends.kmh_help": (
        "The first-quarter campaign (开门红) as its own period: from the balance at the end of "
        "December to the balance at the end of March, and how much of that change was in by the "
        "end of the Spring Festival's month.",
        "开门红作为单独期间：从上年12月末余额到3月末余额的增减，以及截至春节所在月末已实现的部分。",
    ),
    "trends.kmh_none": (
        "No campaign in the data: it needs the December before and March of a year.",
        "数据中没有完整的开门红期间：需要上年12月和当年3月的数据。",
    ),
    "trends.col_year": ("Year 年度", "年度"),
    "trends.kmh_year_help": (
        "The campaign's year: its January to March, from the end of the December before.",
        "开门红所属年度：当年1-3月，自上年12月末起算。",
    ),
    "trends.col_festival": ("Spring Festival 春节", "春节"),
    "trends.festival_help": ("The day of the year's Spring Festival.", "当年春节日期。"),
    "trends.col_kmh_start": ("End of December 上年末余额", "上年末余额"),
    "trends.col_kmh_end": ("End of March 3月末余额", "3月末余额"),
    "trends.col_kmh_change": ("Campaign change 开门红增量", "开门红增量"),
    "trends.col_kmh_change_pct": ("Campaign change % 较年初增幅", "较年初增幅"),
    "trends.kmh_change_help": (
        "The balance at the end of March less the balance at the end of December (较年初), and "
        "that change over December's balance.",
        "3月末余额较上年末（较年初）的增减额，及其占上年末余额的比例。",
    ),
    "trends.col_kmh_by_festival": (
        "In by the festival's month end 春节当月末已实现",
        "春节当月末已实现",
    ),
    "trends.kmh_by_festival_help": (
        "The change from the end of December to the end of the Spring Festival's month.",
        "上年末至春节所在月末的增减额。",
    ),
    "trends.series_kmh": ("To the end of March 至3月末", "至3月末"),
    "trends.series_kmh_festival": ("By the festival's month end 至春节当月末", "至春节当月末"),
    "trends.axis_kmh": ("Change ({unit})", "增减额（{unit}）"),
    # ------------------------------------------------------------ deposit structure
    "trends.deposit_title": ("Deposit structure by {@branch} 存款结构", "各{@branch}存款结构"),
    "trends.deposit_help": (
        "Demand deposits (活期) are cheap funds, time deposits (定期) expensive ones: a higher "
        "demand share lowers the cost of funds. Wealth-management penetration (理财渗透率) is the "
        "share of customers holding any wealth-management product at month end.",
        "活期存款成本低、定期存款成本高，活期占比越高资金成本越低。理财渗透率为月末持有理财产品的"
        "客户占比。",
    ),
    "trends.deposit_chart_level": (
        "Chart: by {level} (drill down to compare units further down); table: every {@branch}.",
        "图：按{level}对比（下钻可比较下级单位）；表：全部{@branch}。",
    ),
    "trends.series_demand": ("Demand deposits 活期", "活期存款"),
    "trends.series_time": ("Time deposits 定期", "定期存款"),
    "trends.series_penetration": ("Wealth penetration 理财渗透率", "理财渗透率"),
    "trends.col_demand_share": ("Demand share 活期占比", "活期占比"),
    "trends.col_time_share": ("Time share 定期占比", "定期占比"),
    "trends.demand_share_help": (
        "Demand (or time) deposits as a percentage of all deposits at month end.",
        "活期（或定期）存款占月末存款总额的百分比。",
    ),
    "trends.col_wealth_share": ("Wealth share of AUM 理财占比", "理财占金融资产比例"),
    "trends.wealth_share_help": (
        "Wealth-management products as a percentage of AUM at month end.",
        "理财产品余额占月末金融资产的百分比。",
    ),
    "trends.col_penetration": ("Wealth penetration 理财渗透率", "理财渗透率"),
    "trends.penetration_help": (
        "Customers holding wealth-management products as a percentage of customers at month end.",
        "月末持有理财产品的客户占客户总数的百分比。",
    ),
    # ------------------------------------------------------------ VIP customers
    "trends.vip_title": ("VIP customers (assets ≥ ¥1M) 贵宾客户", "贵宾客户（资产≥100万元）"),
    "trends.vip_help": (
        "Customers with month-end financial assets of ¥1,000,000 or more (the threshold for VIP "
        "value-added services), their assets, and each month the customers who crossed the line "
        "upwards (entered, including new customers) and downwards (left, including closures).",
        "月末金融资产不低于100万元的客户数及其资产；以及每月新晋（含新开户）和退出（含销户）的"
        "贵宾客户。",
    ),
    "trends.axis_vip": ("VIP customers", "贵宾客户数"),
    "trends.axis_vip_flows": ("Entered / left", "新晋／退出"),
    "trends.series_vip": ("VIP customers 贵宾客户", "贵宾客户数"),
    "trends.series_vip_aum": ("VIP assets 贵宾客户资产", "贵宾客户资产"),
    "trends.series_vip_entered": ("Entered 新晋", "新晋贵宾"),
    "trends.series_vip_left": ("Left 退出", "退出贵宾"),
    "trends.col_vip": ("VIP customers 贵宾客户", "贵宾客户数"),
    "trends.col_vip_aum": ("VIP assets 贵宾客户资产", "贵宾客户资产"),
    "trends.vip_aum_help": (
        "Month-end financial assets of the VIP customers.",
        "贵宾客户的月末金融资产合计。",
    ),
    "trends.col_vip_entered": ("Entered 新晋", "新晋贵宾"),
    "trends.vip_entered_help": (
        "Customers at ¥1M or more this month who were below it (or not yet customers) last "
        "month; blank for the first month of the data.",
        "本月资产达100万元、上月未达（或尚未开户）的客户；数据首月不计。",
    ),
    "trends.col_vip_left": ("Left 退出", "退出贵宾"),
    "trends.vip_left_help": (
        "Customers at ¥1M or more last month who are below it or closed this month.",
        "上月资产达100万元、本月低于该标准或已销户的客户。",
    ),
    "trends.col_vip_net": ("Net change 净增", "净增"),
    "trends.vip_net_help": (
        "Entered minus left: the change in VIP customers against last month.",
        "新晋减退出，即贵宾客户数较上月的变化。",
    ),
    # ------------------------------------------------------------ common columns
    "trends.col_month": ("Month 月份", "月份"),
    "trends.col_mom": ("MoM change 环比增量", "环比增量"),
    "trends.col_mom_pct": ("MoM growth 环比", "环比"),
    "trends.mom_help": (
        "Month on month (环比): month-end AUM against the month before.",
        "环比：月末金融资产与上月末相比。",
    ),
    "trends.col_yoy": ("YoY change 同比增量", "同比增量"),
    "trends.col_yoy_pct": ("YoY growth 同比", "同比"),
    "trends.yoy_help": (
        "Year on year (同比): month-end AUM against the same month a year earlier.",
        "同比：月末金融资产与去年同月末相比。",
    ),
    "trends.class_help": (
        "Month-end balance of the asset class held by the customers in view.",
        "所选范围内客户该资产类别的月末余额。",
    ),
    "trends.col_demand_deposit": ("Demand deposits 活期存款", "活期存款"),
    "trends.col_time_deposit": ("Time deposits 定期存款", "定期存款"),
    "trends.col_wealth": ("Wealth management 理财产品", "理财产品"),
    "trends.col_fund": ("Funds 基金", "基金"),
    "trends.col_insurance": ("Agency insurance 代理保险", "代理保险"),
    "trends.col_bond": ("Bonds 债券", "债券"),
    "trends.col_customers": ("Customers (all) 客户总数", "客户总数"),
    "trends.col_active": ("Active 活跃客户", "活跃客户"),
    "trends.active_help": (
        "Customers with at least one customer-initiated transaction in the month, any channel.",
        "当月至少有一笔客户主动交易（任意渠道）的客户。",
    ),
    "trends.col_new": ("New 新增客户", "新增客户"),
    "trends.new_help": (
        "Customers whose relationship opened in the month.",
        "当月开户建立业务关系的客户。",
    ),
    "trends.col_churned": ("Churned 流失客户", "流失客户"),
    "trends.churned_help": (
        "Customers who closed every account in the month (hard churn).",
        "当月销清全部账户的客户（销户流失）。",
    ),
    # ------------------------------------------------------------ downloads
    "trends.unit_rmb": ("RMB", "元"),
    "trends.ctx_page": ("Page", "页面"),
    "trends.ctx_drill": ("Drill-down", "下钻位置"),
    "trends.ctx_window": ("Trend window", "趋势区间"),
}
