# Filmsite: `make run` serves the demo site, `make test` runs the whole suite.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The first interpreter on PATH that is Python 3.12 or newer.
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3 python
FIND_PYTHON = for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && \
	     $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo $$p; break; fi; done

.PHONY: run test venv check-deps lint format clean

$(PY):
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then \
	  echo "Filmsite needs Python 3.12 or newer, and none was found on PATH." >&2; \
	  echo "Install it (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again." >&2; \
	  exit 1; fi; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	$$python -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# The HTML validator and axe-core come from npm; without npm the browser
# checks say they were skipped and why.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the HTML validator and accessibility checks will be skipped."; fi

# A .env for the demo: a fresh secret key, plain HTTP on this machine so the
# HTTPS-only protections are off, and two-factor login optional for staff (a
# real deployment follows .env.example).
.env: | $(VENV)/.installed
	@{ $(PY) -c 'import secrets; print("DJANGO_SECRET_KEY=" + secrets.token_urlsafe(50))'; \
	  echo "DJANGO_DEBUG=false"; \
	  echo "DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost"; \
	  echo "DJANGO_SECURE_SSL_REDIRECT=false"; \
	  echo "DJANGO_SECURE_HSTS_SECONDS=0"; \
	  echo "DJANGO_SECURE_COOKIES=false"; \
	  echo "DJANGO_STAFF_2FA_REQUIRED=false"; } > .env
	@echo "Wrote .env with a generated secret key."

run: $(VENV)/.installed .env
	@# A .env written before two-factor login keeps it optional for the demo too.
	@grep -q '^DJANGO_STAFF_2FA_REQUIRED=' .env || echo "DJANGO_STAFF_2FA_REQUIRED=false" >> .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py setup_roles
	$(PY) manage.py create_admin
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py requeue_pictures
	@echo "Serving Filmsite on http://$(HOST):$(PORT)/ (staff side: /admin/), with the task worker. Ctrl-C stops both."
	@# The task worker (renditions of uploads) runs beside gunicorn and stops with
	@# it: Ctrl-C reaches both, and the trap stops the worker whichever way
	@# gunicorn ends (a port already taken, a crash). The site logs one line per
	@# request itself (ops.request), so gunicorn's access log stays off.
	@set -m; $(PY) manage.py db_worker --no-reload & worker=$$!; \
	set +m; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	$(VENV)/bin/gunicorn filmsite.wsgi --bind $(HOST):$(PORT) --workers 2 \
	  --no-control-socket

test: $(VENV)/.installed node_modules/.package-lock.json
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache test-artifacts
