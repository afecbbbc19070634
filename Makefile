# Targets the README names. Everything runs from the repository root.
SHELL := /bin/bash
PY := .venv/bin/python
VAR ?= var

.PHONY: install up down status test test-unit bench asyncapi i18n lint logs clean

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e ".[dev]"
	touch $@

LOCALES := gateway/locale
CATALOGS := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)

install: .venv/.installed $(CATALOGS:.po=.mo) ## Python deps in .venv; compiled catalogs; Debian chromium + Korean fonts for browser tests
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi nanum; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null; \
	  else echo "install Debian packages chromium and fonts-nanum for the browser tests"; fi; fi

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po .venv/.installed
	.venv/bin/pybabel --quiet compile -D messages -d $(LOCALES) -l $*

i18n: .venv/.installed ## extract the gateway's message ids into messages.pot, merge them into ko and en, compile
	.venv/bin/pybabel --quiet extract -F gateway/babel.cfg -k t -k flash:3 -k N_ --no-location \
	  --sort-output --project oms --version 0.1.0 -o $(LOCALES)/messages.pot .
	.venv/bin/pybabel --quiet update -D messages -i $(LOCALES)/messages.pot -d $(LOCALES) \
	  --no-fuzzy-matching --ignore-obsolete --width 100
	.venv/bin/pybabel --quiet compile -D messages -d $(LOCALES)

up: install ## Kafka + MongoDB + every service + gateway, with demo data
	@SECONDS=0; \
	deploy/local/infra.sh start >/dev/null && \
	deploy/local/stack.sh start && \
	source $(VAR)/infra.env && $(PY) -m gateway.demo && \
	echo "everything up in $$SECONDS s" && \
	echo "" && \
	echo "  Storefront:    http://127.0.0.1:8000/            buyer1 / buyer1234, buyer2 / buyer1234" && \
	echo "  Seller admin:  http://127.0.0.1:8000/admin       seller / seller1234" && \
	echo "  API docs:      http://127.0.0.1:8000/docs" && \
	echo "  Stop with:     make down"

down: ## stop services, gateway, Kafka and MongoDB
	-deploy/local/stack.sh stop
	deploy/local/infra.sh stop

status:
	@deploy/local/infra.sh status; deploy/local/stack.sh status

test: install ## the whole suite; starts and stops its own Kafka and MongoDB
	$(PY) -m pytest -q -p no:cacheprovider

test-unit: install
	$(PY) -m pytest -q tests/unit

bench: install ## every benchmark under bench/, against the local stack (started if needed)
	deploy/local/infra.sh start >/dev/null
	deploy/local/stack.sh start
	@source $(VAR)/infra.env && for b in bench/*_bench.py; do $(PY) $$b || exit 1; done

asyncapi: install ## AsyncAPI documents of every service into contracts/asyncapi/
	$(PY) -m kit.asyncapi contracts/asyncapi

lint: install ## ruff, then mypy (configured in pyproject.toml: strict on contracts, gateway, domains)
	.venv/bin/ruff check .
	.venv/bin/mypy

logs:
	tail -n 50 $(VAR)/logs/*.log

clean: down
	rm -rf $(VAR)
