"""``python -m analytics.churn train|score|backtest|evaluate`` (see analytics/churn/cli.py)."""

import sys

from analytics.churn.cli import main

if __name__ == "__main__":
    sys.exit(main())
