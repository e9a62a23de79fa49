# Consult: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
# pytest-xdist processes for `make test` (each has its own browser, PostgreSQL database
# <name>_gw0, <name>_gw1, ... and Redis database); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
FLASK  := $(BIN)/flask --app consult

VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test install install-test translations db demo lint bench bench-load clean vnu screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# The Nu HTML Checker for tests/trust/test_html_valid.py (needs npm once, then Java).
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
	  npm install --no-save --ignore-scripts --no-audit --no-fund --prefix .cache/vnu vnu-jar; \
	else echo "npm not found: the HTML validity test will skip (and fail in CI)"; fi

vnu: $(VNU_JAR)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: $(VENV)/.installed
	$(FLASK) translations compile

db: $(VENV)/.installed
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

## make run: set up everything and serve the site with demo data at http://127.0.0.1:$(PORT)
run: translations demo
	CONSULT_ENV=development $(FLASK) run --debug --host 127.0.0.1 --port $(PORT)

# vulture (dead code) reads its paths, threshold and whitelist from pyproject.toml.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check consult analysis tests benchmarks wsgi.py
	$(BIN)/mypy consult analysis
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/bandit -q -r consult analysis -c pyproject.toml --severity-level high

## make test: set up the test tools and run the whole suite (quality tools first)
test: $(VENV)/.installed-test translations lint vnu
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/analysis_bench.py

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

## make bench-load: demo databases (SQLite, PostgreSQL), gunicorn on loopback, wrk for the
## pages and the respondents (installed with apt-get when missing and run as root, else
## run.py says how; PostgreSQL at CONSULT_BENCH_DATABASE_URL)
bench-load: $(VENV)/.installed-bench translations
	command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python benchmarks/load/run.py $(BENCH_ARGS)

## make screenshots: serve the demo (gunicorn on loopback, a temporary instance folder) and
## photograph the main pages at 375 and 1280 px, nl and en, into docs/screenshots/ (chromium)
screenshots: $(VENV)/.installed-test translations
	$(BIN)/python benchmarks/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
