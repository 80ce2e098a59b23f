# Cancer Health Drugs. `make run` and `make test` are the whole set-up.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PORT ?= 8000
EDGE_PORT ?= 8080
BIN := $(VENV)/bin
PY := $(BIN)/python

# Django 6.1 needs Python 3.12+. PYTHON=... overrides the search; otherwise take the first
# interpreter on PATH or under pyenv that is new enough.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$c; break; }; done)

.PHONY: help install run serve test lint format bench clean python-check loadtest edge

help:
	@echo "make run    set up .venv, migrate SQLite, load the demo content, serve on http://127.0.0.1:$(PORT)/"
	@echo "make test   install the test tools and run the whole suite"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make serve  production-style gunicorn (needs SECRET_KEY, ALLOWED_HOSTS and SITE_URL)"
	@echo "make bench  benchmark the public pages (PostgreSQL, 10,000 drugs, gunicorn, wrk)"
	@echo "make loadtest  60 s of load, a PostgreSQL restart and a Redis outage, on loopback"
	@echo "make edge  Varnish on http://127.0.0.1:$(EDGE_PORT)/ in front of the app on port $(PORT)"

python-check:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is required (Django 6.1) and none was found." >&2; \
		echo "Install one (e.g. 'pyenv install 3.12') or point to it: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12" >&2; \
		exit 1; fi

$(VENV)/.installed: pyproject.toml | python-check
	@test -x $(PY) && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

# Development: debug on (no SECRET_KEY needed), SQLite unless DATABASE_URL says otherwise.
run: export DJANGO_DEBUG = 1
run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo "Serving Cancer Health Drugs on http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Two workers with a shared cache (REDIS_URL); without one, a single worker, whose page cache is
# then the only one (several would each keep their own and serve each other's stale pages).
serve: export WEB_CONCURRENCY ?= $(if $(REDIS_URL),2,1)
serve: $(VENV)/.installed
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	$(BIN)/gunicorn cancerhealth.wsgi --bind 127.0.0.1:$(PORT) --workers $$WEB_CONCURRENCY --access-logfile -

# Two processes (pytest-xdist), one per core here, taking tests one by one as they finish; the
# files that share Redis or a Varnish are marked xdist_group("services") and run in one process.
PYTEST_ARGS ?= --numprocesses 2 --dist loadgroup
test: $(VENV)/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Benchmark (not CI): the public pages under gunicorn against a bare Django view, and the drug
# page through Varnish against nginx serving a saved copy of it, on loopback. wrk, nginx and
# Varnish (with varnish-modules' xkey) come from Debian packages, installed here if missing.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
BENCH_PACKAGES := wrk nginx-light varnish varnish-modules

bench: $(VENV)/.installed
	@{ command -v wrk && command -v nginx && command -v varnishd && dpkg -s varnish-modules; } >/dev/null 2>&1 || { \
		echo "Installing $(BENCH_PACKAGES) (Debian packages)"; \
		apt-get install -y -qq $(BENCH_PACKAGES) >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq $(BENCH_PACKAGES); }; }
	@psql "$(BENCH_DATABASE_URL)" -c 'select 1' >/dev/null 2>&1 || \
		psql "$(dir $(BENCH_DATABASE_URL))postgres" -c 'CREATE DATABASE bench' >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) tools/bench.py $(BENCH_ARGS)

# Load and fault test (not CI): gunicorn on 127.0.0.1, 32 connections; restarts the local
# PostgreSQL and stops a private Redis on port 6390 mid-run. See docs/operations.md.
# Both live in tools/, outside the app.
LOADTEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/loadtest)

loadtest: $(VENV)/.installed
	@psql "$(LOADTEST_DATABASE_URL)" -c 'select 1' >/dev/null 2>&1 || \
		psql "$(dir $(LOADTEST_DATABASE_URL))postgres" -c 'CREATE DATABASE "$(notdir $(LOADTEST_DATABASE_URL))"' >/dev/null
	DATABASE_URL=$(LOADTEST_DATABASE_URL) timeout 900 $(PY) tools/loadtest.py $(LOADTEST_ARGS)

# The caching proxy in front (docs/deploy.md): varnishd in the foreground with
# deploy/varnish/default.vcl, its backend set to the app on 127.0.0.1:$(PORT). Run the app with
# FRONTEND_PURGE_URLS=http://127.0.0.1:$(EDGE_PORT)/ so that edits purge it.
VARNISH_PACKAGES := varnish varnish-modules

edge: $(VENV)/.installed
	@{ command -v varnishd && dpkg -s varnish-modules; } >/dev/null 2>&1 || { \
		echo "Installing $(VARNISH_PACKAGES) (Debian packages)"; \
		apt-get install -y -qq $(VARNISH_PACKAGES) >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq $(VARNISH_PACKAGES); }; }
	@$(PY) -c 'import pathlib, tools.servers as s; s.varnish_vcl($(PORT), pathlib.Path("var/varnish/edge.vcl"))'
	@echo "Varnish on http://127.0.0.1:$(EDGE_PORT)/ in front of http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	varnishd -F -a 127.0.0.1:$(EDGE_PORT) -f $(CURDIR)/var/varnish/edge.vcl -s malloc,256m -n $(CURDIR)/var/varnish/edge
