# Hindsight — the commands. `make demo` for a working site, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev demo run worker backup restore test test-browser bench bench-scale bench-scale-insights lint format vendor clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Runtime dependencies only.
install: $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt

# Runtime plus tests, lint and benchmarks.
install-dev: $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt

# A working site on SQLite with believable demo data; tasks run in-process.
demo: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Hindsight is starting at http://$(HOST):$(PORT)/"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Celery worker with the beat scheduler embedded (one process; run beat separately at scale).
worker: install
	$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=2

# The database DATABASE_URL names, to one file (FILE=…, default var/backups/hindsight-<time>.dump|.sqlite3).
backup:
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

# A backup file into the (empty) database DATABASE_URL names: make restore FILE=var/backups/….
restore:
	@test -n "$(FILE)" || { echo "make restore FILE=<backup file>"; exit 2; }
	$(PY) manage.py restore "$(FILE)"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py rebuild_search_index

# The whole suite on the database DATABASE_URL names (SQLite when unset), one process per CPU (TEST_WORKERS=0: one
# process); each test file runs whole in one process, with a test database of that process's own, in the order
# collected (files marked `long` first).
TEST_WORKERS ?= auto
test: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# Benchmarks on the database DATABASE_URL names: one table per benchmark, a summary at the end (also var/bench-results.md).
bench: install-dev
	$(PY) -m pytest bench -p no:cacheprovider -q -s $(PYTEST_ARGS)

# 10,000 and 1,000,000 incidents on PostgreSQL (DATABASE_URL), through gunicorn: every list, the home page, dashboards,
# the detail API against a raw one-query anchor, and the query plans. Builds its databases once (minutes); see bench/scale.py.
bench-scale: install-dev
	$(PY) bench/scale.py $(SCALE_ARGS)

# Insights at scale (PostgreSQL + Redis): 1,000,000 incidents built once in a database of its own, the full and one
# incremental recompute (real worker), /insights/ and /api/insights/mtbf/ through gunicorn. See bench/insights_scale.py.
bench-scale-insights: install-dev
	$(PY) bench/insights_scale.py $(SCALE_ARGS)

# Re-fetch static/vendor/ with `npm pack` at the versions in its MANIFEST.json and verify every sha256.
vendor:
	$(PYTHON) scripts/vendor.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
