# The two commands: `make run` and `make test`. Everything else is a helper of these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)

.PHONY: run test chaos install install-dev lint format migrate demo worker beat check-deploy clean messages compile-messages

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-dev.lock
	@rm -f $(VENV)/.dev-installed-*
	@touch $(DEV_STAMP)

install: $(STAMP) compile-messages

# The catalogues every translator shares (locale/<language>/LC_MESSAGES/django.po): these exact
# options, so runs by different people give the same files. JavaScript shows no text of its own
# (the templates hand it its words in data- attributes), so there is no djangojs catalogue.
MESSAGES_OPTIONS := --locale=it --locale=es --locale=fr --ignore=.venv --ignore=tests --ignore=stubs --ignore=static/vendor --no-location --no-wrap
messages: $(STAMP)
	$(BIN)/python manage.py makemessages $(MESSAGES_OPTIONS)

# .po -> .mo with Babel (no GNU gettext needed); the .mo files are built, not committed.
compile-messages: $(STAMP)
	$(BIN)/python manage.py compile_catalogues

install-dev: $(DEV_STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo_channel

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite with coverage, held to [tool.coverage.report]'s fail_under. A subset runs
# without coverage (and so without the floor): `.venv/bin/python -m pytest tests/<app>`. One worker
# per core (pytest-xdist): each starts its own PostgreSQL, Redis and live server.
test: install-dev compile-messages
	$(BIN)/python -m pytest --numprocesses=auto --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# Every pre-commit hook over the whole tree (fixers fix, and the run fails if they changed
# anything), then the two checks that need the project loaded.
lint: install-dev
	$(BIN)/pre-commit run --all-files
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Fault scenarios against a production-shaped stack this run starts itself (PostgreSQL, Redis,
# gunicorn, a Celery worker): prints actions, lost, duplicated, errors and time to recover, and
# fails when a user's action is lost, duplicated or answered with an error. SCENARIOS=… picks.
chaos: install
	$(BIN)/python -m ops.chaos $(SCENARIOS)

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

check-deploy: install
	DJANGO_ENV=production DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=portal.example.com \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles
