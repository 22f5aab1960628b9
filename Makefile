# dx-warehouse: `make run` and `make test` work on a fresh machine with only Python 3.11.
# uv is bootstrapped into .tools/ (pip), then installs the locked environment into .venv/.
PYTHON ?= python3
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# Compile bytecode at install: where PYTHONDONTWRITEBYTECODE is set (as on CI), every process would otherwise
# compile Dagster, dbt and GX from source again (~5 s per process, dbt's subprocesses included).
export UV_COMPILE_BYTECODE := 1

.PHONY: setup run test ui lint bench docs clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --locked --python $(PYTHON)
	$(BIN)/python -m orchestration.dbt_project
	@touch $@

setup: $(VENV)/.synced  ## install the locked environment and parse the dbt project

run: setup  ## run the whole pipeline on the shipped sample reports (data in ./data)
	$(BIN)/dxw run

test: setup lint  ## lint (ruff, sqlfluff), then the whole test suite
	$(BIN)/pytest -n auto --dist loadfile

ui: setup  ## Dagster UI (webserver + daemon) on http://127.0.0.1:3000, DAGSTER_HOME under ./data
	$(BIN)/dxw ui

lint: setup  ## ruff (lint and format) on the Python, sqlfluff on the dbt models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --processes 0 dbt_project expectations/sql

bench: setup  ## benchmark suite: prints figures and writes BENCHMARKS.md
	$(BIN)/dxw bench

docs: setup  ## serve the dbt docs of the published warehouse
	$(BIN)/dxw docs

clean:
	rm -rf $(VENV) .tools dbt_project/target dbt_project/logs
