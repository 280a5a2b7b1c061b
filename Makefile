# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ASSETS := web/node_modules/.installed

.PHONY: run test test-sqlite test-postgres bench lint schema migrations install assets clean

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

# GraphiQL comes from the npm registry at set-up time and is served by the app itself (no CDN at run time).
$(ASSETS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(PY) manage.py run

# The suite runs in parallel (one SQLite file and embedded Redis, or one PostgreSQL and Redis database, per
# worker); the timing checks run apart and serially first, so no other test shares the cores with them.
PYTEST := $(PY) -m pytest -q -p no:cacheprovider
test: install
	$(PY) manage.py check-test-env
	$(PYTEST) -m timing
	$(PYTEST) -n auto -m "not timing"
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		PORTAL_TEST_BACKEND=postgres $(PYTEST) -m timing && \
		PORTAL_TEST_BACKEND=postgres $(PYTEST) -n auto -m "not timing"; \
	fi

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

schema: install
	$(PY) manage.py export-schema > schema.graphql

migrations: install
	$(VENV)/bin/tortoise -c manage.TORTOISE_ORM makemigrations

clean:
	rm -rf $(VENV) web/node_modules
