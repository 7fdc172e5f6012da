"""Roles and what each may see: the one table the data layer and navigation both consult.

Which roles may unmask personal data is a setting (``unmask_roles``, see
``data_access.auth_store``); this table says which roles the setting may name at all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    name_en: str
    name_zh: str
    scope_level: str  # all | prefecture | cooperative | branch | own_customers | none
    sees_customer_detail: bool
    # May be named in the unmask_roles setting (and then request unmasking, with a reason,
    # audited). Never the analyst (works on masked data by design) or the administrator (sees no
    # customer data).
    unmask_eligible: bool
    min_group_size: int  # aggregates over fewer customers are suppressed


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role("executive", "Executive", "省联社领导", "all", True, True, 1),
        Role(
            "prefecture_manager",
            "Prefecture manager",
            "市州办事处负责人",
            "prefecture",
            True,
            True,
            1,
        ),
        Role(
            "cooperative_manager",
            "Cooperative manager",
            "县级行社负责人",
            "cooperative",
            True,
            True,
            1,
        ),
        Role("branch_head", "Branch head", "网点负责人", "branch", True, True, 1),
        Role("wealth_manager", "Wealth manager", "理财经理", "own_customers", True, True, 1),
        Role("analyst", "Analyst", "数据分析师", "all", True, False, 5),
        Role("admin", "Administrator", "系统管理员", "none", False, False, 1),
    )
}
