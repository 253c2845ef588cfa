# GovChain: `make up` brings the platform up, `make test` runs the tests, `make down` stops it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# slither has its own venv: it pins web3<8 and installs solc-select's `solc` (see pyproject.toml).
SLITHER_VENV  := .venv-slither
SLITHER_STAMP := $(SLITHER_VENV)/.installed

.PHONY: up down test lint slither bench install clean help

help:
	@echo "make up     install, start the local chain, compile, deploy, seed demo participants"
	@echo "make test   lint + the whole test suite (starts its own chains)"
	@echo "make down   stop the local chain (state is kept)"
	@echo "make bench  run the benchmarks (prints figures)"
	@echo "make lint   ruff (lint + format check), mypy and slither"
	@echo "make slither  static analysis of contracts/ (findings must be explained in slither.triage.toml)"

up: install
	$(BIN)/govchain up

down:
	@if [ -x $(BIN)/govchain ]; then $(BIN)/govchain node stop; else echo "Nothing to stop."; fi

test: install
	$(BIN)/ruff check govchain tests bench scripts
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check govchain tests bench scripts
	$(BIN)/ruff format --check govchain tests bench scripts
	$(BIN)/mypy
	@$(MAKE) --no-print-directory slither

# Offline: the compiler is the pinned solcjs through scripts/solc_solcjs.py (slither.config.json).
slither: $(SLITHER_STAMP) $(NPM_STAMP)
	$(SLITHER_VENV)/bin/python scripts/slither_check.py

bench: install
	$(BIN)/python bench/run_all.py

install: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "GovChain needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(SLITHER_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "GovChain needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(SLITHER_VENV)
	$(SLITHER_VENV)/bin/pip install --quiet --upgrade pip
	$(SLITHER_VENV)/bin/pip install --quiet -e '.[slither]'
	@touch $@

$(NPM_STAMP): package.json package-lock.json $(wildcard patches/*.patch)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean: down
	rm -rf $(VENV) $(SLITHER_VENV) node_modules .govchain
