# Two commands for a newcomer on a fresh machine:
#   make demo   runs status/publish locally against stand-ins on 127.0.0.1 (no cloud account)
#   make test   runs lint, type checks and the tests (what CI runs)
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench schema clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	cd scripts && ../$(PYTHON) demo.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PYTHON) -m pytest

test: lint typecheck unit

bench: $(STAMP)
	$(PYTHON) bench/publish_bench.py

# Regenerate the committed JSON Schema after changing the document model.
schema: $(STAMP)
	$(VENV)/bin/platform-status schema > docs/status.schema.json

clean:
	rm -rf $(VENV) public .platform-status demo-output .pytest_cache .mypy_cache .ruff_cache
