# socialrx: `make run` serves the demo, `make test` runs the suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: install oidc-provider run test test-fast lint format typecheck check-deploy vendor bench clean help

help:
	@echo "make run        set up, load Northshire demo data and serve web + Celery worker + beat"
	@echo "make test       set up and run the whole test suite (SQLite, Celery eager)"
	@echo "make oidc-provider  install the test OpenID Connect provider (npm ci in tests/oidc)"
	@echo "make lint       ruff check, ruff format --check, makemigrations --check"
	@echo "make typecheck  mypy with django-stubs"
	@echo "make vendor     refresh static/vendor/ from the npm registry (package.json)"
	@echo "make bench      benchmark on PostgreSQL at county scale (~13 min; docs/performance.md)"

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit("socialrx needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The OpenID Connect provider the CIS2 sign-in tests start (tests/oidc/, from its lock file).
OIDC_STAMP := tests/oidc/node_modules/.package-lock.json
$(OIDC_STAMP): tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

oidc-provider: $(OIDC_STAMP)

run: install
	bash scripts/run.sh

test: install oidc-provider
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy socialrx directory referrals linkworkers outcomes demo

vendor:
	bash scripts/vendor.sh

# Not part of `make test` or CI: needs PostgreSQL, and loads this machine for ~20 minutes.
bench: install
	bash bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
