"""Time the three forms from submit to their result, and count what the submit ran (not a test).

    python bench/bench_forms.py --repeats 5                      # this checkout
    python bench/bench_forms.py --repeats 5 --root /tmp/before   # another checkout of the app

Builds the small demo warehouse of the tests (``tests.conftest.DEMO_SIZE``) in a temporary
folder (or uses ``--warehouse-url``) with a scratch SQLite app store, signs in as the demo
branch head in AppTest and, for each form, measures the one run a submit makes (AppTest's
``click().run()``, which includes every rerun the submit asks for):

- contact: the customer view's contact form (``cust_ct_*``), a contact saved;
- retention refused / recorded: the watchlist case's retention form, refused (a closed case
  with a follow-up date) and then recorded;
- unmask refused / granted: the sidebar's unmask request with a too short reason, then granted.

Per submit: wall seconds, runs of the page body (``ui.components.page_header``, which every
page draws first), runs of the app shell (``data_access.query.check_version``, called by
app.py on every run) and the statements sent to the warehouse and the app store
(``bench.pagebench.querylog``). Medians of ``--repeats``; ``--root`` measures another checkout
with the same steps (its code, this script), so before and after compare one to one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout to measure")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warehouse-url", default=None, help="default: a new small demo")
    return parser.parse_args()


ARGS = _args()
sys.path.insert(0, str(ARGS.root.resolve()))
sys.path.insert(1, str(HERE))

import sqlalchemy as sa  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.pagebench.querylog import QueryLog  # noqa: E402
from data_access import query  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402
from ui import components  # noqa: E402

APP = str(ARGS.root.resolve() / "app.py")
COUNTS = {"page": 0, "shell": 0}


def _counting() -> None:
    page_header, check_version = components.page_header, query.check_version

    def counted_header(*args, **kwargs):
        COUNTS["page"] += 1
        return page_header(*args, **kwargs)

    def counted_version(*args, **kwargs):
        COUNTS["shell"] += 1
        return check_version(*args, **kwargs)

    components.page_header = counted_header
    query.check_version = counted_version


def _sql(url: str, text: str) -> list[tuple]:
    engine = Warehouse(url).reader()
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(text))]
    finally:
        engine.dispose()


def _open(page: str, branch: int, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page).run()
    at.selectbox(key="pcrm_signin_branch").set_value(branch)
    at.button(key="pcrm_signin_branch_head").click().run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, button, log: QueryLog, name: str, samples: dict) -> None:
    COUNTS.update(page=0, shell=0)
    before = len(log.records)
    started = time.perf_counter()
    button.click().run()
    seconds = time.perf_counter() - started
    assert not at.exception, at.exception
    sent = log.records[before:]
    samples.setdefault(name, []).append(
        {
            "seconds": seconds,
            "page_runs": COUNTS["page"],
            "shell_runs": COUNTS["shell"],
            "warehouse_statements": sum(r["dialect"] != "sqlite" for r in sent),
            "app_store_statements": sum(r["dialect"] == "sqlite" for r in sent),
        }
    )


def _form_button(at: AppTest, prefix: str):
    return next(b for b in at.button if b.key.startswith(prefix))


def measure(url: str, repeats: int) -> dict[str, list[dict]]:
    branch, month = _sql(url, "SELECT branch_id, max(month_start) FROM mart_churn_score "
                         "GROUP BY branch_id ORDER BY branch_id LIMIT 1")[0]  # fmt: skip
    customers = [r[0] for r in _sql(
        url,
        f"SELECT customer_id FROM mart_churn_score WHERE branch_id = {int(branch)} "
        f"AND month_start = '{month}' ORDER BY expected_assets_at_risk_rmb DESC LIMIT {repeats}",
    )]  # fmt: skip
    log = QueryLog()
    log.install()
    samples: dict[str, list[dict]] = {}
    for n, customer in enumerate(customers):
        at = _open("pages/customer.py", branch, {"customer": str(customer)})
        at.selectbox(key="cust_ct_type").set_value("callback")
        at.selectbox(key="cust_ct_outcome").set_value("follow_up")
        at.text_area(key="cust_ct_note").input(f"bench contact {n}")
        _submit(at, at.button(key="cust_ct_save"), log, "contact saved", samples)

        at = _open("pages/watchlist.py", branch, {"wl_customer": str(customer)})
        at.selectbox(key="wl_form_status").set_value("retained")
        at.date_input(key="wl_form_follow_up").set_value(dt.date.today() + dt.timedelta(days=7))
        button = _form_button(at, "FormSubmitter:wl_action_form")
        _submit(at, button, log, "retention refused", samples)
        at.selectbox(key="wl_form_status").set_value("contacted")
        at.date_input(key="wl_form_follow_up").set_value(None)
        button = _form_button(at, "FormSubmitter:wl_action_form")
        _submit(at, button, log, "retention recorded", samples)

        # AppTest keeps only what the last run drew: after the case panel's fragment reruns the
        # sidebar is not in its tree, so one full run (not measured) draws the page as a browser
        # still shows it.
        at.run()
        at.text_input(key="pcrm_unmask_reason").input("核实")
        _submit(at, at.button(key="pcrm_unmask_grant"), log, "unmask refused", samples)
        at.text_input(key="pcrm_unmask_reason").input("客户来电核实转账信息")
        _submit(at, at.button(key="pcrm_unmask_grant"), log, "unmask granted", samples)
    log.remove()
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = ARGS.warehouse_url
        if url is None:
            from data_access.demo import build_demo
            from tests.conftest import DEMO_SIZE

            url = f"duckdb:///{Path(scratch) / 'warehouse.duckdb'}"
            build_demo(Warehouse(url), **DEMO_SIZE)
        os.environ["PCRM_WAREHOUSE_URL"] = url
        os.environ["PCRM_APP_DB_URL"] = f"sqlite:///{Path(scratch) / 'app.sqlite'}"
        _counting()
        samples = measure(url, ARGS.repeats)
    print(f"{ARGS.root} ({ARGS.repeats} repeats, medians)")
    print("| submit | seconds | page runs | app shell runs | warehouse stmts | app store stmts |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in samples.items():

        def median(field: str, runs: list[dict] = runs) -> float:
            return statistics.median(r[field] for r in runs)

        print(
            f"| {name} | {median('seconds'):.3f} | {median('page_runs'):g} | "
            f"{median('shell_runs'):g} | {median('warehouse_statements'):g} | "
            f"{median('app_store_statements'):g} |"
        )


if __name__ == "__main__":
    main()
