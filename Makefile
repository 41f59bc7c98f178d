# krisenwissen: developer and CI entry points.
#
#   make run            start the development server with demo data on http://127.0.0.1:8000/ (HOST=, PORT=)
#   make test           lint + the whole test suite (SQLite, or $DATABASE_URL when set; BROWSER=0 without Chromium)
#   make test-postgres  the same against a throwaway PostgreSQL 15 cluster
#   make bench          search benchmark (SQLite and a throwaway PostgreSQL)
#   make bench-compare  Verordnungs-Synopse: compare all consecutive IfSG versions (vs git diff, difflib)
#   make bench-lagebild Lagebild: import all district files (vs pandas), overview page and Lagebericht
#   make bench-workshop Reflexionsraum: 100 simulated participants against gunicorn (2 workers)
#   make bench-learning Lernkreislauf: briefing, recurring lessons and the identified-before check
#   make bench-briefing Briefing zu Krisenbeginn: precision@5 and nDCG@10 against bench/briefing_judgements.json
#   make bench-pages    every main page at 100,000 observations on gunicorn (one user, 50 users, memory)
#   make bench-stab     Krisenstab: 50 members write ETB entries, messages and tasks, 10 read the log live, on gunicorn; PDF of 10,000, verify of 100,000
#   make bench-ingest   Dokumente: PDF text layers (vs pdftotext) and OCR pages per minute
#   make bench-retrieval Retrieval quality on XQuAD-de and the demo questions: lexical, BM25, dense, hybrid
#   make lint           ruff and the import-linter layer contracts (pyproject.toml)
#   make screenshots    the screenshots in docs/ (README start page, main pages at 1280 and 375 px)
#   make messages       update and compile the gettext catalogues (de, en)
#   make clean          remove the virtualenv, caches and build output (keeps ./var, the dev data)
#
# Needs only GNU make and Python >= 3.11; everything else is installed into .venv.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input
PYTEST_ARGS ?=
TEST_WORKERS ?= auto
# make run HOST=0.0.0.0 PORT=8080: where the development server listens.
HOST ?= 127.0.0.1
PORT ?= 8000
# make test BROWSER=0: no Chromium check, browser tests deselected.
BROWSER ?= 1
comma := ,
BENCH_ARGS ?=
LANGS := de en

# The installed package provides the console command `krisenwissen` (= manage.py).
KW := $(BIN)/krisenwissen

.PHONY: help run test screenshots ensure-chromium test-postgres bench bench-compare bench-lagebild bench-workshop bench-learning bench-briefing bench-pages bench-retrieval bench-stab bench-ingest lint messages clean clean-data venv

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# --- virtualenv ------------------------------------------------------------------------------
# The stamps are re-made only when pyproject.toml changes, so repeated `make run`/`make test`
# do not reinstall anything (and need no network).

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "krisenwissen needs Python >= 3.11, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed-dev

# --- run -------------------------------------------------------------------------------------

# load_demo fills only an empty database (so a second `make run` keeps your changes) and
# prints the demo logins; saving the demo items indexes them for search, so no reindex.
# HOST/PORT choose the address; the base URL (links in e-mails) and the allowed host names
# follow unless set in the environment (HOST=0.0.0.0 or :: allows any host name).
run: export DJANGO_SETTINGS_MODULE := krisenwissen.settings.dev
run: export KRISENWISSEN_BASE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: export DJANGO_ALLOWED_HOSTS ?= $(if $(filter 0.0.0.0 ::,$(HOST)),*,127.0.0.1$(comma)localhost$(comma)$(HOST))
run: $(VENV)/.installed
	$(KW) migrate --no-input
	$(KW) load_demo
	$(KW) runserver $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

# --- tests -----------------------------------------------------------------------------------

# The docs' screenshots, made by a browser run with the demo content (tests/browser/screenshot_docs.py).
screenshots: export DJANGO_SETTINGS_MODULE := krisenwissen.settings.test
screenshots: $(VENV)/.installed-dev
	$(BIN)/pytest -p no:cacheprovider -n 0 tests/browser/screenshot_docs.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

