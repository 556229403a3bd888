# medsos-warehouse: two commands for a newcomer (only python3 and make needed).
#   make run   install, start the sandbox, backfill 28 days, build + publish the warehouse, open the Dagster UI
#   make test  install, lint (ruff, sqlfluff) and run every test
#   make check-credentials  which tokens and keys work (see docs/going-live.md)
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DAGSTER_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
# dagster-dbt looks for `dbt` on PATH (e.g. prepare_if_dev under `dagster dev`)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install manifest run test lint format sandbox benchmark clean check-credentials renew-tokens postgres postgres-stop dagster-home-postgres compact scale-benchmark spec

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml

$(DAGSTER_HOME)/dagster.yaml: pipelines/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp pipelines/dagster.yaml $@

# Dagster loads the dbt assets from the manifest; prepare it explicitly (prepare_if_dev acts only under `dagster dev`).
manifest: install
	$(PY) -c "from pipelines.warehouse import prepare_manifest; prepare_manifest()"

run: manifest
	$(PY) -m pipelines.bootstrap

sandbox: install
	$(PY) -m pipelines.sandbox

# Going live (docs/going-live.md): ask every platform about every credential; renew what is due now.
check-credentials: install
	$(PY) -m pipelines.live_credentials check

renew-tokens: install
	$(PY) -m pipelines.live_credentials renew

# Regenerate the files derived from the platform specification (catalogue seed, dbt macro, staging models).
spec: install
	$(PY) -m pipelines.platform_spec.generate

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/macros --disable-progress-bar --nocolor

# The PostgreSQL scale-out tests need Debian's postgresql-15: installed here when root + apt-get allow it,
# otherwise those tests skip and say why.
test: manifest lint
	$(PY) -m pipelines.scaleout.postgres install --if-possible
	$(VENV)/bin/pytest -n 2 -q -p no:cacheprovider

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

benchmark: manifest
	$(PY) -m pipelines.benchmark_backfill
	$(PY) -m data_quality.benchmark

# Scale-out (docs/operators/scale-out.md): a local PostgreSQL 15 in .postgres/ for the Dagster instance and the
# DuckLake catalog (prints the settings to export), and the instance configuration that uses it.
postgres: install
	$(PY) -m pipelines.scaleout.postgres start --dir .postgres

postgres-stop: install
	$(PY) -m pipelines.scaleout.postgres stop --dir .postgres

dagster-home-postgres:
	mkdir -p .dagster_home_pg
	cp pipelines/dagster_postgres.yaml .dagster_home_pg/dagster.yaml

# Fold settled months of the lake into month files (also a daily Dagster schedule).
compact: install
	$(PY) -m pipelines.lake_compaction

# National scale benchmark (docs/developers/benchmarks.md), e.g. make scale-benchmark SCALE_ARGS="--accounts 20000 --histories 365"
scale-benchmark: manifest
	$(PY) -m pipelines.scale.benchmark $(SCALE_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache dbt_project/target
