# The two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run sample test lint bench bench-smoke snapshot-update clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11+ is needed (set PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP) $(DEVSTAMP)

# The repository root is itself the sample project; its database is built on first run.
workbench.db: | $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from workbench.services.sample import build_sample_project; build_sample_project(Path('.'), Path('.'))"

# The anonymity audit's tables (deduce's lookup tables, ~2 minutes once per machine, and the
# word lists) are built at install, so that the first audit answers in seconds. A failure is
# no reason not to open: the first audit then builds them.
AUDITSTAMP := $(VENV)/.audit-ready
$(AUDITSTAMP): | $(STAMP)
	$(BIN)/workbench prepare && touch $(AUDITSTAMP) || echo "The audit's tables were not built now; the first audit builds them."

run: $(STAMP) $(AUDITSTAMP) workbench.db
	$(BIN)/workbench --project . open

sample: $(STAMP)
	rm -f workbench.db workbench.db-wal workbench.db-shm
	$(MAKE) workbench.db

test: $(DEVSTAMP)
	$(BIN)/ruff check workbench tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(DEVSTAMP)
	$(BIN)/ruff check workbench tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(DEVSTAMP)
	$(BIN)/python bench/run.py --size full

bench-smoke: $(DEVSTAMP)
	$(BIN)/python bench/run.py --size smoke

snapshot-update: $(DEVSTAMP)
	$(BIN)/python -m pytest tests/test_tui_snapshots.py --snapshot-update

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
