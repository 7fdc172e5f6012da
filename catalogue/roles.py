"""Roles and what each may do: the one table the data layer and navigation both consult.

A role is data: its scope level, its smallest shown group, and the capabilities it has (from the
:class:`Capability` vocabulary). Pages name the capability they need (``ui.auth.PAGE_CAPABILITY``)
and the data layer checks capabilities (``viewer.can(Capability.X)``); no other module compares
role codes. A new role is one more row in ``ROLES``.

Which roles may unmask personal data is a setting (``unmask_roles``, see
``data_access.auth_store``); :attr:`Capability.MAY_UNMASK` says which roles the setting may
name at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Capability(StrEnum):
    """What a role may do, each with an English and a Chinese description."""

    def __new__(cls, code: str, name_en: str, name_zh: str) -> Capability:
        member = str.__new__(cls, code)
        member._value_ = code
        member.name_en = name_en
        member.name_zh = name_zh
        return member

    READS_WAREHOUSE = (
        "reads_warehouse",
        "Reads the warehouse: dashboards, watchlist and customers in scope",
        "查看数据：辖内报表、预警名单和客户",
    )
    SEES_BRANCH_PAGE = (
        "sees_branch_page",
        "Opens the {@branch} page (one {@branch}'s month)",
        "查看{@branch}经营页",
    )
    SEES_MODEL_QUALITY = (
        "sees_model_quality",
        "Sees the models' quality (churn model page, cross-sell AUC)",
        "查看模型效果（流失模型、交叉销售AUC）",
    )
    SEES_LOAD_JOURNAL = (
        "sees_load_journal",
        "Sees data quality and the load journal, refused loads included",
        "查看数据质量和加载记录（含被拒批次）",
    )
    SEES_AUDIT_LOG = ("sees_audit_log", "Reads the audit log", "查看审计日志")
    MANAGES_USERS = ("manages_users", "Manages user accounts", "管理用户账号")
    MAY_UPLOAD_INSPECTIONS = (
        "may_upload_inspections",
        "Uploads 6S inspection results",
        "上传6S检查结果",
    )
    MAY_RECORD_CONTACTS = (
        "may_record_contacts",
        "Records contacts and retention actions on watchlist customers",
        "登记预警客户的联系和挽留情况",
    )
    MAY_ASSIGN_CASES = (
        "may_assign_cases",
        "Assigns retention cases to {@a branch}'s managers",
        "把挽留任务分配给{@branch}客户经理",
    )
    # May be named in the unmask_roles setting (and then request unmasking, with a reason,
    # audited). Never the analyst (works on masked data by design) or the administrator (sees no
    # customer data).
    MAY_UNMASK = (
        "may_unmask",
        "May be allowed to unmask personal data (setting unmask_roles)",
        "可被授权查看未脱敏客户信息（参数unmask_roles）",
    )


C = Capability
# What every line manager of the organisation may do, from the province down to a cooperative.
_MANAGER = frozenset(
    {
        C.READS_WAREHOUSE,
        C.SEES_BRANCH_PAGE,
        C.SEES_MODEL_QUALITY,
        C.MAY_UPLOAD_INSPECTIONS,
        C.MAY_RECORD_CONTACTS,
        C.MAY_ASSIGN_CASES,
        C.MAY_UNMASK,
    }
)


@dataclass(frozen=True)
class Role:
    code: str
    name_en: str
    name_zh: str
    scope_level: str  # all | prefecture | cooperative | branch | own_customers | none
    min_group_size: int  # aggregates over fewer customers are suppressed
    capabilities: frozenset[Capability]
    home_page: str | None = None  # the page key it lands on (else the first page it may open)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role(
            "executive",
            "Executive",
            "{@province}领导",
            "all",
            1,
            _MANAGER | {C.SEES_LOAD_JOURNAL, C.SEES_AUDIT_LOG},
        ),
        Role(
            "prefecture_manager",
            "{@Prefecture} manager",
            "{@prefecture}负责人",
            "prefecture",
            1,
            _MANAGER,
        ),
        Role(
            "cooperative_manager",
            "{@Cooperative} manager",
            "{@cooperative}负责人",
            "cooperative",
            1,
            _MANAGER,
        ),
        Role(
            "branch_head",
            "{@Branch} head",
            "{@branch}负责人",
            "branch",
            1,
            frozenset(
                {
                    C.READS_WAREHOUSE,
                    C.SEES_BRANCH_PAGE,
                    C.MAY_RECORD_CONTACTS,
                    C.MAY_ASSIGN_CASES,
                    C.MAY_UNMASK,
                }
            ),
            home_page="my_branch",
        ),
        Role(
            "wealth_manager",
            "Wealth manager",
            "理财经理",
            "own_customers",
            1,
            frozenset({C.READS_WAREHOUSE, C.MAY_RECORD_CONTACTS, C.MAY_UNMASK}),
        ),
        Role(
            "analyst",
            "Analyst",
            "数据分析师",
            "all",
            5,
            frozenset({C.READS_WAREHOUSE, C.SEES_MODEL_QUALITY, C.SEES_LOAD_JOURNAL}),
        ),
        Role(
            "admin",
            "Administrator",
            "系统管理员",
            "none",
            1,
            frozenset({C.SEES_LOAD_JOURNAL, C.SEES_AUDIT_LOG, C.MANAGES_USERS}),
            home_page="users",
        ),
    )
}

# The role the app's own jobs read the warehouse as (the monthly branch report, the branch list
# of the demo sign-in screen, placing a new account in the organisation): the whole province.
SYSTEM_ROLE: str = "executive"
# The demo personas of the sign-in screen (ui.auth): the province, one branch, the analyst.
DEMO_PROVINCE_ROLE: str = "executive"
DEMO_BRANCH_ROLE: str = "branch_head"
DEMO_ANALYST_ROLE: str = "analyst"
# The roles of the unmask_roles setting when it is not set (each must have MAY_UNMASK).
DEFAULT_UNMASK_ROLES: str = "cooperative_manager,branch_head"
