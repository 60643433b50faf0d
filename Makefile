# Masthead developer commands. `make demo` and `make test` work on a fresh
# Debian 12 machine with pyenv's Python 3.13 (or any python3.12+ on PATH).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

PYTHON_FOR_VENV := $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: install demo run serve test test-integration test-api test-browser fmt lint typecheck check check-migrations screenshots bench \
	system-packages chaos scaleout scaleout-down test-scaleout test-postgres

# Two locks, both from pyproject.toml by uv (docs/deployment.md): the runtime
# alone in requirements.lock, which production installs; the runtime plus the
# test, lint and browser tools in requirements-dev.lock, which this installs.
#   uv pip compile pyproject.toml --python-version 3.13 -o requirements.lock --generate-hashes
#   uv pip compile pyproject.toml --extra dev --python-version 3.13 -o requirements-dev.lock --generate-hashes
$(BIN)/masthead: pyproject.toml requirements.lock requirements-dev.lock
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "Masthead needs Python 3.12 or newer (3.13 recommended)."; \
		echo "Install it, e.g. 'pyenv install 3.13' or 'apt-get install python3.13', then retry."; \
		exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(BIN)/masthead

install: $(BIN)/masthead

# Migrate, load demo content, print the editor's login and serve the site.
demo: install
	$(BIN)/masthead migrate --no-input
	$(BIN)/masthead collectstatic --no-input --verbosity 0
	$(BIN)/masthead demo
	$(BIN)/masthead search_rebuild
	$(BIN)/masthead serve --host $(HOST) --port $(PORT)

run: demo

# Serve an existing database without loading demo content.
serve: install
	$(BIN)/masthead migrate --no-input
	$(BIN)/masthead collectstatic --no-input --verbosity 0
	$(BIN)/masthead serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

test-integration: install
	$(BIN)/pytest tests/integration

# The APIs against a live server (#18, docs/api.md): Ghost's official npm
# clients, schemathesis, and a Python client generated from the schema.
test-api: install
	bash tests/apiclients/setup.sh
	$(BIN)/pytest -m apiclients tests/apiclients

# Headless Chromium, Nu HTML Checker, axe-core and Lighthouse (docs/testing.md).
# setup.sh installs chromium/Java only if missing (as root) and the npm tools.
test-browser: install
	bash tests/browser/setup.sh
	$(BIN)/pytest -m browser tests/browser

# Scale-out mode on this machine (docs/deployment.md): PostgreSQL, Redis and
# Varnish in front of APPS app processes, data and logs under SERVICES_DIR.
# Ports are picked free once and kept; FRONT_PORT fixes Varnish's.
SERVICES_DIR ?= var/services
APPS ?= 2
SERVICES := bash scripts/services --dir $(SERVICES_DIR)

# Debian's postgresql, redis-server and varnish, installed once (as root).
system-packages:
	bash scripts/install-system-packages

scaleout: install system-packages
	$(SERVICES) up --apps $(APPS) $(if $(FRONT_PORT),--front-port $(FRONT_PORT))
	@$(SERVICES) status

scaleout-down:
	$(SERVICES) down

# The scale-out suite on its own stack (two app processes behind Varnish, in a
# temporary directory), then the unit suite on PostgreSQL.
test-scaleout: install system-packages
	$(BIN)/pytest -m scaleout tests/scaleout
	bash scripts/test-postgres

test-postgres: install system-packages
	bash scripts/test-postgres

# Fault cases on the scale-out stack (#13, docs/reliability.md): PostgreSQL,
# Redis and Varnish stopped, Redis paused, the worker and a publisher killed.
chaos: install system-packages
	$(BIN)/python bench/chaos.py $(CHAOS_ARGS)

screenshots: install
	$(BIN)/python tests/browser/screenshots.py

# Benchmarks against the targets of issue #5 (docs/performance.md): server on
# core 0, wrk on core 1. BENCH_DURATION=3 for a quick run; BENCH_ARGS passes
# options, e.g. BENCH_ARGS="--var-dir /tmp/gen1m --only listings".
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Python with ruff; Django templates indented by djhtml (two spaces).
PY_SOURCES := masthead tests bench conftest.py scripts
TEMPLATES = $(shell find masthead -path '*/templates/*' -name '*.html' | sort)

fmt: install
	$(BIN)/ruff format $(PY_SOURCES)
	$(BIN)/ruff check --fix $(PY_SOURCES)
	$(BIN)/djhtml --tabwidth 2 $(TEMPLATES)

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/djhtml --tabwidth 2 --check $(TEMPLATES)

# mypy with django-stubs over the package, the suites and the benchmarks.
typecheck: install
	$(BIN)/mypy masthead tests bench conftest.py

check-migrations: install
	$(BIN)/masthead makemigrations --check --dry-run
	$(BIN)/masthead check

check: lint typecheck test check-migrations
