# The README tells a newcomer to run `make run` and `make test`; both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-core test-app test-snapshots lint bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/alignment-tui

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

# worksteal: a worker that runs out of tests takes the rest of the other's queue, test by
# test. With --dist loadfile a whole file went to one worker, so the last big file to start
# (the snapshots, or a slow Pilot file) ran alone while the other core idled. No test shares
# state with another beyond module-scoped caches, which each worker builds for itself.
test: lint
	$(BIN)/python -m pytest -n auto --dist worksteal

# The tiers alone: the headless core in seconds, then the app, then the pictures.
test-core: $(STAMP)
	$(BIN)/python -m pytest tests/core -n auto

test-app: $(STAMP)
	$(BIN)/python -m pytest tests/app -n auto --dist worksteal

test-snapshots: $(STAMP)
	$(BIN)/python -m pytest tests/snapshots -n auto

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

demo: $(STAMP)
	$(BIN)/alignment-tui demo

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# The served follow view in headless Chromium (Debian's chromium): screenshots before and
# after a facilitator's change, non-zero if it did not show. Needs a browser, so not in test.
.PHONY: browser-check
browser-check: $(STAMP)
	$(BIN)/python scripts/browser_check.py
