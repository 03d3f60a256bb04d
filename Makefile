# The one entry point for people and CI. `make run` serves the portal with demo data;
# `make test` runs the test suite. See README.md.

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_PASSWORD ?= lancashire-demo
PYTEST_ARGS ?=
# The suites run in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in one.
PYTEST_WORKERS ?= auto

GOVUK := node_modules/govuk-frontend/dist/govuk
BUILD := static/build
CSS := $(BUILD)/portal.css
GOVUK_JS := $(BUILD)/govuk/govuk-frontend.min.js

.PHONY: run test audit test-e2e test-fuzz test-postgres lint format assets check-deploy bench clean help

help:
	@echo "make run            serve the portal with demo data at http://127.0.0.1:$(PORT)/"
	@echo "make test           run the test suite on SQLite"
	@echo "make test-postgres  run the test suite on a throwaway PostgreSQL cluster"
	@echo "make test-fuzz      bad input in every field as every role (several minutes)"
	@echo "make test-e2e       browser journeys and accessibility checks in Chromium"
	@echo "make audit          Lighthouse, pa11y and the Nu checker on the ten main pages"
	@echo "make lint           ruff (lint and formatting), then the import contracts"
	@echo "make assets         compile the stylesheet and copy GOV.UK Frontend's script"
	@echo "make bench          how fast published output is served, beside file servers (minutes)"

# --- Python ------------------------------------------------------------------------------
# One stamp for the runtime install, one for the dev extras; each is redone when
# pyproject.toml changes. A .venv built on a Python older than 3.12 is replaced.
$(VENV)/.python-ok:
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Replacing $(VENV): it was made with a Python older than 3.12"; rm -rf $(VENV); fi
	@if [ ! -x $(PY) ]; then \
		python=$$(sh scripts/find-python.sh) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		"$$python" -m venv $(VENV) || exit 1; \
		$(PY) -m pip install --quiet --upgrade pip || exit 1; \
	fi
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.python-ok
	$(PY) -m pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.python-ok
	$(PY) -m pip install --quiet --editable ".[dev]"
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-e2e: pyproject.toml $(VENV)/.installed-dev
	$(PY) -m pip install --quiet --editable ".[dev,e2e]"
	@touch $@

# --- Front end ---------------------------------------------------------------------------
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Building the stylesheet needs Node.js and npm: apt-get install nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): static/scss/portal.scss node_modules/.package-lock.json
	@mkdir -p $(BUILD)
	npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
		--quiet-deps --silence-deprecation=import static/scss/portal.scss $(CSS)

$(GOVUK_JS): node_modules/.package-lock.json
	@mkdir -p $(BUILD)/govuk/assets
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(BUILD)/govuk/
	cp -r $(GOVUK)/assets/images $(BUILD)/govuk/assets/

assets: $(CSS) $(GOVUK_JS)

# --- Entry points ------------------------------------------------------------------------
run: $(VENV)/.installed assets
	DJANGO_DEBUG=1 $(PY) manage.py demo --password "$(DEMO_PASSWORD)"
	@# The background worker beside the web server, at a lower priority than the readers;
	@# it stops when the server does (or with it, on Ctrl-C).
	DJANGO_DEBUG=1 nice -n 10 $(PY) manage.py db_worker --no-reload --no-startup-delay & \
		worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Browser journeys: Debian's Chromium (never a downloaded browser), the portal on a live
# server on 127.0.0.1, axe-core from its PyPI package. Screenshots go to test-results/.
CHROMIUM ?= /usr/bin/chromium
test-e2e: $(VENV)/.installed-e2e assets
	@test -x $(CHROMIUM) || { echo "The browser tests need Chromium: apt-get install chromium" >&2; exit 1; }
	CHROMIUM=$(CHROMIUM) DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest e2e -p no:cacheprovider \
		-n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Lighthouse, pa11y and (where Java runs it) the Nu HTML Checker on the ten main
# pages as the public, against the demo data on a throwaway SQLite database. The tools come
# from audit/package-lock.json, apart from the stylesheet's; no browser is downloaded.
audit/node_modules/.package-lock.json: audit/package.json audit/package-lock.json
	@command -v npm >/dev/null || { echo "The audit needs Node.js and npm: apt-get install nodejs npm" >&2; exit 1; }
	cd audit && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error
	@touch $@

audit: $(VENV)/.installed assets audit/node_modules/.package-lock.json
	@test -x $(CHROMIUM) || { echo "The audit needs Chromium: apt-get install chromium" >&2; exit 1; }
	CHROMIUM=$(CHROMIUM) $(PY) scripts/audit_pages.py

# The fuzz test in full: every value of its corpus as every role, and each value alone in a
# form otherwise correct. `make test` runs it with the roles taking turns.
test-fuzz: $(VENV)/.installed-dev
	PORTAL_FUZZ=full $(VENV)/bin/pytest tests/test_fuzz.py $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	scripts/with-postgres.sh $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production readiness: the deploy checklist, migrations in step with the models, and the
# static files collected with hashed names as a production server would serve them.
check-deploy: $(VENV)/.installed assets
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		DJANGO_ALLOWED_HOSTS=portal.example.org PORTAL_BASE_URL=https://portal.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; \
		DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only DJANGO_STATIC_ROOT="$$out" \
		$(PY) manage.py collectstatic --noinput --verbosity 0 && echo "collectstatic: hashed static files built"

# The serving benchmark (scripts/bench.py): wrk and ab for load, nginx in front, from Debian
# when missing; everything on 127.0.0.1 in a throwaway folder. BENCH_ARGS="--rounds 3" to pick.
BENCH_ARGS ?=
bench: $(VENV)/.installed assets
	@missing=""; for tool in wrk ab nginx; do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			wrk apache2-utils nginx-light >/dev/null || \
		{ echo "The benchmark needs wrk, ab and nginx: apt-get install wrk apache2-utils nginx-light" >&2; exit 1; }; fi
	$(PY) scripts/bench.py $(BENCH_ARGS)
	scripts/with-postgres.sh $(PY) scripts/bench.py --postgres $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules audit/node_modules $(BUILD) staticfiles .pytest_cache .ruff_cache
