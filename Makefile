# Two commands: `make run` (the demo town on SQLite) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test deps lint browser-deps screenshots

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_calendar
	$(PY) manage.py setup_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	exec $(PY) manage.py serve

# Debian's Chromium and a Chinese font for the browser tests (never a downloaded browser).
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk'; then \
		echo "Installing Debian's chromium and a Chinese font for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

test: deps browser-deps
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	# Two workers: CI's machine and ours have two cores (the suite takes about half the time).
	$(PY) -m pytest -n 2

lint: deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

screenshots: deps browser-deps
	$(PY) -m pytest -m browser --screenshots
