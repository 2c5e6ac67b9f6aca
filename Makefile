# MyLabel: `make run` serves the site, `make test` checks it. See README.md.
#
# Nothing here sets DATABASE_URL, REDIS_URL or any other setting: config/settings.py embeds the
# defaults (SQLite, local-memory cache, in-memory channel layer, tasks run in-process), and
# whatever the caller exports (CI exports PostgreSQL and Redis) passes straight through.

PORT ?= 8000

VENV := .venv
PYTHON := $(VENV)/bin/python
# Stamps record that a requirements set is installed; they live inside .venv so that deleting
# the venv also forgets them. Make re-installs only when a requirements file is newer.
DEV_STAMP := $(VENV)/.installed-dev
TEST_STAMP := $(VENV)/.installed-test
# uv installs the pinned requirements in seconds where pip takes minutes on a 2-core machine
# (CI's budget); pip puts uv itself into the venv, so a fresh machine needs only Python.
UV := $(VENV)/bin/uv
# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (this machine and CI set it), Python
# never caches what it compiles, so every process (each test worker, each fresh interpreter a
# settings test starts) compiled Django, SciPy and the rest from source again: django.setup()
# took 10.5 s, 4.1 s with the libraries compiled once here.
PIP_INSTALL := $(UV) pip install -q --compile-bytecode --python $(PYTHON)
# The same for our own code, before the suites run (about a second; stale files are recompiled
# in memory by Python, never trusted): django.setup() 4.1 s -> 3.4 s.
COMPILE := $(PYTHON) -m compileall -q -j 0 mylabel config tests e2e
# Coverage is measured by `make pytest`; `make pytest COVERAGE=` runs the same tests without it
# (CI measures it on its first run of the suite only).
COVERAGE ?= --cov --cov-report=term

.PHONY: run test lint pytest e2e bench load soak chaos clean

# --- Environment --------------------------------------------------------------------------------

# bin/find-python prints a Python >= 3.12 or explains what to install (and make stops there).
$(PYTHON):
	@python=$$(bin/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

# -qq: errors still show; the many warnings some machines' pip configuration emits do not.
$(UV): | $(PYTHON)
	$(PYTHON) -m pip install -qq --disable-pip-version-check uv

$(DEV_STAMP): requirements/base.txt requirements/dev.txt | $(UV)
	$(PIP_INSTALL) -r requirements/dev.txt
	@touch $@

# test.txt includes dev.txt, so installing it satisfies the dev stamp too.
$(TEST_STAMP): requirements/base.txt requirements/dev.txt requirements/test.txt | $(UV)
	$(PIP_INSTALL) -r requirements/test.txt
	@touch $@ $(DEV_STAMP)

# --- Run ----------------------------------------------------------------------------------------

# seed_demo is idempotent and prints the demo log-ins. daphne's runserver (daphne is first in
# INSTALLED_APPS) serves HTTP and WebSocket through config.asgi; exec hands it Ctrl-C directly.
run: $(DEV_STAMP)
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py seed_demo
	exec $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

# --- Checks -------------------------------------------------------------------------------------

# Listed in order: make without -j builds prerequisites left to right and stops at the first
# failure, so a lint error is reported before minutes of browser tests.
test: lint pytest e2e

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

# Runs testpaths (tests/) from pyproject.toml in one pytest-xdist worker per core (tests/conftest.py
# keeps the workers apart). Bare --cov takes its sources from [tool.coverage]
# and pytest-cov enforces that section's fail_under. "No tests collected" exits 5: a failure here.
pytest: $(TEST_STAMP)
	@$(COMPILE) >/dev/null
	$(VENV)/bin/pytest -n auto $(COVERAGE)

# Browser journeys against the site's ASGI app (uvicorn in the test process, e2e/asgi_server.py);
# no --cov, so the coverage gate does not apply here.
e2e: $(TEST_STAMP)
	@$(COMPILE) >/dev/null
	$(VENV)/bin/pytest e2e -p no:cacheprovider

# A benchmark is a script that prints measured numbers (CONVENTIONS.md), run only once one exists.
bench: $(DEV_STAMP)
	@if [ -f bench/run.py ]; then $(PYTHON) bench/run.py; else echo "no benchmarks yet"; fi

# Issue 10's measurements against the production configuration on this machine (uvicorn with two
# workers, a task worker, PostgreSQL and Redis): locust from its own venv (.venv-load, made on first
# use from requirements/load.txt) on a seeded database of its own; a summary, CSV files and a
# verdict against the goals. LOAD_DATABASE_URL/LOAD_REDIS_URL override its defaults (load/run.py).
load: $(DEV_STAMP)
	bin/load

# The same mix for SOAK_MINUTES (default 15) with WebSocket clients coming and going; reports the
# error rate and each server process's memory growth.
soak: $(DEV_STAMP)
	bin/load --soak

# What the site answers while PostgreSQL or Redis is cut off, and how fast it recovers (bin/chaos);
# needs DATABASE_URL=postgres://… and REDIS_URL=redis://…, which it reaches through its own proxies.
chaos: $(DEV_STAMP)
	$(PYTHON) bin/chaos

# Removes what make and the tools generate, including .venv. Keeps your data: db.sqlite3, media/
# and the logs in var/.
clean:
	rm -rf $(VENV) .venv-load staticfiles htmlcov .coverage .coverage.* .mypy_cache .ruff_cache \
		.pytest_cache e2e/artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
