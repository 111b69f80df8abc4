# One command runs the site with demo content, one runs every test. Both install from requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format lock worker beat bench-search bench-pages clean

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
