# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench build replicas-up replicas-down replicas-status load-proxy image

$(VENV)/.installed-%: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(if $(filter dev,$*),requirements-dev.txt,requirements.txt)
	touch $@

run: $(VENV)/.installed-app
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m spbe build
	bash tools/pytest_all.sh $(PY)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

build: $(VENV)/.installed-app
	$(PY) -m spbe build

bench: $(VENV)/.installed-dev
	$(PY) -m spbe bench

# Replicas behind nginx on loopback ports (plain processes; see tools/replicas.py and README, Operations).
REPLICAS ?= 2
PROXY_PORT ?= 8500
RUN_DIR ?= /tmp/spbe-replicas

replicas-up: $(VENV)/.installed-app
	$(PY) tools/replicas.py up --replicas $(REPLICAS) --port $(PROXY_PORT) --run-dir $(RUN_DIR)

replicas-down:
	$(PY) tools/replicas.py down --run-dir $(RUN_DIR)

replicas-status:
	$(PY) tools/replicas.py status --run-dir $(RUN_DIR)

# The load test through nginx of docs/benchmark.md (about 20 minutes).
load-proxy: $(VENV)/.installed-dev
	$(PY) tools/load_drill.py --protocol-sessions 20,40,80 --replicas 1,2 --browsers 2 --seconds 60 --think 5 --out artifacts/load-proxy

# The container image (podman or docker: CONTAINER=docker make image).
CONTAINER ?= podman
IMAGE ?= spbe-dashboard:latest
image:
	$(CONTAINER) build -f Containerfile -t $(IMAGE) .
