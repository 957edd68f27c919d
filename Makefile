# Prenatal clinic assistant. `make run` sets up and runs it; `make test` sets up and tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
PORT ?= 5005
ACTION_PORT ?= 5055
DEMO_PORT ?= 8080
STAFF_PORT ?= 8090
WIDGET := web/dist/assistant-widget.js
MODEL := models/assistant.tar.gz
EVAL_CASES ?= ../shared/eval/dev.jsonl tests/data/eval_conversations.jsonl

export ASSISTANT_DB_PATH ?= $(CURDIR)/var/assistant.db
export DATABASE_URL ?= sqlite:///$(ASSISTANT_DB_PATH)
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTION_PORT)/webhook
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TRAINING_DATA := data/nlu data/rules.yml
TRAINING_FILES := config.yml domain.yml data/rules.yml $(wildcard data/nlu/*.yml) \
                  $(wildcard bot/nlu/*.py) $(wildcard bot/safety/*.py) $(wildcard bot/privacy/*.py)


.PHONY: staff create-admin export-training bench-staff purge migrate bench test-faults
.PHONY: help install lock setup train widget browser balancer run shell validate test test-unit test-e2e test-browser eval bench-detector bench-widget crossval crossval-compare clean

help:
	@echo "make run    set up everything and run the assistant (REST + socket.io on PORT=$(PORT)),"
	@echo "            with a demo clinic page and the chat widget on http://localhost:$(DEMO_PORT)/"
	@echo "make test   set up everything and run all tests (unit, data validation, end-to-end)"
	@echo "make shell  chat with the running assistant in this terminal"
	@echo "make eval   score $(EVAL_CASES) through the REST channel"
	@echo "other: install lock setup train widget validate test-unit test-e2e test-browser bench-detector bench-widget crossval clean"

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt requirements.lock pyproject.toml
	@python310=$$(scripts/find-python310) || exit 1; \
	  echo "Creating $(VENV) with $$python310"; \
	  [ -x $(PY) ] || "$$python310" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip<25" "setuptools<70" wheel
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt -c requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

install: $(VENV)/.installed

# After changing requirements*.txt: resolve without the lock, then record what was installed.
lock:
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip freeze --exclude-editable | sed '1i # Exact versions of every installed package, from pip freeze of a tested environment.' > requirements.lock

# The database schema's migrations (Alembic, bot/migrations) on DATABASE_URL; setup runs them too.
migrate: install
	$(PY) -m bot.cli migrate

# Tables, curated answers (new versions only) and the static replies in domain.yml.
setup: install
	$(PY) -m bot.cli setup

$(MODEL): $(TRAINING_FILES) | $(VENV)/.installed
	$(RASA) train --data $(TRAINING_DATA) --config config.yml --domain domain.yml \
	  --out models --fixed-model-name assistant
	@touch $@

# Trains only when training data, config, domain or the NLU components changed.
train: setup
	@$(MAKE) --no-print-directory $(MODEL)

# The web chat widget (web/): socket.io-client and our code in one minified file, built
# with esbuild from the versions in web/package-lock.json.
web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 18+ (apt-get install nodejs npm)"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WIDGET): web/node_modules/.installed web/build.mjs $(wildcard web/src/*)
	cd web && node build.mjs

widget: $(WIDGET)

# Debian's Chromium for the browser tests (installed with apt-get when missing, as root).
browser:
	@scripts/find-chromium >/dev/null

# HAProxy, the local load balancer of the benchmark and the fault tests (the same).
balancer:
	@scripts/find-haproxy >/dev/null

run: train widget
	$(PY) -m bot.cli serve --port $(PORT) --action-port $(ACTION_PORT) --model $(MODEL) \
	  --demo-port $(DEMO_PORT) --staff-port $(STAFF_PORT)

# The staff web app alone (make run starts it too), and its first admin account.
staff: setup
	$(PY) -m bot.staff --port $(STAFF_PORT)

create-admin: setup
	@read -p "New admin's user name: " name && $(PY) -m bot.cli create-admin "$$name"

# Deletes conversations older than the retention setting (RETENTION_DAYS, clinic.yml);
# one conversation: .venv/bin/python -m bot.cli erase SENDER_ID
purge: setup
	$(PY) -m bot.cli purge

# Reviewers' corrections as Rasa NLU YAML and missed red flags as safety cases (var/exports/).
export-training: setup
	$(PY) -m bot.cli export-training

shell: install
	$(PY) -m bot.chat --url http://localhost:$(PORT)

validate: setup
	$(RASA) data validate --data $(TRAINING_DATA) --config config.yml --domain domain.yml
	$(PY) -m bot.cli sync-domain --check
	$(PY) -m bot.cli check-answers

test-unit: setup
	$(PY) -m pytest -m "not e2e" -q
	cd web && node --test --test-reporter=dot

# The end-to-end tests include the browser tests (tests/e2e/test_widget_browser.py).
test-e2e: train widget browser balancer
	$(PY) -m pytest -m e2e -q -s

test-browser: train widget browser
	$(PY) -m pytest tests/e2e/test_widget_browser.py -m e2e -q -s

test: validate test-unit test-e2e

# Scores the shared dev set and our own set through the REST channel; writes a report
# (Markdown, confusion matrices, confidence histograms) to reports/eval-<time>/.
eval: train
	$(PY) -m bot.cli eval $(EVAL_CASES) --report reports

bench-detector: install
	$(PY) -m bot.cli bench-detector

# The staff app's conversation list with many stored conversations (CONVERSATIONS=10000).
CONVERSATIONS ?= 10000
bench-staff: setup
	$(PY) scripts/bench_staff.py --conversations $(CONVERSATIONS)

# Time to an answer in the browser (demo page, widget, socket.io), and the widget's size.
ROUNDS ?= 5
bench-widget: train widget browser
	$(PY) scripts/bench_widget.py --rounds $(ROUNDS)

crossval: setup
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 \
	  --out results/crossval

# Cross-validates every candidate pipeline in pipelines/ (slow: about 5-10 min each).
FOLDS ?= 5
crossval-compare: setup
	$(PY) -m bot.cli crossval-compare --folds $(FOLDS)

clean:
	rm -rf models/*.tar.gz results reports var .rasa

# The load benchmark: 1 and 2 Rasa instances behind HAProxy, on SQLite and PostgreSQL,
# and Rasa's example bot (rasa init) in the same run; writes docs/performance.md.
CONCURRENCY ?= 16
DURATION ?= 60
bench: train balancer
	$(PY) -m bot.loadtest.benchmark --concurrency $(CONCURRENCY) --duration $(DURATION)

# The fault tests alone (tests/e2e/test_faults.py): a Rasa instance, the action servers
# and PostgreSQL killed or restarted under load; each prints what was lost.
test-faults: train balancer
	$(PY) -m pytest tests/e2e/test_faults.py -m e2e -q -s
