"""The seeded demo generator: a realistic Gansu-style rural-credit warehouse of any size.

``build_demo(warehouse, customers=168_000, months=24, seed=7, customers_per_branch=8_400)``
(the defaults: 20 branches at real branch size) draws the organisation, the
customers and their months, writes every dim_* and fact_* table, refreshes the marts and swaps
the new version in. Modules, one job each: ``places`` and ``names`` (reference data, personal
data), ``organisation``, ``customers`` (static attributes), ``behaviour`` (churn precursors,
dips), ``terms`` (deposit, wealth and loan chains), ``monthly`` (fact_customer_month),
``holdings`` (holdings and sales), ``vip``, ``totals``, ``branch_facts`` (6S, service quality),
``targets``, ``people`` (households and customer rows), ``build`` (the orchestration).
"""

from data_access.demo.build import build_demo

__all__ = ["build_demo"]