# Settings are named explicitly: a DJANGO_SETTINGS_MODULE left in the caller's shell (from
# `make run`, say) would otherwise win over pyproject.toml. DATABASE_URL passes through.
# pytest exits 5 when it collected no tests; that is a failure here like any other non-zero.
# The tests run in parallel (pytest-xdist), one worker per core (TEST_WORKERS=auto); each
# worker has its own test database, demo snapshot, live server and Chromium. TEST_WORKERS=0
# runs everything in one process, e.g. make test TEST_WORKERS=0 PYTEST_ARGS="--pdb".
# The browser tests need Debian's Chromium: ensure-chromium installs it as root (like .ci/run)
# or stops at once with the command to run, before the virtualenv or anything slow.
test: export DJANGO_SETTINGS_MODULE := krisenwissen.settings.test
test: $(if $(filter 0,$(BROWSER)),,ensure-chromium) lint
	@echo "== pytest on $${DATABASE_URL:-SQLite (default)}, workers: $(TEST_WORKERS)"
	$(BIN)/pytest -n $(TEST_WORKERS) $(if $(filter 0,$(BROWSER)),-m "not browser") $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$rc; }

ensure-chromium:
	@scripts/ensure-chromium.sh

test-postgres: $(VENV)/.installed-dev
	scripts/pg-test-server.sh $(MAKE) --no-print-directory test

# The benchmark measures both engines: the throwaway cluster's URL is in KRISENWISSEN_PG_URL
# (and DATABASE_URL); the SQLite side needs no server. E.g. make bench BENCH_ARGS="--items 1000".
bench: $(VENV)/.installed-dev
	scripts/pg-test-server.sh $(BIN)/python bench/search.py $(BENCH_ARGS)

bench-compare: $(VENV)/.installed-dev
	$(BIN)/python bench/compare.py $(BENCH_ARGS)

bench-ingest: $(VENV)/.installed-dev
	$(BIN)/python bench/ingest.py $(BENCH_ARGS)

bench-lagebild: $(VENV)/.installed-dev
	$(BIN)/python bench/lagebild.py $(BENCH_ARGS)

bench-workshop: $(VENV)/.installed-dev
	$(BIN)/python bench/workshop.py --participants 100 --cards 10 $(BENCH_ARGS)

bench-learning: $(VENV)/.installed-dev
	$(BIN)/python bench/learning.py $(BENCH_ARGS)

bench-briefing: $(VENV)/.installed-dev
	$(BIN)/python bench/briefing.py $(BENCH_ARGS)

# The 100,000-item database is built once and cached (KRISENWISSEN_BENCH_CACHE, default the
# temp directory), keyed by the generator; e.g. make bench-pages BENCH_ARGS="--items 10000".
bench-pages: $(VENV)/.installed-dev
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

bench-retrieval: $(VENV)/.installed-dev
	$(BIN)/python bench/retrieval.py $(BENCH_ARGS)

# e.g. make bench-stab BENCH_ARGS="--seconds 60" for a quick run (default 5 minutes).
bench-stab: $(VENV)/.installed-dev
	$(BIN)/python bench/stab_bench.py $(BENCH_ARGS)

# --- translations ----------------------------------------------------------------------------
# Run inside the package so that makemessages writes to src/krisenwissen/locale and
# compilemessages compiles only our catalogues (from the repository root it would also walk
# .venv and recompile Django's). German is the source language: msgids are German.
# --add-location=file keeps the .po files from changing whenever a line number moves.

messages: export DJANGO_SETTINGS_MODULE := krisenwissen.settings.dev
messages: export KRISENWISSEN_DATA_DIR := $(CURDIR)/var
messages: $(VENV)/.installed-dev
	cd src/krisenwissen && ../../$(KW) makemessages $(addprefix -l ,$(LANGS)) \
	  --no-obsolete --add-location=file
	cd src/krisenwissen && ../../$(KW) compilemessages $(addprefix -l ,$(LANGS))

# --- cleaning --------------------------------------------------------------------------------

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .import_linter_cache .hypothesis test-results
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -print0 \
	  | xargs -0 rm -rf

# Separate on purpose: ./var holds the development database and uploads.
clean-data:
	rm -rf var
