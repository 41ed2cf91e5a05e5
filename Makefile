# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench build

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
