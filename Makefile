# PCRM dashboard: `make run` starts the app on the demo warehouse, `make test` runs every check.
# Both create .venv on first use and reinstall only when a requirements file changes.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIP_INSTALL := $(PIP) install --disable-pip-version-check -c constraints.txt

# Arguments of `python -m cli demo` for `make demo` (defaults come from the CLI). It refuses
# to replace a warehouse loaded from real extracts (`load`) unless given DEMO_ARGS=--force.
DEMO_ARGS ?=
# `make bench` runs every bench/bench_*.py with these arguments: small, to prove the harness works.
BENCH_ARGS ?= --customers 5000 --months 12
STREAMLIT_ARGS ?=
# `make test` runs the tests in this many worker processes (pytest-xdist): one a core, at most 4
# (each worker builds its own session fixtures: demo warehouses, PostgreSQL schemas).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

.DEFAULT_GOAL := help
.PHONY: help run test lint format demo refresh migrate bench screenshots clean distclean venv venv-dev warehouse

help:
	@echo "make run       create .venv, install, build the demo warehouse if missing, bring the app"
	@echo "               store to this release's schema, start the app"
	@echo "make test      create .venv with dev tools, ruff check, pytest"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make demo      (re)build the demo warehouse: make demo DEMO_ARGS='--customers 50000'"
	@echo "make refresh   rebuild the marts of the live warehouse and run the data tests"
	@echo "make migrate   bring the app store (PCRM_APP_DB_URL) to this release's schema"
	@echo "make bench     run the benchmarks at a small size"
	@echo "make screenshots  picture every page in English and Chinese into docs/screenshots/"
	@echo "make clean     remove caches and test output; make distclean also removes .venv and data/"

# ------------------------------------------------------------------ environment
$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamp files: pip runs again only when a requirements or constraints file is newer than them.
$(VENV)/.installed-runtime: requirements.txt constraints.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt constraints.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

venv: $(VENV)/.installed-runtime
venv-dev: $(VENV)/.installed-dev

# Builds the demo only when the configured warehouse (PCRM_WAREHOUSE_URL, secrets, or the default
# data/warehouse.duckdb) does not exist yet; an existing warehouse is never replaced by `make run`.
warehouse: venv
	$(PY) -m cli demo --if-missing

# The app store (PCRM_APP_DB_URL, secrets, or the default data/app.sqlite) is brought to this
# release's schema before the app starts; at the head it only says so.
migrate: venv
	$(PY) -m cli migrate

# ------------------------------------------------------------------ the two commands
run: warehouse migrate
	$(VENV)/bin/streamlit run app.py $(STREAMLIT_ARGS)

test: venv-dev
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS)

# ------------------------------------------------------------------ the rest
lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

demo: venv
	$(PY) -m cli demo $(DEMO_ARGS)

refresh: venv
	$(PY) -m cli refresh

bench: venv-dev
	@set -e; found=0; \
	for script in bench/bench_*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script $(BENCH_ARGS)"; \
		$(PY) "$$script" $(BENCH_ARGS); \
	done; \
	[ "$$found" = 1 ] || echo "no bench/bench_*.py scripts yet"

# Not a test (tests/e2e/screenshots.py is collected only when named): the browser tests' server
# on the configured warehouse (the default demo, built when missing, as for `make run`), the demo
# executive on every page, in both languages.
screenshots: venv-dev warehouse
	PCRM_REQUIRE_BROWSER=1 PCRM_SHOTS_WAREHOUSE_URL="$$($(PY) -c 'from data_access import settings; print(settings.warehouse_url())')" \
		$(PY) -m pytest -p no:cacheprovider tests/e2e/screenshots.py

clean:
	rm -rf .pytest_cache .ruff_cache test-output
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -f data/.*.build-*

distclean: clean
	rm -rf $(VENV) data
