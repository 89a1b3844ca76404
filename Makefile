# One entry point for people and CI alike. `make run` and `make test` work on a fresh
# machine with only python3: they install whatever is missing into .venv first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: install run test system-packages lint format bench clean

# The statistics database (aggregates only, see README « Statistiques »): SQLite in
# CERFA_DATA_DIR (var/ by default), or DATABASE_URL's; `migrate` creates or updates it.
install: $(STAMP)
	@$(PY) -m cerfa.pdf.template install
	@mkdir -p "$${CERFA_DATA_DIR:-var}"
	@$(PY) manage.py migrate --noinput --verbosity 0

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	@touch $(STAMP)

# The production server (uvicorn, see README « Le serveur »). Sessions live in this
# process's memory, so one process; set REDIS_URL and WEB_CONCURRENCY to run several.
run: install
	@CERFA_ENV=production $(PY) manage.py collectstatic --noinput --clear --verbosity 0
	@CERFA_ENV=production \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# The whole suite against SQLite, then every test that touches the database (marked
# django_db or database) again against a throwaway PostgreSQL cluster (tests/postgres.py).
test: install system-packages
	@$(PY) -m pytest
	@$(PY) -m tests.postgres

# The tests drive Debian's Chromium and start Debian's redis-server and PostgreSQL (its
# programs only, as a cluster of the tests' own; never a downloaded build), and check
# filled PDFs with qpdf and poppler-utils (pdfinfo, pdftoppm, pdfdetach); make bench and
# its tests drive wrk (the load generator of the pages' throughput).
# As root they are installed when missing; otherwise the one command to run is
# printed, and under CI the run stops there (the tests would fail anyway).
SYSTEM_PACKAGES := chromium:/usr/bin/chromium redis-server:/usr/bin/redis-server \
	qpdf:/usr/bin/qpdf poppler-utils:/usr/bin/pdfdetach postgresql:/usr/lib/postgresql \
	wrk:/usr/bin/wrk
system-packages:
	@missing=""; for entry in $(SYSTEM_PACKAGES); do \
		[ -x "$${entry#*:}" ] || missing="$$missing $${entry%%:*}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installation des paquets Debian :$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Paquets manquants pour les tests :$$missing. Installez-les : sudo apt-get install$$missing"; \
			[ "$$CI" != "true" ] || exit 1; \
		fi; \
	fi

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Every speed and memory target (issue 13) beside what it is judged against: filling, the
# command line, long texts, memory, and the pages as served (a real server started for the
# run; with Redis when redis-server is there). Exit 1 when a target is missed.
# BENCH_ARGS="--sans-pages" skips the server; see python -m cerfa.pdf.bench --help. The
# pages alone: python -m cerfa.pdf.bench_served (throughput by wrk, Redis and two processes).
bench: install system-packages
	@$(PY) -m cerfa.pdf.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
