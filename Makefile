# socialrx: `make run` serves the demo, `make test` runs the suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The lock tool (ADR 0020); installed into .venv by `make lock` only.
UV_VERSION := 0.13.9

# What each install reads; a stamp named by their checksum redoes an install when one
# of them changes, and only then. Running needs requirements.lock; the tests, lint and
# type checks add requirements-dev.lock on top.
checksum = $(shell cat $(1) | cksum | cut -d' ' -f1)
RUNTIME_STAMP := $(VENV)/.runtime-$(call checksum,requirements.lock pyproject.toml)
DEV_STAMP := $(VENV)/.dev-$(call checksum,requirements.lock requirements-dev.lock pyproject.toml)

# Settings default to production (DJANGO_DEBUG=false), which refuses SQLite and the
# development secret key: the targets that run Django on this machine turn debug on.
DEV_ENV := DJANGO_DEBUG=true

.PHONY: install install-runtime lock oidc-provider run test test-fast lint format typecheck check-deploy \
	vendor bench bench-budget scale-test lighthouse clean help

help:
	@echo "make run        set up, load Northshire demo data and serve web + Celery worker + beat"
	@echo "make test       set up and run the whole test suite (SQLite, Celery eager)"
	@echo "make oidc-provider  install the test OpenID Connect provider (npm ci in tests/oidc)"
	@echo "make lint       ruff check, ruff format --check, makemigrations --check"
	@echo "make typecheck  mypy with django-stubs"
	@echo "make lock       regenerate requirements.lock and requirements-dev.lock from pyproject.toml"
	@echo "make vendor     refresh static/vendor/ from the npm registry (package.json)"
	@echo "make bench      benchmark on PostgreSQL at county scale (~13 min; docs/performance.md)"
	@echo "make bench-budget  instructions per request under callgrind against the budgets (ADR 0027)"
	@echo "make scale-test HAProxy, 2 web processes, a streaming replica, 2 workers + beat, run for real (ADR 0030)"
	@echo "make lighthouse Lighthouse (mobile) on the main pages, production settings (ADR 0029)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("socialrx needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the locked versions, each checked against its hash; then socialrx itself,
# editable and without dependencies (they all came from the lock).
$(RUNTIME_STAMP): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.runtime-* $(VENV)/.installed-*
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.dev-*
	touch $@

install-runtime: $(RUNTIME_STAMP)

install: $(DEV_STAMP)

# After changing the dependencies in pyproject.toml. Versions already locked are kept
# unless pyproject.toml asks otherwise; LOCK_ARGS=--upgrade moves every one to its newest.
# One resolution for every platform and Python 3.11 and newer (the image runs 3.11).
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS)
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

# The OpenID Connect provider the CIS2 sign-in tests start (tests/oidc/, from its lock file).
OIDC_STAMP := tests/oidc/node_modules/.package-lock.json
$(OIDC_STAMP): tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

oidc-provider: $(OIDC_STAMP)

run: install-runtime
	bash scripts/run.sh

test: install oidc-provider
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy socialrx directory referrals linkworkers outcomes interop demo

vendor:
	bash scripts/vendor.sh

# Not part of `make test` or CI: needs PostgreSQL, and loads this machine for ~20 minutes.
bench: install
	bash bench/run.sh $(BENCH_ARGS)

# Python instructions per request, counted by callgrind, gated at 3% over each budget
# (ADR 0027). Needs PostgreSQL; a few minutes; a phase of .ci/run.
bench-budget: install-runtime
	bash bench/budget/run.sh $(BUDGET_ARGS)

# The scaled-out shape on this machine, every server its own on ports 16000-16999 (or
# SCALE_PORTS=first-last): needs the PostgreSQL and Redis server binaries and haproxy.
# A few minutes; a phase of .ci/run (docs/scaling.md, ADR 0030).
scale-test: install
	$(BIN)/python -m pytest -m scale -rfEs --durations=10 tests/scale $(PYTEST_ARGS)

# Lighthouse on the main pages against gunicorn with production settings, on a small
# database of its own (ADR 0029; also the last part of make bench). Needs PostgreSQL;
# installs chromium and the pinned lighthouse package on first use.
lighthouse: install-runtime
	bash bench/lighthouse.sh $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
