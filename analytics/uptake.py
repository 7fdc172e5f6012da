"""Coverage and uptake rates: partner employers' staff (专享产品) and VIP services (贵宾增值服务).

Pure functions on the counts ``data_access.cross_sell.partner_employers`` and
``data_access.vip`` return; a rate over a zero base is missing (NaN), never zero.
"""

from __future__ import annotations

import pandas as pd


def _rate(numerator: pd.Series | float, denominator: pd.Series | float) -> pd.Series | float:
    if isinstance(denominator, pd.Series):
        return numerator / denominator.where(denominator > 0) * 100
    return numerator / denominator * 100 if denominator else float("nan")


def employer_rates(employers: pd.DataFrame) -> pd.DataFrame:
    """Adds, per employer: staff coverage (staff who bank with us / employees), payroll coverage
    (staff paid through us / employees) and exclusive-product uptake (holders / staff customers),
    all in percent."""
    out = employers.copy()
    out["staff_coverage_pct"] = _rate(out["count_staff_customers"], out["count_employees"])
    out["payroll_coverage_pct"] = _rate(out["count_payroll"], out["count_employees"])
    out["exclusive_uptake_pct"] = _rate(
        out["count_exclusive_holders"], out["count_staff_customers"]
    )
    return out


def employer_totals(employers: pd.DataFrame) -> dict[str, float]:
    """The same three rates over every employer together (pooled, not averaged)."""
    total = employers[
        ["count_employees", "count_staff_customers", "count_payroll", "count_exclusive_holders"]
    ].sum()
    return {
        "count_employers": float(len(employers)),
        "staff_coverage_pct": _rate(total["count_staff_customers"], total["count_employees"]),
        "payroll_coverage_pct": _rate(total["count_payroll"], total["count_employees"]),
        "exclusive_uptake_pct": _rate(
            total["count_exclusive_holders"], total["count_staff_customers"]
        ),
    }


def vip_rates(by_branch: pd.DataFrame) -> pd.DataFrame:
    """Adds per branch the share of eligible customers using a service and the eligible who do
    not (``count_not_using``): the list a branch head calls to offer the services."""
    out = by_branch.copy()
    out["using_pct"] = _rate(out["count_using"], out["count_eligible"])
    out["count_not_using"] = out["count_eligible"] - out["count_using"]
    return out


def vip_totals(by_branch: pd.DataFrame) -> dict[str, float]:
    """Eligible, using and the pooled using share over every branch."""
    eligible = float(by_branch["count_eligible"].sum()) if not by_branch.empty else 0.0
    using = float(by_branch["count_using"].sum()) if not by_branch.empty else 0.0
    return {"count_eligible": eligible, "count_using": using, "using_pct": _rate(using, eligible)}
