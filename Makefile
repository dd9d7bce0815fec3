# AIII Exchange: exactly two commands (see README.md).
#   make run   set up, migrate, seed the demo data and serve on http://127.0.0.1:8000
#   make test  set up, then ruff, makemigrations --check and the whole pytest suite
# Both create .venv with $(PYTHON) (3.11 or newer) when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
# The portal's own message catalogues (locale/), compiled from their .po files: never committed.
COMPILE_OPTIONS := --verbosity 0 --ignore .venv --ignore .venv-lock --ignore var

.PHONY: run test

# Exact versions with hashes come from requirements/*.lock (scripts/lock makes them from the
# ranges in pyproject.toml); pip runs again only when a lock file changed since the last install.
$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "AIII Exchange needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

# The demo: DEBUG on and a secretariat that may skip the second factor, unless the caller's
# environment says otherwise. With no DATABASE_URL/REDIS_URL this is the embedded default:
# SQLite under var/, tasks in-process, each email a file under var/mail/.
run: $(VENV)/.installed-run
	export DEBUG="$${DEBUG:-1}" AIII_SECRETARIAT_MFA="$${AIII_SECRETARIAT_MFA:-optional}" && \
	$(BIN)/python manage.py compilemessages $(COMPILE_OPTIONS) && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py seed_demo && \
	echo "AIII Exchange: http://127.0.0.1:8000  (demo accounts in README.md; Ctrl-C stops)" && \
	exec $(BIN)/python manage.py runserver 127.0.0.1:8000

# Uses DATABASE_URL / REDIS_URL when they are set (as .ci/run does), the embedded default otherwise.
test: $(VENV)/.installed-test
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Chromium is missing: installing Debian's chromium package for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi; \
	  if [ "$$SUDO" != none ] && command -v apt-get >/dev/null; then \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || true; \
	  fi; \
	  if [ ! -x $(CHROMIUM) ]; then \
	    echo; \
	    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	    echo "!! COULD NOT INSTALL CHROMIUM ($(CHROMIUM)): THE BROWSER TESTS WILL BE SKIPPED"; \
	    echo "!! Install it with: sudo apt-get install -y chromium"; \
	    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	    echo; \
	  fi; \
	fi
	DEBUG=1 $(BIN)/python manage.py compilemessages $(COMPILE_OPTIONS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
