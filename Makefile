# Two commands for a newcomer on a fresh machine:
#   make demo   runs status/publish locally against stand-ins on 127.0.0.1 (no cloud account)
#   make test   runs lint, type checks and the tests (what CI runs)
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit web bench schema wheels clean
WHEELS := .cache/wheels/.downloaded
FUNCTION_REQUIREMENTS := $(wildcard packages/status/*/requirements.txt)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	cd scripts && ../$(PYTHON) demo.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Each function's __main__.py on its own: two modules named __main__ cannot share one mypy run.
typecheck: $(STAMP)
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy packages/status/override/__main__.py

# The function's wheels for the runtime (Linux x86_64, CPython 3.11), so the packaging test builds offline.
$(WHEELS): $(FUNCTION_REQUIREMENTS) $(STAMP)
	mkdir -p .cache/wheels
	for requirements in $(FUNCTION_REQUIREMENTS); do \
	  $(PYTHON) -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
	    --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
	    -r $$requirements -d .cache/wheels || exit 1; \
	done
	touch $(WHEELS)

wheels: $(WHEELS)

# axe-core for the browser tests (Chromium itself comes from Debian: apt-get install chromium).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(AXE)

unit: $(STAMP) $(WHEELS) $(AXE)
	$(PYTHON) -m pytest

# The marketing-site kit (web/): its Vitest tests and TypeScript check.
WEB_DEPS := web/node_modules/.package-lock.json
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --silent
	touch $(WEB_DEPS)

web: $(WEB_DEPS)
	npm run --prefix web --silent typecheck
	npm test --prefix web --silent

# pytest last: its closing line ("N passed") is the one CI reads.
test: lint typecheck web unit

bench: $(STAMP)
	$(PYTHON) bench/publish_bench.py

# Regenerate the committed JSON Schema (and the web kit's copy and types) after changing the document model.
schema: $(STAMP) $(WEB_DEPS)
	$(VENV)/bin/platform-status schema > docs/status.schema.json
	cp docs/status.schema.json web/src/status.schema.json
	npm run --prefix web --silent generate:types

clean:
	rm -rf $(VENV) public .platform-status demo-output .pytest_cache .mypy_cache .ruff_cache web/node_modules tests/browser/node_modules
