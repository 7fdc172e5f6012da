"""Labels of the branch scorecard pages: Scorecards, Targets, My branch, Hongyan plan, the
monthly branch report and the 6S inspection upload (prefix ``sc.``)."""

from catalogue import codes, metrics, units
from ui.strings import code_labels

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ shared
    "sc.all_tiers_note": (
        "Scorecards describe whole {@branches}: the tier filter does not apply here.",
        "{@branch}评价针对整个{@branch}，客户层级筛选在此不适用。",
    ),
    "sc.pick_branch": ("{@Branch} {@branch:zh}", "{@branch}"),
    "sc.pick_branch_help": (
        "The {@branch} shown in the charts below; the choice is kept in the page address.",
        "下方图表展示的{@branch}；所选{@branch}保存在页面地址中。",
    ),
    "sc.yes": ("Yes", "是"),
    "sc.unit_money": ("RMB", "元"),
    "sc.unit_count": ("customers", "户"),
    "sc.unit_pct": ("%", "%"),
    "sc.unit_points": ("points", "分"),
    "sc.unit_rate": ("% a year", "%（年化）"),
    "sc.s_help": (
        "Score of this S in the latest inspection, 0-100: the four areas combined with the "
        "area weights (cash 30%, low counter 25%, lobby 25%, self-service 20%).",
        "最近一次检查中该项得分（0-100），按区域权重合并四个区域（现金区30%、低柜区25%、"
        "大堂25%、自助区20%）。",
    ),
    # Target metric names (column headers of the light matrix), from the catalogue.
    **{f"sc.metric_{m.code}": (m.name_en, m.name_zh) for m in metrics.TARGET_METRICS},
    "sc.series_average": ("Average of {@branches} in view", "范围内{@branch}平均"),
    "sc.series_branch": ("This {@branch}", "本{@branch}"),
    "sc.series_branches": ("{@Branches}", "{@branch}"),
    "sc.series_median": ("Median of {@branches}", "{@branch}中位数"),
    "sc.series_p10_p90": ("10th-90th percentile", "10%-90%分位区间"),
    "sc.series_fit": ("Fitted line (r = {r})", "拟合线（r = {r}）"),
    "sc.axis_6s": ("6S score (points)", "6S 评分（分）"),
    "sc.axis_branches": ("{@Branches}", "{@branch}数"),
    "sc.axis_service": ("Service-quality index (0-100)", "服务质量指数（0-100）"),
    "sc.axis_growth": ("AUM growth over the window (%)", "窗口期金融资产增长（%）"),
    "sc.axis_churn": ("Churn rate over the window (%)", "窗口期客户流失率（%）"),
    "sc.axis_pct": ("% of target", "占目标比例（%）"),
    "sc.axis_diversion": ("Counter diversion rate (%)", "柜面分流率（%）"),
    "sc.axis_moved": ("Tellers moved to advisory roles", "柜员转岗人数"),
    # ------------------------------------------------------------ scorecards page: 6S
    "sc.tab_6s": ("6S management 6S 管理", "6S 管理"),
    "sc.tab_service": ("Service quality 服务质量", "服务质量"),
    "sc.tab_upload": ("Upload inspections 上传检查结果", "上传检查结果"),
    "sc.empty_6s": (
        "No 6S inspections for the {@branches} and months in view.",
        "所选{@branch}和月份没有6S检查记录。",
    ),
    "sc.kpi_branches": ("{@Branches} inspected", "受检{@branch}数"),
    "sc.kpi_branches_help": (
        "{@Branches} in view with at least one 6S inspection up to the month chosen.",
        "截至所选月份至少接受过一次6S检查的{@branch}数。",
    ),
    "sc.kpi_avg_6s": ("Average 6S score", "6S 平均分"),
    "sc.kpi_avg_6s_help": (
        "Mean of the {@branches}' latest overall 6S scores (each the six S weighted equally).",
        "各{@branch}最近一次6S综合得分的平均值（六项等权）。",
    ),
    "sc.kpi_four_plus": ("Four stars or more", "四星及以上占比"),
    "sc.kpi_four_plus_help": (
        "Share of inspected {@branches} rated four or five stars at their latest inspection.",
        "最近一次检查评为四星或五星的{@branch}占受检{@branch}的比例。",
    ),
    "sc.kpi_last_inspection": ("Latest inspection", "最近检查日期"),
    "sc.kpi_last_inspection_help": (
        "Date of the most recent 6S inspection among the {@branches} in view.",
        "范围内{@branch}最近一次6S检查的日期。",
    ),
    "sc.radar": ("6S profile 6S 雷达图", "6S 雷达图"),
    "sc.radar_help": (
        "The {@branch}'s latest score of each S (sort, set in order, shine, standardise, safety, "
        "self-discipline) against the average of the {@branches} in view.",
        "本{@branch}最近一次检查的六项得分（整理、整顿、清扫、清洁、安全、素养），与范围内{@branch}平均对比。",
    ),
    "sc.radar_caption": (
        "**{stars}** · overall {score} · inspected {date}",
        "**{stars}** · 综合得分 {score} · 检查日期 {date}",
    ),
    "sc.area_radar": ("6S by area 分区域", "分区域6S得分"),
    "sc.area_radar_help": (
        "The same inspection's six S scores in each area: cash area, low counter, lobby and "
        "self-service area.",
        "同一次检查中现金区、低柜区、大堂、自助区各自的六项得分。",
    ),
    "sc.trend": ("6S score by quarter 季度趋势", "6S 季度趋势"),
    "sc.trend_help": (
        "Overall 6S score per {@branch} per quarter; dotted lines mark the star thresholds. With "
        "more than eight {@branches} the median and the 10th-90th percentile band are shown.",
        "各{@branch}每季度6S综合得分，虚线为星级门槛；{@branch}多于8个时显示中位数及10%-90%分位区间。",
    ),
    "sc.stars": ("Star ratings 星级分布", "星级分布"),
    "sc.stars_help": (
        "{@Branches} by star rating at their latest inspection: >= 90 five stars, >= 80 four, "
        ">= 70 three, >= 60 two, below 60 one; any single S below 70 caps the rating at three.",
        "按最近一次检查星级统计{@branch}数：≥90分五星，≥80四星，≥70三星，≥60二星，60以下一星；"
        "任一单项低于70分，最高评为三星。",
    ),
    "sc.league": ("6S league table 6S 排行榜", "6S 排行榜"),
    "sc.league_help": (
        "{@Branches} ranked by their latest overall 6S score, with the change since the inspection "
        "before.",
        "按最近一次6S综合得分排名，并显示与上一次检查相比的变化。",
    ),
    "sc.col_rank": ("Rank", "排名"),
    "sc.col_rank_help": (
        "1 = the highest score; equal scores share a rank.",
        "1为最高分，同分同名次。",
    ),
    "sc.col_branch": ("{@Branch}", "{@branch}"),
    "sc.col_stars": ("Stars", "星级"),
    "sc.col_stars_help": (
        "Star rating from the overall score, capped at three stars when any S is below 70 "
        "(analytics/scorecard_rules.py).",
        "按综合得分评定星级，任一单项低于70分最高三星（见 analytics/scorecard_rules.py）。",
    ),
    "sc.col_overall": ("6S score", "6S 综合得分"),
    "sc.col_overall_help": (
        "Overall 6S score, 0-100: the six S weighted equally, each the four areas combined.",
        "6S 综合得分（0-100）：六项等权平均，每项为四个区域加权合并。",
    ),
    "sc.col_change": ("Change", "变化"),
    "sc.col_change_help": (
        "Points gained or lost since the {@branch}'s previous inspection.",
        "与本{@branch}上一次检查相比的得分变化。",
    ),
    "sc.col_inspected_on": ("Inspected", "检查日期"),
    "sc.improvers": ("Biggest improvers 进步最大", "进步最大"),
    "sc.decliners": ("Biggest decliners 退步最大", "退步最大"),
    "sc.movers_help": (
        "{@Branches} whose overall 6S score moved by at least one point since their previous "
        "inspection, largest moves first.",
        "与上一次检查相比综合得分变化至少1分的{@branch}，按变化幅度排序。",
    ),
    "sc.no_movers": ("No {@branch} moved by a point or more.", "没有{@branch}变化达到1分。"),
    # ------------------------------------------------------------ scorecards page: service
    "sc.empty_service": (
        "No service-quality data for the month and {@branches} in view.",
        "所选月份和{@branch}没有服务质量数据。",
    ),
    "sc.service_ranking": ("Service-quality ranking, {month}", "服务质量排名（{month}）"),
    "sc.service_index_help": (
        "Composite service-quality index, 0-100: satisfaction 30%, mystery-shopper score 25%, "
        "complaints per 10,000 transactions 15%, average wait 15%, off-counter share 15%, each "
        "scaled between a worst and a best value (docs/rules.md).",
        "服务质量综合指数（0-100）：客户满意度30%、神秘人暗访得分25%、每万笔交易投诉数15%、"
        "平均等候时间15%、离柜交易占比15%，各项在最差值与最佳值之间换算（见 docs/rules.md）。",
    ),
    "sc.col_service_index": ("Service index", "服务质量指数"),
    "sc.col_service_rank_help": (
        "Rank by the service index this month among the {@branches} in view (1 = best).",
        "本月按服务质量指数在范围内{@branch}中的排名（1为最好）。",
    ),
    "sc.col_previous_rank": ("Last month", "上月排名"),
    "sc.col_satisfaction": ("Satisfaction", "客户满意度"),
    "sc.col_satisfaction_help": (
        "Customer satisfaction from the survey, % satisfied (85% scores 0, 100% scores 100).",
        "客户满意度调查结果（85%记0分，100%记100分）。",
    ),
    "sc.col_mystery": ("Mystery shopper", "神秘人暗访"),
    "sc.col_mystery_help": (
        "Mystery-shopper score, 0-100 (60 scores 0 in the index, 100 scores 100).",
        "神秘人暗访得分（指数中60分记0分，100分记100分）。",
    ),
    "sc.col_complaints": ("Complaints / 10k txn", "每万笔投诉"),
    "sc.col_complaints_help": (
        "Complaints per 10,000 transactions, counter and off-counter (0 scores 100, 2 or more "
        "scores 0).",
        "每万笔交易（柜面及离柜）的投诉数（0记100分，2及以上记0分）。",
    ),
    "sc.col_wait": ("Average wait (min)", "平均等候（分钟）"),
    "sc.col_wait_help": (
        "Average minutes a customer waits at the counter (3 or less scores 100, 15 or more 0).",
        "客户柜面平均等候分钟数（3分钟及以下记100分，15分钟及以上记0分）。",
    ),
    "sc.col_off_counter": ("Off-counter share", "离柜交易占比"),
    "sc.col_off_counter_help": (
        "Counter diversion rate: off-counter transactions (self-service and mobile) as a share "
        "of all transactions (50% scores 0, 90% scores 100).",
        "柜面分流率：离柜交易（自助和手机银行）占全部交易的比例（50%记0分，90%记100分）。",
    ),
    "sc.service_trend": ("Service index by month 服务质量趋势", "服务质量趋势"),
    "sc.service_trend_help": (
        "Monthly service-quality index of the {@branch} against the median of the {@branches} "
        "in view.",
        "本{@branch}每月服务质量指数与范围内{@branch}中位数对比。",
    ),
    "sc.service_trend_caption": ("{@Branch} shown: {branch}", "展示{@branch}：{branch}"),
    "sc.vs_growth": ("Service and AUM growth 服务与资产增长", "服务与资产增长"),
    "sc.vs_growth_help": (
        "Each {@branch}'s average service index over the window against its AUM growth over the "
        "same window, with the least-squares line; r is the correlation.",
        "各{@branch}窗口期平均服务质量指数与同期金融资产增长率的散点及最小二乘拟合线，r为相关系数。",
    ),
    "sc.vs_churn": ("Service and churn 服务与客户流失", "服务与客户流失"),
    "sc.vs_churn_help": (
        "Each {@branch}'s average service index over the window against its churn rate: customers "
        "closed in the window per 100 customers at its start.",
        "各{@branch}窗口期平均服务质量指数与流失率（窗口期销户客户数/期初客户数）的散点及拟合线。",
    ),
    "sc.fit_caption": (
        "Slope {slope} per index point · r = {r} · {n} {@branches}. A correlation, not proof of "
        "cause.",
        "斜率 {slope}（每指数点）· r = {r} · {n}个{@branch}。相关不代表因果。",
    ),
    "sc.no_fit": ("Too few {@branches} for a fitted line.", "{@branch}太少，无法拟合。"),
    "sc.relation_table": ("Service, growth and churn by {@branch}", "各{@branch}服务、增长与流失"),
    "sc.col_aum_growth": ("AUM growth", "资产增长"),
    "sc.col_aum_growth_help": (
        "Change of month-end AUM over the window, in %.",
        "窗口期月末金融资产的变化率。",
    ),
    "sc.col_churn_rate": ("Churn rate", "流失率"),
    "sc.col_churn_rate_help": (
        "Customers who closed in the window per 100 customers at its start.",
        "窗口期销户客户数占期初客户数的比例。",
    ),
    # ------------------------------------------------------------ inspection upload
    "sc.upload_title": ("Upload 6S inspection results", "上传6S检查结果"),
    "sc.upload_help": (
        "New inspections as a CSV file; every row is checked and nothing is saved unless all "
        "rows are valid.",
        "以CSV文件上传新的检查结果；逐行校验，全部有效才会保存。",
    ),
    "sc.upload_format": (
        "One row per inspection and area, UTF-8 CSV with a header: `branch_id`, `inspected_on` "
        "(YYYY-MM-DD), `area` (`cash`, `low_counter`, `lobby`, `self_service`), "
        "`inspector_name`, and the six scores 0-100 `score_sort`, `score_set_in_order`, "
        "`score_shine`, `score_standardise`, `score_safety`, `score_self_discipline`. An "
        "inspection (same {@branch} and date) covers each of the four areas once.",
        "每次检查每个区域一行，UTF-8编码CSV并带表头：`branch_id`、`inspected_on`（YYYY-MM-DD）、"
        "`area`（`cash`、`low_counter`、`lobby`、`self_service`）、`inspector_name`，以及六项"
        "0-100分：`score_sort`、`score_set_in_order`、`score_shine`、`score_standardise`、"
        "`score_safety`、`score_self_discipline`。同一{@branch}同一日期为一次检查，四个区域各一行。",
    ),
    "sc.upload_template": ("Download a template", "下载模板"),
    "sc.upload_not_allowed": (
        "Only executives and the managers of {@prefectures} and {@cooperatives} may upload "
        "inspection results.",
        "仅{@province}领导、{@prefecture}和{@cooperative}负责人可以上传检查结果。",
    ),
    "sc.upload_file": ("CSV file of inspections", "检查结果CSV文件"),
    "sc.upload_unreadable": (
        "The file could not be read as UTF-8 CSV.",
        "无法按UTF-8 CSV读取该文件。",
    ),
    "sc.upload_rejected": (
        "Nothing was saved: {rows} of {total} rows have problems. Fix them and upload again.",
        "未保存任何数据：{total}行中有{rows}行存在问题，请修改后重新上传。",
    ),
    "sc.upload_valid": (
        "All {rows} rows are valid ({inspections} inspections).",
        "全部{rows}行校验通过（共{inspections}次检查）。",
    ),
    "sc.upload_save": ("Save to the warehouse", "保存到数据仓库"),
    "sc.upload_saved": (
        "Saved {rows} rows. The pages show them from the next refresh of this page.",
        "已保存{rows}行，刷新页面后即可看到。",
    ),
    "sc.upload_conflict": (
        "Not saved: an inspection in the file was recorded meanwhile. Check and upload again.",
        "未保存：文件中的某次检查已被他人录入，请核对后重新上传。",
    ),
    "sc.upload_col_row": ("Row", "行号"),
    "sc.upload_col_column": ("Column", "列"),
    "sc.upload_col_value": ("Value", "值"),
    "sc.upload_col_reason": ("Reason", "原因"),
    "sc.reason_missing_columns": ("Columns missing from the header", "表头缺少列"),
    "sc.reason_too_many_rows": (
        "Too many rows in one file (20,000 at most)",
        "单个文件行数过多（最多20,000行）",
    ),
    "sc.reason_bad_branch": ("{@Branch} id is not a whole number", "{@branch}编号不是整数"),
    "sc.reason_unknown_branch": ("No such {@branch} in your area", "您的管辖范围内没有该{@branch}"),
    "sc.reason_out_of_scope": ("{@Branch} outside your area", "{@branch}不在您的管辖范围内"),
    "sc.reason_bad_date": ("Date is not YYYY-MM-DD", "日期格式不是YYYY-MM-DD"),
    "sc.reason_future_date": ("Date is in the future", "日期晚于今天"),
    "sc.reason_bad_area": ("Unknown area", "区域代码无效"),
    "sc.reason_bad_inspector": (
        "Inspector name empty or longer than 32",
        "检查人为空或超过32个字符",
    ),
    "sc.reason_bad_score": ("Score is not a number from 0 to 100", "得分不是0到100之间的数字"),
    "sc.reason_duplicate_row": ("The same area twice in one inspection", "同一次检查中区域重复"),
    "sc.reason_incomplete_inspection": (
        "The inspection lacks these areas",
        "该次检查缺少以下区域",
    ),
    "sc.reason_already_recorded": (
        "An inspection of this {@branch} on this date is already recorded",
        "该{@branch}该日期的检查已录入",
    ),
    # ------------------------------------------------------------ targets page
    "sc.empty_targets": (
        "No {@branch} targets cover the month and {@branches} in view.",
        "所选月份和{@branch}没有考核目标。",
    ),
    "sc.period": ("Target period 考核期", "考核期"),
    "sc.period_help": (
        "The year or the quarter that contains the month chosen in the sidebar.",
        "包含左侧所选月份的年度或季度考核期。",
    ),
    "sc.period_year": ("Year", "年度"),
    "sc.period_quarter": ("Quarter", "季度"),
    "sc.period_caption": (
        "Period {start} to {end}; {elapsed} elapsed by the end of the month in view.",
        "考核期 {start} 至 {end}；截至所选月末时间进度 {elapsed}。",
    ),
    "sc.kpi_elapsed": ("Period elapsed 时间进度", "时间进度"),
    "sc.kpi_elapsed_help": (
        "Share of the period's days passed by the end of the month in view.",
        "截至所选月末，考核期已过天数占总天数的比例。",
    ),
    "sc.light_green": ("On track", "达标"),
    "sc.light_amber": ("At risk", "预警"),
    "sc.light_red": ("Behind", "落后"),
    "sc.light_green_help": (
        "Targets projected to reach 100% or more by the period end.",
        "预计期末完成率达到100%及以上的指标数。",
    ),
    "sc.light_amber_help": (
        "Targets projected to reach 90% to 100% by the period end.",
        "预计期末完成率在90%到100%之间的指标数。",
    ),
    "sc.light_red_help": (
        "Targets projected below 90% by the period end (or without an actual yet).",
        "预计期末完成率低于90%（或尚无实际值）的指标数。",
    ),
    "sc.attainment_chart": ("Attainment: {branch}", "目标完成情况：{branch}"),
    "sc.attainment_chart_help": (
        "Bars: the actual so far as a % of the target, coloured by traffic light. Diamonds: the "
        "projection to the period end as a % of the target. Dotted line: share of the period "
        "elapsed.",
        "柱形：目前实际值占目标的比例，颜色为红黄绿灯；菱形：按当前进度预测期末值占目标的比例；"
        "虚线：时间进度。",
    ),
    "sc.elapsed_marker": ("time elapsed", "时间进度"),
    "sc.branch_targets": ("Targets and actuals: {branch}", "目标与实际：{branch}"),
    "sc.branch_targets_help": (
        "Each target of the period with its actual so far, attainment, run-rate projection and "
        "traffic light.",
        "本考核期各项目标的实际完成、完成率、按进度预测值和红黄绿灯。",
    ),
    "sc.col_metric": ("Metric", "指标"),
    "sc.col_unit": ("Unit", "单位"),
    "sc.col_target": ("Target", "目标值"),
    "sc.col_target_help": ("Target set for the period (fact_target).", "本考核期下达的目标值。"),
    "sc.col_actual": ("Actual", "实际值"),
    "sc.col_actual_help": (
        "Flow metrics (AUM growth, new customers, wealth sales): the total since the period "
        "start. VIP customers and core-bundle coverage: the value at the latest month. 6S: "
        "the latest inspection.",
        "流量指标（资产增量、新增客户、理财销售）：期初至今累计；贵宾客户数和核心产品覆盖率："
        "最新月末值；6S：最近一次检查得分。",
    ),
    "sc.col_attainment": ("Attainment", "完成率"),
    "sc.col_attainment_help": ("Actual as a % of the target.", "实际值占目标值的比例。"),
    "sc.col_elapsed": ("Time elapsed", "时间进度"),
    "sc.col_projection": ("Projection", "期末预测"),
    "sc.col_projection_help": (
        "Value expected at the period end at the pace so far: flows divided by the share of "
        "time elapsed; levels extrapolate the change since the period start; 6S stays as is.",
        "按当前进度预测的期末值：流量指标除以时间进度；存量指标按期初以来的变化外推；6S按现值。",
    ),
    "sc.col_projected_attainment": ("Projected attainment", "预计完成率"),
    "sc.col_projected_attainment_help": (
        "Projection as a % of the target; the traffic light follows it (green >= 100%, amber "
        ">= 90%, red below).",
        "期末预测值占目标的比例；红黄绿灯据此判定（≥100%绿，≥90%黄，否则红）。",
    ),
    "sc.col_light": ("Status", "状态"),
    "sc.col_light_help": (
        "Traffic light from the projected attainment: green on track, amber at risk, red behind.",
        "根据预计完成率判定：绿灯达标，黄灯预警，红灯落后。",
    ),
    "sc.light_matrix": ("All {@branches} at a glance 各{@branch:zh}一览", "各{@branch}一览"),
    "sc.light_matrix_help": (
        "Projected attainment of every target per {@branch}, with its traffic light; {@branches} "
        "with the most green lights first.",
        "各{@branch}每项目标的预计完成率及红黄绿灯，绿灯多的{@branch}排在前面。",
    ),
    "sc.col_count_green": ("Green lights", "绿灯数"),
    "sc.all_targets": ("Every target of every {@branch}", "全部{@branch}全部目标"),
    "sc.all_targets_help": (
        "One row per {@branch} and metric, with the actual, attainment, projection and light; "
        "downloadable as CSV and Excel.",
        "每个{@branch}每项指标一行，含实际完成、完成率、预测和信号灯，可下载CSV和Excel。",
    ),
    # ------------------------------------------------------------ my branch
    "sc.empty_branch": (
        "No {@branch} in view. Pick a month and {@a branch} in the sidebar.",
        "当前没有可显示的{@branch}，请在左侧选择月份和{@branch}。",
    ),
    "sc.my_branch_title": ("{branch} · {month}", "{branch} · {month}"),
    "sc.print_hint": (
        "Print this page from the browser (Ctrl+P): the sidebar and buttons are left out.",
        "可用浏览器打印本页（Ctrl+P），打印时不含侧栏和按钮。",
    ),
    "sc.kpi_watchlist": ("Watchlist 流失预警", "流失预警客户"),
    "sc.kpi_watchlist_help": (
        "Customers whose churn score is in the high or medium band at the latest scoring.",
        "最近一次评分中流失风险为高或中的客户数。",
    ),
    "sc.kpi_at_risk": ("Assets at risk 风险资产", "风险资产"),
    "sc.kpi_at_risk_help": (
        "Expected assets at risk of the watchlist: each customer's churn probability times "
        "their AUM, summed.",
        "预警客户的预期流失资产：每位客户流失概率乘以其金融资产后求和。",
    ),
    "sc.no_churn_scores": (
        "No churn scores in this warehouse yet: the watchlist figures appear once the churn "
        "model has scored the customers.",
        "数据仓库中尚无流失评分，流失模型完成评分后即显示预警数据。",
    ),
    "sc.kpis_vs_target": ("KPIs against target 指标与目标", "指标与目标"),
    "sc.weakest": ("Weakest S: {s} ({score})", "最弱项：{s}（{score}分）"),
    "sc.report_service": (
        "Service index {index}, rank {rank} of {peers} {@branches} in the {@cooperative}.",
        "服务质量指数 {index}，在本{@cooperative}{peers}个{@branch}中排第{rank}名。",
    ),
    "sc.component_satisfaction": ("Satisfaction", "满意度"),
    "sc.component_mystery_shopper": ("Mystery shopper", "暗访"),
    "sc.component_complaints": ("Complaints", "投诉"),
    "sc.component_waiting": ("Waiting", "等候"),
    "sc.component_off_counter": ("Off-counter", "离柜"),
    "sc.report_download": ("Monthly {@branch} report 月度{@branch:zh}报告", "月度{@branch}报告"),
    "sc.report_download_help": (
        "The same one-file HTML report that `python -m cli branch-report` writes for mailing: "
        "KPIs, targets, 6S, service quality and wealth managers, with charts.",
        "与 `python -m cli branch-report` 生成的邮件报告相同的单文件HTML：指标、目标、6S、"
        "服务质量和理财经理，含图表。",
    ),
    "sc.report_prepare": ("Prepare the report", "生成报告"),
    "sc.report_save": ("Download report (HTML)", "下载报告（HTML）"),
    "sc.report_title": (
        "Monthly {@branch} report: {branch}, {month}",
        "月度{@branch}报告：{branch}（{month}）",
    ),
    "sc.report_generated": ("generated {when}", "生成于{when}"),
    "sc.report_kpis": ("Headline figures", "主要指标"),
    "sc.col_new": ("New customers", "新增客户"),
    "sc.col_churned": ("Churned customers", "流失客户"),
    # ------------------------------------------------------------ hongyan
    "sc.empty_hongyan": (
        "No wealth managers in the {@branches} in view.",
        "所选{@branch}没有理财经理。",
    ),
    "sc.kpi_managers": ("Wealth managers 理财经理", "理财经理人数"),
    "sc.kpi_managers_help": (
        "Staff with the wealth-manager role in the {@branches} in view.",
        "范围内{@branch}岗位为理财经理的员工数。",
    ),
    "sc.kpi_aum_per_manager": ("AUM per manager", "人均管户资产"),
    "sc.kpi_aum_per_manager_help": (
        "Average month-end AUM of the customers each wealth manager looks after.",
        "每位理财经理所管客户月末金融资产的平均值。",
    ),
    "sc.kpi_sales_per_manager": ("Sales per manager", "人均销售额"),
    "sc.kpi_sales_per_manager_help": (
        "Average investment-product sales (loans excluded) per wealth manager in the month.",
        "理财经理当月人均投资类产品销售额（不含贷款）。",
    ),
    "sc.kpi_ready": ("Ready for the next level", "可晋级人数"),
    "sc.kpi_ready_help": (
        "Wealth managers who already meet every assessable target of the next Hongyan level.",
        "已达到上一级鸿雁计划全部可考核目标的理财经理。",
    ),
    "sc.wm_league": ("Wealth-manager league, {month}", "理财经理排行榜（{month}）"),
    "sc.wm_league_short": ("Wealth managers 理财经理", "理财经理"),
    "sc.wm_league_help": (
        "Wealth managers ranked by AUM managed, with growth, products sold, customers contacted "
        "and watchlist coverage against the targets of their Hongyan level.",
        "理财经理按管户资产排名，并列示增长、产品销售、客户联系和预警覆盖，对照所在鸿雁等级目标。",
    ),
    "sc.growth_since": ("Growth compared with {month}.", "增长以{month}为基期。"),
    "sc.col_wm_rank_help": ("1 = the largest book of assets.", "1为管户资产最多。"),
    "sc.col_manager": ("Wealth manager", "理财经理"),
    "sc.col_level": ("Hongyan level", "鸿雁等级"),
    "sc.col_level_help": (
        "Level in the Hongyan plan (1 = entry); each level has stepwise targets "
        "(analytics/scorecard_rules.py).",
        "鸿雁计划等级（1为入门级），每级有阶梯目标（见 analytics/scorecard_rules.py）。",
    ),
    "sc.col_aum_managed": ("AUM managed", "管户资产"),
    "sc.col_aum_managed_help": (
        "Month-end financial assets of the customers the manager looks after.",
        "所管客户的月末金融资产合计。",
    ),
    "sc.col_aum_per_manager": ("AUM per manager", "人均管户资产"),
    "sc.col_wm_growth_help": (
        "Change of AUM managed against the base month (12 months earlier, or the first month "
        "of the data).",
        "管户资产与基期（12个月前或数据首月）相比的变化率。",
    ),
    "sc.col_customers": ("Customers", "管户客户数"),
    "sc.col_customers_help": ("Customers managed at month end.", "月末管户客户数。"),
    "sc.col_sales": ("Sales", "销售额"),
    "sc.col_sales_help": (
        "Investment products sold in the month (wealth, funds, insurance, bonds ...), loans "
        "excluded.",
        "当月销售的投资类产品金额（理财、基金、保险、债券等），不含贷款。",
    ),
    "sc.col_products": ("Products sold", "销售笔数"),
    "sc.col_products_help": ("Investment-product sales in the month.", "当月投资类产品销售笔数。"),
    "sc.col_contacted": ("Customers contacted", "联系客户数"),
    "sc.col_contacted_help": (
        "Distinct customers the manager recorded a contact with since the month's start "
        "(contact log).",
        "自当月初以来该经理有联系记录的不同客户数。",
    ),
    "sc.col_watchlist": ("Watchlist", "预警客户"),
    "sc.col_watchlist_help": (
        "Managed customers with a high or medium churn score.",
        "所管客户中流失风险为高或中的客户数。",
    ),
    "sc.col_coverage": ("Watchlist coverage", "预警覆盖率"),
    "sc.col_coverage_help": (
        "Share of the manager's watchlist customers contacted since the month's start; empty "
        "when the manager has none.",
        "该经理预警客户中自当月初已联系的比例；无预警客户时为空。",
    ),
    "sc.col_targets_met": ("Level targets met", "达成等级目标"),
    "sc.col_targets_met_help": (
        "Targets of the manager's level met, of those that can be assessed (AUM, sales, "
        "products, contacts, watchlist coverage).",
        "已达成的本级目标数/可考核目标数（资产、销售额、笔数、联系、预警覆盖）。",
    ),
    "sc.col_ready": ("Ready to move up", "可晋级"),
    "sc.level_targets": ("Stepwise targets per level 分级目标", "分级阶梯目标"),
    "sc.level_targets_help": (
        "What each Hongyan level asks per month: AUM managed, sales, products sold, customers "
        "contacted, watchlist coverage.",
        "鸿雁计划各等级每月目标：管户资产、销售额、销售笔数、联系客户数、预警覆盖率。",
    ),
    "sc.productivity": ("Productivity per level 分级产能", "分级产能"),
    "sc.productivity_help": (
        "Average per wealth manager at each level, and the share meeting every assessable "
        "target of their level.",
        "各等级理财经理的人均产能，以及全部达成本级可考核目标的人员占比。",
    ),
    "sc.productivity_table": ("Productivity per level", "分级产能明细"),
    "sc.col_managers": ("Managers", "人数"),
    "sc.col_all_met": ("Meeting all targets", "全部达标占比"),
    "sc.col_all_met_help": (
        "Share of the level's managers meeting every assessable target of the level.",
        "本级全部达成可考核目标的理财经理占比。",
    ),
    "sc.diversion": (
        "Counter diversion and tellers moving to advisory roles 柜面分流与柜员转型",
        "柜面分流与柜员转型",
    ),
    "sc.diversion_help": (
        "Counter diversion rate: off-counter transactions (self-service and mobile) as a share "
        "of all; bars: tellers who became wealth or account managers that month.",
        "柜面分流率：离柜交易（自助和手机银行）占全部交易的比例；柱形：当月由柜员转为理财经理或"
        "客户经理的人数。",
    ),
    "sc.moves_help": (
        "Staff whose previous role was teller and whose current advisory role began that "
        "month; cumulative counts every such move to date.",
        "原岗位为柜员、当月开始担任顾问类岗位的员工数；累计为截至当月的全部转岗人数。",
    ),
    "sc.series_diversion": ("Counter diversion rate", "柜面分流率"),
    "sc.series_moved": ("Tellers moved", "柜员转岗"),
    "sc.col_month": ("Month", "月份"),
    "sc.col_txn_counter": ("Counter transactions", "柜面交易笔数"),
    "sc.col_txn_off_counter": ("Off-counter transactions", "离柜交易笔数"),
    "sc.col_moved_wm": ("To wealth manager", "转理财经理"),
    "sc.col_moved_am": ("To account manager", "转客户经理"),
    "sc.col_moved_cumulative": ("Moved to date", "累计转岗"),
}

# The six S, named by their code list.
STRINGS.update(code_labels("sc.s_", codes.SIX_S))

DYNAMIC_KEYS: frozenset[str] = frozenset(
    {
        *(f"sc.s_{code}" for code in codes.SIX_S.codes),
        *(f"sc.light_{c}" for c in ("green", "amber", "red")),
        *(f"sc.light_{c}_help" for c in ("green", "amber", "red")),
        "sc.period_year",
        "sc.period_quarter",
        *(f"sc.unit_{u}" for u in units.UNITS),
        *(f"sc.metric_{m.code}" for m in metrics.TARGET_METRICS),
        *(
            f"sc.reason_{r}"
            for r in (
                "missing_columns",
                "too_many_rows",
                "bad_branch",
                "unknown_branch",
                "out_of_scope",
                "bad_date",
                "future_date",
                "bad_area",
                "bad_inspector",
                "bad_score",
                "duplicate_row",
                "incomplete_inspection",
                "already_recorded",
            )
        ),
        *(
            f"sc.component_{c}"
            for c in ("satisfaction", "mystery_shopper", "complaints", "waiting", "off_counter")
        ),
        "sc.vs_growth_help",
        "sc.vs_churn_help",
    }
)
