# Two entry points, both safe on a fresh machine: `make demo` and `make test`.
# Everything installs into .venv; torch's CPU build goes in first so that nothing that depends
# on torch pulls the multi-GB CUDA build.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

demo: install
	$(BIN)/baton demo

# The agent's dev cases need the knowledge base for their troubleshooting questions.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/baton --log-level WARNING ingest
	$(BIN)/baton --log-level WARNING eval eval/cases/dev.jsonl --min-pass 0.95
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench.bench_clients
	$(BIN)/python -m bench.bench_journeys
	$(BIN)/python -m bench.bench_knowledge
	$(BIN)/python -m bench.bench_agent
	$(BIN)/python -m bench.bench_api

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
