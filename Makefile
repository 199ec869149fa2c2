# socialrx: `make run` serves the demo, `make test` runs the suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: install run test test-fast lint format typecheck check-deploy vendor bench clean help

help:
	@echo "make run        set up, load Northshire demo data and serve web + Celery worker + beat"
	@echo "make test       set up and run the whole test suite (SQLite, Celery eager)"
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

run: install
	bash scripts/run.sh

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

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

clean:
	rm -rf $(VENV) var staticfiles
