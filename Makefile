# cadence: the few boring targets. Needs only python3 (3.11+) and make on the machine.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile every installed module once, at install (~8,000 files), and where
# PYTHONDONTWRITEBYTECODE is set (as on these machines) every `cadence build` would
# otherwise recompile what it imports (importing dbt: 2.8 s -> 1.4 s).
export UV_COMPILE_BYTECODE := 1
# Where a file can render differently in an incremental build (`make lint`).
INCREMENTAL_SQL := dbt_project/models dbt_project/tests/singular

.PHONY: setup setup-test setup-spark browser java demo test ingest build app lint bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.setup: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --no-dev --python $(PYTHON)
	@rm -f $(VENV)/.setup-test
	@touch $@

$(VENV)/.setup-test: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --extra spark --python $(PYTHON)
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory browser
	@command -v java >/dev/null 2>&1 || $(MAKE) --no-print-directory java
	@touch $(VENV)/.setup $@

## browser: Debian's Chromium for the real-browser tests (Playwright drives it; it never downloads a browser of its own)
browser:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

## java: Debian's OpenJDK 17 for `cadence build --engine spark` (Spark runs on the JVM)
java:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null

## setup-spark: install cadence with the Spark engine (dbt-spark, pyspark) and Java
setup-spark: $(UV)
	$(UV) sync --frozen --no-dev --extra spark --python $(PYTHON)
	@rm -f $(VENV)/.setup-test
	@command -v java >/dev/null 2>&1 || $(MAKE) --no-print-directory java

## setup: install cadence and its dependencies into .venv (runs nothing)
setup: $(VENV)/.setup

setup-test: $(VENV)/.setup-test

## demo: generate the demo organisation, ingest it, build and publish, serve on :8501
demo: setup
	$(VENV)/bin/cadence demo

## test: install the test dependencies and run the whole suite, on up to two workers (each
## file whole on one worker, the longest files first: tests/conftest.py)
test: setup-test
	$(VENV)/bin/python -m pytest -n auto --maxprocesses 2 --dist loadfile --no-loadscope-reorder

ingest: setup
	$(VENV)/bin/cadence ingest $(ENTITY) $(FILES)

build: setup
	$(VENV)/bin/cadence build

app: setup
	$(VENV)/bin/cadence serve

## lint: ruff, and SQLFluff over the dbt project (.sqlfluff), rendered as a full build and
## again as an incremental one where that renders differently
lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint dbt_project
	grep -rlE 'is_incremental\(\)|run_query\(' $(INCREMENTAL_SQL) \
		| xargs -r $(VENV)/bin/sqlfluff lint --config dbt_project/sqlfluff_dbt_context/incremental_build.cfg

bench: setup-test
	$(VENV)/bin/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) $(TOOLS) warehouse dbt_project/target dbt_project/logs
