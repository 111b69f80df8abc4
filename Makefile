# One command runs the site with demo content, one runs every test. Both install from requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format audit lock worker beat clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_content --with-users
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Supply chain: bandit over our code, pip-audit over every pinned dependency (needs a vulnerability database).
audit: install
	$(BIN)/bandit -q -c pyproject.toml -r .
	$(BIN)/pip-audit --strict --requirement requirements.lock --disable-pip --no-deps --progress-spinner off

# Re-pin every dependency after editing pyproject.toml.
lock:
	$(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

worker: install
	$(BIN)/celery -A site_project worker --loglevel=info

beat: install
	$(BIN)/celery -A site_project beat --loglevel=info

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles .test-media

# Benchmarks (bench/README.md): each builds its own bench_* databases on PostgreSQL and uses Redis db 9; they print
# figures and never fail on a missed target.
.PHONY: bench-pages bench-queries bench-contact bench-weight bench-fault bench-subscriptions
bench-pages: install
	$(BIN)/python bench/pages_bench.py

bench-queries: install
	$(BIN)/python bench/queries_bench.py

bench-contact: install
	$(BIN)/python bench/contact_bench.py

bench-weight: install
	$(BIN)/python bench/weight_bench.py

bench-fault: install
	$(BIN)/python bench/fault_bench.py

bench-subscriptions: install
	$(BIN)/python bench/subscription_bench.py
