"""Labels of the data-quality page (pages/data_quality.py), English and 简体中文."""

STRINGS: dict[str, tuple[str, str]] = {
    "quality.caption": (
        "What is in the warehouse, where it came from, and what was refused on the way in.",
        "数据仓库里有什么、从哪里来、加载时拒收了什么。",
    ),
    # ------------------------------------------------------------ headline
    "quality.as_of": ("Data as of 数据截至", "数据截至月份"),
    "quality.as_of_help": (
        "The last complete month in the customer-month facts; every page defaults to it.",
        "客户月度事实表中最后一个完整月份，各页面默认显示该月。",
    ),
    "quality.source": ("Source 数据来源", "数据来源"),
    "quality.source_help": (
        "Demo data from the generator, or data loaded from core-banking extracts.",
        "由演示数据生成器生成，或由核心系统抽取文件加载。",
    ),
    "quality.source_demo": ("Demo data", "演示数据"),
    "quality.source_load": ("Core-banking extracts", "核心系统抽取"),
    "quality.refreshed": ("Last refreshed 最近刷新", "最近刷新"),
    "quality.refreshed_help": (
        "When the marts were last rebuilt and the data tests passed (a load or refresh).",
        "汇总表最近一次重建且数据测试通过的时间（加载或刷新）。",
    ),
    "quality.last_load": ("Last load 最近加载", "最近加载"),
    "quality.last_load_help": (
        "When the last extract was loaded into the warehouse; a dash when none ever was.",
        "最近一次将抽取文件加载入仓的时间；从未加载时显示短横线。",
    ),
    "quality.refused": ("Refused rows 拒收行数", "拒收行数"),
    "quality.refused_help": (
        "Rows of the most recent refused extract that broke at least one rule; a refused "
        "extract changes nothing in the warehouse.",
        "最近一次被拒收的抽取中至少违反一条规则的行数；被拒收的抽取不会改动数据仓库。",
    ),
    "quality.fresh": (
        "The data is {days} days old. Pages warn when it is older than {limit} days "
        "(`PCRM_STALE_AFTER_DAYS`).",
        "数据已有{days}天。超过{limit}天时各页面会提示数据过期（`PCRM_STALE_AFTER_DAYS`）。",
    ),
    "quality.stale": (
        "The data is {days} days old, older than the {limit} days allowed "
        "(`PCRM_STALE_AFTER_DAYS`): load the latest extract.",
        "数据已有{days}天，超过允许的{limit}天（`PCRM_STALE_AFTER_DAYS`）：请加载最新的抽取文件。",
    ),
    # ------------------------------------------------------------ loads
    "quality.loads": ("Loads 加载记录", "加载记录"),
    "quality.loads_help": (
        "Each successful load of core-banking extracts: when, full or month mode, the as-of "
        "month, tables and rows loaded (table meta_load).",
        "每次成功加载核心系统抽取文件的记录：时间、全量或按月方式、截至月份、表数与行数"
        "（meta_load 表）。",
    ),
    "quality.no_loads_demo": (
        "No extracts have been loaded: this warehouse was built by the demo generator.",
        "尚未加载抽取文件：当前数据仓库由演示数据生成器生成。",
    ),
    "quality.no_loads": ("No extracts have been loaded yet.", "尚未加载抽取文件。"),
    "quality.last_files": ("Files of the last load", "最近一次加载的文件"),
    "quality.col_load_id": ("Load id", "加载批次号"),
    "quality.col_loaded_at": ("Loaded at (UTC)", "加载时间（UTC）"),
    "quality.col_mode": ("Mode", "加载方式"),
    "quality.col_as_of": ("As of", "截至月份"),
    "quality.col_tables": ("Tables", "表数"),
    "quality.col_rows": ("Rows", "行数"),
    "quality.col_rejected_rows": ("Rows refused", "拒收行数"),
    "quality.col_table": ("Table", "表"),
    "quality.col_file": ("File", "文件"),
    "quality.col_sha256": ("SHA-256", "校验和"),
    "quality.col_layer": ("Layer", "层级"),
    "quality.col_month": ("Month", "月份"),
    "quality.mode_full": ("Full", "全量"),
    "quality.mode_month": ("Month", "按月"),
    # ------------------------------------------------------------ rows
    "quality.rows": ("Rows per table 各表行数", "各表行数"),
    "quality.rows_help": (
        "Rows in each dimension, fact and mart table of the live warehouse version.",
        "当前数据仓库版本中各维度表、事实表和汇总表的行数。",
    ),
    "quality.rows_by_month": ("Rows per table and month 各表月度行数", "各表月度行数"),
    "quality.rows_by_month_help": (
        "Rows per month (per quarter for 6S inspections): a month that drops or jumps "
        "against its neighbours points to an incomplete extract.",
        "各表每月行数（6S 检查为每季度）：某月行数骤降或骤增，往往说明抽取不完整。",
    ),
    "quality.layer_dim": ("Dimension", "维度表"),
    "quality.layer_fact": ("Fact", "事实表"),
    "quality.layer_mart": ("Mart", "汇总表"),
    "quality.no_rows_scope": (
        "Your role sees no warehouse rows, so row counts and data tests are for analysts and "
        "executives. Loads and refused extracts are below.",
        "您的角色不能查看数据仓库中的明细行，行数统计和数据测试仅对分析师和领导开放。加载与拒收记录见下文。",
    ),
    # ------------------------------------------------------------ attempts and rejections
    "quality.attempts": ("Load attempts 加载尝试", "加载尝试"),
    "quality.attempts_help": (
        "Every run of `python -m cli load`, loaded, refused or failed, from the load "
        "journal (`PCRM_LOAD_JOURNAL_DIR`). A refused or failed run left the warehouse as it was.",
        "每次运行 `python -m cli load` 的结果（已加载、被拒收或失败），来自加载日志"
        "（`PCRM_LOAD_JOURNAL_DIR`）。被拒收或失败的运行不会改动数据仓库。",
    ),
    "quality.no_attempts": ("The load journal is empty.", "加载日志为空。"),
    "quality.col_started_at": ("Started (UTC)", "开始时间（UTC）"),
    "quality.col_status": ("Outcome", "结果"),
    "quality.col_problems": ("Problems", "问题数"),
    "quality.col_rules": ("Rules broken", "违反的规则"),
    "quality.col_error": ("Error", "错误"),
    "quality.col_folder": ("Extract folder", "抽取目录"),
    "quality.status_loaded": ("Loaded", "已加载"),
    "quality.status_rejected": ("Refused", "已拒收"),
    "quality.status_failed": ("Failed", "失败"),
    "quality.report": ("Latest rejection report 最近拒收报告", "最近拒收报告"),
    "quality.report_help": (
        "The problems of the most recent refused extract: file, line, column, rule and value "
        "(personal data masked). Send it to the core-banking team.",
        "最近一次被拒收抽取的问题清单：文件、行、列、规则和取值（个人信息已脱敏），请转交核心系统团队。",
    ),
    "quality.no_report": ("No extract has been refused.", "没有被拒收的抽取。"),
    "quality.col_line": ("Line", "行号"),
    "quality.col_column": ("Column", "列"),
    "quality.col_rule": ("Rule", "规则"),
    "quality.col_value": ("Value", "取值"),
    "quality.col_message": ("Message", "说明"),
    # ------------------------------------------------------------ data tests
    "quality.tests": ("Data tests 数据测试", "数据测试"),
    "quality.tests_help": (
        "Unique and not-null keys, relationships, accepted values and totals that reconcile "
        "between facts and marts (data_access/data_tests.py).",
        "主键唯一且非空、表间关联、取值范围，以及事实表与汇总表的合计核对（data_access/data_tests.py）。",
    ),
    "quality.tests_built": (
        "This version passed all {count} data tests when it was built on {date}: a load or "
        "refresh that fails one is never swapped in.",
        "当前版本于{date}生成时已通过全部{count}项数据测试：未通过测试的加载或刷新不会被启用。",
    ),
    "quality.run_tests": ("Run the data tests again", "重新运行数据测试"),
    "quality.tests_passed": ("All {count} data tests pass.", "全部{count}项数据测试通过。"),
    "quality.tests_failed": (
        "{failed} of {count} data tests fail.",
        "{count}项数据测试中有{failed}项未通过。",
    ),
    "quality.col_check": ("Check", "检查项"),
    "quality.col_offending": ("Offending rows", "违规行数"),
    "quality.col_passed": ("Passed", "通过"),
    "quality.file": ("data-quality", "数据质量"),
}

DYNAMIC_KEYS: frozenset[str] = frozenset()  # the page maps codes to keys with literal dicts
