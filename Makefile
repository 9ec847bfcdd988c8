# Mihan: `make run` and `make test` do all set-up on a fresh Debian machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TOOLS := $(CURDIR)/.tools/node_modules/.bin
PORT ?= 3000
PYTEST_ARGS ?=

export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PATH := $(TOOLS):$(PATH)

.PHONY: setup run test test-fast e2e bench system clean

setup: system $(VENV)/.installed $(TOOLS)/bun

system:
	@scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(TOOLS)/bun:
	npm install --prefix .tools --no-fund --no-audit --loglevel=error bun@1.4.5

run: setup
	$(BIN)/mihan run --demo --port $(PORT)

# Unit and integration tests in parallel (one worker per core, each with its own databases),
# then the browser journeys on their own: they share one built frontend. Exit code 5 means
# PYTEST_ARGS selected no browser journey.
test: setup
	scripts/with-postgres.sh $(BIN)/pytest -n auto -m "not e2e" $(PYTEST_ARGS)
	$(BIN)/pytest -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-fast: setup
	$(BIN)/pytest -n auto -m "not e2e" $(PYTEST_ARGS)

e2e: setup
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

bench: setup
	scripts/with-postgres.sh $(BIN)/pytest benchmarks --benchmark-only -p no:cacheprovider

clean:
	rm -rf .web .states uploaded_files
