# GovChain: `make up` brings the platform up, `make test` runs the tests, `make down` stops it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: up down test lint bench install clean help

help:
	@echo "make up     install, start the local chain, compile, deploy, seed demo participants"
	@echo "make test   lint + the whole test suite (starts its own chains)"
	@echo "make down   stop the local chain (state is kept)"
	@echo "make bench  run the benchmarks (prints figures)"
	@echo "make lint   ruff (lint + format check) and mypy"

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

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean: down
	rm -rf $(VENV) node_modules .govchain
