# Two commands for a newcomer on a fresh machine:
#   make demo   runs status/publish locally against stand-ins on 127.0.0.1 (no cloud account)
#   make test   runs lint, type checks and the tests (what CI runs)
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo dev test check chromium lint typecheck unit web bench package schema wheels clean
WHEELS := .cache/wheels/.downloaded
FUNCTION_REQUIREMENTS := $(wildcard packages/status/*/requirements.txt)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	cd scripts && ../$(PYTHON) demo.py

# The stand-ins and the override function on 127.0.0.1 until Ctrl-C, for trying the commands by hand.
# Other ports: make dev KUMA_PORT=3002 SPACES_PORT=4567 OVERRIDE_PORT=8081
KUMA_PORT ?= 3001
SPACES_PORT ?= 4566
OVERRIDE_PORT ?= 8080
dev: $(STAMP)
	$(PYTHON) scripts/dev.py --kuma-port $(KUMA_PORT) --spaces-port $(SPACES_PORT) --override-port $(OVERRIDE_PORT)

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

# DigitalOcean's deployer library, pinned: the tests read and build the project with it, as a deploy does.
DEPLOYER := tools/deployer/node_modules/.package-lock.json
$(DEPLOYER): tools/deployer/package.json tools/deployer/package-lock.json
	npm ci --prefix tools/deployer --no-audit --no-fund --silent
	touch $(DEPLOYER)

# The zips as `doctl serverless deploy` builds them, with their sizes against the 48 MB limit.
package: $(STAMP) $(DEPLOYER)
	$(PYTHON) scripts/package_function.py

# axe-core for the browser tests (Chromium itself comes from Debian: apt-get install chromium).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(AXE)

# First, in seconds: the browser tests need Debian's chromium, which pip cannot install.
chromium:
	@test -x $(CHROMIUM) || { echo "make test: $(CHROMIUM) is missing; the browser tests need Debian's chromium:" \
	  "sudo apt-get install chromium (.ci/run installs it), or CHROMIUM=/path/to/chromium make test" >&2; exit 1; }

unit: chromium $(STAMP) $(WHEELS) $(AXE) $(DEPLOYER)
	CHROMIUM=$(CHROMIUM) $(PYTHON) -m pytest

# The marketing-site kit (web/): its Vitest tests and TypeScript check.
WEB_DEPS := web/node_modules/.package-lock.json
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --silent
	touch $(WEB_DEPS)

web: $(WEB_DEPS)
	npm run --prefix web --silent typecheck
	npm test --prefix web --silent

# pytest last: its closing line ("N passed") is the one CI reads.
test: chromium lint typecheck web unit

# The edit-test loop: lint, types and the unit tests (pure rules, no servers), in about a minute.
check: lint typecheck
	$(PYTHON) -m pytest -q tests/unit

bench: $(STAMP) $(WHEELS) $(DEPLOYER)
	$(PYTHON) bench/publish_bench.py
	$(PYTHON) bench/cold_start_bench.py --wheels .cache/wheels

# Regenerate the committed JSON Schema (and the web kit's copy and types) after changing the document model.
schema: $(STAMP) $(WEB_DEPS)
	$(VENV)/bin/platform-status schema > docs/status.schema.json
	cp docs/status.schema.json web/src/status.schema.json
	$(PYTHON) scripts/sample_status.py
	npm run --prefix web --silent generate:types

clean:
	rm -rf $(VENV) public .platform-status demo-output .pytest_cache .mypy_cache .ruff_cache web/node_modules \
	  tests/browser/node_modules tools/deployer/node_modules .env.dev
