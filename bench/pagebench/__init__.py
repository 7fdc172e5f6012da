"""The page benchmark behind ``bench/bench_pages.py`` (issue 10), one module per job.

- :mod:`warehouses`: build or reuse a warehouse of a given size on DuckDB or PostgreSQL;
- :mod:`querylog`: time every data-layer query and name the function that asked for it;
- :mod:`apptest_timing`: script run time, cold and warm, per page and persona (AppTest);
- :mod:`browser_timing`: navigation to fully rendered in Chromium, and the server's peak memory;
- :mod:`report`: medians, targets, the JSON result and the Markdown table.
"""
