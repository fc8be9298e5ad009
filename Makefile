# SIP Portal. `make help` lists every target.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
# The venv's interpreter: the distribution's /usr/bin/python3 where it is 3.11 or newer and has
# venv (Debian's is built with profile-guided optimisation and LTO and linked statically: about
# 20 % less CPU per request than a plain source build such as pyenv's default, ADR 0114), else
# python3 from PATH. `make install PYTHON=...` takes another; `make clean` drops the old venv.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo /usr/bin/python3 || echo python3)
PORT ?= 5000
# pytest-xdist workers for make test (ADR 0099): auto is one per CPU; 0 runs in one process
TEST_WORKERS ?= auto
# one test at a time to each worker: with the longest collected first, both end together
XDIST := --maxschedchunk 1
OIDC_PORT ?= 5001
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install migration system-deps run serve test test-sqlite test-postgres lint format i18n translations bench bench-load bench-scale fuzz clean

help: ## List every target with what it does
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed ## Create the virtual environment and install the app and its test tools

system-deps: ## Install the system packages the PDF, the browser tests and PostgreSQL need (as root)
	@bash scripts/system-deps.sh

translations: $(BIN)/.installed ## Compile the translation catalogues (.po -> .mo)
	@$(BIN)/pybabel compile --use-fuzzy -d locales -f -q 2>/dev/null || $(BIN)/pybabel compile -d locales -f

i18n: $(BIN)/.installed ## Extract strings, update the catalogues and compile them
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --omit-header -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --ignore-obsolete --no-fuzzy-matching
	$(BIN)/python scripts/i18n_merge.py en
	$(MAKE) translations

run: install translations ## Set up and serve the app with demo data on SQLite, with the outbox worker (PORT, default 5000)
	@mkdir -p instance
	@export SIP_CONFIG=demo PUBLIC_BASE_URL=http://localhost:$(PORT) \
	    OIDC_ISSUER=http://127.0.0.1:$(OIDC_PORT) OIDC_CLIENT_ID=sip-demo OIDC_CLIENT_SECRET=sip-demo; \
	  $(BIN)/oidc-provider-mock -p $(OIDC_PORT) --require-nonce true $$($(BIN)/python scripts/demo_eid_users.py) >/dev/null 2>&1 & eid=$$!; \
	  redis=; sock=$$PWD/instance/redis.sock; \
	  if [ -z "$$RATELIMIT_STORAGE_URI" ] && command -v redis-server >/dev/null; then rm -f $$sock; \
	    redis-server --port 0 --unixsocket $$sock --unixsocketperm 700 --save '' --appendonly no >/dev/null 2>&1 & redis=$$!; \
	    for i in $$(seq 30); do [ -S $$sock ] && break; sleep 0.1; done; \
	    [ -S $$sock ] && export RATELIMIT_STORAGE_URI=redis+unix://$$sock; \
	  fi; \
	  trap 'kill $$eid $$redis 2>/dev/null' EXIT; \
	  $(BIN)/flask --app portal db-upgrade && \
	  $(BIN)/flask --app portal seed-demo && \
	  $(BIN)/flask --app portal how-to-sign-in && \
	  echo "E-legitimation (demo): a local OpenID Connect provider on port $(OIDC_PORT)" && \
	  if [ -n "$$redis" ] && [ -S $$sock ]; then echo "Rate limits: a private redis-server (instance/redis.sock) for every worker"; \
	  elif [ -n "$$RATELIMIT_STORAGE_URI" ]; then echo "Rate limits: in RATELIMIT_STORAGE_URI as set"; \
	  else echo "Rate limits: no redis-server (make system-deps), so one worker counts them all"; fi && \
	  { $(BIN)/flask --app portal worker & worker=$$!; \
	    trap 'kill $$eid $$redis $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	    $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
	    --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(L)ss' 'portal:create_app()'; }

test: system-deps install translations lint test-sqlite test-postgres ## Install what the suite needs, lint, run every test on SQLite, then unit and web tests on PostgreSQL

test-sqlite: ## Run the whole suite (unit, web, browser) on SQLite
	$(BIN)/pytest -n $(TEST_WORKERS) $(XDIST) tests

test-postgres: ## Run the unit and web tests on a throw-away PostgreSQL cluster
	$(BIN)/pytest -n $(TEST_WORKERS) $(XDIST) --postgres tests/unit tests/web

fuzz: install translations ## A larger hostile-input run over every form of every demo role (FUZZ_SUBMISSIONS, FUZZ_SEED)
	FUZZ_SUBMISSIONS=$${FUZZ_SUBMISSIONS:-20000} $(BIN)/pytest tests/fuzz -q -s -p no:randomly

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migration: install ## Regenerate the initial migration from the models (allowed until the first release: ADR 0003)
	@mkdir -p instance
	rm -f portal/migrations/versions/*.py $(CURDIR)/instance/migration.sqlite
	SIP_CONFIG=demo DATABASE_URL=sqlite:///$(CURDIR)/instance/migration.sqlite $(BIN)/flask --app portal db-revision "initial schema"
	$(BIN)/ruff format -q portal/migrations/versions

bench: install translations ## Benchmarks: PDF render and sign time against WeasyPrint alone
	$(BIN)/python scripts/bench.py

bench-load: install translations ## Load the app beside a bare Flask route with wrk, on SQLite and PostgreSQL; targets, audit-verify, a profile
	@command -v wrk >/dev/null || { echo "wrk is missing: make system-deps" >&2; exit 1; }
	$(BIN)/python -m scripts.bench.load

bench-scale: install translations ## A 1 M-individual region on a throw-away PostgreSQL: the same paths at 1 k and 1 M, EXPLAIN (BENCH_SCALE)
	$(BIN)/python -m scripts.bench.scale

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) instance/*.sqlite instance/secret_key instance/signing
