# Kabinet. `make demo` and `make test` work on a fresh machine with Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KABINET := $(PY) -m kabinet.cli
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000
ORLIB_DIR ?= ../shared/benchmarks/orlib-wt
AGENCY_BEST ?= ../shared/benchmarks/agency/best-known.json

.PHONY: install engine demo run test test-sqlite test-postgres bench messages lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) messages engine

# Compile the scheduling kernels (numba) into their on-disk cache now, so that the first plan a
# user asks for does not wait ~11 s for a compilation. Quick when the cache is already valid.
engine: $(STAMP)
	@$(PY) -m kabinet.lib.scheduling

# Compiled catalogs are build output (.mo files are not in git).
messages: $(STAMP)
	@cd kabinet && DEBUG=1 ../$(KABINET) compilemessages -v0 --ignore='*.venv*'

demo: install
	mkdir -p var
	DEBUG=1 $(KABINET) migrate --noinput -v0
	DEBUG=1 SITE_URL=$${SITE_URL:-http://$(DEMO_ADDR)} $(KABINET) demo --addr $(DEMO_ADDR)

run: install
	DEBUG=1 $(KABINET) run

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one.
test: install
	env -u DATABASE_URL $(PY) -m pytest -q $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$DATABASE_URL)"; \
		$(PY) -m pytest -q $(PYTEST_ARGS); \
	else echo "== DATABASE_URL is not set: PostgreSQL run skipped"; fi

# Writes var/bench/priority.json, agency.json, promises.json, api.json, pages.json, load.json,
# jobs.json (each periodic job once and again with nothing changed: ms, queries, rows), indexing.json
# and backtest.json (the understanding index's backtest on a fresh scale-1 demo database of its own);
# BENCHMARKS.md quotes them. The page timings run on a demo grown to BENCH_SCALE chronology events
# (10k, 100k or 1m), built once into its own database (BENCH_DATABASE_URL) and reused.
BENCH_SCALE ?= 10k
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench/kabinet-$(BENCH_SCALE).sqlite3
bench: install
	mkdir -p var/bench
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) demo --scale $(BENCH_SCALE) --no-serve
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) health snapshots --agency demo
	DEBUG=1 $(KABINET) bench priority --suite --full-time --orlib-dir $(ORLIB_DIR) --out var/bench/priority.json
	DEBUG=1 $(KABINET) bench agency --best-known $(AGENCY_BEST) --out var/bench/agency.json
	DEBUG=1 $(KABINET) bench promises --out var/bench/promises.json
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) bench api --out var/bench/api.json
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) bench pages --out var/bench/pages.json
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) bench load --users 10,50 --duration 60 --out var/bench/load.json
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(KABINET) bench jobs --out var/bench/jobs.json
	DEBUG=1 $(KABINET) bench indexing --out var/bench/indexing.json
	DEBUG=1 KABINET_VAR_DIR=var/bench/backtest-db DATABASE_URL=sqlite:///var/bench/backtest-db/demo.sqlite3 \
		sh -c 'mkdir -p var/bench/backtest-db && rm -f var/bench/backtest-db/demo.sqlite3 && \
		$(KABINET) migrate --noinput -v0 && $(KABINET) demo --no-serve >/dev/null && \
		$(KABINET) health backtest --agency demo --out var/bench/backtest.json --report var/bench/backtest.md'

lint: $(STAMP)
	$(VENV)/bin/ruff check kabinet
	$(VENV)/bin/ruff format --check kabinet

clean:
	rm -rf $(VENV) var/bench
