# gendan: `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SYSTEM_PACKAGES := chromium fonts-noto-cjk gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	tesseract-ocr tesseract-ocr-chi-sim postgresql-client

.PHONY: install system-packages run serve test lint format messages vendor bench bench-crm bench-warehouse bench-routes bench-driver bench-install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need: Chromium for the browser tests, CJK fonts so Chinese
# renders, gettext for the translation checks, Pango for WeasyPrint's PDFs, poppler-utils
# (pdftotext, pdftoppm) and Tesseract with its Chinese data for the tests that read the PDFs
# back as text and as images; postgresql-client (pg_dump, pg_restore) for the backup tests.
# Installed when missing and we are root.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing Debian packages:$$missing (install them as root; browser tests will skip)"; \
	fi

run: install system-packages
	$(BIN)/gendan demo

serve: install
	$(BIN)/gendan serve

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

format: install
	$(BIN)/ruff check --fix src bench
	$(BIN)/ruff format src bench

test: install system-packages lint
	@echo "== tests on SQLite =="
	$(BIN)/pytest
	@if [ -n "$$GENDAN_TEST_DATABASE_URL" ]; then \
		echo "== tests on PostgreSQL ($$GENDAN_TEST_DATABASE_URL) =="; \
		DATABASE_URL="$$GENDAN_TEST_DATABASE_URL" $(BIN)/pytest; \
	else \
		echo "GENDAN_TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

# Benchmarks, on PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gendan_bench;
# BENCH_CRM_DATABASE_URL for the CRM's million customers, which take about 15 minutes to generate).
bench: bench-install
	$(BIN)/python bench/orders_walk.py --orders 2000
	$(BIN)/python bench/documents_import.py
	$(BIN)/python bench/documents_print.py
	$(BIN)/python bench/crm_million.py
	$(BIN)/python bench/customer_search.py
	$(BIN)/python bench/warehouse_reserve.py
	$(BIN)/python bench/routes.py $(ROUTES_VRP) --best 776.1 --seconds 10 --day
	$(BIN)/python bench/driver_page.py

bench-crm: bench-install
	$(BIN)/python bench/crm_million.py $(BENCH_ARGS)

# The warehouse: 100,000 batches, 10M stock moves (BENCH_WAREHOUSE_DATABASE_URL, default
# gendan_bench_wh; kept between runs, BENCH_ARGS=--fresh makes it again, --quick a small run).
bench-warehouse: bench-install
	$(BIN)/python bench/warehouse_reserve.py $(BENCH_ARGS)

# The route planner (no database): Solomon's RC208 against its best known cost, then a generated
# day of 200 drops and 10 trucks around Shenzhen and Dongguan beside OR-Tools, 10 s each.
ROUTES_VRP ?= ../shared/bench-data/RC208.vrp
bench-routes: install
	$(BIN)/python bench/routes.py $(ROUTES_VRP) --best 776.1 --seconds 10 --day $(BENCH_ARGS)

# The driver's page (goal under 200 ms): a published route of 25 shipped stops, 100 requests
# (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gendan_bench_driver; made
# again each run).
bench-driver: bench-install
	$(BIN)/python bench/driver_page.py $(BENCH_ARGS)

# The references the CRM benchmark compares with (DuckDB, lifetimes) are not needed to run.
bench-install: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'


# Extract new strings and compile the catalogue (needs gettext).
messages: install
	cd src/gendan && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-location --no-obsolete
	cd src/gendan && ../../$(BIN)/django-admin compilemessages -l zh_Hans

# Refresh the vendored front-end files from the npm registry (versions in package.json).
vendor:
	rm -rf node_modules && npm install --no-save --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js src/gendan/core/static/vendor/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css src/gendan/core/static/vendor/pico/
	cp node_modules/echarts/dist/echarts.min.js src/gendan/core/static/vendor/echarts/
	cp node_modules/tom-select/LICENSE node_modules/tom-select/dist/js/tom-select.complete.min.js \
		node_modules/tom-select/dist/css/tom-select.min.css src/gendan/core/static/vendor/tom-select/
	cp node_modules/@zxing/library/LICENSE node_modules/@zxing/library/umd/index.min.js src/gendan/core/static/vendor/zxing/
	cp node_modules/leaflet/LICENSE node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		src/gendan/core/static/vendor/leaflet/
	cp -r node_modules/leaflet/dist/images src/gendan/core/static/vendor/leaflet/
	cp node_modules/signature_pad/LICENSE node_modules/signature_pad/dist/signature_pad.umd.min.js \
		src/gendan/core/static/vendor/signature_pad/
	# Their source maps are not vendored: the manifest storage refuses a reference to a missing file.
	sed -i '/sourceMappingURL/d' src/gendan/core/static/vendor/tom-select/tom-select.* \
		src/gendan/core/static/vendor/leaflet/leaflet.js src/gendan/core/static/vendor/signature_pad/*.js
	rm -rf node_modules

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
