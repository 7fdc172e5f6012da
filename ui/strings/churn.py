"""Labels of the churn watchlist (``wl.``) and the churn model page (``cm.``)."""

from analytics.churn.reasons import REASON_CODES
from catalogue import codes
from ui.strings import code_labels

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ watchlist: header
    "wl.no_scores_title": ("No churn scores yet", "尚无流失评分"),
    "wl.no_scores_body": (
        "No churn model has scored this warehouse. Train one with `python -m cli churn "
        "train`, then run `python -m cli refresh` (the demo build does both).",
        "当前数据仓库尚未进行流失评分。请先运行 `python -m cli churn train` 训练模型，再运行 "
        "`python -m cli refresh`（演示数据构建时会自动完成两步）。",
    ),
    "wl.month_note": (
        "Watchlist of {month}: customers scored with data up to that month.",
        "{month}预警名单：按截至该月的数据评分。",
    ),
    "wl.month_fallback": (
        "({chosen} has no scores; showing the nearest scored month.)",
        "（{chosen}无评分，显示最近的已评分月份。）",
    ),
    "wl.tab_list": ("Watchlist 预警名单", "预警名单"),
    "wl.tab_followup": ("Did it work? 挽留成效", "挽留成效"),
    # ------------------------------------------------------------ watchlist: controls
    "wl.filter_rm": ("Wealth manager 理财经理", "理财经理"),
    "wl.filter_band": ("Risk band 风险等级", "风险等级"),
    "wl.band_help": (
        "Bands by the calibrated probability of churning within 3 months: high from 30%, "
        "medium from 10%, low below.",
        "按3个月内流失概率（已校准）分级：30%及以上为高，10%及以上为中，其余为低。",
    ),
    "wl.filter_reason": ("Main reason 首要原因", "首要原因"),
    "wl.reason_filter_help": (
        "The strongest warning sign of each customer.",
        "每位客户最突出的预警信号。",
    ),
    "wl.filter_status": ("Status 跟进状态", "跟进状态"),
    "wl.order": ("Rank by 排序方式", "排序方式"),
    "wl.order_help": (
        "Value at risk = probability x financial assets (expected assets lost); probability "
        "ranks by the chance of leaving alone.",
        "风险资产 = 流失概率 × 金融资产（预期流失资产）；按概率排序则只看流失可能性。",
    ),
    "wl.order_value": ("Value at risk 风险资产", "风险资产"),
    "wl.order_probability": ("Probability 流失概率", "流失概率"),
    "wl.top_n": ("Per manager 每人上限", "每人上限"),
    "wl.top_n_help": (
        "Capacity: keep only each relationship manager's top N customers, the calls they can "
        "make this month.",
        "按产能：每位客户经理只保留排名前N的客户，即本月能完成的回访量。",
    ),
    "wl.top_n_all": ("All", "全部"),
    "wl.top_n_option": ("Top {n}", "前{n}名"),
    "wl.page_size": ("Rows per page 每页行数", "每页行数"),
    # ------------------------------------------------------------ watchlist: KPIs
    "wl.kpi_watched": ("On the watchlist 预警客户", "预警客户"),
    "wl.kpi_watched_help": (
        "Customers in the high or medium band this month (probability of churning within 3 "
        "months of 10% or more).",
        "本月高、中风险等级的客户（3个月内流失概率不低于10%）。",
    ),
    "wl.kpi_at_risk": ("Value at risk 风险资产", "风险资产"),
    "wl.kpi_at_risk_help": (
        "Sum of probability x financial assets over the watchlisted customers: the assets "
        "expected to leave if nothing is done.",
        "预警客户的“流失概率×金融资产”之和：若不采取行动预计流失的资产。",
    ),
    "wl.kpi_high": ("High risk 高风险客户", "高风险客户"),
    "wl.kpi_high_help": (
        "Customers with a probability of churning within 3 months of 30% or more.",
        "3个月内流失概率不低于30%的客户。",
    ),
    "wl.kpi_high_aum": ("Assets of high-risk customers 高风险客户资产", "高风险客户资产"),
    "wl.kpi_high_aum_help": (
        "Month-end financial assets held by the high-risk customers.",
        "高风险客户的月末金融资产合计。",
    ),
    # ------------------------------------------------------------ watchlist: list
    "wl.summary": (
        "**{count}** customers match · value at risk **{risk}**",
        "符合条件客户 **{count}** 位 · 风险资产 **{risk}**",
    ),
    "wl.summary_help": (
        "Customers matching every filter, ranked; value at risk is probability x financial "
        "assets summed over them.",
        "符合全部筛选条件的客户（已排序）；风险资产为其“流失概率×金融资产”之和。",
    ),
    "wl.empty_title": ("No customer matches", "没有符合条件的客户"),
    "wl.empty_body": (
        "No scored customer matches these filters. Widen the filters above or in the sidebar.",
        "没有符合筛选条件的已评分客户。请放宽上方或左侧的筛选条件。",
    ),
    "wl.col_rank": ("Rank", "排名"),
    "wl.col_customer_id": ("Customer no.", "客户号"),
    "wl.col_name": ("Name", "姓名"),
    "wl.col_branch": ("{@Branch}", "{@branch}"),
    "wl.col_rm": ("Wealth manager", "客户经理"),
    "wl.col_tier": ("Tier", "客户层级"),
    "wl.col_band": ("Band", "风险等级"),
    "wl.col_probability": ("Probability", "流失概率"),
    "wl.col_probability_help": (
        "Calibrated probability of churning (closing every account, or moving 70% of the "
        "assets out) within the next 3 months.",
        "未来3个月内流失（销户或转出70%以上资产）的校准概率。",
    ),
    "wl.col_aum": ("Assets (RMB)", "金融资产（元）"),
    "wl.col_at_risk": ("Value at risk (RMB)", "风险资产（元）"),
    "wl.col_at_risk_help": ("Probability x financial assets.", "流失概率×金融资产。"),
    "wl.col_reasons": ("Why", "预警原因"),
    "wl.col_status": ("Status", "跟进状态"),
    "wl.col_follow_up": ("Follow up on", "下次跟进"),
    "wl.col_open": ("Customer view", "客户视图"),
    "wl.open_customer": ("Open the customer view", "打开客户视图"),
    "wl.prev": ("Previous", "上一页"),
    "wl.next": ("Next", "下一页"),
    "wl.page_of": ("Page {page} of {pages}", "第{page}页，共{pages}页"),
    "wl.select_hint": (
        "Select a row to see the customer's case, record a callback or assign it.",
        "选中一行可查看该客户的跟进情况、登记回访或分配跟进人。",
    ),
    "wl.audit_failed": (
        "This could not be written to the audit log, so it was not done. Try again.",
        "无法写入审计日志，操作未执行。请重试。",
    ),
    # ------------------------------------------------------------ watchlist: export
    "wl.export": ("Export the list", "导出名单"),
    "wl.export_help": (
        "The whole filtered list, up to {n} rows, names masked. Each download is recorded in "
        "the audit log.",
        "导出全部筛选结果（最多{n}行，姓名脱敏），每次下载均记入审计日志。",
    ),
    "wl.export_prepare": ("Prepare the file", "生成文件"),
    "wl.export_table": ("Table", "表名"),
    "wl.export_month": ("Watchlist month", "名单月份"),
    "wl.export_by": ("Exported by", "导出人"),
    "wl.export_version": ("Warehouse version", "数据版本"),
    # ------------------------------------------------------------ watchlist: one case
    "wl.case_title": ("{name} · customer {id}", "{name} · 客户号{id}"),
    "wl.case_line": (
        "Probability **{probability}** · assets **{risk}** at risk of **{aum}** · "
        "status **{status}**",
        "流失概率 **{probability}** · 金融资产 **{aum}**，其中风险资产 **{risk}** · "
        "跟进状态 **{status}**",
    ),
    "wl.assign_to": ("Assigned to 跟进人", "跟进人"),
    "wl.assign_help": (
        "The wealth or account manager of the customer's {@branch} who follows this case up.",
        "由客户所在{@branch}的哪位理财经理或客户经理跟进。",
    ),
    "wl.unassigned": ("Not assigned", "未分配"),
    "wl.assign_save": ("Assign", "分配"),
    "wl.assign_saved": ("Assignment saved.", "已保存分配。"),
    "wl.history": ("Contact history 联系记录", "联系记录"),
    "wl.history_empty": ("No contact recorded yet.", "尚无联系记录。"),
    "wl.hist_when": ("When", "时间"),
    "wl.hist_type": ("Action", "方式"),
    "wl.hist_outcome": ("Outcome", "结果"),
    "wl.hist_next": ("Next step", "下一步"),
    "wl.hist_follow_up": ("Follow up on", "跟进日期"),
    "wl.hist_note": ("Note", "备注"),
    "wl.hist_by": ("Recorded by", "登记人"),
    "wl.form_title": ("Record a callback or retention action 登记回访／挽留", "登记回访／挽留"),
    "wl.form_type": ("Action", "联系方式"),
    "wl.form_outcome": ("Outcome", "联系结果"),
    "wl.form_status": ("Case status after this", "跟进状态"),
    "wl.form_status_help": (
        "Contacted while it is open; retained when the customer stays (e.g. renewed the "
        "deposit); lost when the customer has left.",
        "仍在跟进选“已联系”；客户留下（如续存）选“已挽留”；客户已离开选“已流失”。",
    ),
    "wl.form_next": ("Next step", "下一步"),
    "wl.form_follow_up": ("Follow up on", "下次跟进日期"),
    "wl.form_follow_up_help": (
        "When to contact the customer again (not for retained or lost cases).",
        "下次联系客户的日期（已挽留或已流失的无需填写）。",
    ),
    "wl.form_note": ("Note", "备注"),
    "wl.form_submit": ("Save", "保存"),
    "wl.form_saved": (
        "Saved to the contact history and the audit log.",
        "已保存至联系记录并记入审计日志。",
    ),
    "wl.form_invalid": ("Not saved: {reason}.", "未保存：{reason}。"),
    "wl.form_denied": (
        "Not saved: this customer is not on your watchlist.",
        "未保存：该客户不在您的预警名单内。",
    ),
    "wl.read_only": (
        "Your role reads the watchlist; callbacks are recorded by {@branch} staff and managers.",
        "您的角色仅可查看名单；回访由{@branch}人员和管理人员登记。",
    ),
    # ------------------------------------------------------------ watchlist: follow-up
    "wl.fu_intro": (
        "What became of customers on earlier watchlists (high and medium band): still a "
        "customer, with more than 30% of their assets, up to 3 months later.",
        "早前预警名单（高、中风险）客户的后续情况：3个月内仍为本社客户且资产保留30%以上即视为留存。",
    ),
    "wl.fu_empty_title": ("Nothing to follow up yet", "暂无可评估的名单"),
    "wl.fu_empty_body": (
        "A watchlist can be judged once a later month of data exists. Earlier scored months "
        "appear here after the next monthly load.",
        "需有后续月份的数据才能评估名单成效。下月数据加载后，此处会显示早前月份的结果。",
    ),
    "wl.fu_contacted": ("Contacted 已联系", "已联系"),
    "wl.fu_contacted_help": (
        "Watchlisted customers with a recorded action from that month's watchlist.",
        "在当月预警名单上登记过回访或挽留的客户数。",
    ),
    "wl.fu_rate_contacted": ("Retained if contacted", "已联系客户留存率"),
    "wl.fu_rate_not": ("Retained if not contacted", "未联系客户留存率"),
    "wl.fu_rate_help": (
        "Share still a customer with more than 30% of their watch-month assets up to 3 months "
        "later (blank below 5 customers).",
        "3个月内仍为本社客户且资产保留30%以上的比例（不足5位客户时不显示）。",
    ),
    "wl.fu_gap": ("Difference 差异", "差异"),
    "wl.fu_gap_help": (
        "Retention rate of contacted minus not-contacted customers, in percentage points.",
        "已联系与未联系客户留存率之差（百分点）。",
    ),
    "wl.fu_pts": ("{value} pts", "{value}个百分点"),
    "wl.fu_not_causal": (
        "Not a causal effect: managers choose whom to call, so the two groups differed before "
        "the call. Treat the gap as a hint; a fair test calls a random half of a band.",
        "这不是因果效应：客户经理自行选择回访对象，两组客户在回访前就不同。差异仅供参考；"
        "严谨的检验需在同一风险等级中随机抽取一半客户回访。",
    ),
    "wl.fu_chart": ("Retention by watch month 各月名单留存率", "各月名单留存率"),
    "wl.fu_chart_help": (
        "For each earlier watchlist, the retention rate of contacted and not-contacted customers.",
        "早前每一期预警名单中，已联系与未联系客户的留存率。",
    ),
    "wl.fu_group_contacted": ("Contacted", "已联系"),
    "wl.fu_group_not_contacted": ("Not contacted", "未联系"),
    "wl.fu_axis_rate": ("Retained (%)", "留存率（%）"),
    "wl.fu_by_type": ("By action 按联系方式", "按联系方式"),
    "wl.fu_by_rm": ("By wealth manager 按客户经理", "按客户经理"),
    "wl.fu_none": ("Not contacted", "未联系"),
    "wl.fu_col_type": ("Last action", "最近联系方式"),
    "wl.fu_col_customers": ("Customers", "客户数"),
    "wl.fu_col_retained": ("Retained", "留存客户数"),
    "wl.fu_col_rate": ("Retention rate (%)", "留存率（%）"),
    "wl.fu_col_contacted": ("Contacted", "已联系"),
    "wl.fu_col_contact_rate": ("Contact rate (%)", "联系率（%）"),
    "wl.fu_col_rate_contacted": ("Retained if contacted (%)", "已联系留存率（%）"),
    "wl.fu_col_rate_not": ("Retained if not contacted (%)", "未联系留存率（%）"),
    # ------------------------------------------------------------ watchlist: reason names
    "wl.reason_asset_drop": ("Assets falling", "资产下降"),
    "wl.reason_maturity_soon": ("Deposit maturing soon", "存款即将到期"),
    "wl.reason_not_renewed": ("Matured, not renewed", "到期未续存"),
    "wl.reason_transfer_out": ("Transfers to other banks", "转出他行"),
    "wl.reason_no_mobile_login": ("No mobile login", "未登录手机银行"),
    "wl.reason_fewer_transactions": ("Fewer transactions", "交易减少"),
    "wl.reason_inactive": ("No transactions", "无主动交易"),
    "wl.reason_fewer_products": ("Fewer products", "产品减少"),
    "wl.reason_below_floor": ("Below the tier floor", "低于层级门槛"),
    "wl.reason_spending_drop": ("Card spending down", "刷卡消费下降"),
    # ------------------------------------------------------------ churn model page
    "cm.caption": (
        "How well the churn early warning works, judged on a month the model never saw. "
        "Aggregates only.",
        "流失预警模型的效果评估：在模型未见过的月份上检验。仅含汇总数据。",
    ),
    "cm.no_model_title": ("No churn model yet", "尚未训练流失模型"),
    "cm.no_model_body": (
        "Train one with `python -m cli churn train` (the demo build trains one), then "
        "run `python -m cli refresh` to score the customers.",
        "请运行 `python -m cli churn train` 训练模型（演示数据构建时会自动训练），再运行 "
        "`python -m cli refresh` 为客户评分。",
    ),
    "cm.no_validation": (
        "This model was trained without out-of-time validation, so there is nothing honest "
        "to show. Train it again without `--no-validate`.",
        "该模型训练时未做跨期验证，无法给出可信的评估。请去掉 `--no-validate` 重新训练。",
    ),
    "cm.meta_title": ("The model in use 当前模型", "当前模型"),
    "cm.meta_version": ("Version", "版本"),
    "cm.meta_family": ("Method", "方法"),
    "cm.meta_as_of": ("Data as of", "数据截至"),
    "cm.meta_created": ("Trained on", "训练日期"),
    "cm.meta_train_cutoffs": ("Training months", "训练月份"),
    "cm.meta_rows": ("Training customers", "训练样本数"),
    "cm.meta_rate": ("Churn rate in training", "训练样本流失率"),
    "cm.meta_scored": ("Latest scored month", "最近评分月份"),
    "cm.stale": (
        "The warehouse has {months} month(s) of newer data than this model was trained on: "
        "retrain it (`python -m cli churn train`).",
        "数据仓库比模型训练数据新{months}个月，请重新训练（`python -m cli churn train`）。",
    ),
    "cm.validation_title": ("Out-of-time validation 跨期验证", "跨期验证"),
    "cm.validation_help": (
        "A copy of the model was trained only on months whose 3-month outcome was known "
        "before the validation month, then scored that month's customers; their real "
        "outcome is compared with the scores.",
        "用验证月之前已知结果的月份训练一个模型副本，对验证月的客户评分，再与客户的真实结果比较。",
    ),
    "cm.validation_line": (
        "Validation month {origin}: {n} customers, {rate} churned within 3 months. Trained "
        "on {cutoffs}.",
        "验证月份{origin}：{n}位客户，其中{rate}在3个月内流失。训练月份：{cutoffs}。",
    ),
    "cm.metric_roc_auc": ("ROC AUC", "ROC AUC"),
    "cm.metric_roc_auc_help": (
        "Chance that a churner is ranked above a customer who stays (0.5 = coin toss, 1 = "
        "perfect).",
        "流失客户排在留存客户之前的概率（0.5为随机，1为完美）。",
    ),
    "cm.metric_pr_auc": ("PR AUC", "PR AUC"),
    "cm.metric_pr_auc_help": (
        "Average precision over the list; compare it with the churn rate, not with 1.",
        "名单的平均精确率；应与流失率比较，而不是与1比较。",
    ),
    "cm.metric_capture_at_10pct": ("Captured in top 10% 前10%捕获率", "前10%捕获率"),
    "cm.metric_capture_at_10pct_help": (
        "Share of all churners found by calling the 10% of customers with the highest scores.",
        "回访评分最高的10%客户，可覆盖的流失客户占全部流失客户的比例。",
    ),
    "cm.metric_lift_at_10pct": ("Lift at 10% 前10%提升度", "前10%提升度"),
    "cm.metric_lift_at_10pct_help": (
        "Churn rate in the top 10% divided by the overall churn rate (1 = no better than random).",
        "前10%客户的流失率除以整体流失率（1表示与随机无异）。",
    ),
    "cm.metric_brier": ("Brier score", "Brier评分"),
    "cm.metric_brier_help": (
        "Mean squared error of the probabilities (lower is better): calibration and "
        "sharpness together.",
        "概率的均方误差（越低越好），综合反映校准度和区分度。",
    ),
    "cm.col_scorer": ("Method", "方法"),
    "cm.scorer_model": ("Model (gradient boosting)", "模型（梯度提升）"),
    "cm.scorer_logistic": ("Logistic regression", "逻辑回归"),
    "cm.scorer_rule": ("Rule: assets down 30% in 3 months", "规则：3个月资产降30%"),
    "cm.rule_line": (
        "The rule as {@a branch} applies it flags {flagged} of customers; {precision} of them "
        "churn, and it finds {recall} of all churners.",
        "按规则执行时标记{flagged}的客户，其中{precision}确实流失，覆盖全部流失客户的{recall}。",
    ),
    "cm.roc_title": ("ROC curve ROC曲线", "ROC曲线"),
    "cm.roc_help": (
        "Churners found (true positive rate) against customers who stay but are flagged (false "
        "positive rate) as the cut-off falls.",
        "随阈值降低，识别出的流失客户比例（真正率）与被误报的留存客户比例（假正率）。",
    ),
    "cm.pr_title": ("Precision and recall 精确率与召回率", "精确率与召回率"),
    "cm.pr_help": (
        "Of the customers flagged, the share who churn (precision), against the share of "
        "churners found (recall). The dotted line is the churn rate.",
        "被标记客户中实际流失的比例（精确率）与识别出的流失客户比例（召回率）；虚线为整体流失率。",
    ),
    "cm.calibration_title": ("Calibration 校准", "校准"),
    "cm.calibration_help": (
        "Customers grouped in tenths by predicted probability: predicted against the share "
        "who actually churned. On the diagonal, a 20% score means one in five leaves.",
        "按预测概率将客户分为十组，比较预测概率与实际流失比例。"
        "落在对角线上表示“20%”的评分确实约五人中一人流失。",
    ),
    "cm.capture_title": ("Churners caught by calls 回访覆盖", "回访覆盖"),
    "cm.capture_help": (
        "Share of churners reached when calling the top X% of customers by each method; the "
        "dashed line marks 10%.",
        "按各方法排序回访前X%的客户时可覆盖的流失客户比例；竖虚线为10%。",
    ),
    "cm.random": ("Random", "随机"),
    "cm.perfect": ("Perfect calibration", "完美校准"),
    "cm.no_curves": ("This model's metadata holds no curves.", "该模型的元数据中没有曲线数据。"),
    "cm.axis_fpr": ("False positive rate", "假正率"),
    "cm.axis_tpr": ("True positive rate", "真正率"),
    "cm.axis_recall": ("Recall", "召回率"),
    "cm.axis_precision": ("Precision", "精确率"),
    "cm.axis_predicted": ("Predicted probability", "预测概率"),
    "cm.axis_observed": ("Observed churn rate", "实际流失率"),
    "cm.axis_share_called": ("Customers called", "回访客户占比"),
    "cm.axis_captured": ("Churners caught", "覆盖流失客户占比"),
    "cm.axis_importance": ("Fall in ROC AUC", "ROC AUC下降"),
    "cm.importance_title": ("What drives the score 特征重要性", "特征重要性"),
    "cm.importance_help": (
        "Permutation importance on the validation customers: how much ROC AUC falls when one "
        "feature is shuffled (bars show the spread over repeats).",
        "在验证客户上计算的置换重要性：打乱某一特征后ROC AUC下降多少（误差线为多次重复的波动）。",
    ),
    "cm.no_importance": (
        "This model's metadata holds no importance; retrain to add it.",
        "该模型的元数据中没有特征重要性，请重新训练。",
    ),
    "cm.reasons_note": (
        'Staff see reasons in plain words ("assets down 45% in 3 months"), drawn from the '
        "same features by documented thresholds: see docs/churn.md.",
        "一线人员看到的是通俗的预警原因（如“3个月内资产下降45%”），"
        "由同样的特征按文档规定的阈值生成，详见 docs/churn.md。",
    ),
    "cm.col_feature": ("Feature", "特征"),
    "cm.col_importance": ("Fall in ROC AUC", "ROC AUC下降"),
    "cm.col_std": ("Spread", "波动"),
    "cm.col_path": ("How they churned", "流失方式"),
    "cm.col_churners": ("Churners", "流失客户数"),
    "cm.backtest_title": ("Backtest by month 分月回测", "分月回测"),
    "cm.backtest_help": (
        "Rolling origins: for each month, a model trained only on earlier months with known "
        "outcomes, judged on that month.",
        "滚动起点回测：每个月都用此前已知结果的月份训练模型，再在该月检验。",
    ),
    "cm.no_backtest": (
        "No backtest has been run on this warehouse yet. Run `python -m cli churn "
        "backtest` to add one here.",
        "该数据仓库尚未运行回测。运行 `python -m cli churn backtest` 后将在此显示。",
    ),
    "cm.backtest_line": ("Run on {run}, data as of {as_of}.", "运行于{run}，数据截至{as_of}。"),
    "cm.col_origin": ("Month", "月份"),
    "cm.col_customers": ("Customers", "客户数"),
    "cm.col_rate": ("Churn rate", "流失率"),
}

# How a customer churned, named by its code list.
STRINGS.update(code_labels("cm.path_", codes.CHURN_PATH))

DYNAMIC_KEYS: frozenset[str] = frozenset(
    {f"wl.reason_{code}" for code in REASON_CODES}
    | {"wl.order_value", "wl.order_probability"}
    | {"wl.fu_group_contacted", "wl.fu_group_not_contacted"}
    | {f"cm.scorer_{name}" for name in ("model", "logistic", "rule")}
    | {f"cm.path_{path}" for path in codes.CHURN_PATH.codes}
    | {
        f"cm.metric_{key}{suffix}"
        for key in ("roc_auc", "pr_auc", "capture_at_10pct", "lift_at_10pct", "brier")
        for suffix in ("", "_help")
    }
)
