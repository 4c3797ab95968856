# Corredor: the two commands are `make run` and `make test`; everything else is for CI and developers.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-fuzz test-postgres test-browser test-sync bench lint format messages clean

$(BIN)/python:
	$(shell command -v $(PYTHON) || echo python3) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The public information hub runs beside central as it is deployed: its own process (CORREDOR_MODE=hub) and
# database, loaded from the signed bundle that central publishes (docs/infohub.md): http://127.0.0.1:8001/hub/
HUB_PORT ?= 8001
HUB_DATA ?= var/hub
HUB_ENV = CORREDOR_MODE=hub CORREDOR_DATA_DIR=$(HUB_DATA) DATABASE_URL=sqlite:///$(abspath $(HUB_DATA))/hub.sqlite3

run: $(STAMP)
	$(BIN)/corredor migrate --no-input -v 0
	$(BIN)/corredor demo --if-empty
	$(BIN)/corredor hub demo --if-empty
	$(BIN)/corredor stats refresh
	$(BIN)/corredor hub publish --output var/hub-bundle.json
	$(HUB_ENV) $(BIN)/corredor migrate --no-input -v 0
	$(HUB_ENV) $(BIN)/corredor hub pull var/hub-bundle.json
	@# The job worker (watchlist imports and other long work) and the public hub run beside the web server and
	@# stop with it.
	$(BIN)/corredor work & worker=$$!; $(HUB_ENV) $(BIN)/corredor runserver 127.0.0.1:$(HUB_PORT) & hub=$$!; \
		trap 'kill $$worker $$hub 2>/dev/null; wait $$worker $$hub' EXIT INT TERM; \
		$(BIN)/corredor runserver 127.0.0.1:$(PORT)

# Style, types (strict on the pure cores), import contracts (pyproject's [tool.importlinter]) and no model
# change without its migration.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/corredor makemigrations --check --dry-run -v 0

# The suite in parallel (pytest-xdist): each worker has its own database and data folder (tests/conftest.py);
# a test class stays on one worker so that its setUpTestData runs once. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# Property tests with the long Hypothesis profile (every @given test ten times its own examples) and the API
# fuzzed against its OpenAPI schema (tests/fuzz, schemathesis) within FUZZ_SECONDS.
FUZZ_SECONDS ?= 240
test-fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest -n $(TEST_WORKERS) \
		--dist loadscope -m 'hypothesis or fuzz' -p no:cacheprovider

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The whole suite against a real PostgreSQL server: DATABASE_URL when set (postgres://...), otherwise a
# local server that scripts/postgres-start installs (Debian's postgresql) and starts.
test-postgres: $(STAMP)
	@url="$${DATABASE_URL:-}"; case "$$url" in postgres*) ;; *) url=$$(scripts/postgres-start | tail -n 1);; esac; \
	echo "PostgreSQL: $${url%%:*}://...@$${url##*@}"; DATABASE_URL="$$url" $(BIN)/python -m pytest -p no:cacheprovider \
		-n $(TEST_WORKERS) --dist loadscope

# Sync with two real servers on loopback (a post on SQLite; central on SQLite, or on PostgreSQL when
# DATABASE_URL names one): kill -9 of either side, a dropped response, a batch twice, a skewed clock, and a
# soak of SYNC_SOAK_CYCLES cycles of random faults.
SYNC_SOAK_CYCLES ?= 3
test-sync: $(STAMP)
	CORREDOR_SYNC_SERVERS=1 SYNC_SOAK_CYCLES=$(SYNC_SOAK_CYCLES) $(BIN)/python -m pytest -p no:cacheprovider \
		tests/sync/test_two_servers.py

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/browser

bench: $(STAMP)
	$(BIN)/python -m bench

# The catalogs: each app with a locale/ folder keeps its own strings; the project catalog has the rest.
APP_CATALOGS := screening manifests statistics infohub displacement protection sync
messages: $(STAMP)
	cd src/corredor && ../../$(BIN)/corredor makemessages --no-location -l es -l fr -l ht --ignore 'icao/*' \
		--ignore '*/migrations/*' $(foreach app,$(APP_CATALOGS),--ignore '$(app)/*')
	for app in $(APP_CATALOGS); do (cd src/corredor/$$app && ../../../$(BIN)/corredor makemessages --no-location \
		-l es -l fr -l ht --ignore '*/migrations/*'); done
	# The public hub also speaks Portuguese (its catalog only).
	cd src/corredor/infohub && ../../../$(BIN)/corredor makemessages --no-location -l pt --ignore '*/migrations/*'
	cd src/corredor && ../../$(BIN)/corredor compilemessages

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache .mypy_cache
